//! Every main view at a laptop (1280×720) and a desktop (1920×1080) window, on the demo data with
//! a record selected where the view has a detail panel: no widget reaches past the window's right
//! edge or above/left of it (content below the fold scrolls), and the view's key controls lie
//! wholly inside. Uses egui's layout info through AccessKit, as the user's screen would show it.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

mod common;

use bole::app::{BoleApp, Tab};
use common::{harness, on_screen, text_overlaps, wait};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn open(h: &mut Harness<'static, BoleApp>, tab: Tab) {
    h.get_by_role_and_label(Role::Button, tab.label()).click();
    wait(h, tab.label(), |a| a.state.tab == tab);
}

#[test]
fn every_view_fits_laptop_and_desktop_windows() {
    for size in [[1280.0, 720.0], [1920.0, 1080.0]] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(&dir.path().join("bole.db"), size);
        common::loaded(&mut h);

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
        on_screen(&h, "设置", size, &["打开知识库…"]);
        // 设置 → 知识库: each part of the editor (tests/ui_knowledge.rs edits through them).
        h.get_by_label("打开知识库…").click();
        wait(&mut h, "knowledge loaded", |a| a.state.knowledge.open && a.state.knowledge.knowledge.is_some());
        for part in ["同义词", "问题→学科", "细分领域"] {
            h.get_by_label(part).click();
            h.run_steps(3);
            on_screen(&h, &format!("设置 · 知识库 · {part}"), size, &["← 返回设置", "导出知识文件…", "导入知识文件…"]);
        }
        h.get_by_label("← 返回设置").click();
        wait(&mut h, "back in 设置", |a| !a.state.knowledge.open);
        // 对接跟踪 and 统计: tests/ui_followup.rs; the projector: tests/ui.rs.
    }
}

/// The overlap check itself: two labels painted on the same spot are found, two side by side are not.
#[test]
fn overlap_check_finds_texts_on_top_of_each_other() {
    let at = |x: f32| egui::Rect::from_min_size(egui::pos2(x, 10.0), egui::vec2(120.0, 20.0));
    let mut h = egui_kittest::Harness::new_ui(|ui| {
        ui.put(at(10.0), egui::Label::new("first words"));
        ui.put(at(14.0), egui::Label::new("second words"));
    });
    h.run();
    assert_eq!(text_overlaps(&h).len(), 1);
    let mut h = egui_kittest::Harness::new_ui(|ui| {
        ui.put(at(10.0), egui::Label::new("first words"));
        ui.put(at(200.0), egui::Label::new("second words"));
    });
    h.run();
    assert!(text_overlaps(&h).is_empty());
}
