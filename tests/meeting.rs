//! Matchmaking meetings on the demo data: create → assign under caps and conflicts → schedule →
//! export, through the engine and through the `bole meeting` CLI; every constraint, the
//! infeasibility messages, the no-double-booking rule and the exported files' contents.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use bole::domain::Knowledge;
use bole::domain::meeting::{Meeting, MeetingDetail, MeetingPlan};
use bole::engine::{Core, MeetingSpec};
use bole::io::sheets::{self, SheetFormat, SheetOptions};
use bole::store;

fn demo_core() -> Core {
    let mut core = Core::in_memory(Knowledge::builtin()).unwrap();
    core.load_demo(&mut |_, _| {}).unwrap();
    core
}

fn spec(name: &str) -> MeetingSpec {
    MeetingSpec {
        meeting: Meeting {
            name: name.into(),
            date: "2026-12-05".into(),
            venue: "县行政服务中心".into(),
            start_min: 9 * 60,
            slot_minutes: 20,
            // The demo's busiest enterprise has 3 demands × up to 3 experts: room for all of them.
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

/// Checks the pairing constraints of a plan; returns the broken ones.
fn pairing_violations(core: &Core, plan: &MeetingPlan) -> Vec<String> {
    let m = &plan.meeting;
    let mut bad = Vec::new();
    let mut per_demand: HashMap<i64, usize> = HashMap::new();
    let mut per_expert: HashMap<i64, usize> = HashMap::new();
    let mut seen = HashSet::new();
    for p in &plan.pairs {
        *per_demand.entry(p.demand_id).or_default() += 1;
        *per_expert.entry(p.expert_id).or_default() += 1;
        if !seen.insert((p.demand_id, p.expert_id)) {
            bad.push(format!("duplicate pair {p:?}"));
        }
        if plan.removed.contains(&(p.demand_id, p.expert_id)) {
            bad.push(format!("removed pair came back {p:?}"));
        }
        let d = store::get_demand(&core.conn, p.demand_id).unwrap().unwrap();
        let e = store::get_expert(&core.conn, p.expert_id).unwrap().unwrap();
        let en = d.enterprise_id.map(|id| store::get_enterprise(&core.conn, id).unwrap().unwrap());
        let excluded: HashSet<(i64, i64)> =
            store::exclusions(&core.conn).unwrap().into_iter().map(|(e, en, _)| (e, en)).collect();
        if let Some(why) = bole::domain::meeting::conflict(en.as_ref(), &e, d.id, &excluded, None) {
            bad.push(format!("conflict assigned: {}", why.text()));
        }
        if !p.locked && p.score < m.min_score {
            bad.push(format!("score {} below {}", p.score, m.min_score));
        }
    }
    for d in &plan.demands {
        let n = per_demand.get(&d.demand_id).copied().unwrap_or(0);
        let (lo, hi) = (d.min.unwrap_or(m.min_experts) as usize, d.max.unwrap_or(m.max_experts) as usize);
        if n < lo || n > hi {
            bad.push(format!("demand {} has {n} experts, bounds {lo}..={hi}", d.ext_id));
        }
    }
    for e in &plan.experts {
        let n = per_expert.get(&e.expert_id).copied().unwrap_or(0);
        let cap = e.cap.unwrap_or(m.expert_cap) as usize;
        if n > cap {
            bad.push(format!("expert {} has {n} pairs, cap {cap}", e.name));
        }
    }
    bad
}

/// No expert, no enterprise and no table twice in one slot; everything inside the grid.
fn schedule_violations(plan: &MeetingPlan) -> Vec<String> {
    let mut bad = Vec::new();
    // One sitting per (enterprise, expert): pairs of two demands of one enterprise with the same
    // expert share it.
    let mut sittings: BTreeMap<(i64, i64), BTreeSet<(u32, u32)>> = BTreeMap::new();
    for p in &plan.pairs {
        match (p.slot, p.table) {
            (Some(s), Some(t)) => {
                if s >= plan.meeting.slots || t >= plan.meeting.tables {
                    bad.push(format!("outside the grid: {p:?}"));
                }
                sittings.entry((plan.group_of(p.demand_id), p.expert_id)).or_default().insert((s, t));
            }
            _ => bad.push(format!("unscheduled {p:?}")),
        }
    }
    let mut experts: HashSet<(u32, i64)> = HashSet::new();
    let mut groups: HashSet<(u32, i64)> = HashSet::new();
    let mut tables: HashSet<(u32, u32)> = HashSet::new();
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

#[test]
fn demo_meeting_pairs_within_every_constraint_and_schedules_without_double_booking() {
    let core = demo_core();
    let id = core.create_meeting(&spec("演示对接会")).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(plan.demands.len(), 30);
    assert_eq!(plan.experts.len(), 60);

    let report = core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(report.pairs, plan.pairs.len());
    assert!(plan.pairs.len() >= 30, "every demand gets at least one expert: {}", plan.pairs.len());
    assert_eq!(pairing_violations(&core, &plan), Vec::<String>::new());
    assert!(plan.pairs.iter().all(|p| !p.reasons.is_empty()), "every pairing says why");

    let s = core.schedule_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(schedule_violations(&plan), Vec::<String>::new());
    assert!(u32::try_from(s.slots_used).unwrap() <= plan.meeting.slots && s.min_slots <= s.slots_used, "{s:?}");
    // Fewer enterprises than tables: each keeps one table all session.
    let groups: BTreeSet<i64> = plan.demands.iter().map(|d| plan.group_of(d.demand_id)).collect();
    if groups.len() <= 12 {
        assert_eq!(s.table_changes, 0, "{s:?}");
        for g in &groups {
            let tables: BTreeSet<u32> =
                plan.pairs.iter().filter(|p| plan.group_of(p.demand_id) == *g).filter_map(|p| p.table).collect();
            assert!(tables.len() <= 1, "enterprise {g} moved between tables {tables:?}");
        }
    }
}

#[test]
fn conflicts_are_never_assigned_and_edits_survive_reoptimisation() {
    let core = demo_core();
    // Lower bound 0: the rules below may leave a demand without candidates (that case has its own
    // test); here only what is assigned matters.
    let mut s = spec("回避测试");
    s.meeting.min_experts = 0;
    let id = core.create_meeting(&s).unwrap();
    core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();

    // 1. An enterprise excludes the organisation of one of its assigned experts (回避单位), and
    //    names another assigned expert (回避专家).
    let p0 = plan.pairs[0].clone();
    let d0 = store::get_demand(&core.conn, p0.demand_id).unwrap().unwrap();
    let e0 = store::get_expert(&core.conn, p0.expert_id).unwrap().unwrap();
    let mut en = store::get_enterprise(&core.conn, d0.enterprise_id.unwrap()).unwrap().unwrap();
    en.avoid_units = vec![e0.institution.clone()];
    let other = plan
        .pairs
        .iter()
        .map(|p| store::get_expert(&core.conn, p.expert_id).unwrap().unwrap())
        .find(|e| e.institution != e0.institution)
        .unwrap();
    let other_demand = plan.pairs.iter().find(|p| p.expert_id == other.id).unwrap().demand_id;
    let other_en = store::get_demand(&core.conn, other_demand).unwrap().unwrap().enterprise_id.unwrap();
    if other_en == en.id {
        en.avoid_persons = vec![other.name.clone()];
    } else {
        let mut en2 = store::get_enterprise(&core.conn, other_en).unwrap().unwrap();
        en2.avoid_persons = vec![other.name.clone()];
        store::update_enterprise(&core.conn, &en2).unwrap();
    }
    store::update_enterprise(&core.conn, &en).unwrap();

    // 2. A pair marked 回避 in the lists.
    let p1 = plan.pairs.iter().find(|p| p.expert_id != e0.id && p.expert_id != other.id).unwrap().clone();
    let d1 = store::get_demand(&core.conn, p1.demand_id).unwrap().unwrap();
    store::set_exclusion(
        &core.conn,
        p1.expert_id,
        d1.enterprise_id.unwrap(),
        bole::domain::ExclusionKind::Conflict,
        "",
    )
    .unwrap();

    // 3. The user removes one pair and locks another; the locked one is kept as it is.
    let removed = plan.pairs.iter().find(|p| ![e0.id, other.id, p1.expert_id].contains(&p.expert_id)).unwrap().clone();
    core.remove_meeting_pair(id, removed.demand_id, removed.expert_id).unwrap();
    let locked = plan
        .pairs
        .iter()
        .find(|p| {
            ![e0.id, other.id, p1.expert_id].contains(&p.expert_id)
                && (p.demand_id, p.expert_id) != (removed.demand_id, removed.expert_id)
        })
        .unwrap()
        .clone();
    core.lock_meeting_pair(id, locked.demand_id, locked.expert_id, true).unwrap();

    let report = core.assign_meeting(id).unwrap();
    assert!(report.conflicts.iter().any(|(_, c)| c.text().contains("回避单位")), "{:?}", report.conflicts);
    assert!(report.conflicts.iter().any(|(_, c)| c.text().contains("回避专家")), "{:?}", report.conflicts);
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(pairing_violations(&core, &plan), Vec::<String>::new());
    let has = |d: i64, e: i64| plan.pairs.iter().any(|p| p.demand_id == d && p.expert_id == e);
    assert!(!has(p0.demand_id, p0.expert_id));
    assert!(!has(p1.demand_id, p1.expert_id));
    assert!(!has(removed.demand_id, removed.expert_id), "a removed pair stays removed");
    assert!(plan.pairs.iter().any(|p| p.demand_id == locked.demand_id && p.expert_id == locked.expert_id && p.locked));

    // 4. Adding a pair by hand that a rule forbids is refused, in Chinese.
    let err = bole::text::error(&core.add_meeting_pair(id, p1.demand_id, p1.expert_id).unwrap_err());
    assert!(err.contains("回避"), "{err}");
    // …and a removed pair can be added back by hand, locked.
    core.add_meeting_pair(id, removed.demand_id, removed.expert_id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert!(plan.removed.is_empty());
    assert!(plan.pairs.iter().any(|p| (p.demand_id, p.expert_id) == (removed.demand_id, removed.expert_id)));

    // 5. "Already paired before" is avoided only when the meeting asks for it.
    let mut m = plan.meeting.clone();
    m.avoid_previous = true;
    core.update_meeting(&m).unwrap();
    let keep = plan.pairs.iter().find(|p| !p.locked).unwrap().clone();
    store::add_pairing(&core.conn, keep.expert_id, keep.demand_id, None, "").unwrap();
    core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert!(!plan.pairs.iter().any(|p| (p.demand_id, p.expert_id) == (keep.demand_id, keep.expert_id)));
}

#[test]
fn impossible_meetings_say_why_in_chinese() {
    let core = demo_core();
    // Lower bounds no set of experts can meet: 30 demands × at least 3, 10 experts × at most 2.
    let mut s = spec("容量不足");
    s.auto_experts = 10;
    s.meeting.min_experts = 3;
    s.meeting.expert_cap = 2;
    s.meeting.min_score = 0.0;
    let id = core.create_meeting(&s).unwrap();
    let err = bole::text::error(&core.assign_meeting(id).unwrap_err());
    assert!(err.contains("专家总容量 20 < 需求下限合计 90"), "{err}");

    // Too few slots: an expert with 3 meetings cannot fit in 2 slots.
    let mut s = spec("时段不足");
    s.meeting.slots = 2;
    s.meeting.min_score = 0.0;
    let id = core.create_meeting(&s).unwrap();
    core.assign_meeting(id).unwrap();
    let err = bole::text::error(&core.schedule_meeting(id).unwrap_err());
    assert!(err.contains("至少需要"), "{err}");
    // Nothing was half-written: the pairs stay unscheduled.
    assert!(core.meeting_plan(id).unwrap().pairs.iter().all(|p| p.slot.is_none()));

    // Bad meeting fields are refused before anything is stored.
    let mut s = spec(" ");
    s.meeting.name = " ".into();
    assert!(bole::text::error(&core.create_meeting(&s).unwrap_err()).contains("名称"));
    assert!(store::list_meetings(&core.conn).unwrap().iter().all(|m| m.name != " "));
}

#[test]
fn locked_places_stay_put_when_rescheduling() {
    let core = demo_core();
    let id = core.create_meeting(&spec("固定时段")).unwrap();
    core.assign_meeting(id).unwrap();
    core.schedule_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    let p = plan.pairs[3].clone();
    let target = ((p.slot.unwrap() + 1) % plan.meeting.slots, p.table.unwrap());
    core.place_meeting_pair(id, p.demand_id, p.expert_id, Some(target)).unwrap();
    core.schedule_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    let q = plan.pairs.iter().find(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id)).unwrap();
    assert_eq!((q.slot, q.table), (Some(target.0), Some(target.1)));
    assert!(q.place_locked);
    assert_eq!(schedule_violations(&plan), Vec::<String>::new());
    assert!(
        bole::text::error(&core.place_meeting_pair(id, p.demand_id, p.expert_id, Some((99, 0))).unwrap_err())
            .contains("时段")
    );
}

fn scheduled_detail() -> (Core, MeetingDetail) {
    let core = demo_core();
    let id = core.create_meeting(&spec("导出测试")).unwrap();
    core.assign_meeting(id).unwrap();
    core.schedule_meeting(id).unwrap();
    let d = core.meeting_detail(id).unwrap();
    (core, d)
}

#[test]
fn xlsx_sheets_hold_the_meeting_and_leave_contacts_out_on_request() {
    use calamine::{Reader, Xlsx};
    let (_core, detail) = scheduled_detail();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("对接表.xlsx");
    sheets::save(&detail, SheetFormat::Xlsx, SheetOptions { contacts: true }, &path).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = wb.sheet_names().clone();
    assert_eq!(names[0], "总表");
    assert_eq!(names.last().unwrap(), "专家日程");
    assert_eq!(names.len(), detail.groups().len() + 2, "one sheet per enterprise: {names:?}");
    let total = wb.worksheet_range("总表").unwrap();
    let rows: Vec<Vec<String>> =
        total.rows().map(|r| r.iter().map(std::string::ToString::to_string).collect()).collect();
    assert!(rows[0][0].contains("导出测试"));
    assert_eq!(rows[2][..4], ["时段", "时间", "桌号", "企业"]);
    assert!(rows[2].contains(&"专家电话".to_string()));
    assert_eq!(rows.len() - 3, detail.plan.pairs.len());
    // Every pairing is there with its slot time and table.
    let first = detail.pairs_by_time()[0];
    let e = &detail.experts[&first.expert_id];
    assert!(rows[3].contains(&e.name) && rows[3][1] == detail.meeting().slot_label(first.slot.unwrap()));
    // 时段, 桌号 and 匹配度 are numbers Excel can sort and sum.
    for (c, what) in [(0, "时段"), (2, "桌号"), (10, "匹配度")] {
        let cell = total.get((3, c)).unwrap();
        assert!(matches!(cell, calamine::Data::Float(_) | calamine::Data::Int(_)), "{what} stored as {cell:?}");
    }
    // An enterprise's sheet lists its experts and has the signature line.
    let g = &detail.groups()[0];
    let sheet = names.iter().find(|n| n.contains(&g.name.chars().take(6).collect::<String>())).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    let text: String =
        r.rows().flat_map(|r| r.iter().map(std::string::ToString::to_string)).collect::<Vec<_>>().join("|");
    assert!(text.contains("企业代表签字"), "{text}");
    for p in &g.pairs {
        assert!(text.contains(&detail.experts[&p.expert_id].name));
    }
    let agenda = wb.worksheet_range("专家日程").unwrap();
    let text: String =
        agenda.rows().flat_map(|r| r.iter().map(std::string::ToString::to_string)).collect::<Vec<_>>().join("|");
    assert!(text.contains("专家签字") && text.contains(&e.name));

    // Without contacts: no phone or e-mail anywhere in the workbook.
    let path = dir.path().join("无联系方式.xlsx");
    sheets::save(&detail, SheetFormat::Xlsx, SheetOptions { contacts: false }, &path).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    for n in wb.sheet_names().clone() {
        let r = wb.worksheet_range(&n).unwrap();
        for c in r.rows().flatten() {
            let s = c.to_string();
            assert!(!s.contains('@') && !s.contains("1390000"), "contact leaked in {n}: {s}");
        }
    }
}

#[test]
fn csv_has_bom_and_neutralised_formulas_pdf_embeds_the_font() {
    let (core, mut detail) = scheduled_detail();
    // A reason starting with "=" must not become a formula.
    detail.plan.pairs[0].reasons = vec!["=HYPERLINK(\"http://x\",\"点我\")".into()];
    let csv = sheets::render(&detail, SheetFormat::Csv, SheetOptions { contacts: true }).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""), "{}", &text[..400.min(text.len())]);
    assert_eq!(text.lines().count(), detail.plan.pairs.len() + 1);
    assert!(text.lines().next().unwrap().starts_with("时段,时间,桌号,企业"));
    let no = String::from_utf8(sheets::render(&detail, SheetFormat::Csv, SheetOptions { contacts: false }).unwrap())
        .unwrap();
    assert!(!no.contains("专家电话") && !no.contains('@'));

    let pdf = sheets::render(&detail, SheetFormat::Pdf, SheetOptions { contacts: false }).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let s = String::from_utf8_lossy(&pdf);
    assert!(s.contains("/FontFile2") && s.contains("/ToUnicode"));
    let pages = s.matches("/Type /Page").count() - s.matches("/Type /Pages").count();
    let agendas = detail.agendas().iter().filter(|(_, p)| !p.is_empty()).count();
    assert!(pages > detail.groups().len(), "a page per enterprise, then the agendas: {pages}");
    assert!(pages < detail.groups().len() + agendas, "short agendas share pages: {pages} pages, {agendas} agendas");
    assert!(pdf.len() < 1_500_000, "the font is subset: {} bytes", pdf.len());
    drop(core);
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
fn cli_creates_assigns_schedules_and_exports_a_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    assert_eq!(bole(&db, &["demo"]).0, 0);
    let (code, out, err) = bole(
        &db,
        &[
            "meeting",
            "create",
            "--name",
            "新材料对接会",
            "--date",
            "2026-12-05",
            "--venue",
            "县行政服务中心",
            "--time",
            "9:00-12:00",
            "--slot",
            "20",
            "--tables",
            "12",
            "--max-demands",
            "30",
            "--auto-experts",
            "60",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("30 项需求、60 位专家，9 个时段 × 12 张桌子"), "{out}");
    let (code, out, err) = bole(&db, &["meeting", "assign", "新材料对接会"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("配对完成"), "{out}");
    let (code, out, err) = bole(&db, &["meeting", "schedule", "新材料对接会"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("日程已排好"), "{out}");
    for (f, name) in [("xlsx", "对接表.xlsx"), ("pdf", "对接表.pdf"), ("csv", "对接表.csv")] {
        let path = dir.path().join("输出 文件夹").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let (code, out, err) =
            bole(&db, &["meeting", "export", "1", "--format", f, "--out", path.to_str().unwrap(), "--no-contacts"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(std::fs::metadata(&path).unwrap().len() > 1000);
    }
    let (code, out, _) = bole(&db, &["meeting", "show", "1", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["pairs"].as_array().unwrap().iter().all(|p| p["slot"].is_u64() && p["table"].is_u64()));
    // Mistakes get Chinese messages and exit codes.
    let (code, _, err) = bole(&db, &["meeting", "assign", "不存在的会"]);
    assert_eq!(code, 1);
    assert!(err.contains("找不到对接会"), "{err}");
    let (code, _, err) = bole(&db, &["meeting", "export", "1", "--format", "doc", "--out", "x.doc"]);
    assert_eq!(code, 2);
    assert!(err.contains("xlsx、pdf 或 csv"), "{err}");
    let (code, _, err) = bole(&db, &["meeting", "assign", "1", "--add", "XQ2024-001"]);
    assert_eq!(code, 2);
    assert!(err.contains("需求编号:专家编号"), "{err}");
}

#[test]
fn export_to_a_missing_folder_fails_cleanly() {
    let (_core, detail) = scheduled_detail();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("没有这个文件夹").join("x.pdf");
    let err =
        bole::text::file_error(&sheets::save(&detail, SheetFormat::Pdf, SheetOptions::default(), &path).unwrap_err());
    assert!(err.contains("无法保存"), "{err}");
    assert!(!path.exists());
}

#[test]
fn per_expert_caps_and_per_demand_bounds_override_the_meeting() {
    let core = demo_core();
    let id = core.create_meeting(&spec("单独上限")).unwrap();
    core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    // The busiest expert may now meet only one enterprise; a demand wants exactly two experts.
    let busiest = plan
        .experts
        .iter()
        .max_by_key(|e| {
            (plan.pairs.iter().filter(|p| p.expert_id == e.expert_id).count(), std::cmp::Reverse(e.expert_id))
        })
        .unwrap()
        .expert_id;
    assert!(plan.pairs.iter().filter(|p| p.expert_id == busiest).count() > 1);
    core.set_meeting_expert_cap(id, busiest, Some(1)).unwrap();
    let demand = plan.demands[0].demand_id;
    core.set_meeting_demand_bounds(id, demand, Some(2), Some(2)).unwrap();
    assert!(
        bole::text::error(&core.set_meeting_demand_bounds(id, demand, Some(3), Some(2)).unwrap_err())
            .contains("不能大于")
    );
    assert!(core.set_meeting_expert_cap(id, busiest, Some(0)).is_err());
    core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert_eq!(plan.experts.iter().find(|e| e.expert_id == busiest).unwrap().cap, Some(1));
    assert_eq!(plan.pairs.iter().filter(|p| p.expert_id == busiest).count(), 1);
    assert_eq!(plan.pairs.iter().filter(|p| p.demand_id == demand).count(), 2);
    assert_eq!(pairing_violations(&core, &plan), Vec::<String>::new());
}

#[test]
fn a_locked_pair_that_now_conflicts_is_reported_not_assigned() {
    let core = demo_core();
    let id = core.create_meeting(&spec("锁定后回避")).unwrap();
    core.assign_meeting(id).unwrap();
    let p = core.meeting_plan(id).unwrap().pairs[0].clone();
    core.lock_meeting_pair(id, p.demand_id, p.expert_id, true).unwrap();
    let d = store::get_demand(&core.conn, p.demand_id).unwrap().unwrap();
    store::set_exclusion(&core.conn, p.expert_id, d.enterprise_id.unwrap(), bole::domain::ExclusionKind::Conflict, "")
        .unwrap();
    let err = bole::text::error(&core.assign_meeting(id).unwrap_err());
    assert!(err.contains("锁定的配对") && err.contains("回避"), "{err}");
    // Nothing changed; after removing the pair, pairing works again without it.
    assert!(
        core.meeting_plan(id).unwrap().pairs.iter().any(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id))
    );
    core.remove_meeting_pair(id, p.demand_id, p.expert_id).unwrap();
    core.assign_meeting(id).unwrap();
    let plan = core.meeting_plan(id).unwrap();
    assert!(!plan.pairs.iter().any(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id)));
    assert_eq!(pairing_violations(&core, &plan), Vec::<String>::new());
}

#[test]
fn a_pdf_says_which_characters_it_could_not_print() {
    let (_core, mut detail) = scheduled_detail();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("对接表.pdf");
    assert!(sheets::save(&detail, SheetFormat::Pdf, SheetOptions::default(), &path).unwrap().is_empty());
    let first = detail.plan.pairs[0].expert_id;
    detail.experts.get_mut(&first).unwrap().name = "王𠀀😀".into();
    let missing = sheets::save(&detail, SheetFormat::Pdf, SheetOptions::default(), &path).unwrap();
    assert_eq!(
        missing,
        vec!['😀', '𠀀'].into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>()
    );
    let done = bole::engine::Done::Exported { format: SheetFormat::Pdf, path, contacts: true, unprintable: missing };
    assert!(bole::text::done(&done).contains("以 □ 代替"));
}
