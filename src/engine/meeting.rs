//! Meetings (对接会) on the [`Core`]: creating one from the lists, pairing its demands and experts
//! under caps and conflicts (globally optimal, [`crate::matching::assign`]), editing single
//! pairings and re-optimising the rest, scheduling slots × tables ([`crate::matching::schedule`]),
//! and collecting everything the exports and the projector need.
//! Every write of one user action is one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::core::Core;
use super::error::{EngineError, MeetingError, Missing, Result};
use super::history::{self, Action};
use crate::domain::meeting::{Conflict, Meeting, MeetingDetail, MeetingPair, MeetingPlan, conflict};
use crate::domain::{Demand, DemandStatus, Enterprise, Expert};
use crate::io::sheets::{self, SheetFormat, SheetOptions};
use crate::matching::assign::{self, DemandSlot, Edge, ExpertSlot};
use crate::matching::schedule;
use crate::matching::{MatchOptions, Reason, Suggestion};
use crate::store;
use crate::util::short;

/// What a new meeting takes part in. Empty `demands` and `subfields` mean every open demand.
#[derive(Debug, Clone, Default)]
pub struct MeetingSpec {
    pub meeting: Meeting,
    /// Demand 编号 picked by hand.
    pub demands: Vec<String>,
    /// Subfield codes or names: every open demand (待对接/对接中) classified under one of them
    /// (a field includes its subfields).
    pub subfields: Vec<String>,
    /// At most this many demands (the most urgent first, then by 编号); 0 = no limit.
    pub max_demands: usize,
    /// Expert 编号 picked by hand.
    pub experts: Vec<String>,
    /// Then add the best-matching experts for the demands until there are this many.
    pub auto_experts: usize,
    /// Pairs already recorded with 加入对接 among these demands become locked pairings.
    pub lock_recorded: bool,
}

/// A change to a meeting made together with its re-pairing (`assign_meeting_with`), all or
/// nothing: caps, bounds and single pairs.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingEdit {
    /// This expert's cap here (None = the meeting's default).
    Cap {
        expert: i64,
        cap: Option<u32>,
    },
    /// This demand's bounds here (None = the meeting's default).
    Bounds {
        demand: i64,
        min: Option<u32>,
        max: Option<u32>,
    },
    /// Add (and lock) a pair.
    Add {
        demand: i64,
        expert: i64,
    },
    Lock {
        demand: i64,
        expert: i64,
        locked: bool,
    },
    /// Remove a pair; re-pairing will not bring it back.
    Remove {
        demand: i64,
        expert: i64,
    },
}

/// The outcome of pairing a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignReport {
    pub pairs: usize,
    pub total: f64,
    /// Candidate pairs left out because of a conflict: (demand 编号, the rule), sorted.
    pub conflicts: Vec<(String, Conflict)>,
    /// Demands that got fewer experts than their upper bound (编号, got, max).
    pub short: Vec<(String, usize, usize)>,
}

/// The outcome of scheduling a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleReport {
    pub meetings: usize,
    pub slots_used: usize,
    pub min_slots: usize,
    pub tables_used: usize,
    /// Tables needed for every enterprise to keep one table all session.
    pub tables_for_fixed_seating: usize,
    pub table_changes: usize,
    pub total_gaps: usize,
}

/// Scored candidate pairs of a meeting, the conflicts left out, and the conflicting
/// (demand, expert) pairs with their rule.
pub(super) struct Candidates {
    pub pairs: Vec<MeetingPair>,
    pub conflicts: Vec<(String, Conflict)>,
    pub blocked: HashMap<(i64, i64), Conflict>,
}

/// A meeting's demands and experts by their position in the assignment problem.
pub(super) struct PlanIndex {
    pub demands: HashMap<i64, usize>,
    pub experts: HashMap<i64, usize>,
}

impl PlanIndex {
    pub fn new(plan: &MeetingPlan) -> Self {
        PlanIndex {
            demands: plan.demands.iter().enumerate().map(|(i, d)| (d.demand_id, i)).collect(),
            experts: plan.experts.iter().enumerate().map(|(i, e)| (e.expert_id, i)).collect(),
        }
    }

