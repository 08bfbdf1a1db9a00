//! What 对接跟踪 and 统计 ask for ([`FollowupMsg`], applied by [`AppState::update_followup`]), and
//! the words of their answers: a refused entry next to its form, a saved entry, a written report.

use std::path::{Path, PathBuf};

use super::followup::{OutcomeDraft, ServiceDraft, StageDraft, TargetDraft};
use super::state::{AppState, Effect};
use crate::domain::RecordKind;
use crate::domain::followup::{Outcome, PlanTarget, ServiceRecord};
use crate::engine::{EngineError, FollowupCommand, FollowupEntry, FollowupForm, ReportWritten};

/// A request of 对接跟踪, 统计 or a reminder.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowupMsg {
    // 对接跟踪: filters and the selection
    Stage(Option<crate::domain::pairing::Stage>),
    Subfield(Option<String>),
    Enterprise(String),
    Expert(String),
    DueOnly(bool),
    /// (expert id, demand id).
    Select(i64, i64),
    /// The banner's link: 对接跟踪 with the due filter.
    ShowDue,
    /// A pairing of a record's detail panel: open it in 对接跟踪.
    Open(i64, i64),
    // The forms (whole drafts: the views edit a copy)
    StageForm(StageDraft),
    ServiceForm(ServiceDraft),
    OutcomeForm(OutcomeDraft),
    SaveStage,
    SaveService,
    SaveOutcome,
    // 统计
    From(String),
    To(String),
    /// Apply the typed period.
    Refresh,
    /// A preset: both ends at once.
    Period(String, String),
    Gaps,
    TargetForm(TargetDraft),
    /// Save the typed target (a label already there is replaced).
    SaveTarget,
    /// Put a period's targets in the form to change them.
    EditTarget(Box<PlanTarget>),
    RemoveTarget(String),
    PickReport,
    ReportPicked(PathBuf),
}

impl AppState {
    pub(super) fn update_followup(&mut self, msg: FollowupMsg) {
        let f = &mut self.followup;
        match msg {
            FollowupMsg::Stage(s) => {
                f.stage = s;
                self.reload_pairings();
            }
            FollowupMsg::Subfield(s) => {
                f.subfield = s;
                self.reload_pairings();
            }
            FollowupMsg::Enterprise(t) => {
                f.enterprise = t;
                self.reload_pairings();
            }
            FollowupMsg::Expert(t) => {
                f.expert = t;
                f.refresh_visible();
            }
            FollowupMsg::DueOnly(on) => {
                f.due_only = on;
                self.reload_pairings();
            }
            FollowupMsg::Select(expert_id, demand_id) => self.select_pairing(expert_id, demand_id),
            FollowupMsg::ShowDue => self.show_due(),
            FollowupMsg::Open(expert_id, demand_id) => {
                self.tab = super::Tab::Followup;
                if !self.followup.loaded {
                    self.reload_pairings();
                }
                self.select_pairing(expert_id, demand_id);
            }
            FollowupMsg::StageForm(d) => f.stage_form = d,
            FollowupMsg::ServiceForm(d) => f.service_form = d,
            FollowupMsg::OutcomeForm(d) => f.outcome_form = d,
            FollowupMsg::SaveStage => self.save_stage(),
            FollowupMsg::SaveService => self.save_service(),
            FollowupMsg::SaveOutcome => self.save_outcome(),
            msg => self.update_stats(msg),
        }
    }

