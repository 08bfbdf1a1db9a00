//! A year of fictional follow-up history for the demo data, so that 对接跟踪, 统计 and the work
//! report are not empty on a fresh install: the demo's labelled pairs go through the stages at a
//! realistic pace, with visits (蹲点调研), outcomes and a few pairings that ended. Dates count back
//! from today, so some follow-ups are always due this week. Deterministic (a fixed seed).

use super::core::Core;
use super::error::Result;
use crate::domain::followup::{FollowupConfig, Outcome, OutcomeKind, PairingEvent, ServiceRecord, add_days};
use crate::domain::pairing::Stage;
use crate::store::{self, followup as fstore};

/// A small deterministic generator (xorshift), enough for demo variety.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n.max(1)) as i64
    }
}

/// How far each demo pairing gets: the last stage reached (index into [`Stage::ALL`], 8 = ended).
fn depth(r: &mut Rng) -> usize {
    match r.below(100) {
        0..=11 => 0,
        12..=25 => 1,
        26..=45 => 2,
        46..=57 => 3,
        58..=65 => 4,
        66..=75 => 5,
        76..=83 => 6,
        84..=89 => 7,
        _ => 8,
    }
}

const NOTES: [&str; 8] = [
    "电话联系专家，专家有意向",
    "企业技术负责人与专家视频沟通",
    "对接会现场洽谈，双方有合作意向",
    "专家到企业车间调研，了解工艺现状",
    "组建校企联合攻关小组",
    "共同提炼科研课题，准备联合申报",
    "签订技术开发合同",
    "新工艺在生产线试运行",
];

const END_REASONS: [&str; 3] = ["企业暂缓", "专家无暇", "无意向"];

impl Core {
    /// Writes the demo follow-up history for the demo's labelled pairs (one transaction);
    /// returns the number of pairings written. Pairs already recorded are left alone.
    pub(super) fn load_demo_history(&mut self, today: &str) -> Result<usize> {
        let pairs = labelled_pairs();
        let conn = &self.conn;
        let cfg = &self.followup;
        let start = add_days(today, -330).unwrap_or_else(|| today.to_string());
        store::atomically(conn, || -> Result<usize> {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut written = 0;
            let mut sittings: Vec<Vec<Sitting>> = vec![Vec::new(); MEETINGS.len()];
            let meetings = demo_meetings(conn, today)?;
            for (i, (d, e)) in pairs.iter().enumerate() {
                let (Some(demand), Some(expert)) =
                    (fstore::demand_id_by_ext(conn, d)?, fstore::expert_id_by_ext(conn, e)?)
                else {
                    continue;
                };
                let source = ["手工", "对接会", "导入"][i % 3];
                // Pairs from a meeting met there: the first meeting for the first half, the second after.
                let meeting = (source == "对接会")
                    .then(|| meetings.get(usize::from(i >= pairs.len() / 2)).cloned().flatten())
                    .flatten();
                let first = match &meeting {
                    Some((_, date)) => date.clone(),
                    None => add_days(&start, (i as i64) * 5).unwrap_or_else(|| start.clone()),
                };
                if first.as_str() > today {
                    continue;
                }
                let origin =
                    fstore::PairingOrigin { source, meeting_id: meeting.as_ref().map(|m| m.0), ..Default::default() };
                let (_, new) = fstore::ensure_pairing(conn, expert, demand, origin)?;
                if !new {
                    continue;
                }
                let path = Path { first: &first, today, meeting: meeting.as_ref().map(|m| m.0) };
                let end = one_pairing(conn, cfg, &mut rng, (expert, demand), &path)?;
                if let Some((id, _)) = meeting {
                    let k = usize::from(meetings.first().cloned().flatten().is_none_or(|m| m.0 != id));
                    sittings[k].push(Sitting { meeting: id, demand, expert, end });
                }
                written += 1;
            }
            for list in &sittings {
                seat(conn, list)?;
            }
            Ok(written)
        })
    }
}

/// The demo's labelled pairs (需求编号, 专家编号).
fn labelled_pairs() -> Vec<(String, String)> {
    crate::demo::LABELLED_PAIRS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            Some((it.next()?.trim().to_string(), it.next()?.trim().to_string()))
        })
        .collect()
}

/// The two past demo meetings: name and days before today.
const MEETINGS: [(&str, i64); 2] = [("新材料产学研对接会（第一场）", -240), ("新材料产学研对接会（第二场）", -100)];