    /// The assignment problem: bounds and caps (per-participant or the meeting's), the scored
    /// candidate pairs, and the locked pairs forced in.
    pub fn problem(&self, plan: &MeetingPlan, cands: &[MeetingPair]) -> assign::Problem {
        let m = &plan.meeting;
        let slot = |d: &crate::domain::meeting::MeetingDemand| DemandSlot {
            name: format!("{}（{}）", d.ext_id, short(&d.title, 16)),
            min: d.min.unwrap_or(m.min_experts) as usize,
            max: d.max.unwrap_or(m.max_experts) as usize,
        };
        assign::Problem {
            demands: plan.demands.iter().map(slot).collect(),
            experts: plan
                .experts
                .iter()
                .map(|e| ExpertSlot { name: e.name.clone(), cap: e.cap.unwrap_or(m.expert_cap) as usize })
                .collect(),
            edges: cands
                .iter()
                .map(|p| Edge {
                    demand: self.demands[&p.demand_id],
                    expert: self.experts[&p.expert_id],
                    score: p.score,
                })
                .collect(),
            forced: plan
                .pairs
                .iter()
                .filter(|p| p.locked)
                .filter_map(|p| Some((*self.demands.get(&p.demand_id)?, *self.experts.get(&p.expert_id)?)))
                .collect(),
        }
    }

    /// The meeting's pairs after solving: pairs that stay keep their place (with fresh scores),
    /// new pairs are unscheduled.
    fn chosen(plan: &MeetingPlan, cands: &[MeetingPair], solution: &[(usize, usize)]) -> Vec<MeetingPair> {
        let old: HashMap<(i64, i64), &MeetingPair> =
            plan.pairs.iter().map(|p| ((p.demand_id, p.expert_id), p)).collect();
        let fresh: HashMap<(i64, i64), &MeetingPair> = cands.iter().map(|p| ((p.demand_id, p.expert_id), p)).collect();
        let mut pairs = Vec::new();
        for &(d, e) in solution {
            let key = (plan.demands[d].demand_id, plan.experts[e].expert_id);
            let p = match (old.get(&key), fresh.get(&key)) {
                (Some(o), Some(c)) => MeetingPair { score: c.score, reasons: c.reasons.clone(), ..(*o).clone() },
                (Some(o), None) => (*o).clone(),
                (None, Some(c)) => MeetingPair { slot: None, table: None, place_locked: false, ..(*c).clone() },
                (None, None) => continue,
            };
            pairs.push(p);
        }
        pairs
    }
}

/// The sittings of a meeting: one per (enterprise, expert) — an expert paired with two demands of
/// the same enterprise meets it once — as the schedule problem sees them.
pub(super) struct Sittings {
    /// (group index, expert index) of each meeting of `problem`, in order.
    pub keys: Vec<(usize, usize)>,
    /// The pairs (indices into the given list) of each sitting.
    pub sittings: BTreeMap<(usize, usize), Vec<usize>>,
    pub problem: schedule::Problem,
}

impl Sittings {
    pub fn of(plan: &MeetingPlan, pairs: &[MeetingPair]) -> Self {
        let mut groups: Vec<i64> = Vec::new();
        let mut experts: Vec<i64> = Vec::new();
        let mut sittings: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (i, p) in pairs.iter().enumerate() {
            let g = plan.group_of(p.demand_id);
            let gi = groups.iter().position(|x| *x == g).unwrap_or_else(|| {
                groups.push(g);
                groups.len() - 1
            });
            let ei = experts.iter().position(|x| *x == p.expert_id).unwrap_or_else(|| {
                experts.push(p.expert_id);
                experts.len() - 1
            });
            sittings.entry((gi, ei)).or_default().push(i);
        }
        let group_name = |g: i64| {
            plan.demands
                .iter()
                .find(|d| plan.group_of(d.demand_id) == g)
                .map(|d| if d.enterprise.is_empty() { d.ext_id.clone() } else { d.enterprise.clone() })
                .unwrap_or_default()
        };
        let keys: Vec<(usize, usize)> = sittings.keys().copied().collect();
        let problem = schedule::Problem {
            slots: plan.meeting.slots as usize,
            tables: plan.meeting.tables as usize,
            meetings: keys
                .iter()
                .map(|&(g, e)| {
                    let locked = sittings[&(g, e)].iter().find_map(|&i| {
                        let p = &pairs[i];
                        (p.place_locked).then_some((p.slot? as usize, p.table? as usize))
                    });
                    schedule::Meeting { enterprise: g, expert: e, locked }
                })
                .collect(),
            enterprise_names: groups.iter().map(|&g| group_name(g)).collect(),
            expert_names: experts.iter().map(|e| plan.expert(*e).map(|x| x.name.clone()).unwrap_or_default()).collect(),
        };
        Sittings { keys, sittings, problem }
    }
}