    fn update_stats(&mut self, msg: FollowupMsg) {
        let s = &mut self.stats;
        match msg {
            FollowupMsg::From(t) => s.from = t,
            FollowupMsg::To(t) => s.to = t,
            FollowupMsg::Refresh => self.reload_figures(),
            FollowupMsg::Period(from, to) => {
                (s.from, s.to) = (from, to);
                self.reload_figures();
            }
            FollowupMsg::Gaps => {
                s.gaps_busy = true;
                self.send_followup(FollowupCommand::Gaps);
            }
            FollowupMsg::TargetForm(d) => s.target = d,
            FollowupMsg::EditTarget(t) => {
                s.target = TargetDraft {
                    label: t.label.clone(),
                    from_year: t.from_year.to_string(),
                    to_year: t.to_year.to_string(),
                    projects: t.projects.to_string(),
                    products: t.products.to_string(),
                    topics: t.topics.to_string(),
                };
            }
            FollowupMsg::SaveTarget => match target(&s.target) {
                Ok(t) => {
                    s.target_problem = None;
                    let period = s.period();
                    self.send_followup(FollowupCommand::SetTarget { target: Box::new(t), period });
                }
                Err(e) => s.target_problem = Some(e),
            },
            FollowupMsg::RemoveTarget(label) => {
                let period = s.period();
                self.send_followup(FollowupCommand::RemoveTarget { label, period });
            }
            FollowupMsg::PickReport => self.effects.push(Effect::PickReport),
            FollowupMsg::ReportPicked(mut path) => {
                if path.extension().is_none() {
                    path.set_extension("pdf");
                }
                s.report_busy = true;
                s.report = None;
                let period = s.period();
                self.send_followup(FollowupCommand::WriteReport { period, path });
            }
            _ => {}
        }
    }

    /// Selects a pairing and asks for its history.
    fn select_pairing(&mut self, expert_id: i64, demand_id: i64) {
        let f = &mut self.followup;
        if f.selected != Some((expert_id, demand_id)) {
            f.selected = Some((expert_id, demand_id));
            f.detail = None;
            f.problems.clear();
            f.saved = None;
        }
        self.send_followup(FollowupCommand::Detail { expert_id, demand_id });
    }

    /// Asks for the pairings of the record just selected (its detail panel lists them).
    pub(super) fn record_pairings(&mut self, kind: RecordKind, id: i64) {
        self.send_followup(FollowupCommand::OfRecord(kind, id));
    }

    fn save_stage(&mut self) {
        let Some((expert_id, demand_id)) = self.followup.selected else { return };
        let d = &self.followup.stage_form;
        let entry = FollowupEntry {
            stage: d.stage,
            date: d.date.trim().to_string(),
            note: d.note.clone(),
            attachments: d.attachments.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
            end_reason: if d.stage == Some(crate::domain::pairing::Stage::Ended) {
                d.end_reason.clone()
            } else {
                String::new()
            },
            ..Default::default()
        };
        if entry.stage.is_none() && entry.note.trim().is_empty() {
            self.form_problem(FollowupForm::Stage, "请选择新阶段，或写下跟进记录".into());
            return;
        }
        self.send_followup(FollowupCommand::FollowUp { expert_id, demand_id, entry: Box::new(entry) });
    }

    fn save_service(&mut self) {
        let Some((expert_id, demand_id)) = self.followup.selected else { return };
        let d = &self.followup.service_form;
        let days = match number(&d.days) {
            Ok(n) => n.unwrap_or(0.0),
            Err(()) => return self.form_problem(FollowupForm::Service, format!("天数“{}”不是数字", d.days.trim())),
        };
        let record = ServiceRecord {
            id: 0,
            kind: d.kind.clone(),
            start_date: d.start.clone(),
            end_date: d.end.clone(),
            days,
            place: d.place.clone(),
            content: d.content.clone(),
            lodging: d.lodging,
            meals: d.meals,
        };
        self.send_followup(FollowupCommand::AddService { expert_id, demand_id, record: Box::new(record) });
    }

    fn save_outcome(&mut self) {
        let Some((expert_id, demand_id)) = self.followup.selected else { return };
        let d = &self.followup.outcome_form;
        let Ok(amount_wan) = number(&d.amount) else {
            return self.form_problem(FollowupForm::Outcome, format!("金额“{}”不是数字（万元）", d.amount.trim()));
        };
        let outcome = Outcome {
            id: 0,
            kind: d.kind,
            title: d.title.clone(),
            date: d.date.clone(),
            level: d.level.clone(),
            status: d.status.clone(),
            amount_wan,
            note: d.note.clone(),
        };
        self.send_followup(FollowupCommand::AddOutcome { expert_id, demand_id, outcome: Box::new(outcome) });
    }

