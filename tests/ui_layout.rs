//! Every main view at a laptop (1280×720) and a desktop (1920×1080) window, on the demo data with
//! a record selected where the view has a detail panel: no widget reaches past the window's right
//! edge or above/left of it (content below the fold scrolls), and the view's key controls lie
//! wholly inside. Uses egui's layout info through AccessKit, as the user's screen would show it.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

use std::path::Path;
use std::time::{Duration, Instant};

use bole::app::{BoleApp, Tab};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn harness(db: &Path, size: [f32; 2]) -> Harness<'static, BoleApp> {
    let db = db.to_path_buf();
    Harness::builder()
        .with_size(size)
        .with_context_setup(bole::app::fonts::install)
        .build_eframe(move |cc| BoleApp::new(cc, db, true))
}

fn wait(h: &mut Harness<'static, BoleApp>, what: &str, cond: impl Fn(&BoleApp) -> bool) {
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

/// No widget past the right edge or above/left of the window; the named ones wholly inside.
fn on_screen(h: &Harness<'static, BoleApp>, view: &str, size: [f32; 2], named: &[&str]) {
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
}

fn open(h: &mut Harness<'static, BoleApp>, tab: Tab) {
    h.get_by_role_and_label(Role::Button, tab.label()).click();
    wait(h, tab.label(), |a| a.state.tab == tab);
}

#[test]
fn every_view_fits_laptop_and_desktop_windows() {
    for size in [[1280.0, 720.0], [1920.0, 1080.0]] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(&dir.path().join("bole.db"), size);
        wait(&mut h, "demo data loaded", |a| a.state.ready && a.state.lists.experts.len() > 300);

        let expert = h.state().state.lists.experts[0].clone();
        h.get_by_label(&expert.ext_id).click();
        wait(&mut h, "expert detail", |a| a.state.expert_detail.as_ref().is_some_and(|e| e.id == expert.id));
        on_screen(&h, "专家人才库", size, &["导入名单…"]);

        open(&mut h, Tab::Demands);
        let demand = h.state().state.lists.demands[0].clone();
        h.get_by_label(&demand.ext_id).click();
        wait(&mut h, "demand detail", |a| a.state.demand_detail.as_ref().is_some_and(|d| d.id == demand.id));
        on_screen(&h, "企业需求", size, &[]);

        open(&mut h, Tab::Matches);
        h.get_all_by_label_contains(&demand.title).next().unwrap().click();
        wait(&mut h, "suggestions", |a| a.state.matches.results.as_ref().is_some_and(|r| !r.is_empty()));
        on_screen(&h, "匹配建议", size, &[]);

        open(&mut h, Tab::Meetings);
        wait(&mut h, "meetings listed", |a| !a.state.meetings.list.is_empty());
        let name = h.state().state.meetings.list[0].name.clone();
        h.get_all_by_label_contains(&name).next().unwrap().click();
        wait(&mut h, "meeting loaded", |a| a.state.meetings.current().is_some());
        on_screen(&h, "对接会", size, &[]);
        for pane in ["日程（时段 × 桌）", "参会需求与专家", "会场签到与结果", "会议设置"] {
            h.get_by_label(pane).click();
            h.run_steps(3);
            on_screen(&h, pane, size, &[]);
        }

        open(&mut h, Tab::Settings);
        on_screen(&h, "设置", size, &[]);
        // 对接跟踪 and 统计: tests/ui_followup.rs; the projector: tests/ui.rs.
    }
}
