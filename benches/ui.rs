//! GUI benchmark with 100k experts (seeded synthetic data): cold start of the app to its first
//! frame and to the lists being shown (search index already built), then the time of each frame
//! while scrolling the expert table and while typing in the search box.
//! Frames run headless through egui_kittest: this measures egui's layout and tessellation work on
//! the CPU, not the GPU/software rasteriser. Run: `cargo bench --bench ui`.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::{Duration, Instant};

use bole::app::BoleApp;
use bole::domain::Taxonomy;
use bole::store;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn stats(name: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name}: {} frames, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (target ≤ 16 ms)",
        v.len(),
        p(0.5),
        p(0.95),
        p(1.0)
    );
}

fn main() {
    let n: usize = std::env::var("BOLE_BENCH_EXPERTS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let tax = Taxonomy::builtin();
    {
        let mut conn = store::open(&db, &tax).unwrap();
        common::seed_experts(&mut conn, n, 3);
    }
    // Build the index once (as after a first start).
    drop(bole::engine::Core::open(&db).unwrap());
    println!("seeded {n} experts and built the index");

    let t = Instant::now();
    let db2 = db.clone();
    let mut h: Harness<'static, BoleApp> = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_context_setup(bole::app::fonts::install)
        .build_eframe(move |cc| BoleApp::new(cc, db2, false));
    h.step();
    let first = t.elapsed();
    while !(h.state().state.ready && h.state().state.lists.experts.len() == n) {
        h.step();
        std::thread::sleep(Duration::from_millis(2));
        assert!(t.elapsed() < Duration::from_secs(120), "app did not load");
    }
    h.step();
    println!(
        "cold start: first frame after {:.0} ms; {n} experts listed after {:.0} ms (target ≤ 1000 ms)",
        first.as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0
    );

    // Scrolling the table.
    let pos = egui::pos2(700.0, 500.0);
    let mut frames = Vec::new();
    for i in 0..300 {
        h.hover_at(pos);
        let dy = if i < 200 { -120.0 } else { 600.0 };
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stats("scrolling the expert table", frames);

    // Typing in the search box, a character per frame, results arriving as they come.
    h.get_by_role_and_label(Role::TextInput, "搜索专家").focus();
    h.step();
    let mut frames = Vec::new();
    for word in ["碳化硅", "石墨烯", "六氟磷酸锂", "界面化学"] {
        for ch in word.chars() {
            h.get_by_role_and_label(Role::TextInput, "搜索专家").type_text(&ch.to_string());
            for _ in 0..4 {
                let t = Instant::now();
                h.step();
                frames.push(t.elapsed().as_secs_f64() * 1000.0);
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        for _ in 0..word.chars().count() {
            h.key_press(egui::Key::Backspace);
            let t = Instant::now();
            h.step();
            frames.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    stats("typing in search (results as you type)", frames);
}
