//! The 对接会 view's state: the meetings, the one being worked on, the create form, and the
//! projection mode (投屏模式) with its pages. Plain data and pure functions — no egui, no I/O.

use std::sync::Arc;

use crate::domain::meeting::{Meeting, MeetingDetail, MeetingSummary, parse_hhmm, parse_time_range};
use crate::engine::MeetingSpec;
use crate::util::split_multi;

/// Which part of a meeting is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Pairs,
    Schedule,
    Participants,
    Settings,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Pairs, Pane::Schedule, Pane::Participants, Pane::Settings];
    pub fn label(self) -> &'static str {
        match self {
            Pane::Pairs => "配对",
            Pane::Schedule => "日程（时段 × 桌）",
            Pane::Participants => "参会需求与专家",
            Pane::Settings => "会议设置",
        }
    }
}

/// The fields of a meeting as typed (text until checked).
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingForm {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub venue: String,
    /// "9:00-11:30"
    pub time: String,
    pub slot_minutes: String,
    pub tables: String,
    pub min: String,
    pub max: String,
    pub cap: String,
    pub min_score: String,
    pub avoid_previous: bool,
    // Only when creating:
    pub subfields: Vec<String>,
    pub demands: String,
    pub max_demands: String,
    pub experts: String,
    pub auto_experts: String,
    pub lock_recorded: bool,
    pub error: Option<String>,
}

impl MeetingForm {
    /// A new meeting with the office's usual settings (a morning of 20-minute talks).
    pub fn new_meeting(today: &str) -> Self {
        MeetingForm {
            id: 0,
            name: "新材料产业技术需求对接会".into(),
            date: today.into(),
            venue: String::new(),
            time: "9:00-11:30".into(),
            slot_minutes: "20".into(),
            tables: "12".into(),
            min: "1".into(),
            max: "3".into(),
            cap: "3".into(),
            min_score: "30".into(),
            avoid_previous: false,
            subfields: vec![],
            demands: String::new(),
            max_demands: "30".into(),
            experts: String::new(),
            auto_experts: "60".into(),
            lock_recorded: true,
            error: None,
        }
    }

    pub fn edit(m: &Meeting) -> Self {
        MeetingForm {
            id: m.id,
            name: m.name.clone(),
            date: m.date.clone(),
            venue: m.venue.clone(),
            time: m.time_range().replace('–', "-"),
            slot_minutes: m.slot_minutes.to_string(),
            tables: m.tables.to_string(),
            min: m.min_experts.to_string(),
            max: m.max_experts.to_string(),
            cap: m.expert_cap.to_string(),
            min_score: format!("{}", m.min_score),
            avoid_previous: m.avoid_previous,
            ..Self::new_meeting("")
        }
    }

    /// The meeting the fields describe, or a Chinese message.
    pub fn meeting(&self) -> Result<Meeting, String> {
        let num = |label: &str, v: &str| -> Result<u32, String> {
            v.trim().parse::<u32>().map_err(|_| format!("“{label}”应为整数，而不是“{}”", v.trim()))
        };
        let slot_minutes = num("每时段分钟", &self.slot_minutes)?;
        if slot_minutes == 0 {
            return Err("每时段分钟应大于 0".into());
        }
        let (start, end) = parse_time_range(&self.time)
            .or_else(|| parse_hhmm(&self.time).map(|s| (s, s + slot_minutes)))
            .ok_or_else(|| format!("时间“{}”无法识别，请写成 9:00-11:30", self.time))?;
        let slots = (end - start) / slot_minutes;
        if slots == 0 {
            return Err("时间段比一个时段还短".into());
        }
        let m = Meeting {
            id: self.id,
            name: self.name.trim().to_string(),
            date: self.date.trim().to_string(),
            venue: self.venue.trim().to_string(),
            start_min: start,
            slot_minutes,
            slots,
            tables: num("桌数", &self.tables)?,
            min_experts: num("每项需求专家下限", &self.min)?,
            max_experts: num("每项需求专家上限", &self.max)?,
            expert_cap: num("每位专家对接上限", &self.cap)?,
            min_score: self
                .min_score
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("“最低匹配度”应为 0–100 的数，而不是“{}”", self.min_score.trim()))?,
            avoid_previous: self.avoid_previous,
            created_at: String::new(),
        };
        m.validate()?;
        Ok(m)
    }

    /// The creation request.
    pub fn spec(&self) -> Result<MeetingSpec, String> {
        let meeting = self.meeting()?;
        let count = |label: &str, v: &str| -> Result<usize, String> {
            if v.trim().is_empty() {
                return Ok(0);
            }
            v.trim().parse::<usize>().map_err(|_| format!("“{label}”应为整数，而不是“{}”", v.trim()))
        };
        Ok(MeetingSpec {
            meeting,
            demands: split_multi(&self.demands),
            subfields: self.subfields.clone(),
            max_demands: count("最多需求数", &self.max_demands)?,
            experts: split_multi(&self.experts),
            auto_experts: count("自动推荐专家人数", &self.auto_experts)?,
            lock_recorded: self.lock_recorded,
        })
    }
}

/// Projection colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// The projector's state: which page, which theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub page: usize,
    pub theme: Theme,
    pub fullscreen: bool,
}

