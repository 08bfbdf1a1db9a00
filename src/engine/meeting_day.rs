//! The meeting day (对接会当天) on the [`Core`]: check-in of enterprises and experts (到场/缺席),
//! re-planning the slots that have not started after a no-show (the started and finished sittings
//! stay exactly as they were; freed places are refilled from the candidates where the caps and the
//! remaining slots allow), the one-tap result of a sitting (有意向继续/需要再沟通/无意向, written
//! to the pairing's follow-up as an event dated the meeting day) and the 签到表.
//! Every write is one transaction with its change-log entry.

use std::collections::HashSet;
use std::path::Path;

use super::core::Core;
use super::error::{EngineError, MeetingError, Missing, Result};
use super::followup::{FollowupEntry, start_events, today};
use super::history::{self, Action};
use super::meeting::{Candidates, PlanIndex, Sittings};
use crate::domain::followup::SittingResult;
use crate::domain::meeting::{MeetingPair, MeetingPlan, Party, Presence};
use crate::domain::pairing::Stage;
use crate::io::checkin::{self, CheckinFormat};
use crate::matching::schedule;
use crate::store::followup::{self as fstore, PairingOrigin};
use crate::store::{self};

/// From which slot the rest of the day is re-planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplanFrom {
    /// The clock, minutes after midnight: the slot running now has started, so the next one.
    Now(u32),
    /// This slot (0-based) and the ones after it.
    Slot(u32),
}

/// What re-planning the rest of a meeting day did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplanReport {
    /// The first re-planned slot (0-based; = the meeting's slots when nothing was left).
    pub from: u32,
    /// Sittings that had started or finished, kept as they were.
    pub kept: usize,
    /// Pairings of absent parties taken out of the remaining slots.
    pub dropped: usize,
    /// New pairings filling freed places.
    pub added: usize,
    /// Pairings in the remaining slots (after re-planning).
    pub remaining: usize,
}

impl Core {
    /// The meeting party of a demand taking part: its enterprise (or itself when it names none).
    pub fn meeting_party_of_demand(&self, id: i64, demand_ext: &str) -> Result<Party> {
        let plan = self.plan(id)?;
        let d = self.demand(demand_ext)?;
        plan.demand(d.id).ok_or(EngineError::NotFound(Missing::MeetingDemand))?;
        Ok(Party::Enterprise(plan.group_of(d.id)))
    }