    fn form_problem(&mut self, form: FollowupForm, text: String) {
        let f = &mut self.followup;
        f.problems.retain(|(x, _)| *x != form);
        f.problems.push((form, text));
        f.saved = None;
    }
}

/// A typed number (full-width digits too); empty is None.
fn number(text: &str) -> Result<Option<f64>, ()> {
    let t = crate::util::to_half_width(text.trim());
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().map(Some).map_err(|_| ())
}

/// The typed target, or what is wrong with it (the engine checks the rest).
fn target(d: &TargetDraft) -> Result<PlanTarget, String> {
    let year = |t: &str, what: &str| -> Result<i32, String> {
        crate::util::to_half_width(t.trim()).parse().map_err(|_| format!("{what}“{}”不是年份，请写成 2026", t.trim()))
    };
    let count = |t: &str, what: &str| -> Result<i64, String> {
        let t = crate::util::to_half_width(t.trim());
        if t.is_empty() {
            return Ok(0);
        }
        t.parse().map_err(|_| format!("{what}目标“{t}”不是整数"))
    };
    let from_year = year(&d.from_year, "起始年")?;
    let to_year = if d.to_year.trim().is_empty() { from_year } else { year(&d.to_year, "结束年")? };
    Ok(PlanTarget {
        label: d.label.trim().to_string(),
        from_year,
        to_year,
        projects: count(&d.projects, "项目")?,
        products: count(&d.products, "新产品")?,
        topics: count(&d.topics, "课题")?,
    })
}

/// A refused entry, next to its form.
pub fn problem_text(form: FollowupForm, e: &EngineError) -> String {
    let what = match form {
        FollowupForm::Stage => "未保存跟进",
        FollowupForm::Service => "未添加服务记录",
        FollowupForm::Outcome => "未添加成果",
        FollowupForm::Target => "未保存目标",
    };
    format!("{what}：{}", crate::text::error(e))
}

/// A saved entry.
pub fn saved_text(form: FollowupForm) -> String {
    match form {
        FollowupForm::Stage => "已记录跟进（可在操作日志中撤销）",
        FollowupForm::Service => "已添加服务记录",
        FollowupForm::Outcome => "已添加成果",
        FollowupForm::Target => "已保存目标",
    }
    .into()
}

pub fn target_saved(label: &str) -> String {
    format!("已保存目标“{label}”")
}

pub fn target_removed(label: &str) -> String {
    format!("已删除目标“{label}”")
}

/// A written work report.
pub fn report_text(path: &Path, w: &ReportWritten) -> String {
    format!("{}：{}", crate::text::report_written(w), path.display())
}

/// A table of 统计 as shown next to its chart and copied to Excel (tab-separated).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(headers: &[&str]) -> Self {
        Table { headers: headers.iter().map(ToString::to_string).collect(), rows: Vec::new() }
    }

    /// Tab-separated lines with the header first (pastes into Excel as cells).
    pub fn tsv(&self) -> String {
        let clean = |c: &str| c.replace(['\t', '\n', '\r'], " ");
        let mut s = String::new();
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            s.push_str(&line.iter().map(|c| clean(c)).collect::<Vec<_>>().join("\t"));
            s.push('\n');
        }
        s
    }
}

/// The tables of one period's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatTables {
    pub supply: Table,
    pub funnel: Table,
    pub targets: Table,
    pub outcomes: Table,
    pub meetings: Table,
    /// Stage changes per month (a column per stage that occurs).
    pub monthly: Table,
}

