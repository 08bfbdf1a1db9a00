use super::*;
use crate::domain::Taxonomy;
use crate::domain::followup::FollowupProblem;
use crate::domain::pairing::Stage;
use crate::engine::{Command, Event, FollowupEvent, PairingFilter, PairingListRow};

fn state() -> AppState {
    let mut s = AppState::new(Taxonomy::builtin());
    s.clock.today = "2026-12-02".into(); // a Wednesday
    s
}

fn followups(s: &mut AppState) -> Vec<FollowupCommand> {
    s.outbox
        .drain(..)
        .filter_map(|c| match c {
            Command::Followup(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn row(e: i64, d: i64, expert: &str, next: &str) -> PairingListRow {
    PairingListRow {
        expert_id: e,
        demand_id: d,
        expert_name: expert.into(),
        next_date: next.into(),
        stage: Some(Stage::Contacted),
        ..Default::default()
    }
}

#[test]
fn filters_ask_the_engine_and_stale_lists_are_ignored() {
    let mut s = state();
    s.update_followup(FollowupMsg::Stage(Some(Stage::Contacted)));
    let sent = followups(&mut s);
    let want = PairingFilter { stage: Some(Stage::Contacted), ..Default::default() };
    assert_eq!(sent, vec![FollowupCommand::List(want.clone())]);
    s.update_followup(FollowupMsg::DueOnly(true));
    let sent = followups(&mut s);
    let due = PairingFilter { due_by: Some("2026-12-06".into()), ..want.clone() };
    assert_eq!(sent, vec![FollowupCommand::List(due.clone())], "due by the Sunday of this week");
    // The answer to the first request arrives late: ignored.
    s.handle(Event::Followup(Box::new(FollowupEvent::List { filter: want, rows: vec![row(1, 1, "甲", "")] })));
    assert!(s.followup.busy && s.followup.rows.is_empty());
    let rows = vec![row(1, 1, "王明", "2026-12-05"), row(2, 1, "李华", "2026-11-20")];
    s.handle(Event::Followup(Box::new(FollowupEvent::List { filter: due, rows })));
    assert!(!s.followup.busy);
    assert_eq!(s.followup.visible, vec![1, 0], "due mode: the earliest date first");
    assert!(crate::app::followup::overdue(&s.followup.rows[1], "2026-12-02"));
    s.update_followup(FollowupMsg::Expert("王".into()));
    assert_eq!(s.followup.visible, vec![0], "the expert filter is applied here");
    assert!(followups(&mut s).is_empty());
}

#[test]
fn entries_are_sent_refusals_shown_by_their_form_and_saves_reload() {
    let mut s = state();
    s.update_followup(FollowupMsg::Select(7, 9));
    assert_eq!(followups(&mut s), vec![FollowupCommand::Detail { expert_id: 7, demand_id: 9 }]);
    s.update_followup(FollowupMsg::SaveStage);
    assert!(s.followup.problem(FollowupForm::Stage).is_some(), "nothing to save");
    assert!(followups(&mut s).is_empty());
    let draft = StageDraft { stage: Some(Stage::Ended), note: "谈过".into(), ..Default::default() };
    s.update_followup(FollowupMsg::StageForm(draft));
    s.update_followup(FollowupMsg::SaveStage);
    let sent = followups(&mut s);
    assert!(matches!(&sent[..], [FollowupCommand::FollowUp { expert_id: 7, demand_id: 9, entry }]
        if entry.stage == Some(Stage::Ended) && entry.note == "谈过"));
    let error = EngineError::Followup(FollowupProblem::NoEndReason);
    s.handle(Event::Followup(Box::new(FollowupEvent::Problem { form: FollowupForm::Stage, error })));
    assert!(s.followup.problem(FollowupForm::Stage).unwrap().contains("结束对接时请选择原因"));
    assert!(s.followup.problem(FollowupForm::Service).is_none());
    s.update_followup(FollowupMsg::ServiceForm(ServiceDraft { days: "两天".into(), ..Default::default() }));
    s.update_followup(FollowupMsg::SaveService);
    assert!(s.followup.problem(FollowupForm::Service).unwrap().contains("不是数字"));
    s.handle(Event::Followup(Box::new(FollowupEvent::Saved { form: FollowupForm::Stage, expert_id: 7, demand_id: 9 })));
    assert!(s.followup.problem(FollowupForm::Stage).is_none());
    assert_eq!(s.followup.stage_form, StageDraft::default(), "the form is emptied");
    let sent = followups(&mut s);
    assert!(sent.contains(&FollowupCommand::Detail { expert_id: 7, demand_id: 9 }));
    assert!(sent.iter().any(|c| matches!(c, FollowupCommand::List(_))));
    // An open detail of the expert lists the pair: it is asked for again, another expert's is not.
    s.followup.record = Some((crate::domain::RecordKind::Expert, 7, Vec::new()));
    s.handle(Event::Followup(Box::new(FollowupEvent::Saved { form: FollowupForm::Stage, expert_id: 7, demand_id: 9 })));
    assert!(followups(&mut s).contains(&FollowupCommand::OfRecord(crate::domain::RecordKind::Expert, 7)));
    s.handle(Event::Followup(Box::new(FollowupEvent::Saved { form: FollowupForm::Stage, expert_id: 8, demand_id: 9 })));
    assert!(!followups(&mut s).iter().any(|c| matches!(c, FollowupCommand::OfRecord(..))));
}

#[test]
fn targets_are_read_from_the_form_and_tables_copy_as_tab_separated_text() {
    let mut s = state();
    s.update_followup(FollowupMsg::TargetForm(TargetDraft { from_year: "二〇二六".into(), ..Default::default() }));
    s.update_followup(FollowupMsg::SaveTarget);
    assert!(s.stats.target_problem.as_deref().unwrap().contains("不是年份"));
    let draft = TargetDraft { from_year: "２０２６".into(), projects: "3".into(), ..Default::default() };
    s.update_followup(FollowupMsg::TargetForm(draft));
    s.update_followup(FollowupMsg::SaveTarget);
    let sent = followups(&mut s);
    assert!(matches!(&sent[..], [FollowupCommand::SetTarget { target, period }]
        if target.from_year == 2026 && target.to_year == 2026 && target.projects == 3 && period.is_all()));
    s.update_followup(FollowupMsg::Period("2026-01-01".into(), "2026-06-30".into()));
    let sent = followups(&mut s);
    assert!(matches!(&sent[..], [FollowupCommand::Figures(p)] if p.from == "2026-01-01" && p.to == "2026-06-30"));
    let t = Table { headers: vec!["阶段".into(), "对".into()], rows: vec![vec!["已联系\t".into(), "3".into()]] };
    assert_eq!(t.tsv(), "阶段\t对\n已联系 \t3\n");
}

#[test]
fn stage_changes_per_month_become_a_table_with_a_column_per_stage_that_occurs() {
    let f = crate::engine::StatFigures {
        period: crate::engine::Period::all(),
        experts: 0,
        demands: 0,
        open_demands: 0,
        new_experts: 0,
        new_demands: 0,
        supply: Vec::new(),
        stages: Vec::new(),
        funnel: Vec::new(),
        by_month: vec![
            ("2026-01".into(), Stage::Recommended, 3),
            ("2026-01".into(), Stage::OnSite, 1),
            ("2026-03".into(), Stage::Recommended, 2),
        ],
        new_pairings: 0,
        meetings: Vec::new(),
        services: Default::default(),
        outcomes: Vec::new(),
        contract_wan: 0.0,
        metrics: Vec::new(),
        targets: Vec::new(),
    };
    let t = stat_tables(&f).monthly;
    assert_eq!(t.headers, ["月份", "已推荐", "蹲点调研"]);
    assert_eq!(t.rows, [vec!["2026-01", "3", "1"], vec!["2026-03", "2", "0"]]);
}
