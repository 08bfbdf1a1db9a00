//! The meeting day on the demo data: check-in, a no-show re-planned from slot k (every sitting
//! before k unchanged, the absent party gone from k on, freed places refilled, no double
//! booking), the one-tap sitting result in the pairing's follow-up, the 签到表, and the CLI.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};

use bole::domain::Knowledge;
use bole::domain::followup::SittingResult;
use bole::domain::meeting::{Meeting, MeetingPair, MeetingPlan, Party, Presence};
use bole::domain::pairing::Stage;
use bole::engine::{CheckinFormat, Core, MeetingSpec, ReplanFrom};

fn spec() -> MeetingSpec {
    MeetingSpec {
        meeting: Meeting {
            name: "会场日".into(),
            date: "2026-12-05".into(),
            venue: "县行政服务中心".into(),
            start_min: 9 * 60,
            slot_minutes: 20,
            slots: 9,
            tables: 12,
            min_experts: 1,
            max_experts: 3,
            expert_cap: 3,
            ..Default::default()
        },
        max_demands: 30,
        auto_experts: 60,
        lock_recorded: true,
        ..Default::default()
    }
}

/// A demo meeting, paired and scheduled.
fn scheduled() -> (Core, i64) {
    let mut core = Core::in_memory(Knowledge::builtin()).unwrap();
    core.load_demo(&mut |_, _| {}).unwrap();
    let id = core.create_meeting(&spec()).unwrap();
    core.assign_meeting(id).unwrap();
    core.schedule_meeting(id).unwrap();
    (core, id)
}

/// No expert, enterprise or table twice in one slot; one place per sitting; all inside the grid.
fn double_bookings(plan: &MeetingPlan) -> Vec<String> {
    let mut bad = Vec::new();
    let mut sittings: BTreeMap<(i64, i64), BTreeSet<(u32, u32)>> = BTreeMap::new();
    for p in &plan.pairs {
        match (p.slot, p.table) {
            (Some(s), Some(t)) if s < plan.meeting.slots && t < plan.meeting.tables => {
                sittings.entry((plan.group_of(p.demand_id), p.expert_id)).or_default().insert((s, t));
            }
            _ => bad.push(format!("unplaced or outside the grid: {p:?}")),
        }
    }
    let (mut experts, mut groups, mut tables) = (HashSet::new(), HashSet::new(), HashSet::new());
    for ((g, e), places) in &sittings {
        if places.len() != 1 {
            bad.push(format!("one sitting in several places: {places:?}"));
        }
        for &(s, t) in places {
            if !experts.insert((s, *e)) {
                bad.push(format!("expert {e} twice in slot {s}"));
            }
            if !groups.insert((s, *g)) {
                bad.push(format!("enterprise {g} twice in slot {s}"));
            }
            if !tables.insert((s, t)) {
                bad.push(format!("table {t} twice in slot {s}"));
            }
        }
    }
    bad
}

fn before(plan: &MeetingPlan, k: u32) -> Vec<MeetingPair> {
    let mut v: Vec<MeetingPair> = plan.pairs.iter().filter(|p| p.slot.unwrap() < k).cloned().collect();
    v.sort_by_key(|p| (p.demand_id, p.expert_id));
    v
}

/// The party with the most sittings from slot `k` on that also sat before it (so the test sees
/// both halves), experts or enterprises.
fn busiest(plan: &MeetingPlan, k: u32, expert: bool) -> Party {
    let key = |p: &MeetingPair| if expert { p.expert_id } else { plan.group_of(p.demand_id) };
    let mut n: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for p in &plan.pairs {
        let c = n.entry(key(p)).or_default();
        if p.slot.unwrap() >= k { c.0 += 1 } else { c.1 += 1 }
    }
    let (&id, _) = n.iter().max_by_key(|(id, c)| (c.0 > 0, c.1 > 0, c.0, -**id)).unwrap();
    if expert { Party::Expert(id) } else { Party::Enterprise(id) }
}