/// Worded once when the figures arrive.
pub fn stat_tables(f: &crate::engine::StatFigures) -> StatTables {
    use crate::domain::followup::TargetMetric;
    let mut supply = Table::new(&["领域", "专家（位）", "未解决需求（条）"]);
    for s in &f.supply {
        supply.rows.push(vec![s.name.clone(), s.experts.to_string(), s.open_demands.to_string()]);
    }
    let mut funnel = Table::new(&["阶段", "累计到达（对）", "目前处于（对）"]);
    for (stage, n) in &f.funnel {
        let now = f.stages.iter().find(|(s, _)| s == stage).map_or(0, |x| x.1);
        funnel.rows.push(vec![stage.label().to_string(), n.to_string(), now.to_string()]);
    }
    if let Some((_, n)) = f.stages.iter().find(|(s, _)| *s == crate::domain::pairing::Stage::Ended) {
        funnel.rows.push(vec!["结束".into(), String::new(), n.to_string()]);
    }
    let mut heads = vec!["期间（完成/目标）".to_string()];
    heads.extend(TargetMetric::ALL.iter().map(|m| m.label().to_string()));
    let mut targets = Table { headers: heads, rows: Vec::new() };
    for t in &f.targets {
        let mut row = vec![t.target.label.clone()];
        row.extend(t.progress.iter().map(|(target, done)| format!("{done}/{target}")));
        targets.rows.push(row);
    }
    let mut outcomes = Table::new(&["成果类型", "本期（项）"]);
    for (kind, n) in &f.outcomes {
        outcomes.rows.push(vec![kind.clone(), n.to_string()]);
    }
    outcomes.rows.push(vec!["技术合同/入股金额（万元）".into(), crate::util::number_text(f.contract_wan)]);
    let stages: Vec<crate::domain::pairing::Stage> = crate::domain::pairing::Stage::ALL
        .into_iter()
        .filter(|s| f.meetings.iter().any(|m| m.stages.iter().any(|(x, n)| x == s && *n > 0)))
        .collect();
    let mut heads: Vec<String> =
        ["对接会", "日期", "需求", "专家", "洽谈场次"].iter().map(ToString::to_string).collect();
    heads.extend(stages.iter().map(|s| s.label().to_string()));
    let mut meetings = Table { headers: heads, rows: Vec::new() };
    for m in &f.meetings {
        let mut row =
            vec![m.name.clone(), m.date.clone(), m.demands.to_string(), m.experts.to_string(), m.sittings.to_string()];
        row.extend(stages.iter().map(|s| m.stages.iter().find(|(x, _)| x == s).map_or(0, |x| x.1).to_string()));
        meetings.rows.push(row);
    }
    StatTables { supply, funnel, targets, outcomes, meetings, monthly: monthly_table(f) }
}

/// Stage changes per month, oldest first, a column per stage that occurs in the period.
fn monthly_table(f: &crate::engine::StatFigures) -> Table {
    use crate::domain::pairing::Stage;
    let stages: Vec<Stage> = Stage::ALL.into_iter().filter(|s| f.by_month.iter().any(|(_, x, _)| x == s)).collect();
    let mut months: Vec<&str> = f.by_month.iter().map(|(m, _, _)| m.as_str()).collect();
    months.dedup();
    let mut heads = vec!["月份".to_string()];
    heads.extend(stages.iter().map(|s| s.label().to_string()));
    let mut t = Table { headers: heads, rows: Vec::new() };
    for m in months {
        let mut row = vec![m.to_string()];
        row.extend(
            stages
                .iter()
                .map(|s| f.by_month.iter().find(|(x, st, _)| x == m && st == s).map_or(0, |x| x.2).to_string()),
        );
        t.rows.push(row);
    }
    t
}

/// 引才方向: the fields whose open demands have no 强 expert.
pub fn gap_table(gaps: &[crate::engine::GapField]) -> Table {
    let mut t = Table::new(&["领域", "缺少强匹配的需求（条）", "最高匹配度", "最接近的单位"]);
    for g in gaps {
        let inst: Vec<&str> = g.institutions.iter().map(|(i, _)| i.as_str()).collect();
        t.rows.push(vec![g.name.clone(), g.demands.len().to_string(), format!("{:.1}", g.best_score), inst.join("、")]);
    }
    t
}

#[cfg(test)]
mod tests;