/// (expert, enterprise) pairs marked 回避/不再推荐, and every enterprise by id.
type ConflictData = (HashSet<(i64, i64)>, HashMap<i64, Enterprise>);

/// How many experts a demand's suggestion list is cut to when picking experts automatically.
const AUTO_PER_DEMAND: usize = 12;

impl Core {
    pub(super) fn plan(&self, id: i64) -> Result<MeetingPlan> {
        store::load_plan(&self.conn, id)?.ok_or(EngineError::NotFound(Missing::Meeting(None)))
    }

    /// A meeting by id, or by its exact name (the newest of that name).
    pub fn meeting_id(&self, key: &str) -> Result<i64> {
        if let Ok(id) = key.trim().parse::<i64>()
            && store::get_meeting(&self.conn, id)?.is_some()
        {
            return Ok(id);
        }
        store::find_meetings(&self.conn, key.trim())?
            .last()
            .copied()
            .ok_or_else(|| EngineError::NotFound(Missing::Meeting(Some(key.to_string()))))
    }

    pub fn meeting_plan(&self, id: i64) -> Result<MeetingPlan> {
        self.plan(id)
    }

    /// Creates a meeting and its participants; returns its id.
    pub fn create_meeting(&self, spec: &MeetingSpec) -> Result<i64> {
        store::atomically(&self.conn, || {
            spec.meeting.validate()?;
            let demands = self.pick_demands(spec)?;
            if demands.is_empty() {
                return Err(MeetingError::NoDemands.into());
            }
            let mut experts: Vec<i64> = Vec::new();
            for ext in &spec.experts {
                experts.push(self.expert(ext)?.id);
            }
            let demand_ids: Vec<i64> = demands.iter().map(|d| d.id).collect();
            let recorded =
                if spec.lock_recorded { store::pairings_of_demands(&self.conn, &demand_ids)? } else { vec![] };
            for (e, _) in &recorded {
                if !experts.contains(e) {
                    experts.push(*e);
                }
            }
            if spec.auto_experts > experts.len() {
                let more = self.pick_experts(&demands, &experts, spec.auto_experts - experts.len())?;
                experts.extend(more);
            }
            if experts.is_empty() {
                return Err(MeetingError::NoExperts.into());
            }
            let id = store::insert_meeting(&self.conn, &spec.meeting)?;
            store::add_meeting_demands(&self.conn, id, &demand_ids)?;
            store::add_meeting_experts(&self.conn, id, &experts)?;
            for (e, d) in recorded {
                // A recorded pair that now conflicts (e.g. a new 回避) is left out, not forced.
                let _ = self.add_meeting_pair(id, d, e);
            }
            let what =
                format!("新建对接会「{}」：需求 {}、专家 {}", spec.meeting.name, demand_ids.len(), experts.len());
            history::record(&self.conn, Action::Meeting, &what, &[])?;
            Ok(id)
        })
    }

    /// Updates a meeting's own fields; pairings stay, but their places are cleared when the
    /// slots or tables shrink below them.
    pub fn update_meeting(&self, m: &Meeting) -> Result<()> {
        store::atomically(&self.conn, || {
            m.validate()?;
            let plan = self.plan(m.id)?;
            store::update_meeting(&self.conn, m)?;
            let out: Vec<_> = plan
                .pairs
                .iter()
                .filter(|p| p.slot.is_some_and(|s| s >= m.slots) || p.table.is_some_and(|t| t >= m.tables))
                .map(|p| (p.demand_id, p.expert_id, None, None, false))
                .collect();
            store::set_pair_places(&self.conn, m.id, &out)?;
            history::record(&self.conn, Action::Meeting, &format!("修改对接会「{}」的设置", m.name), &[])?;
            Ok(())
        })
    }