/// One projected page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The board of a time slot (0-based).
    Board(u32),
    /// A demand (row id) with its experts.
    Demand(i64),
}

/// The pages of a meeting: one board per slot, then one page per demand that has pairings
/// (in 编号 order).
pub fn pages(detail: &MeetingDetail) -> Vec<Page> {
    let mut v: Vec<Page> = (0..detail.meeting().slots).map(Page::Board).collect();
    for d in &detail.plan.demands {
        if detail.plan.pairs.iter().any(|p| p.demand_id == d.demand_id) {
            v.push(Page::Demand(d.demand_id));
        }
    }
    v
}

/// Local wall-clock time as (YYYY-MM-DD, minute of day, second of minute), given the UTC
/// offset the engine reported.
pub fn local_now(utc_offset_secs: i64) -> (String, u32, u32) {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
            + utc_offset_secs;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    (civil_date(days), rem / 60, rem % 60)
}

/// Days since 1970-01-01 → "YYYY-MM-DD" (Howard Hinnant's algorithm).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The slot running now (when the meeting is today and in session) and the seconds left in it.
pub fn live_slot(m: &Meeting, today: &str, minute: u32, second: u32) -> Option<(u32, u32)> {
    if m.date != today {
        return None;
    }
    let s = m.slot_at(minute)?;
    let end = m.start_min + (s + 1) * m.slot_minutes;
    Some((s, (end - minute) * 60 - second))
}

/// The 对接会 view.
#[derive(Debug, Clone)]
pub struct MeetingsView {
    pub list: Vec<MeetingSummary>,
    pub selected: Option<i64>,
    /// Shared so the views can hold it while they change the rest of the state (no copy per frame).
    pub detail: Option<Arc<MeetingDetail>>,
    /// The last "cannot pair/schedule" message, with the meeting it belongs to.
    pub problem: Option<(i64, String)>,
    /// The pairs the last pairing left out because of 回避 rules, with the meeting they belong to.
    pub conflicts: Option<(i64, Vec<String>)>,
    pub pane: Pane,
    pub form: Option<MeetingForm>,
    pub busy: bool,
    /// Picked in the "指定配对" row.
    pub add_demand: Option<i64>,
    pub add_expert: Option<i64>,
    pub add_demands_text: String,
    pub add_experts_text: String,
    /// Exports include phone numbers and e-mails.
    pub contacts: bool,
    pub projection: Option<Projection>,
    pub confirm_delete: Option<i64>,
}

impl Default for MeetingsView {
    fn default() -> Self {
        MeetingsView {
            list: vec![],
            selected: None,
            detail: None,
            problem: None,
            conflicts: None,
            pane: Pane::Pairs,
            form: None,
            busy: false,
            add_demand: None,
            add_expert: None,
            add_demands_text: String::new(),
            add_experts_text: String::new(),
            contacts: true,
            projection: None,
            confirm_delete: None,
        }
    }
}

impl MeetingsView {
    /// The meeting being shown, when it is the selected one.
    pub fn current(&self) -> Option<&MeetingDetail> {
        self.detail.as_deref().filter(|d| Some(d.meeting().id) == self.selected)
    }

    /// The meeting being shown, as a cheap shared handle.
    pub fn shared(&self) -> Option<Arc<MeetingDetail>> {
        self.detail.clone().filter(|d| Some(d.meeting().id) == self.selected)
    }

    /// Moves the projector by `delta` pages, staying in range.
    pub fn turn(&mut self, delta: i64) {
        let n = self.current().map(|d| pages(d).len()).unwrap_or(0);
        if let Some(p) = &mut self.projection
            && n > 0
        {
            p.page = (p.page as i64 + delta).clamp(0, n as i64 - 1) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_turns_into_a_meeting_or_a_chinese_message() {
        let mut f = MeetingForm::new_meeting("2026-12-05");
        let m = f.meeting().unwrap();
        assert_eq!((m.start_min, m.slots, m.slot_minutes, m.tables), (540, 7, 20, 12));
        f.time = "9点".into();
        assert_eq!(f.meeting().unwrap().slots, 1);
        f.time = "下午".into();
        assert!(f.meeting().unwrap_err().contains("时间"));
        f.time = "9:00-11:30".into();
        f.tables = "十".into();
        assert!(f.meeting().unwrap_err().contains("桌数"));
        f.tables = "10".into();
        f.demands = "D001，D002".into();
        let spec = f.spec().unwrap();
        assert_eq!(spec.demands, vec!["D001", "D002"]);
        assert_eq!((spec.max_demands, spec.auto_experts), (30, 60));
        let again = MeetingForm::edit(&spec.meeting);
        assert_eq!(again.meeting().unwrap(), spec.meeting);
    }

    #[test]
    fn clock_and_slots() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_780), "2026-11-23");
        assert_eq!(civil_date(11_016), "2000-02-29");
        let m = Meeting { date: "2026-11-23".into(), start_min: 540, slot_minutes: 20, slots: 3, ..Default::default() };
        assert_eq!(live_slot(&m, "2026-11-23", 565, 30), Some((1, 14 * 60 + 30)));
        assert_eq!(live_slot(&m, "2026-11-24", 565, 30), None);
        assert_eq!(live_slot(&m, "2026-11-23", 600, 0), None);
    }
}
