//! The 会场签到与结果 pane driven headless with egui_kittest: 签到 and a sitting's result are
//! clicked and land in the meeting (through the worker, never SQL in the frame).
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::path::Path;
mod common;

use bole::domain::followup::SittingResult;
use bole::domain::meeting::Presence;
use common::wait;
use egui_kittest::kittest::Queryable;

fn meeting_db(db: &Path) {
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["demo"]);
    run(&[
        "meeting",
        "create",
        "--name",
        "会场日",
        "--date",
        "2026-12-05",
        "--time",
        "9:00-10:00",
        "--max-demands",
        "4",
        "--auto-experts",
        "6",
    ]);
    run(&["meeting", "assign", "会场日"]);
    run(&["meeting", "schedule", "会场日"]);
}

#[test]
fn check_in_and_a_result_are_one_click_each() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    meeting_db(&db);
    let mut h = common::harness(&db, [1600.0, 1000.0]);
    wait(&mut h, "loaded", |a| a.state.ready && !a.state.lists.experts.is_empty());
    h.get_by_label("对接会").click();
    wait(&mut h, "meeting listed", |a| !a.state.meetings.list.is_empty());
    h.get_by_label_contains("会场日").click();
    wait(&mut h, "meeting loaded", |a| a.state.meetings.current().is_some());
    h.get_by_label("会场签到与结果").click();
    h.run_steps(3);
    // The first 签到 is the first enterprise's.
    h.get_all_by_label("签到").next().unwrap().click();
    wait(&mut h, "checked in", |a| {
        a.state.meetings.current().is_some_and(|d| d.plan.checkins.iter().any(|c| c.presence == Presence::Present))
    });
    h.get_all_by_label("有意向继续").next().unwrap().click();
    wait(&mut h, "result recorded", |a| {
        a.state
            .meetings
            .current()
            .is_some_and(|d| d.plan.pairs.iter().any(|p| p.result == Some(SittingResult::Continue)))
    });
    assert!(h.query_by_label("缺席后重排剩余时段").is_some());
}