    pub fn delete_meeting(&self, id: i64) -> Result<()> {
        store::atomically(&self.conn, || {
            let name = self.plan(id).map(|p| p.meeting.name).unwrap_or_default();
            store::delete_meeting(&self.conn, id)?;
            history::record(&self.conn, Action::Meeting, &format!("删除对接会「{name}」"), &[])?;
            Ok(())
        })
    }

    fn pick_demands(&self, spec: &MeetingSpec) -> Result<Vec<Demand>> {
        let mut out: Vec<Demand> = Vec::new();
        for ext in &spec.demands {
            let d = self.demand(ext)?;
            if !out.iter().any(|x| x.id == d.id) {
                out.push(d);
            }
        }
        let mut codes: BTreeSet<String> = BTreeSet::new();
        for s in &spec.subfields {
            let tax = &self.knowledge.taxonomy;
            let code = if tax.node(s).is_some() { Some(s.clone()) } else { tax.map_label(s).code().map(String::from) };
            let Some(code) = code else { return Err(EngineError::NotFound(Missing::Subfield(s.clone()))) };
            codes.extend(tax.children(&code).map(|n| n.code.clone()));
            codes.insert(code);
        }
        if !codes.is_empty() || spec.demands.is_empty() {
            let mut more: Vec<Demand> = store::list_demands(&self.conn)?
                .into_iter()
                .filter(|d| matches!(d.status, DemandStatus::Open | DemandStatus::InProgress))
                .filter(|d| codes.is_empty() || d.subfields.iter().any(|c| codes.contains(c)))
                .filter(|d| !out.iter().any(|x| x.id == d.id))
                .collect();
            // Most urgent first, then the earliest deadline, then 编号.
            more.sort_by(|a, b| {
                let u = |d: &Demand| d.urgency.map(|u| u as u8).unwrap_or(u8::MAX);
                let dl = |d: &Demand| if d.deadline.is_empty() { "9999".to_string() } else { d.deadline.clone() };
                (u(a), dl(a), &a.ext_id).cmp(&(u(b), dl(b), &b.ext_id))
            });
            out.extend(more);
        }
        if spec.max_demands > 0 {
            out.truncate(spec.max_demands.max(spec.demands.len()));
        }
        Ok(out)
    }

