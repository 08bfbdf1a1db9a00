//! Shared by the egui_kittest tests (ui_followup, ui_layout, ui_meeting_day): the app on a database
//! file with the CJK font installed, waiting on its state, and the on-screen layout check.
#![allow(dead_code, reason = "each test binary uses its own part")]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

use std::path::Path;
use std::time::{Duration, Instant};

use bole::app::BoleApp;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// The app on `db` (demo data loaded when it is empty) in a window of `size`.
pub fn harness(db: &Path, size: [f32; 2]) -> Harness<'static, BoleApp> {
    let db = db.to_path_buf();
    Harness::builder()
        .with_size(size)
        .with_context_setup(bole::app::fonts::install)
        .build_eframe(move |cc| BoleApp::new(cc, db, true))
}

/// Steps the app until `cond` holds (then a few frames more, for the layout to settle).
pub fn wait(h: &mut Harness<'static, BoleApp>, what: &str, cond: impl Fn(&BoleApp) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if cond(h.state()) {
            h.run_steps(3);
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(90), "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(15));
    }
}

pub fn loaded(h: &mut Harness<'static, BoleApp>) {
    wait(h, "demo data loaded", |a| a.state.ready && a.state.lists.experts.len() > 300);
}

/// No widget past the window's right edge or above/left of it (content below the fold
/// scrolls); the named ones wholly inside.
pub fn on_screen(h: &Harness<'static, BoleApp>, view: &str, size: [f32; 2], named: &[&str]) {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1])).expand(1.0);
    for label in named {
        let mut any = false;
        for n in h.get_all_by_label(label) {
            let r = n.rect();
            assert!(screen.contains_rect(r), "{view}: {label} at {r:?} is outside the {size:?} window");
            any = true;
        }
        assert!(any, "{view}: {label} not shown");
    }
    let mut stack = vec![h.root()];
    while let Some(n) = stack.pop() {
        if let Some(b) = n.accesskit_node().bounding_box()
            && b.x1 > b.x0
            && b.y1 > b.y0
        {
            let r =
                egui::Rect::from_min_max(egui::pos2(b.x0 as f32, b.y0 as f32), egui::pos2(b.x1 as f32, b.y1 as f32));
            let label = n.accesskit_node().label().unwrap_or_default();
            assert!(
                r.max.x <= screen.max.x && r.min.x >= screen.min.x && r.min.y >= screen.min.y,
                "{view}: {label:?} ({:?}, value {:?}) at {r:?} is outside the {size:?} window",
                n.accesskit_node().role(),
                n.accesskit_node().value()
            );
        }
        stack.extend(n.children());
    }
    let overlaps = text_overlaps(h);
    assert!(overlaps.is_empty(), "{view} at {size:?}: texts overlap: {overlaps:?}");
}

/// Pairs of painted texts whose visible parts (inside their clip rectangles) overlap, from the
/// shapes egui painted in the last frame: each text's glyph rows, so a wrapped paragraph's
/// empty line ends do not count. (Layers are flattened in the output: check views with no
/// menu or dialog open over them.)
pub fn text_overlaps<S>(h: &Harness<'_, S>) -> Vec<(String, String)> {
    fn collect(shape: &egui::Shape, clip: egui::Rect, out: &mut Vec<(egui::Rect, String)>) {
        match shape {
            egui::Shape::Vec(list) => list.iter().for_each(|s| collect(s, clip, out)),
            egui::Shape::Text(t) => {
                for row in &t.galley.rows {
                    let r = row.rect_without_leading_space().translate(t.pos.to_vec2()).intersect(clip);
                    let text: String = row.glyphs.iter().map(|g| g.chr).collect();
                    if r.width() > 0.5 && r.height() > 0.5 && !text.trim().is_empty() {
                        out.push((r, text));
                    }
                }
            }
            _ => {}
        }
    }
    let mut texts: Vec<(egui::Rect, String)> = Vec::new();
    for c in &h.output().shapes {
        collect(&c.shape, c.clip_rect, &mut texts);
    }
    assert!(!texts.is_empty(), "no text was painted: nothing to check");
    let mut found = Vec::new();
    for (i, (a, ta)) in texts.iter().enumerate() {
        for (b, tb) in &texts[i + 1..] {
            let x = a.intersect(*b);
            // A shared pixel row or column is not an overlap; a quarter of the smaller row is.
            if x.width() > 1.0 && x.height() > 1.0 && x.area() > 0.25 * a.area().min(b.area()) {
                found.push((ta.clone(), tb.clone()));
            }
        }
    }
    found
}