fn check_no_show(expert: bool) {
    let (core, id) = scheduled();
    let k = 3;
    let old = core.meeting_plan(id).unwrap();
    let absent = busiest(&old, k, expert);
    assert_eq!(core.meeting_checkin(id, &[absent], Some(Presence::Absent)).unwrap(), 1);
    let r = core.replan_meeting(id, ReplanFrom::Slot(k)).unwrap();
    let new = core.meeting_plan(id).unwrap();
    assert_eq!(new.presence(absent), Some(Presence::Absent));
    assert_eq!(before(&old, k), before(&new, k), "a sitting that started changed");
    assert_eq!(r.from, k);
    assert_eq!(r.kept, before(&old, k).len());
    assert!(r.dropped > 0, "the absent party had sittings from slot {k} on");
    for p in new.pairs.iter().filter(|p| p.slot.unwrap() >= k) {
        assert!(!new.pair_absent(p), "the absent party still sits at slot ≥ {k}: {p:?}");
    }
    assert!(double_bookings(&new).is_empty(), "{:?}", double_bookings(&new));
    // Freed places are refilled where the candidates allow: an absent expert's demands get other
    // experts (an absent enterprise frees experts, but the demo's other demands are mostly full).
    if expert {
        assert!(r.added > 0, "{r:?}");
    }
    let later = |plan: &MeetingPlan| plan.pairs.iter().filter(|p| p.slot.unwrap() >= k).count();
    assert_eq!(later(&new), r.remaining);
    assert_eq!(later(&new), later(&old) - r.dropped + r.added, "{r:?}");
    // Every pair of a present party that was to sit later still sits.
    let new_keys: HashSet<(i64, i64)> = new.pairs.iter().map(|p| (p.demand_id, p.expert_id)).collect();
    for p in old.pairs.iter().filter(|p| p.slot.unwrap() >= k && !new.pair_absent(p)) {
        assert!(new_keys.contains(&(p.demand_id, p.expert_id)), "{p:?} was lost");
    }
}

#[test]
fn an_expert_no_show_keeps_the_past_and_refills_the_rest() {
    check_no_show(true);
}

#[test]
fn an_enterprise_no_show_keeps_the_past_and_refills_the_rest() {
    check_no_show(false);
}

#[test]
fn replanning_from_the_clock_counts_the_running_slot_as_started() {
    let (core, id) = scheduled();
    let old = core.meeting_plan(id).unwrap();
    let absent = busiest(&old, 2, true);
    core.meeting_checkin(id, &[absent], Some(Presence::Absent)).unwrap();
    // 9:45 is in slot 2 (0-based 2 is 9:40–10:00): slots 0..=2 stay.
    let r = core.replan_meeting(id, ReplanFrom::Now(9 * 60 + 45)).unwrap();
    assert_eq!(r.from, 3);
    assert_eq!(before(&old, 3), before(&core.meeting_plan(id).unwrap(), 3));
    assert!(core.replan_meeting(id, ReplanFrom::Slot(9)).is_err(), "no slot 10");
}

#[test]
fn check_in_is_recorded_and_refused_for_outsiders() {
    let (core, id) = scheduled();
    let plan = core.meeting_plan(id).unwrap();
    let e = plan.experts[0].expert_id;
    let g = plan.group_of(plan.demands[0].demand_id);
    core.meeting_checkin(id, &[Party::Expert(e), Party::Enterprise(g)], Some(Presence::Present)).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(plan.presence(Party::Expert(e)), Some(Presence::Present));
    assert_eq!(plan.presence(Party::Enterprise(g)), Some(Presence::Present));
    core.meeting_checkin(id, &[Party::Expert(e)], Some(Presence::Absent)).unwrap();
    assert_eq!(core.meeting_plan(id).unwrap().presence(Party::Expert(e)), Some(Presence::Absent));
    core.meeting_checkin(id, &[Party::Expert(e)], None).unwrap();
    assert_eq!(core.meeting_plan(id).unwrap().presence(Party::Expert(e)), None);
    assert!(core.meeting_checkin(id, &[Party::Expert(-5)], Some(Presence::Present)).is_err());
}