    /// The best experts for the demands, round-robin over the demands' rankings so every demand
    /// gets candidates; conflicts and unavailable experts are skipped.
    fn pick_experts(&self, demands: &[Demand], have: &[i64], n: usize) -> Result<Vec<i64>> {
        let (excluded, enterprises) = self.conflict_data()?;
        let mut lists: Vec<Vec<Suggestion>> = Vec::new();
        for d in demands {
            let en = d.enterprise_id.and_then(|id| enterprises.get(&id));
            let mut list = self.match_demand(d, AUTO_PER_DEMAND * 2)?;
            let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
            let experts: HashMap<i64, Expert> =
                store::get_experts(&self.conn, &ids)?.into_iter().map(|e| (e.id, e)).collect();
            list.retain(|s| experts.get(&s.id).is_some_and(|e| conflict(en, e, d.id, &excluded, None).is_none()));
            list.truncate(AUTO_PER_DEMAND);
            lists.push(list);
        }
        let mut chosen: Vec<i64> = Vec::new();
        let mut seen: HashSet<i64> = have.iter().copied().collect();
        for rank in 0..AUTO_PER_DEMAND {
            // At each rank, the stronger suggestions first.
            let mut layer: Vec<&Suggestion> = lists.iter().filter_map(|l| l.get(rank)).collect();
            layer.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ext_id.cmp(&b.ext_id)));
            for s in layer {
                if chosen.len() >= n {
                    return Ok(chosen);
                }
                if seen.insert(s.id) {
                    chosen.push(s.id);
                }
            }
        }
        Ok(chosen)
    }

    /// (expert, enterprise) pairs marked 回避/不再推荐, and every enterprise by id.
    fn conflict_data(&self) -> Result<ConflictData> {
        let excluded = store::exclusions(&self.conn)?.into_iter().map(|(e, en, _)| (e, en)).collect();
        let enterprises = store::list_enterprises(&self.conn)?.into_iter().map(|e| (e.id, e)).collect();
        Ok((excluded, enterprises))
    }

    /// Scored candidate pairs among the meeting's participants, without conflicts, plus the
    /// conflicts that were left out ("需求编号–专家：rule"), sorted.
    pub(super) fn candidates(&self, plan: &MeetingPlan) -> Result<Candidates> {
        let demand_ids: Vec<i64> = plan.demands.iter().map(|d| d.demand_id).collect();
        let expert_ids: Vec<i64> = plan.experts.iter().map(|e| e.expert_id).collect();
        let demands = store::get_demands(&self.conn, &demand_ids)?;
        let experts: HashMap<i64, Expert> =
            store::get_experts(&self.conn, &expert_ids)?.into_iter().map(|e| (e.id, e)).collect();
        let (excluded, enterprises) = self.conflict_data()?;
        let previous =
            if plan.meeting.avoid_previous { Some(store::previous_pairs(&self.conn, plan.meeting.id)?) } else { None };
        let removed: HashSet<(i64, i64)> = plan.removed.iter().copied().collect();
        let only: HashSet<i64> = expert_ids.iter().copied().collect();
        let mut pairs = Vec::new();
        let mut conflicts = Vec::new();
        let mut blocked: HashMap<(i64, i64), Conflict> = HashMap::new();
        for d in &demands {
            let en = d.enterprise_id.and_then(|id| enterprises.get(&id));
            for e in experts.values() {
                if let Some(why) = conflict(en, e, d.id, &excluded, previous.as_ref()) {
                    conflicts.push((d.ext_id.clone(), why.clone()));
                    blocked.insert((d.id, e.id), why);
                }
            }
            let opts = MatchOptions { top: only.len().max(1), only: Some(only.clone()), ..Default::default() };
            for s in self.with_matcher(|m| m.suggest_experts(d, &opts, &self.conn))?? {
                let Some(e) = experts.get(&s.id) else { continue };
                if s.score < plan.meeting.min_score {
                    continue;
                }
                if removed.contains(&(d.id, e.id)) || conflict(en, e, d.id, &excluded, previous.as_ref()).is_some() {
                    continue;
                }
                pairs.push(MeetingPair {
                    demand_id: d.id,
                    expert_id: e.id,
                    score: s.score,
                    reasons: plain_reasons(&s.reasons),
                    locked: false,
                    slot: None,
                    table: None,
                    place_locked: false,
                    result: None,
                });
            }
        }
        conflicts.sort_by(|a, b| (&a.0, a.1.text()).cmp(&(&b.0, b.1.text())));
        conflicts.dedup();
        Ok(Candidates { pairs, conflicts, blocked })
    }

    /// Pairs the meeting's demands and experts: locked pairings stay, the rest is re-optimised for
    /// the highest total score under the bounds, caps and conflicts. Places (slot/table) of pairs
    /// that stay are kept; new pairs are unscheduled.
    pub fn assign_meeting(&self, id: i64) -> Result<AssignReport> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            let Candidates { pairs: cands, conflicts, blocked } = self.candidates(&plan)?;
            // A conflict outranks a lock: say which locked pair breaks which rule.
            let clashes: Vec<(String, Conflict)> = plan
                .pairs
                .iter()
                .filter(|p| p.locked)
                .filter_map(|p| {
                    // "Paired before" steers the automatic pairing; a pair staff locked stays.
                    let why = blocked
                        .get(&(p.demand_id, p.expert_id))
                        .filter(|c| !matches!(c, Conflict::PairedBefore { .. }))?;
                    let d = plan.demand(p.demand_id).map(|d| d.ext_id.clone()).unwrap_or_default();
                    Some((d, why.clone()))
                })
                .collect();
            if !clashes.is_empty() {
                return Err(MeetingError::LockedConflicts(clashes).into());
            }
            let index = PlanIndex::new(&plan);
            let problem = index.problem(&plan, &cands);
            let solution = assign::solve(&problem).map_err(|obstacles| EngineError::Infeasible {
                obstacles,
                min_score: plan.meeting.min_score,
                conflicts: conflicts.clone(),
            })?;
            let pairs = PlanIndex::chosen(&plan, &cands, &solution.pairs);
            store::replace_meeting_pairs(&self.conn, id, &pairs)?;
            let mut got: BTreeMap<usize, usize> = BTreeMap::new();
            for (d, _) in &solution.pairs {
                *got.entry(*d).or_default() += 1;
            }
            let short = problem
                .demands
                .iter()
                .enumerate()
                .filter(|(i, d)| got.get(i).copied().unwrap_or(0) < d.max)
                .map(|(i, d)| (plan.demands[i].ext_id.clone(), got.get(&i).copied().unwrap_or(0), d.max))
                .collect();
            let what = format!("对接会「{}」配对：{} 对", plan.meeting.name, pairs.len());
            history::record(&self.conn, Action::Meeting, &what, &[])?;
            Ok(AssignReport { pairs: pairs.len(), total: solution.total, conflicts, short })
        })
    }

    /// Adds a pairing by hand as a locked pair (and forgets an earlier removal of it). Refused
    /// when a conflict rule forbids it.
    pub fn add_meeting_pair(&self, id: i64, demand_id: i64, expert_id: i64) -> Result<()> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            let md = plan.demand(demand_id).ok_or(EngineError::NotFound(Missing::MeetingDemand))?;
            if plan.expert(expert_id).is_none() {
                return Err(EngineError::NotFound(Missing::MeetingExpert));
            }
            if plan.pairs.iter().any(|p| p.demand_id == demand_id && p.expert_id == expert_id) {
                return self.lock_meeting_pair(id, demand_id, expert_id, true);
            }
            let expert = self.expert_by_id(expert_id)?;
            let (excluded, enterprises) = self.conflict_data()?;
            let en = md.enterprise_id.and_then(|i| enterprises.get(&i));
            let previous =
                if plan.meeting.avoid_previous { Some(store::previous_pairs(&self.conn, id)?) } else { None };
            if let Some(why) = conflict(en, &expert, demand_id, &excluded, previous.as_ref()) {
                return Err(MeetingError::Forbidden(why).into());
            }
            let demand = self.demand_by_id(demand_id)?;
            let found = Some(self.score_pair(&demand, &expert)?.0);
            let mut pairs = plan.pairs.clone();
            pairs.push(MeetingPair {
                demand_id,
                expert_id,
                score: found.as_ref().map(|s| s.score).unwrap_or(0.0),
                reasons: found.map(|s| plain_reasons(&s.reasons)).unwrap_or_else(|| vec!["工作人员指定".into()]),
                locked: true,
                slot: None,
                table: None,
                place_locked: false,
                result: None,
            });
            store::unremove_meeting_pair(&self.conn, id, demand_id, expert_id)?;
            store::replace_meeting_pairs(&self.conn, id, &pairs)?;
            Ok(())
        })
    }

    pub fn lock_meeting_pair(&self, id: i64, demand_id: i64, expert_id: i64, locked: bool) -> Result<()> {
        store::atomically(&self.conn, || {
            if store::set_pair_locked(&self.conn, id, demand_id, expert_id, locked)? {
                Ok(())
            } else {
                Err(EngineError::NotFound(Missing::MeetingPair))
            }
        })
    }

    /// Removes a pairing; re-optimising will not bring it back.
    pub fn remove_meeting_pair(&self, id: i64, demand_id: i64, expert_id: i64) -> Result<()> {
        store::atomically(&self.conn, || {
            if !store::remove_meeting_pair(&self.conn, id, demand_id, expert_id)? {
                return Err(EngineError::NotFound(Missing::MeetingPair));
            }
            Ok(())
        })
    }

    /// Gives every pairing a slot and a table (pairs with a fixed place keep it).
    pub fn schedule_meeting(&self, id: i64) -> Result<ScheduleReport> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            if plan.pairs.is_empty() {
                return Err(MeetingError::NotPaired.into());
            }
            let Sittings { keys, sittings, problem } = Sittings::of(&plan, &plan.pairs);
            let min_slots = schedule::min_slots(&problem);
            let s = schedule::schedule(&problem).map_err(EngineError::Unschedulable)?;
            let mut places = Vec::new();
            for (k, &(slot, table)) in keys.iter().zip(&s.placed) {
                for &i in &sittings[k] {
                    let p = &plan.pairs[i];
                    places.push((p.demand_id, p.expert_id, Some(slot as u32), Some(table as u32), p.place_locked));
                }
            }
            store::set_pair_places(&self.conn, id, &places)?;
            history::record(&self.conn, Action::Meeting, &format!("对接会「{}」排日程", plan.meeting.name), &[])?;
            Ok(ScheduleReport {
                meetings: keys.len(),
                slots_used: s.slots_used,
                min_slots,
                tables_used: s.tables_used,
                tables_for_fixed_seating: schedule::tables_for_fixed_seating(&problem),
                table_changes: s.table_changes,
                total_gaps: s.total_gaps,
            })
        })
    }

    /// Fixes (or frees) a pairing's slot and table; a fixed place survives re-scheduling.
    pub fn place_meeting_pair(&self, id: i64, demand_id: i64, expert_id: i64, place: Option<(u32, u32)>) -> Result<()> {
        store::atomically(&self.conn, || {
            let plan = self.plan(id)?;
            if let Some((s, t)) = place
                && (s >= plan.meeting.slots || t >= plan.meeting.tables)
            {
                return Err(
                    MeetingError::PlaceOutOfRange { slots: plan.meeting.slots, tables: plan.meeting.tables }.into()
                );
            }
            let p = plan
                .pairs
                .iter()
                .find(|p| p.demand_id == demand_id && p.expert_id == expert_id)
                .ok_or(EngineError::NotFound(Missing::MeetingPair))?;
            let entry = match place {
                Some((s, t)) => (demand_id, expert_id, Some(s), Some(t), true),
                None => (demand_id, expert_id, p.slot, p.table, false),
            };
            store::set_pair_places(&self.conn, id, &[entry])?;
            Ok(())
        })
    }

    /// Overrides an expert's cap for this meeting (None = the meeting's default).
    pub fn set_meeting_expert_cap(&self, id: i64, expert_id: i64, cap: Option<u32>) -> Result<()> {
        store::atomically(&self.conn, || {
            if cap == Some(0) {
                return Err(MeetingError::CapZero.into());
            }
            if store::set_expert_cap(&self.conn, id, expert_id, cap)? {
                Ok(())
            } else {
                Err(EngineError::NotFound(Missing::MeetingExpert))
            }
        })
    }

    /// Overrides a demand's bounds for this meeting (None = the meeting's default).
    pub fn set_meeting_demand_bounds(&self, id: i64, demand_id: i64, min: Option<u32>, max: Option<u32>) -> Result<()> {
        store::atomically(&self.conn, || {
            let m = self.plan(id)?.meeting;
            let (lo, hi) = (min.unwrap_or(m.min_experts), max.unwrap_or(m.max_experts));
            if lo > hi || hi == 0 {
                return Err(MeetingError::BoundsInverted { min: lo, max: hi }.into());
            }
            if store::set_demand_bounds(&self.conn, id, demand_id, min, max)? {
                Ok(())
            } else {
                Err(EngineError::NotFound(Missing::MeetingDemand))
            }
        })
    }

    /// Applies the edits and re-pairs, as one unit: when the pairing fails, the edits are undone
    /// too (the meeting stays as it was).
    pub fn assign_meeting_with(&self, id: i64, edits: &[MeetingEdit]) -> Result<AssignReport> {
        store::atomically(&self.conn, || {
            for e in edits {
                match *e {
                    MeetingEdit::Cap { expert, cap } => self.set_meeting_expert_cap(id, expert, cap)?,
                    MeetingEdit::Bounds { demand, min, max } => self.set_meeting_demand_bounds(id, demand, min, max)?,
                    MeetingEdit::Add { demand, expert } => self.add_meeting_pair(id, demand, expert)?,
                    MeetingEdit::Lock { demand, expert, locked } => {
                        self.lock_meeting_pair(id, demand, expert, locked)?;
                    }
                    MeetingEdit::Remove { demand, expert } => self.remove_meeting_pair(id, demand, expert)?,
                }
            }
            self.assign_meeting(id)
        })
    }

    /// Fixes the given places (demand, expert, (slot, table), 0-based) and schedules, as one unit.
    pub fn schedule_meeting_with(&self, id: i64, places: &[(i64, i64, (u32, u32))]) -> Result<ScheduleReport> {
        store::atomically(&self.conn, || {
            for &(demand, expert, place) in places {
                self.place_meeting_pair(id, demand, expert, Some(place))?;
            }
            self.schedule_meeting(id)
        })
    }

    /// Every meeting, newest first.
    /// The meetings a record took part in (its detail panel lists them).
    pub fn meetings_of(&self, kind: crate::domain::RecordKind, id: i64) -> Result<Vec<store::MeetingRef>> {
        Ok(store::meetings_of(&self.conn, kind, id)?)
    }

    pub fn meetings(&self) -> Result<Vec<crate::domain::meeting::MeetingSummary>> {
        Ok(store::list_meetings(&self.conn)?)
    }

    /// Adds demands to a meeting by 编号; returns how many were new.
    pub fn add_meeting_demands(&self, id: i64, ext_ids: &[String]) -> Result<usize> {
        store::atomically(&self.conn, || {
            let ids = ext_ids.iter().map(|x| self.demand(x).map(|d| d.id)).collect::<Result<Vec<_>>>()?;
            self.plan(id)?;
            Ok(store::add_meeting_demands(&self.conn, id, &ids)?)
        })
    }

    /// Adds experts to a meeting by 编号; returns how many were new.
    pub fn add_meeting_experts(&self, id: i64, ext_ids: &[String]) -> Result<usize> {
        store::atomically(&self.conn, || {
            let ids = ext_ids.iter().map(|x| self.expert(x).map(|e| e.id)).collect::<Result<Vec<_>>>()?;
            self.plan(id)?;
            Ok(store::add_meeting_experts(&self.conn, id, &ids)?)
        })
    }

    /// Takes a demand out of a meeting, with its pairings there.
    pub fn remove_meeting_demand(&self, id: i64, demand_id: i64) -> Result<()> {
        store::atomically(&self.conn, || {
            store::remove_meeting_demand(&self.conn, id, demand_id)?;
            Ok(())
        })
    }

    /// Takes an expert out of a meeting, with their pairings there.
    pub fn remove_meeting_expert(&self, id: i64, expert_id: i64) -> Result<()> {
        store::atomically(&self.conn, || {
            store::remove_meeting_expert(&self.conn, id, expert_id)?;
            Ok(())
        })
    }

    /// Writes a meeting's pairing sheets (xlsx, PDF or CSV).
    /// Returns the characters a PDF could not print (shown as □).
    pub fn export_meeting(&self, id: i64, format: SheetFormat, opts: SheetOptions, path: &Path) -> Result<Vec<char>> {
        let detail = self.meeting_detail(id)?;
        if detail.plan.pairs.is_empty() {
            return Err(MeetingError::NothingToExport.into());
        }
        self.check_output(path)?;
        Ok(sheets::save(&detail, format, opts, path)?)
    }

    /// The meeting with the full records of its participants.
    pub fn meeting_detail(&self, id: i64) -> Result<MeetingDetail> {
        let plan = self.plan(id)?;
        let demand_ids: Vec<i64> = plan.demands.iter().map(|d| d.demand_id).collect();
        let expert_ids: Vec<i64> = plan.experts.iter().map(|e| e.expert_id).collect();
        let demands: BTreeMap<i64, Demand> =
            store::get_demands(&self.conn, &demand_ids)?.into_iter().map(|d| (d.id, d)).collect();
        let experts: BTreeMap<i64, Expert> =
            store::get_experts(&self.conn, &expert_ids)?.into_iter().map(|e| (e.id, e)).collect();
        let mut enterprises = BTreeMap::new();
        for en in demands.values().filter_map(|d| d.enterprise_id) {
            if let Some(e) = store::get_enterprise(&self.conn, en)? {
                enterprises.insert(en, e);
            }
        }
        Ok(MeetingDetail { plan, demands, experts, enterprises })
    }
}

/// The reasons of a suggestion in plain words, most telling first, at most four.
fn plain_reasons(reasons: &[Reason]) -> Vec<String> {
    let rank = |r: &Reason| match r {
        Reason::Hint { .. } => 0,
        Reason::Terms { .. } => 1,
        Reason::ProblemLink { .. } => 2,
        Reason::Synonym { .. } => 3,
        Reason::Subfield { .. } => 4,
        Reason::History { .. } => 5,
        Reason::Keyword { .. } => 6,
        Reason::Coop { .. } => 7,
        Reason::Evidence { .. } => 8,
    };
    let mut v: Vec<&Reason> = reasons.iter().collect();
    v.sort_by_key(|r| rank(r));
    v.into_iter().map(|r| r.text().to_string()).filter(|t| !t.is_empty()).take(4).collect()
}
