//! Matchmaking meetings (对接会): the meeting record, its participants, its pairings with their
//! time slot and table, and the pure rules around them (slot times, conflicts/回避). No I/O.

use std::collections::{BTreeMap, HashSet};

use super::followup::SittingResult;
use super::{Demand, Enterprise, Expert};

/// A meeting and its rules for pairing and scheduling.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Meeting {
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD` (may be empty while undecided).
    pub date: String,
    pub venue: String,
    /// First slot's start, minutes after midnight (9:00 → 540).
    pub start_min: u32,
    pub slot_minutes: u32,
    pub slots: u32,
    pub tables: u32,
    /// Experts per demand, unless a demand overrides it.
    pub min_experts: u32,
    pub max_experts: u32,
    /// Meetings per expert, unless an expert overrides it.
    pub expert_cap: u32,
    /// Pairs scoring below this (0–100) are not candidates.
    pub min_score: f64,
    /// Leave out pairs that were already paired before (加入对接 or another meeting).
    pub avoid_previous: bool,
    pub created_at: String,
}

impl Default for Meeting {
    fn default() -> Self {
        Meeting {
            id: 0,
            name: String::new(),
            date: String::new(),
            venue: String::new(),
            start_min: 9 * 60,
            slot_minutes: 20,
            slots: 7,
            tables: 10,
            min_experts: 1,
            max_experts: 3,
            expert_cap: 3,
            min_score: super::Strength::MEDIUM,
            avoid_previous: false,
            created_at: String::new(),
        }
    }
}

impl Meeting {
    /// "09:20–09:40" for slot `i` (0-based).
    pub fn slot_label(&self, i: u32) -> String {
        let a = self.start_min + i * self.slot_minutes;
        format!("{}–{}", hhmm(a), hhmm(a + self.slot_minutes))
    }
    /// "09:00–11:20", the whole session.
    pub fn time_range(&self) -> String {
        format!("{}–{}", hhmm(self.start_min), hhmm(self.start_min + self.slots * self.slot_minutes))
    }
    /// Which slot the clock is in, given minutes after midnight on the meeting's day.
    pub fn slot_at(&self, minute_of_day: u32) -> Option<u32> {
        let end = self.start_min + self.slots * self.slot_minutes;
        (self.slot_minutes > 0 && minute_of_day >= self.start_min && minute_of_day < end)
            .then(|| (minute_of_day - self.start_min) / self.slot_minutes)
    }
    /// Checks the fields a user types.
    pub fn validate(&self) -> Result<(), MeetingProblem> {
        use MeetingProblem as P;
        if self.name.trim().is_empty() {
            return Err(P::NoName);
        }
        if !self.date.is_empty() && !valid_date(&self.date) {
            return Err(P::Date(self.date.clone()));
        }
        if self.slot_minutes < 5 || self.slot_minutes > 240 {
            return Err(P::SlotMinutes);
        }
        if self.slots == 0 || self.slots > 48 {
            return Err(P::Slots);
        }
        if self.start_min + self.slots * self.slot_minutes > 24 * 60 {
            return Err(P::PastMidnight);
        }
        if self.tables == 0 || self.tables > 500 {
            return Err(P::Tables);
        }
        if self.max_experts == 0 || self.min_experts > self.max_experts {
            return Err(P::Bounds { min: self.min_experts, max: self.max_experts });
        }
        if !(0.0..=100.0).contains(&self.min_score) {
            return Err(P::MinScore);
        }
        if self.expert_cap == 0 {
            return Err(P::Cap);
        }
        Ok(())
    }
}

/// What is wrong with a meeting's settings (or a value typed for it).
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingProblem {
    NoName,
    Date(String),
    SlotMinutes,
    Slots,
    PastMidnight,
    Tables,
    Bounds {
        min: u32,
        max: u32,
    },
    MinScore,
    Cap,
    /// A number field holds something else (the field's label, what was typed).
    NotANumber {
        field: &'static str,
        value: String,
    },
    /// The time range could not be read.
    Time(String),
    /// The time range is shorter than one slot.
    ShorterThanSlot,
}

impl MeetingProblem {
    pub fn text(&self) -> String {
        match self {
            Self::NoName => "请填写对接会名称".into(),
            Self::Date(d) => format!("日期“{d}”无法识别，请写成 2026-12-05"),
            Self::SlotMinutes => "每个时段的时长应在 5–240 分钟之间".into(),
            Self::Slots => "时段数应在 1–48 之间".into(),
            Self::PastMidnight => "对接会不能跨过午夜，请减少时段或提前开始时间".into(),
            Self::Tables => "桌数应在 1–500 之间".into(),
            Self::Bounds { min, max } => format!("每项需求的专家数下限 {min} 不能大于上限 {max}，上限至少为 1"),
            Self::MinScore => "最低匹配度应在 0–100 之间".into(),
            Self::Cap => "每位专家的对接上限至少为 1".into(),
            Self::NotANumber { field, value } => format!("“{field}”应为整数，而不是“{value}”"),
            Self::Time(t) => format!("时间“{t}”无法识别，请写成 9:00-11:30"),
            Self::ShorterThanSlot => "时间段比一个时段还短".into(),
        }
    }
}

/// "9:00", "09:00", "9点", "9：30" → minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let s = s.trim().replace(['：', '点', '時', '时'], ":").replace('分', "");
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h.trim(), if m.trim().is_empty() { "0" } else { m.trim() }),
        None => (s.as_str(), "0"),
    };
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A calendar date written `YYYY-MM-DD` between 2000 and 2100.
pub fn valid_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok_and(|d| (2000..=2100).contains(&d.year()))
}

/// Minutes after midnight → "09:05".
pub fn hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// "9:00-11:30" (or with –, ～, 至, 到) → (start, end) in minutes.
pub fn parse_time_range(s: &str) -> Option<(u32, u32)> {
    let s = s.replace(['–', '—', '～', '~', '至', '到'], "-");
    let (a, b) = s.split_once('-')?;
    let (a, b) = (parse_hhmm(a)?, parse_hhmm(b)?);
    (b > a).then_some((a, b))
}

/// A demand taking part, with optional per-demand bounds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingDemand {
    pub demand_id: i64,
    pub ext_id: String,
    pub title: String,
    pub enterprise_id: Option<i64>,
    pub enterprise: String,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// An expert taking part, with an optional per-expert cap.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingExpert {
    pub expert_id: i64,
    pub ext_id: String,
    pub name: String,
    pub institution: String,
    pub cap: Option<u32>,
}

/// One pairing of the meeting: who meets whom, why, and where/when.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingPair {
    pub demand_id: i64,
    pub expert_id: i64,
    pub score: f64,
    /// The matching reasons in plain words (shown on sheets and on the projector).
    pub reasons: Vec<String>,
    /// 锁定/指定: kept by every re-optimisation.
    pub locked: bool,
    /// 0-based slot and table, once scheduled.
    pub slot: Option<u32>,
    pub table: Option<u32>,
    /// Slot and table fixed by the user: kept by every re-scheduling.
    pub place_locked: bool,
    /// What came of the sitting, tapped on the meeting day.
    pub result: Option<SittingResult>,
}

/// Who checks in at a meeting: an enterprise (its meeting group, see [`MeetingPlan::group_of`]:
/// the enterprise id, or minus the demand id for a demand naming none) or an expert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Party {
    Enterprise(i64),
    Expert(i64),
}

impl Party {
    /// How the check-in table names the kind.
    pub fn kind_label(self) -> &'static str {
        match self {
            Party::Enterprise(_) => "企业",
            Party::Expert(_) => "专家",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            Party::Enterprise(i) | Party::Expert(i) => i,
        }
    }
    pub fn from_label(kind: &str, id: i64) -> Option<Party> {
        match kind {
            "企业" => Some(Party::Enterprise(id)),
            "专家" => Some(Party::Expert(id)),
            _ => None,
        }
    }
}

/// Checked in (到场) or not come (缺席).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Presence {
    #[serde(rename = "到场")]
    Present,
    #[serde(rename = "缺席")]
    Absent,
}

impl Presence {
    pub fn label(self) -> &'static str {
        match self {
            Presence::Present => "到场",
            Presence::Absent => "缺席",
        }
    }
    pub fn parse(s: &str) -> Option<Presence> {
        [Presence::Present, Presence::Absent].into_iter().find(|p| p.label() == s.trim())
    }
}

/// One check-in of the meeting day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Checkin {
    pub party: Party,
    pub presence: Presence,
    /// When it was recorded (local time, `YYYY-MM-DD HH:MM:SS`).
    pub at: String,
}

/// A meeting with everything it needs: participants, pairings, and pairs the user removed
/// (never re-added by re-optimising).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MeetingPlan {
    pub meeting: Meeting,
    pub demands: Vec<MeetingDemand>,
    pub experts: Vec<MeetingExpert>,
    pub pairs: Vec<MeetingPair>,
    pub removed: Vec<(i64, i64)>,
    /// The meeting day's check-ins, by party.
    pub checkins: Vec<Checkin>,
}

impl MeetingPlan {
    pub fn demand(&self, id: i64) -> Option<&MeetingDemand> {
        self.demands.iter().find(|d| d.demand_id == id)
    }
    pub fn expert(&self, id: i64) -> Option<&MeetingExpert> {
        self.experts.iter().find(|e| e.expert_id == id)
    }
    /// True when every pairing has a slot and a table.
    pub fn is_scheduled(&self) -> bool {
        !self.pairs.is_empty() && self.pairs.iter().all(|p| p.slot.is_some() && p.table.is_some())
    }
    /// The meeting group a demand belongs to at the tables: its enterprise, or the demand itself
    /// when it names none (negative ids keep the two apart).
    pub fn group_of(&self, demand_id: i64) -> i64 {
        self.demand(demand_id).and_then(|d| d.enterprise_id).unwrap_or(-demand_id)
    }
    /// The party's check-in, if any.
    pub fn presence(&self, party: Party) -> Option<Presence> {
        self.checkins.iter().find(|c| c.party == party).map(|c| c.presence)
    }
    /// Whether a pairing's expert or enterprise is marked 缺席.
    pub fn pair_absent(&self, p: &MeetingPair) -> bool {
        self.presence(Party::Expert(p.expert_id)) == Some(Presence::Absent)
            || self.presence(Party::Enterprise(self.group_of(p.demand_id))) == Some(Presence::Absent)
    }
    /// The meeting groups (see [`Self::group_of`]) in demand 编号 order, each with its name (the
    /// enterprise, or the demand's 编号 when it names none) and its demands.
    pub fn enterprise_groups(&self) -> Vec<(i64, String, Vec<&MeetingDemand>)> {
        let mut out: Vec<(i64, String, Vec<&MeetingDemand>)> = Vec::new();
        for d in &self.demands {
            let g = self.group_of(d.demand_id);
            match out.iter_mut().find(|x| x.0 == g) {
                Some(x) => x.2.push(d),
                None => {
                    let name = if d.enterprise.is_empty() { d.ext_id.clone() } else { d.enterprise.clone() };
                    out.push((g, name, vec![d]));
                }
            }
        }
        out
    }
}

/// A meeting with the full records of its participants — what exports and the projector read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingDetail {
    pub plan: MeetingPlan,
    pub demands: BTreeMap<i64, Demand>,
    pub experts: BTreeMap<i64, Expert>,
    pub enterprises: BTreeMap<i64, Enterprise>,
}

/// One enterprise's (or enterprise-less demand's) part of the meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSheet<'a> {
    pub name: String,
    pub enterprise: Option<&'a Enterprise>,
    pub demands: Vec<&'a Demand>,
    /// Its pairings, by slot, then demand 编号, then expert 编号.
    pub pairs: Vec<&'a MeetingPair>,
    /// The table it sits at (the most used one when it moves).
    pub table: Option<u32>,
}

impl MeetingDetail {
    pub fn meeting(&self) -> &Meeting {
        &self.plan.meeting
    }

    /// Pairings sorted by slot (unscheduled last), table, demand 编号, expert 编号.
    pub fn pairs_by_time(&self) -> Vec<&MeetingPair> {
        let mut v: Vec<&MeetingPair> = self.plan.pairs.iter().collect();
        v.sort_by(|a, b| {
            (
                a.slot.unwrap_or(u32::MAX),
                a.table.unwrap_or(u32::MAX),
                self.demand_no(a.demand_id),
                self.expert_no(a.expert_id),
            )
                .cmp(&(
                    b.slot.unwrap_or(u32::MAX),
                    b.table.unwrap_or(u32::MAX),
                    self.demand_no(b.demand_id),
                    self.expert_no(b.expert_id),
                ))
        });
        v
    }

    fn demand_no(&self, id: i64) -> &str {
        self.demands.get(&id).map(|d| d.ext_id.as_str()).unwrap_or("")
    }
    fn expert_no(&self, id: i64) -> &str {
        self.experts.get(&id).map(|e| e.ext_id.as_str()).unwrap_or("")
    }

    /// The enterprises taking part, each with its demands and pairings; sorted by table, then name.
    pub fn groups(&self) -> Vec<GroupSheet<'_>> {
        let mut by_group: BTreeMap<i64, GroupSheet> = BTreeMap::new();
        for md in &self.plan.demands {
            let Some(d) = self.demands.get(&md.demand_id) else { continue };
            let key = self.plan.group_of(md.demand_id);
            let en = md.enterprise_id.and_then(|id| self.enterprises.get(&id));
            let g = by_group.entry(key).or_insert_with(|| GroupSheet {
                name: en.map(|e| e.name.clone()).unwrap_or_else(|| format!("（未填企业）{}", d.ext_id)),
                enterprise: en,
                demands: vec![],
                pairs: vec![],
                table: None,
            });
            g.demands.push(d);
        }
        for p in self.pairs_by_time() {
            if let Some(g) = by_group.get_mut(&self.plan.group_of(p.demand_id)) {
                g.pairs.push(p);
            }
        }
        let mut out: Vec<GroupSheet> = by_group.into_values().collect();
        for g in &mut out {
            let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
            for p in &g.pairs {
                if let Some(t) = p.table {
                    *counts.entry(t).or_default() += 1;
                }
            }
            g.table = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(t, _)| *t);
        }
        out.sort_by(|a, b| (a.table.unwrap_or(u32::MAX), &a.name).cmp(&(b.table.unwrap_or(u32::MAX), &b.name)));
        out
    }

    /// The experts taking part with their pairings by slot; sorted by 编号.
    pub fn agendas(&self) -> Vec<(&Expert, Vec<&MeetingPair>)> {
        let pairs = self.pairs_by_time();
        self.plan
            .experts
            .iter()
            .filter_map(|me| self.experts.get(&me.expert_id))
            .map(|e| (e, pairs.iter().copied().filter(|p| p.expert_id == e.id).collect()))
            .collect()
    }

    /// "桌 3" (1-based for people).
    pub fn table_label(t: Option<u32>) -> String {
        t.map(|t| format!("{} 号桌", t + 1)).unwrap_or_else(|| "未排".into())
    }

    /// "第 2 时段 09:20–09:40".
    pub fn slot_text(&self, s: Option<u32>) -> String {
        s.map(|s| format!("第 {} 时段 {}", s + 1, self.meeting().slot_label(s))).unwrap_or_else(|| "未排".into())
    }
}

/// A short list of meetings for pickers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub venue: String,
    pub demands: usize,
    pub experts: usize,
    pub pairs: usize,
    pub scheduled: bool,
}

/// Why an expert may not meet an enterprise (a 回避 rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The expert is marked 暂不可约.
    Unavailable { expert: String },
    /// The pair is marked 回避 or 不再推荐.
    Marked { expert: String, enterprise: String },
    /// The enterprise avoids the expert's organisation.
    AvoidUnit { enterprise: String, unit: String, expert: String, institution: String },
    /// The enterprise avoids the expert by name.
    AvoidPerson { enterprise: String, expert: String },
    /// Already paired with this demand before (when the meeting asks to avoid that).
    PairedBefore { expert: String },
}

impl Conflict {
    pub fn text(&self) -> String {
        match self {
            Self::Unavailable { expert } => format!("专家 {expert} 已标记为暂不可约"),
            Self::Marked { expert, enterprise } => format!("专家 {expert} 与 {enterprise} 已标记回避/不再推荐"),
            Self::AvoidUnit { enterprise, unit, expert, institution } => {
                format!("{enterprise} 回避单位“{unit}”（专家 {expert} 来自 {institution}）")
            }
            Self::AvoidPerson { enterprise, expert } => format!("{enterprise} 回避专家 {expert}"),
            Self::PairedBefore { expert } => format!("专家 {expert} 之前已与该需求对接过"),
        }
    }
}

/// Why an expert may not meet an enterprise, or None when nothing forbids it. `excluded` holds
/// the (expert, enterprise) pairs marked 回避/不再推荐; `previous` the (expert, demand) pairs already
/// paired before (only consulted when the meeting asks for it).
pub fn conflict(
    enterprise: Option<&Enterprise>,
    expert: &Expert,
    demand_id: i64,
    excluded: &HashSet<(i64, i64)>,
    previous: Option<&HashSet<(i64, i64)>>,
) -> Option<Conflict> {
    if !expert.available {
        return Some(Conflict::Unavailable { expert: expert.name.clone() });
    }
    if let Some(en) = enterprise {
        if excluded.contains(&(expert.id, en.id)) {
            return Some(Conflict::Marked { expert: expert.name.clone(), enterprise: en.name.clone() });
        }
        let unit = crate::util::norm_key(&expert.institution);
        if !unit.is_empty() {
            for u in &en.avoid_units {
                let k = crate::util::norm_key(u);
                if !k.is_empty() && (unit.contains(&k) || k.contains(&unit)) {
                    return Some(Conflict::AvoidUnit {
                        enterprise: en.name.clone(),
                        unit: u.clone(),
                        expert: expert.name.clone(),
                        institution: expert.institution.clone(),
                    });
                }
            }
        }
        let name = crate::util::norm_key(&expert.name);
        if en.avoid_persons.iter().any(|p| crate::util::norm_key(p) == name) {
            return Some(Conflict::AvoidPerson { enterprise: en.name.clone(), expert: expert.name.clone() });
        }
    }
    if previous.is_some_and(|p| p.contains(&(expert.id, demand_id))) {
        return Some(Conflict::PairedBefore { expert: expert.name.clone() });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_print() {
        assert_eq!(parse_hhmm("9:00"), Some(540));
        assert_eq!(parse_hhmm("09：30"), Some(570));
        assert_eq!(parse_hhmm("14点"), Some(840));
        assert_eq!(parse_hhmm("25:00"), None);
        assert_eq!(parse_time_range("9:00-11:30"), Some((540, 690)));
        assert_eq!(parse_time_range("9:00至8:00"), None);
        let m = Meeting { start_min: 540, slot_minutes: 20, slots: 7, ..Default::default() };
        assert_eq!(m.slot_label(1), "09:20–09:40");
        assert_eq!(m.time_range(), "09:00–11:20");
        assert_eq!(m.slot_at(539), None);
        assert_eq!(m.slot_at(560), Some(1));
        assert_eq!(m.slot_at(680), None);
    }

    #[test]
    fn validation_speaks_chinese() {
        let ok = Meeting { name: "新材料对接会".into(), date: "2026-12-05".into(), ..Default::default() };
        assert!(ok.validate().is_ok());
        assert!(matches!(Meeting { name: " ".into(), ..ok.clone() }.validate(), Err(MeetingProblem::NoName)));
        assert!(matches!(Meeting { date: "明天".into(), ..ok.clone() }.validate(), Err(MeetingProblem::Date(_))));
        assert!(matches!(
            Meeting { min_experts: 4, ..ok.clone() }.validate(),
            Err(MeetingProblem::Bounds { min: 4, .. })
        ));
        assert!(matches!(Meeting { start_min: 23 * 60, ..ok.clone() }.validate(), Err(MeetingProblem::PastMidnight)));
    }

    #[test]
    fn conflicts_name_their_rule() {
        let en = Enterprise {
            id: 7,
            name: "甲公司".into(),
            avoid_units: vec!["福州大学".into()],
            avoid_persons: vec!["李 四".into()],
            ..Default::default()
        };
        let e = |id: i64, name: &str, inst: &str| Expert {
            id,
            name: name.into(),
            institution: inst.into(),
            available: true,
            ..Default::default()
        };
        let none = HashSet::new();
        assert!(
            conflict(Some(&en), &e(1, "张三", "福州大学材料学院"), 9, &none, None).unwrap().text().contains("回避单位")
        );
        assert!(conflict(Some(&en), &e(2, "李四", "厦门大学"), 9, &none, None).unwrap().text().contains("回避专家"));
        assert_eq!(conflict(Some(&en), &e(3, "王五", "厦门大学"), 9, &none, None), None);
        let excl: HashSet<(i64, i64)> = [(3, 7)].into();
        assert!(matches!(
            conflict(Some(&en), &e(3, "王五", "厦门大学"), 9, &excl, None),
            Some(Conflict::Marked { .. })
        ));
        let prev: HashSet<(i64, i64)> = [(3, 9)].into();
        assert!(matches!(
            conflict(Some(&en), &e(3, "王五", "厦门大学"), 9, &none, Some(&prev)),
            Some(Conflict::PairedBefore { .. })
        ));
        let mut off = e(4, "赵六", "");
        off.available = false;
        assert!(matches!(conflict(None, &off, 9, &none, None), Some(Conflict::Unavailable { .. })));
    }
}
