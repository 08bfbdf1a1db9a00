use super::*;
use crate::app::state::Status;
use crate::domain::{Expert, Taxonomy};
use crate::engine::{Deleted, Event, ExpertRow, Lists, SearchHit, Undo};

fn row(id: i64, ext: &str, name: &str, subs: &[&str]) -> ExpertRow {
    ExpertRow {
        id,
        ext_id: ext.into(),
        name: name.into(),
        institution: String::new(),
        title: String::new(),
        region: String::new(),
        subfields: subs.iter().map(std::string::ToString::to_string).collect(),
        available: true,
    }
}

#[test]
fn lists_are_counted_filtered_sorted_and_stale_searches_ignored() {
    let mut s = AppState::new(Taxonomy::builtin());
    let lists = Lists {
        // As the store returns them: sorted by 编号.
        experts: vec![
            row(2, "E1", "甲", &["FL02", "FL01"]),
            row(1, "E2", "乙", &["FL01"]),
            row(3, "E3", "丙", &["SC01"]),
        ],
        ..Default::default()
    };
    s.handle(Event::Lists(Box::new(lists)));
    assert_eq!(s.derived.counts.0.get("FL"), Some(&2), "a field counts each record once");
    assert_eq!(s.derived.counts.0.get("FL01"), Some(&2));
    assert_eq!(s.experts.visible, vec![0, 1, 2], "by 编号");
    s.update(UiMsg::Sort(RecordKind::Expert, SortCol::Name));
    assert_eq!(s.experts.visible, vec![2, 0, 1], "by name in pinyin order: 丙 bing < 甲 jia < 乙 yi");
    s.update(UiMsg::Sort(RecordKind::Expert, SortCol::Id));
    s.update(UiMsg::Sort(RecordKind::Expert, SortCol::Id));
    s.update(UiMsg::Subfield(RecordKind::Expert, Some("FL".into())));
    assert_eq!(s.experts.visible, vec![1, 0], "field filter, 编号 descending");
    s.update(UiMsg::Sort(RecordKind::Expert, SortCol::Id));

    s.update(UiMsg::Search(RecordKind::Expert, "碳化硅".into()));
    assert!(matches!(s.outbox.last(), Some(Command::Search { .. })));
    let seq = s.experts.sent.1;
    s.handle(Event::SearchResults { seq: seq - 1, kind: RecordKind::Expert, hits: vec![] });
    assert!(s.experts.hits.is_none(), "an older search's results are ignored");
    s.handle(Event::SearchResults {
        seq,
        kind: RecordKind::Expert,
        hits: vec![SearchHit { id: 1, score: 1.0, matched_terms: vec!["碳化硅".into()] }],
    });
    assert_eq!(s.experts.visible, vec![1], "hit id 1 is the row at index 1");
    assert_eq!(s.experts.matched.get(&1).map(String::as_str), Some("碳化硅"));
    s.update(UiMsg::MoveSelection(RecordKind::Expert, 1));
    assert_eq!(s.experts.selected, Some(1), "keys move within the visible rows");
}

#[test]
fn match_sources_filter_available_experts_and_follow_new_lists() {
    let mut s = AppState::new(Taxonomy::builtin());
    let mut away = row(3, "E3", "丙", &[]);
    away.available = false;
    let lists =
        Lists { experts: vec![row(1, "E1", "张伟", &[]), row(2, "E2", "李娜", &[]), away], ..Default::default() };
    s.handle(Event::Lists(Box::new(lists.clone())));
    s.update(UiMsg::MatchMode { from_demand: false });
    assert_eq!(s.matches.sources, vec![0, 1], "unavailable experts are not offered");
    s.update(UiMsg::MatchFilter("李".into()));
    assert_eq!(s.matches.sources, vec![1]);
    let mut more = lists;
    more.experts.push(row(4, "E4", "李强", &[]));
    s.handle(Event::Lists(Box::new(more)));
    assert_eq!(s.matches.sources, vec![1, 3], "recomputed when new rows arrive");
}

#[test]
fn errors_stay_and_deletions_can_be_undone() {
    let mut s = AppState::new(Taxonomy::builtin());
    s.handle(Event::Error(crate::engine::EngineError::Thread));
    assert!(matches!(&s.status, Some(Status { error: true, .. })));
    let e = Expert { id: 5, name: "张伟".into(), ..Default::default() };
    s.experts.selected = Some(5);
    let undo = Undo { record: Deleted::Expert(Box::new(e)), dependents: Default::default(), batch: 1 };
    s.handle(Event::Deleted(Box::new(undo)));
    assert!(s.undo.is_some() && s.experts.selected.is_none());
    assert!(s.status.as_ref().is_some_and(|x| x.text.contains("已删除专家 张伟")));
    s.update(UiMsg::Undo);
    assert!(matches!(s.outbox.last(), Some(Command::Restore(_))) && s.undo.is_none());
}

#[test]
fn forms_save_through_the_record_rules_and_report_what_is_wrong() {
    let mut s = AppState::new(Taxonomy::builtin());
    s.update(UiMsg::NewRecord(RecordKind::Expert));
    s.update(UiMsg::SaveForm);
    let err = s.form.as_ref().and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(err.contains("姓名"), "{err}");
    assert!(s.outbox.is_empty(), "nothing is sent while the form has errors");
    let name = crate::app::records::EXPERT_FORM.iter().position(|f| f.label.starts_with("姓名")).unwrap();
    s.update(UiMsg::Form(FormEdit::Text(name, "张伟".into())));
    s.update(UiMsg::SaveForm);
    assert!(matches!(s.outbox.last(), Some(Command::SaveExpert(e)) if e.name == "张伟"));
    s.update(UiMsg::CloseForm);
    assert!(s.form.is_none());
}

#[test]
fn the_import_wizard_follows_its_messages() {
    let mut s = AppState::new(Taxonomy::builtin());
    s.update(UiMsg::OpenImport);
    s.update(UiMsg::ImportPath("/tmp/名单.xlsx".into()));
    s.update(UiMsg::PreviewImport);
    assert!(matches!(s.outbox.last(), Some(Command::PlanImport { kind: RecordKind::Expert, .. })));
    assert!(s.import.as_ref().is_some_and(|w| w.busy));
    s.update(UiMsg::PickImportFile);
    assert_eq!(s.effects, vec![Effect::PickImportFile]);
    s.update(UiMsg::PickedImportFile("/tmp/需求.xlsx".into()));
    assert_eq!(s.import.as_ref().map(|w| w.path.as_str()), Some("/tmp/需求.xlsx"));
    s.update(UiMsg::CloseImport);
    assert!(s.import.is_none());
}
