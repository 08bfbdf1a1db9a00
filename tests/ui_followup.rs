//! 对接跟踪 and 统计 driven headless with egui_kittest on a temporary database with the demo data
//! (a year of pairing history): filter, select, change a stage; the funnel against the engine's
//! figures; nothing of either tab outside the window at laptop and desktop sizes.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

mod common;

use bole::app::BoleApp;
use bole::domain::pairing::Stage;
use common::{harness, loaded, on_screen, wait};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn shown(h: &mut Harness<'static, BoleApp>, role: Role, label: &str) {
    for _ in 0..10 {
        if h.query_by_role_and_label(role, label).is_some() {
            return;
        }
        h.step();
    }
    panic!("no {role:?} labelled {label}");
}

fn open_followup(h: &mut Harness<'static, BoleApp>) {
    h.get_by_role_and_label(Role::Button, "对接跟踪").click();
    wait(h, "pairings listed", |a| !a.state.followup.busy && !a.state.followup.rows.is_empty());
}

/// Opens a combo box by its label and picks an entry.
fn pick(h: &mut Harness<'static, BoleApp>, combo: &str, entry: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).hover();
    h.run_steps(3);
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run_steps(2);
    shown(h, Role::Button, entry);
    h.get_by_role_and_label(Role::Button, entry).hover();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, entry).click();
    h.run_steps(2);
}

#[test]
fn a_pairing_is_filtered_selected_and_moved_to_a_new_stage() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), [1400.0, 900.0]);
    loaded(&mut h);
    // The start screen reminds of this week's follow-ups.
    wait(&mut h, "due counted", |a| a.state.followup.due.is_some());
    open_followup(&mut h);
    let all = h.state().state.followup.rows.len();
    pick(&mut h, "阶段", Stage::Contacted.label());
    wait(&mut h, "filtered by stage", |a| {
        let f = &a.state.followup;
        !f.busy && f.stage == Some(Stage::Contacted) && !f.rows.is_empty()
    });
    let f = &h.state().state.followup;
    assert!(f.rows.len() < all, "the filter leaves out the other stages");
    assert!(f.rows.iter().all(|r| r.stage == Some(Stage::Contacted)));
    let first = f.rows[f.visible[0]].clone();
    h.get_all_by_label(&first.demand_title).next().unwrap().click();
    wait(&mut h, "the pairing's history", |a| a.state.followup.detail.is_some());
    let (expert_id, demand_id) = h.state().state.followup.selected.unwrap();
    let events = h.state().state.followup.detail.as_ref().unwrap().events.len();
    assert!(events > 0, "the history of a demo pairing is shown");
    pick(&mut h, "新阶段", Stage::OnSite.label());
    let note = "企业同意专家下周到厂蹲点";
    h.get_by_role_and_label(Role::MultilineTextInput, "跟进记录").focus();
    h.run_steps(2);
    h.get_by_role_and_label(Role::MultilineTextInput, "跟进记录").type_text(note);
    h.run_steps(2);
    h.get_by_label("保存跟进").click();
    wait(&mut h, "the new event", |a| {
        a.state
            .followup
            .detail
            .as_ref()
            .is_some_and(|d| d.events.len() == events + 1 && d.row.stage == Some(Stage::OnSite))
    });
    assert_eq!(h.state().state.followup.selected, Some((expert_id, demand_id)));
    assert!(h.query_by_label_contains(note).is_some(), "the new event shows in the history");
    assert!(h.query_by_label_contains("已记录跟进").is_some());
    // 结束 without a reason is refused next to the form, in Chinese.
    pick(&mut h, "新阶段", Stage::Ended.label());
    assert_eq!(h.state().state.followup.stage_form.stage, Some(Stage::Ended), "picked 结束");
    h.get_by_label("保存跟进").click();
    wait(&mut h, "the refusal", |a| !a.state.followup.problems.is_empty());
    let problems = format!("{:?}", h.state().state.followup.problems);
    assert!(h.query_by_label_contains("结束对接时请选择原因").is_some(), "{problems}");
}

/// The text the last frames put on the clipboard.
fn copied(h: &mut Harness<'static, BoleApp>) -> String {
    for _ in 0..4 {
        h.step();
        for c in &h.output().platform_output.commands {
            if let egui::OutputCommand::CopyText(t) = c {
                return t.clone();
            }
        }
    }
    panic!("nothing was copied");
}