    /// Records check-ins (到场/缺席; None clears them) of parties taking part; returns how many.
    pub fn meeting_checkin(&self, id: i64, parties: &[Party], presence: Option<Presence>) -> Result<usize> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            let groups: HashSet<i64> = plan.demands.iter().map(|d| plan.group_of(d.demand_id)).collect();
            for &p in parties {
                match p {
                    Party::Expert(e) if plan.expert(e).is_none() => {
                        return Err(EngineError::NotFound(Missing::MeetingExpert));
                    }
                    Party::Enterprise(g) if !groups.contains(&g) => {
                        return Err(EngineError::NotFound(Missing::MeetingDemand));
                    }
                    _ => store::set_checkin(&self.conn, id, p, presence)?,
                }
            }
            let word = presence.map_or("取消签到", Presence::label);
            let what = format!("对接会「{}」签到：{word} {} 位", plan.meeting.name, parties.len());
            history::record(&self.conn, Action::Meeting, &what, &[])?;
            Ok(parties.len())
        })
    }

    /// After a no-show: the sittings of the slots before `from` stay exactly as they were; the
    /// pairings of absent parties in the remaining slots are dropped, freed places are refilled
    /// from the candidates (under the caps, bounds, removals and 回避 rules), and the remaining
    /// pairings are scheduled in the remaining slots. One transaction.
    pub fn replan_meeting(&self, id: i64, from: ReplanFrom) -> Result<ReplanReport> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            if !plan.is_scheduled() {
                return Err(MeetingError::NotScheduled.into());
            }
            let m = &plan.meeting;
            let from = match from {
                ReplanFrom::Slot(s) if s >= m.slots => {
                    return Err(MeetingError::SlotOutOfRange { slot: s + 1, slots: m.slots }.into());
                }
                ReplanFrom::Slot(s) => s,
                ReplanFrom::Now(min) => match m.slot_at(min) {
                    Some(s) => s + 1,
                    None if min < m.start_min => 0,
                    None => m.slots,
                },
            };
            let started = |p: &MeetingPair| p.slot.is_some_and(|s| s < from);
            let kept: Vec<MeetingPair> = plan.pairs.iter().filter(|p| started(p)).cloned().collect();
            let staying: Vec<MeetingPair> = plan
                .pairs
                .iter()
                .filter(|p| !started(p) && !plan.pair_absent(p))
                .map(|p| MeetingPair { slot: None, table: None, place_locked: false, ..p.clone() })
                .chain(plan.pairs.iter().filter(|p| !started(p) && !plan.pair_absent(p) && p.place_locked).cloned())
                .collect();
            // A fixed place in the remaining slots is kept: the second copy above wins.
            let staying = dedup_last(staying);
            let dropped = plan.pairs.iter().filter(|p| !started(p) && plan.pair_absent(p)).count();
            let fresh = if from < m.slots { self.refill(&plan, &kept, &staying)? } else { Vec::new() };
            let (pairs, added) = place_rest(&plan, kept.clone(), staying, fresh, from)?;
            store::replace_meeting_pairs(&self.conn, id, &pairs)?;
            let what = format!("对接会「{}」缺席后重排第 {} 时段起的日程", m.name, from + 1);
            history::record(&self.conn, Action::Meeting, &what, &[])?;
            let remaining = pairs.len() - kept.len();
            Ok(ReplanReport { from, kept: kept.len(), dropped, added, remaining })
        })
    }

    /// New pairings for the places absent parties freed: the best candidates between present
    /// parties under the caps and bounds (every kept and staying pairing counted and forced),
    /// never a second sitting of an enterprise and expert who already met. Best score first.
    fn refill(&self, plan: &MeetingPlan, kept: &[MeetingPair], staying: &[MeetingPair]) -> Result<Vec<MeetingPair>> {
        let Candidates { pairs: cands, blocked, .. } = self.candidates(plan)?;
        let have: HashSet<(i64, i64)> = kept.iter().chain(staying).map(|p| (p.demand_id, p.expert_id)).collect();
        let met: HashSet<(i64, i64)> = kept.iter().map(|p| (plan.group_of(p.demand_id), p.expert_id)).collect();
        let absent_expert = |e: i64| plan.presence(Party::Expert(e)) == Some(Presence::Absent);
        let absent_group = |d: i64| plan.presence(Party::Enterprise(plan.group_of(d))) == Some(Presence::Absent);
        let new: Vec<MeetingPair> = cands
            .into_iter()
            .filter(|c| !have.contains(&(c.demand_id, c.expert_id)))
            .filter(|c| !met.contains(&(plan.group_of(c.demand_id), c.expert_id)))
            .filter(|c| !absent_expert(c.expert_id) && !absent_group(c.demand_id))
            .filter(|c| !blocked.contains_key(&(c.demand_id, c.expert_id)))
            .collect();
        let index = PlanIndex::new(plan);
        let mut problem = index.problem(plan, &new);
        problem.forced = kept
            .iter()
            .chain(staying)
            .filter_map(|p| Some((*index.demands.get(&p.demand_id)?, *index.experts.get(&p.expert_id)?)))
            .collect();
        // On the day a demand's lower bound cannot be forced any more; the upper bounds and caps
        // still count every sitting, and nobody absent gets more than they already had.
        for (i, d) in problem.demands.iter_mut().enumerate() {
            d.min = 0;
            if absent_group(plan.demands[i].demand_id) {
                d.max = d.max.min(problem.forced.iter().filter(|f| f.0 == i).count());
            }
            d.max = d.max.max(problem.forced.iter().filter(|f| f.0 == i).count());
        }
        for (i, e) in problem.experts.iter_mut().enumerate() {
            let forced = problem.forced.iter().filter(|f| f.1 == i).count();
            e.cap = if absent_expert(plan.experts[i].expert_id) { forced } else { e.cap.max(forced) };
        }
        let solution = crate::matching::assign::solve(&problem).map_err(|obstacles| EngineError::Infeasible {
            obstacles,
            min_score: plan.meeting.min_score,
            conflicts: Vec::new(),
        })?;
        let by_key: std::collections::HashMap<(usize, usize), &MeetingPair> =
            new.iter().map(|p| ((index.demands[&p.demand_id], index.experts[&p.expert_id]), p)).collect();
        let mut out: Vec<MeetingPair> =
            solution.pairs.iter().filter_map(|k| by_key.get(k).map(|p| (*p).clone())).collect();
        out.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then((a.demand_id, a.expert_id).cmp(&(b.demand_id, b.expert_id)))
        });
        Ok(out)
    }

    /// Records what came of a sitting: the pair's result at the meeting, and on the pairing (made
    /// with source 对接会 when it is not recorded yet) a follow-up event with the result's stage,
    /// dated the meeting day, note "对接会：<result>". One transaction.
    pub fn set_sitting_result(&mut self, id: i64, demand_id: i64, expert_id: i64, result: SittingResult) -> Result<()> {
        let plan = self.plan(id)?;
        let pair = plan
            .pairs
            .iter()
            .find(|p| p.demand_id == demand_id && p.expert_id == expert_id)
            .ok_or(EngineError::NotFound(Missing::MeetingPair))?;
        let date = if plan.meeting.date.is_empty() { today() } else { plan.meeting.date.clone() };
        let stage = result.stage();
        let entry = FollowupEntry {
            stage: Some(stage),
            date: date.clone(),
            note: format!("对接会：{}", result.label()),
            end_reason: if stage == Stage::Ended { "无意向".into() } else { String::new() },
            meeting_id: Some(id),
            ..Default::default()
        };
        let reasons = pair.reasons.join("；");
        let origin =
            PairingOrigin { source: "对接会", meeting_id: Some(id), score: Some(pair.score), reasons: &reasons };
        let conn = &self.conn;
        store::atomically(conn, || -> Result<()> {
            store::set_pair_result(conn, id, demand_id, expert_id, result.label())?;
            let (pid, added) = fstore::ensure_pairing(conn, expert_id, demand_id, origin)?;
            if added {
                let note = format!("对接会「{}」", plan.meeting.name);
                start_events(conn, &self.followup, expert_id, demand_id, &date, &note, Some(id))?;
                history::record_one(conn, Action::Pairing, "pairing", pid, None)?;
            }
            // A pair already further along (蹲点调研, 立项 …) keeps its stage: the result is a note.
            let now = fstore::pairing_row(conn, expert_id, demand_id)?.and_then(|r| r.stage);
            // Stages order as the follow-up goes (已推荐 < … < 成果 < 结束).
            let entry = match now {
                Some(now) if stage == Stage::Met && now > Stage::Met && now != Stage::Ended => {
                    FollowupEntry { stage: None, next_action: None, next_date: None, ..entry.clone() }
                }
                _ => entry.clone(),
            };
            self.write_follow_up(expert_id, demand_id, &entry)?;
            Ok(())
        })?;
        self.refresh_history()
    }

    /// Writes the meeting's 签到表 (PDF or xlsx by the file's extension): every enterprise and
    /// expert with 单位, tables and slots, and an empty 签名 column. Returns the characters a PDF
    /// could not print.
    pub fn write_checkin_sheet(&self, id: i64, format: CheckinFormat, path: &Path) -> Result<Vec<char>> {
        let detail = self.meeting_detail(id)?;
        self.check_output(path)?;
        Ok(checkin::save(&detail, format, path)?)
    }
}