/// A demo sitting: who met at which meeting, and how the pairing went on (the sitting's result).
#[derive(Debug, Clone, Copy)]
struct Sitting {
    meeting: i64,
    demand: i64,
    expert: i64,
    end: Reached,
}

/// How far a demo pairing went: the last stage reached, and whether it ended without interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reached {
    stage: Stage,
    no_interest: bool,
}

/// When a demo pairing starts, and the meeting where its parties met (if any).
struct Path<'a> {
    first: &'a str,
    today: &'a str,
    meeting: Option<i64>,
}

/// Creates the past demo meetings unless they are there (a second demo load adds nothing);
/// returns their ids and dates (None for a meeting that was already there: its pairs are kept).
fn demo_meetings(conn: &rusqlite::Connection, today: &str) -> Result<Vec<Option<(i64, String)>>> {
    let mut out = Vec::new();
    for (name, days) in MEETINGS {
        let Some(date) = add_days(today, days) else {
            out.push(None);
            continue;
        };
        if !store::find_meetings(conn, name)?.is_empty() {
            out.push(None);
            continue;
        }
        let m = crate::domain::meeting::Meeting {
            name: name.to_string(),
            date: date.clone(),
            venue: "县行政服务中心三楼会议室".into(),
            ..Default::default()
        };
        out.push(Some((store::insert_meeting(conn, &m)?, date)));
    }
    Ok(out)
}

/// Seats one meeting's sittings: each demand keeps its table, each pair takes the first slot
/// where neither the demand nor the expert is busy; the result follows how the pairing went on.
fn seat(conn: &rusqlite::Connection, list: &[Sitting]) -> Result<()> {
    use crate::domain::followup::SittingResult;
    let Some(meeting) = list.first().map(|s| s.meeting) else { return Ok(()) };
    let mut demands: Vec<i64> = list.iter().map(|s| s.demand).collect();
    demands.sort_unstable();
    demands.dedup();
    let mut experts: Vec<i64> = list.iter().map(|s| s.expert).collect();
    experts.sort_unstable();
    experts.dedup();
    store::add_meeting_demands(conn, meeting, &demands)?;
    store::add_meeting_experts(conn, meeting, &experts)?;
    let mut busy: Vec<(u32, i64, bool)> = Vec::new();
    let mut pairs = Vec::new();
    for s in list {
        let table = demands.iter().position(|d| *d == s.demand).unwrap_or(0) as u32;
        let slot = (0..)
            .find(|k| !busy.contains(&(*k, s.demand, true)) && !busy.contains(&(*k, s.expert, false)))
            .unwrap_or(0);
        busy.push((slot, s.demand, true));
        busy.push((slot, s.expert, false));
        pairs.push(crate::domain::meeting::MeetingPair {
            demand_id: s.demand,
            expert_id: s.expert,
            score: 0.0,
            reasons: Vec::new(),
            locked: true,
            slot: Some(slot),
            table: Some(table),
            place_locked: true,
            result: None,
        });
    }
    store::replace_meeting_pairs(conn, meeting, &pairs)?;
    if let Some(mut m) = store::get_meeting(conn, meeting)? {
        let slots = pairs.iter().filter_map(|p| p.slot).max().unwrap_or(0) + 1;
        m.tables = m.tables.max(demands.len() as u32);
        m.slots = m.slots.max(slots);
        store::update_meeting(conn, &m)?;
    }
    for s in list {
        let result = if s.end.no_interest {
            SittingResult::NoInterest
        } else if s.end.stage == Stage::Met {
            SittingResult::TalkAgain
        } else {
            SittingResult::Continue
        };
        store::set_pair_result(conn, meeting, s.demand, s.expert, result.label())?;
    }
    Ok(())
}