#[test]
fn a_sitting_result_goes_to_the_pairing_follow_up() {
    let (mut core, id) = scheduled();
    let plan = core.meeting_plan(id).unwrap();
    // A pair the office has not followed before.
    let p = plan.pairs.iter().find(|p| core.pairing_detail(p.expert_id, p.demand_id).is_err()).unwrap().clone();
    core.set_sitting_result(id, p.demand_id, p.expert_id, SittingResult::Continue).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    let q = plan.pairs.iter().find(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id)).unwrap();
    assert_eq!(q.result, Some(SittingResult::Continue));
    let d = core.pairing_detail(p.expert_id, p.demand_id).unwrap();
    assert_eq!(d.row.source, "对接会");
    assert_eq!(d.row.stage, Some(Stage::Met));
    let ev = d.events.iter().find(|e| e.note == "对接会：有意向继续").unwrap();
    assert_eq!((ev.date.as_str(), ev.stage, ev.meeting_id), ("2026-12-05", Some(Stage::Met), Some(id)));
    // 无意向 ends the pairing with that reason.
    core.set_sitting_result(id, p.demand_id, p.expert_id, SittingResult::NoInterest).unwrap();
    let d = core.pairing_detail(p.expert_id, p.demand_id).unwrap();
    assert_eq!(d.row.stage, Some(Stage::Ended));
    assert_eq!(d.row.end_reason, "无意向");
    // A result survives re-planning.
    core.replan_meeting(id, ReplanFrom::Slot(0)).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    let q = plan.pairs.iter().find(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id)).unwrap();
    assert_eq!(q.result, Some(SittingResult::NoInterest));
    // A pair already further along keeps its stage: the result becomes a note.
    let plan = core.meeting_plan(id).unwrap();
    let r = plan.pairs.iter().find(|r| core.pairing_detail(r.expert_id, r.demand_id).is_err()).unwrap().clone();
    core.start_pairing(r.expert_id, r.demand_id, "手工", None, "").unwrap();
    let on_site = bole::engine::FollowupEntry { stage: Some(Stage::OnSite), ..Default::default() };
    core.follow_up(r.expert_id, r.demand_id, &on_site).unwrap();
    core.set_sitting_result(id, r.demand_id, r.expert_id, SittingResult::Continue).unwrap();
    let d = core.pairing_detail(r.expert_id, r.demand_id).unwrap();
    assert_eq!(d.row.stage, Some(Stage::OnSite), "a sitting result does not move a pair back");
    assert!(d.events.iter().any(|e| e.note == "对接会：有意向继续" && e.stage.is_none()), "{:?}", d.events);
}

#[test]
fn checkin_sheets_hold_every_participant() {
    let (core, id) = scheduled();
    let dir = tempfile::tempdir().unwrap();
    let plan = core.meeting_plan(id).unwrap();
    let xlsx = dir.path().join("签到表.xlsx");
    core.write_checkin_sheet(id, CheckinFormat::Xlsx, &xlsx).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range("签到表").unwrap();
    let text: Vec<String> =
        range.rows().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join("|")).collect();
    let all = text.join("\n");
    assert!(text[2].contains("签名") && text[2].contains("单位"), "{}", text[2]);
    for e in &plan.experts {
        assert!(all.contains(&e.name), "expert {} missing", e.name);
    }
    for (_, name, _) in plan.enterprise_groups() {
        assert!(all.contains(&name), "enterprise {name} missing");
    }
    let groups = plan.enterprise_groups().len();
    assert_eq!(range.rows().skip(3).count(), groups + plan.experts.len());
    // 序号 and 场数 are numbers.
    let first = range.rows().nth(3).unwrap();
    assert!(matches!(first[0], calamine::Data::Float(_) | calamine::Data::Int(_)), "{:?}", first[0]);
    let pdf = dir.path().join("签到表.pdf");
    core.write_checkin_sheet(id, CheckinFormat::Pdf, &pdf).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 2000);
}