#[test]
fn the_funnel_table_shows_the_engines_figures_and_copies_for_excel() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let mut h = harness(&db, [1400.0, 900.0]);
    loaded(&mut h);
    h.get_by_role_and_label(Role::Button, "统计").click();
    wait(&mut h, "figures", |a| a.state.stats.figures.is_some() && !a.state.stats.busy);
    h.get_by_role_and_label(Role::Button, "本年").click();
    wait(&mut h, "this year's figures", |a| {
        a.state.stats.figures.as_ref().is_some_and(|f| f.period.to.ends_with("-12-31") && !f.period.is_all())
    });
    let period = h.state().state.stats.figures.as_ref().unwrap().period.clone();
    let core = bole::engine::Core::open(&db).unwrap();
    let expected = core.stat_figures(&period).unwrap();
    assert!(expected.funnel.iter().any(|(_, n)| *n > 0), "the demo history reaches the funnel");
    h.get_all_by_label("复制表格").nth(1).unwrap().click();
    let tsv = copied(&mut h);
    let lines: Vec<&str> = tsv.lines().collect();
    assert!(lines[0].starts_with("阶段\t"), "{tsv}");
    for (stage, n) in &expected.funnel {
        let line = format!("{}\t{n}\t", stage.label());
        assert!(lines.iter().any(|l| l.starts_with(&line)), "{line:?} missing from\n{tsv}");
        assert!(h.query_all_by_label(&n.to_string()).count() > 0);
    }
    wait(&mut h, "gaps after the figures", |a| a.state.stats.gaps.is_some());
    assert!(h.query_by_label_contains("引才方向").is_some());
}

#[test]
fn both_tabs_fit_laptop_and_desktop_windows() {
    for size in [[1280.0, 720.0], [1920.0, 1080.0]] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(&dir.path().join("bole.db"), size);
        loaded(&mut h);
        open_followup(&mut h);
        let r = h.state().state.followup.rows[0].clone();
        h.get_all_by_label(&r.demand_title).next().unwrap().click();
        wait(&mut h, "the pairing's history", |a| a.state.followup.detail.is_some());
        on_screen(&h, "对接跟踪", size, &["阶段", "领域", "企业", "专家", "待跟进/逾期", "日期", "保存跟进"]);
        h.get_by_role_and_label(Role::Button, "统计").click();
        wait(&mut h, "figures", |a| a.state.stats.figures.is_some());
        h.run_steps(3);
        on_screen(&h, "统计", size, &["生成工作简报…", "全部", "查询"]);
    }
}

#[test]
fn the_work_report_is_written_where_the_path_box_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), [1400.0, 900.0]);
    loaded(&mut h);
    h.get_by_role_and_label(Role::Button, "统计").click();
    wait(&mut h, "figures", |a| a.state.stats.figures.is_some());
    let out = dir.path().join("简报.pdf");
    // What the shell sends when the native dialog returns at once.
    h.state_mut()
        .state
        .update(bole::app::UiMsg::Data(bole::app::data::DataMsg::NoDialog(bole::app::data::PathFor::Report)));
    h.run_steps(2);
    let label = "无法打开系统的文件选择窗口，请直接输入完整路径（可从资源管理器地址栏复制）";
    shown(&mut h, Role::TextInput, label);
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, label).type_text(out.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("确定").click();
    wait(&mut h, "report written", |a| a.state.stats.report.is_some());
    assert!(
        matches!(&h.state().state.stats.report, Some(Ok(t)) if t.contains("PDF")),
        "{:?}",
        h.state().state.stats.report
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert!(h.query_by_label_contains("已生成").is_some());
}

#[test]
fn an_experts_detail_lists_its_pairings_and_opens_one_in_followup() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), [1400.0, 900.0]);
    loaded(&mut h);
    wait(&mut h, "due counted", |a| a.state.followup.due.is_some());
    let (due, overdue) = h.state().state.followup.due.unwrap();
    assert!(h.query_by_label_contains(&format!("本周待跟进 {due} 项，逾期 {overdue} 项")).is_some());
    let (expert, _) = h.state().state.lists.pairings[0];
    let ext = h.state().state.lists.experts.iter().find(|e| e.id == expert).unwrap().ext_id.clone();
    h.get_by_label(&ext).click();
    wait(&mut h, "the expert's pairings", |a| {
        a.state.followup.record.as_ref().is_some_and(|(_, id, rows)| *id == expert && !rows.is_empty())
    });
    assert!(h.query_by_label_contains("对接情况").is_some());
    let link = h.state().state.followup.record.as_ref().unwrap().2[0].enterprise.clone();
    h.get_all_by_label_contains(&link).next().unwrap().click();
    wait(&mut h, "opened in 对接跟踪", |a| {
        a.state.tab == bole::app::Tab::Followup
            && a.state.followup.detail.as_ref().is_some_and(|d| d.row.expert_id == expert)
    });
}

#[test]
fn an_experts_detail_lists_the_meetings_they_sat_at() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let mut h = harness(&db, [1400.0, 900.0]);
    loaded(&mut h);
    // An expert of one of the demo's past meetings, read from the file the app writes.
    let conn = bole::store::open(&db, &bole::domain::Taxonomy::builtin()).unwrap();
    let (ext, meeting): (String, String) = conn
        .query_row(
            "SELECT e.ext_id, m.name FROM meeting_expert x JOIN expert e ON e.id = x.expert_id
             JOIN meeting m ON m.id = x.meeting_id ORDER BY m.id, e.ext_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    h.get_by_label(&ext).click();
    wait(&mut h, "the expert's meetings", |a| !a.state.followup.record_meetings.is_empty());
    h.run_steps(2);
    assert!(h.query_by_label_contains("参加的对接会（").is_some());
    assert!(h.query_by_label(&meeting).is_some(), "{meeting} listed");
    assert!(h.query_all_by_label("洽谈 1 场").count() > 0);
}