/// One pairing's path through the stages, with its visits and outcomes. A pairing from a
/// meeting was recommended ten days before it and met there.
fn one_pairing(
    conn: &rusqlite::Connection,
    cfg: &FollowupConfig,
    rng: &mut Rng,
    (expert, demand): (i64, i64),
    path: &Path<'_>,
) -> Result<Reached> {
    let (first, today) = (path.first, path.today);
    let mut last = depth(rng);
    let mut date = first.to_string();
    let mut reached = Stage::Recommended;
    let from = if path.meeting.is_some() {
        last = last.max(2);
        let before = add_days(first, -10).unwrap_or_else(|| first.to_string());
        let ev = PairingEvent {
            date: before,
            stage: Some(Stage::Recommended),
            note: "推荐参加对接会，发出邀请".into(),
            ..Default::default()
        };
        fstore::add_event(conn, expert, demand, &ev)?;
        2
    } else {
        0
    };
    for (k, stage) in Stage::ALL.iter().copied().enumerate().take(8).skip(from) {
        if k > from {
            let next = add_days(&date, 8 + rng.below(30)).unwrap_or_else(|| date.clone());
            if next.as_str() > today || k > last.min(7) {
                break;
            }
            date = next;
        }
        reached = stage;
        let meeting_id = if k == from { path.meeting } else { None };
        let ev = PairingEvent {
            date: date.clone(),
            stage: Some(stage),
            note: NOTES[k].to_string(),
            meeting_id,
            ..Default::default()
        };
        fstore::add_event(conn, expert, demand, &ev)?;
        extras(conn, rng, (expert, demand), stage, &date)?;
    }
    let mut state = fstore::PairingState {
        stage: Some(reached),
        stage_date: date.clone(),
        next_action: cfg.next_action(reached).to_string(),
        next_date: cfg.next_date(reached, &date).unwrap_or_default(),
        end_reason: String::new(),
    };
    // Staff keep their follow-ups up to date: most passed dates were moved on, a few are overdue.
    if state.next_date.as_str() < today && rng.below(8) > 0 {
        state.next_date = add_days(today, rng.below(38) - 3).unwrap_or_default();
    }
    if last == 8 {
        let end = add_days(&date, 5 + rng.below(20)).filter(|d| d.as_str() <= today).unwrap_or_else(|| date.clone());
        let reason = END_REASONS[rng.below(3) as usize];
        let ev = PairingEvent {
            date: end.clone(),
            stage: Some(Stage::Ended),
            note: reason.to_string(),
            ..Default::default()
        };
        fstore::add_event(conn, expert, demand, &ev)?;
        state = fstore::PairingState {
            stage: Some(Stage::Ended),
            stage_date: end,
            next_action: String::new(),
            next_date: String::new(),
            end_reason: reason.to_string(),
        };
    }
    fstore::set_state(conn, expert, demand, &state)?;
    let stage = state.stage.unwrap_or(reached);
    Ok(Reached {
        stage: if stage == Stage::Ended { reached } else { stage },
        no_interest: state.end_reason == "无意向",
    })
}

/// Visits and outcomes that come with reaching a stage.
fn extras(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    (expert, demand): (i64, i64),
    stage: Stage,
    date: &str,
) -> Result<()> {
    let outcome = |kind: OutcomeKind, title: &str, level: &str, status: &str, amount: Option<f64>| Outcome {
        id: 0,
        kind,
        title: title.to_string(),
        date: date.to_string(),
        level: level.to_string(),
        status: status.to_string(),
        amount_wan: amount,
        note: String::new(),
    };
    match stage {
        Stage::OnSite => {
            let days = 2 + rng.below(4);
            let s = ServiceRecord {
                kind: "蹲点调研".into(),
                start_date: date.to_string(),
                end_date: add_days(date, days - 1).unwrap_or_else(|| date.to_string()),
                days: days as f64,
                place: "企业生产车间".into(),
                content: "跟班调研工艺，采样分析，提出改进方案".into(),
                lodging: true,
                meals: true,
                ..Default::default()
            };
            fstore::add_service(conn, expert, demand, &s)?;
        }
        Stage::Project => {
            fstore::add_outcome(
                conn,
                expert,
                demand,
                &outcome(OutcomeKind::Topic, "工艺优化关键技术研究", "", "", None),
            )?;
        }
        Stage::Signed => {
            let level = ["省", "市"][rng.below(2) as usize];
            let p = outcome(OutcomeKind::Project, "联合申报科技计划项目", level, "立项", None);
            fstore::add_outcome(conn, expert, demand, &p)?;
            let amount = Some((10 + rng.below(60)) as f64);
            fstore::add_outcome(conn, expert, demand, &outcome(OutcomeKind::Contract, "技术开发合同", "", "", amount))?;
        }
        Stage::Outcome => {
            let kind = if rng.below(2) == 0 { OutcomeKind::Product } else { OutcomeKind::Process };
            fstore::add_outcome(conn, expert, demand, &outcome(kind, "成果在企业转化应用", "", "", None))?;
            fstore::add_outcome(conn, expert, demand, &outcome(OutcomeKind::Patent, "发明专利申请", "", "", None))?;
        }
        _ => {}
    }
    Ok(())
}