fn bole(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_checks_in_replans_records_results_and_writes_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    assert_eq!(bole(&db, &["demo"]).0, 0);
    let create = [
        "meeting",
        "create",
        "--name",
        "会场日",
        "--date",
        "2026-12-05",
        "--time",
        "9:00-12:00",
        "--tables",
        "12",
        "--max-demands",
        "30",
        "--auto-experts",
        "60",
    ];
    let (code, out, err) = bole(&db, &create);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(bole(&db, &["meeting", "assign", "会场日"]).0, 0);
    assert_eq!(bole(&db, &["meeting", "schedule", "会场日"]).0, 0);
    let (_, json, _) = bole(&db, &["meeting", "show", "会场日", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v["pairs"][0];
    let (d, e) = (first["demand_id"].as_i64().unwrap(), first["expert_id"].as_i64().unwrap());
    let dext = v["demands"].as_array().unwrap().iter().find(|x| x["demand_id"] == d).unwrap()["ext_id"].clone();
    let eext = v["experts"].as_array().unwrap().iter().find(|x| x["expert_id"] == e).unwrap()["ext_id"].clone();
    let (dext, eext) = (dext.as_str().unwrap().to_string(), eext.as_str().unwrap().to_string());
    let (code, out, err) = bole(&db, &["meeting", "checkin", "会场日", "--expert", &eext, "--demand", &dext]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("已签到：2 位到场"), "{out}");
    let (code, out, err) = bole(&db, &["meeting", "checkin", "会场日", "--experts", &eext, "--absent"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = bole(&db, &["meeting", "replan", "会场日", "--from-slot", "4"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("已从第 4 时段起重排"), "{out}");
    let pair = format!("{dext}:{eext}");
    let listed = |db: &Path| -> Option<serde_json::Value> {
        let (_, out, _) = bole(db, &["pairing", "list", "--json"]);
        let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
        rows.as_array().unwrap().iter().find(|r| r["demand_id"] == dext && r["expert_id"] == eext).cloned()
    };
    let before = listed(&db);
    let (code, out, err) = bole(&db, &["meeting", "result", "会场日", &pair, "需要再沟通"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("需要再沟通"), "{out}");
    let (code, out, _) = bole(&db, &["pairing", "list", "--json"]);
    assert_eq!(code, 0);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = rows.as_array().unwrap().iter().find(|r| r["demand_id"] == dext && r["expert_id"] == eext).unwrap();
    // A new pair meets; one the demo's history already took further keeps its stage.
    let expected = before.as_ref().map_or("已见面/对接会", |b| {
        let later = !["", "已推荐", "已联系", "已见面/对接会", "结束"].contains(&b["stage"].as_str().unwrap());
        if later { b["stage"].as_str().unwrap() } else { "已见面/对接会" }
    });
    assert_eq!(row["stage"], expected, "{row}");
    let events_before = before.as_ref().map_or(0, |b| b["events"].as_i64().unwrap());
    assert_eq!(row["events"].as_i64().unwrap(), events_before + 1 + i64::from(before.is_none()), "{row}");
    let (code, _, err) = bole(&db, &["meeting", "result", "会场日", &pair, "很好"]);
    assert_eq!(code, 2);
    assert!(err.contains("有意向继续"), "{err}");
    for name in ["签到表.pdf", "签到表.xlsx"] {
        let path = dir.path().join(name);
        let (code, out, err) = bole(&db, &["meeting", "checkin-sheet", "会场日", "--out", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(std::fs::metadata(&path).unwrap().len() > 1000);
    }
    let (code, _, _) = bole(&db, &["meeting", "checkin-sheet", "会场日", "--out", "x.doc"]);
    assert_eq!(code, 2);
}