/// Keeps the last of pairs with the same (demand, expert), in first-seen order.
fn dedup_last(pairs: Vec<MeetingPair>) -> Vec<MeetingPair> {
    let mut out: Vec<MeetingPair> = Vec::new();
    for p in pairs {
        match out.iter_mut().find(|q| (q.demand_id, q.expert_id) == (p.demand_id, p.expert_id)) {
            Some(q) => *q = p,
            None => out.push(p),
        }
    }
    out
}

/// Schedules the staying and new pairings in the slots from `from` around the kept ones; new
/// pairings that do not fit are left out, the weakest first. Returns every pairing and how many
/// new ones made it.
fn place_rest(
    plan: &MeetingPlan,
    kept: Vec<MeetingPair>,
    staying: Vec<MeetingPair>,
    mut fresh: Vec<MeetingPair>,
    from: u32,
) -> Result<(Vec<MeetingPair>, usize)> {
    loop {
        let mut pairs: Vec<MeetingPair> = kept.iter().chain(&staying).chain(&fresh).cloned().collect();
        let Sittings { keys, sittings, problem } = Sittings::of(plan, &pairs);
        let current: Vec<Option<(usize, usize)>> = keys
            .iter()
            .map(|k| {
                let p = &pairs[sittings[k][0]];
                Some((p.slot? as usize, p.table? as usize)).filter(|&(s, _)| s < from as usize)
            })
            .collect();
        match schedule::reschedule_from(&problem, &current, from as usize) {
            Ok(s) => {
                for (k, &(slot, table)) in keys.iter().zip(&s.placed) {
                    for &i in &sittings[k] {
                        if pairs[i].slot.is_none_or(|x| x >= from) {
                            pairs[i].slot = Some(slot as u32);
                            pairs[i].table = Some(table as u32);
                        }
                    }
                }
                return Ok((pairs, fresh.len()));
            }
            Err(obstacles) if fresh.is_empty() => return Err(EngineError::Unschedulable(obstacles)),
            Err(_) => {
                fresh.pop();
            }
        }
    }
}
