//! `bole pairing|service|outcome|target|stats|report`: the follow-up of pairings from the
//! command line. JSON names records by their 编号 and stages by their Chinese names.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::Result;
use super::followup_args::{
    OutcomeCmd, PairingCmd, PairingList, PairingStage, ReportArgs, ServiceCmd, StatsArgs, TargetCmd,
};
use crate::domain::followup::{Outcome, OutcomeKind, PlanTarget, ServiceRecord, TargetMetric};
use crate::engine::{Core, FollowupEntry, PairingFilter, PairingListRow, Period, Stats, today};

pub fn pairing(core: &mut Core, cmd: PairingCmd, out: &mut dyn Write) -> Result {
    match cmd {
        PairingCmd::List(a) => list(core, &a, out),
        PairingCmd::Show(a) => {
            let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
            let detail = core.pairing_detail(e, d)?;
            if a.json {
                let mut v = row_json(&detail.row);
                v["events"] = serde_json::to_value(&detail.events)?;
                v["services"] = serde_json::to_value(&detail.services)?;
                v["outcomes"] = serde_json::to_value(&detail.outcomes)?;
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                write!(out, "{}", crate::text::pairing_detail(&detail))?;
            }
            Ok(())
        }
        PairingCmd::Add(a) => {
            let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
            let added = core.start_pairing(e, d, "手工", None, &a.note)?;
            let word =
                if added { "已加入对接（阶段：已推荐）" } else { "这一对已在对接中，未改动" };
            writeln!(out, "{}：{word}", a.pair)?;
            Ok(())
        }
        PairingCmd::Stage(a) => stage(core, &a, out),
        PairingCmd::Note(a) => {
            let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
            let entry = FollowupEntry {
                date: a.date.clone().unwrap_or_default(),
                note: a.note.clone(),
                attachments: a.attach.clone(),
                ..Default::default()
            };
            core.follow_up(e, d, &entry)?;
            writeln!(out, "{}：已记下跟进", a.pair)?;
            Ok(())
        }
    }
}

fn stage(core: &mut Core, a: &PairingStage, out: &mut dyn Write) -> Result {
    let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
    let entry = FollowupEntry {
        stage: Some(a.stage),
        date: a.date.clone().unwrap_or_default(),
        note: a.note.clone(),
        attachments: a.attach.clone(),
        next_action: a.next.clone(),
        next_date: a.next_date.clone(),
        end_reason: a.reason.clone(),
        meeting_id: None,
    };
    core.follow_up(e, d, &entry)?;
    let row = core.pairing_detail(e, d)?.row;
    let next = if row.next_date.is_empty() {
        String::new()
    } else {
        format!("；下次跟进 {} {}", row.next_date, row.next_action)
    };
    writeln!(out, "{}：阶段改为 {}（{}）{next}", a.pair, a.stage.label(), row.stage_date)?;
    Ok(())
}

fn list(core: &Core, a: &PairingList, out: &mut dyn Write) -> Result {
    let expert_id = match &a.expert {
        Some(ext) => Some(core.expert(ext)?.id),
        None => None,
    };
    let filter = PairingFilter {
        stage: a.stage,
        subfield: a.subfield.clone().unwrap_or_default(),
        enterprise: a.enterprise.clone().unwrap_or_default(),
        expert_id,
        demand_id: None,
        due_by: None,
    };
    let now = today();
    let rows = if a.due { core.due_this_week(&now, &filter)?.0 } else { core.pairing_list(&filter)? };
    if a.json {
        let v: Vec<Value> = rows.iter().map(row_json).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        write!(out, "{}", crate::text::pairing_table(&rows, &now))?;
    }
    Ok(())
}

/// A pairing as JSON, by 编号.
pub fn row_json(r: &PairingListRow) -> Value {
    json!({
        "demand_id": r.demand_ext,
        "expert_id": r.expert_ext,
        "demand": r.demand_title,
        "enterprise": r.enterprise,
        "expert": r.expert_name,
        "institution": r.institution,
        "source": r.source,
        "stage": r.stage.map(crate::domain::pairing::Stage::label),
        "stage_date": r.stage_date,
        "next_action": r.next_action,
        "next_date": r.next_date,
        "end_reason": r.end_reason,
        "meeting": r.meeting,
        "subfields": r.subfields,
        "events": r.events,
        "outcomes": r.outcomes,
        "service_days": r.service_days,
    })
}

pub fn service(core: &mut Core, cmd: ServiceCmd, out: &mut dyn Write) -> Result {
    let ServiceCmd::Add(a) = cmd;
    let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
    let s = ServiceRecord {
        id: 0,
        kind: a.kind.clone(),
        start_date: a.from.clone(),
        end_date: a.to.clone().unwrap_or_default(),
        days: a.days.as_deref().and_then(|t| t.parse().ok()).unwrap_or(0.0),
        place: a.place.clone(),
        content: a.content.clone(),
        lodging: a.lodging,
        meals: a.meals,
    };
    core.add_service(e, d, s)?;
    writeln!(out, "{}：已登记{}（{}）", a.pair, a.kind, a.from)?;
    Ok(())
}

pub fn outcome(core: &mut Core, cmd: OutcomeCmd, out: &mut dyn Write) -> Result {
    let OutcomeCmd::Add(a) = cmd;
    let (e, d) = core.pair_ids(&a.pair.demand, &a.pair.expert)?;
    let kind = OutcomeKind::parse(&a.kind).unwrap_or(OutcomeKind::Topic);
    let o = Outcome {
        id: 0,
        kind,
        title: a.title.clone(),
        date: a.date.clone().unwrap_or_else(today),
        level: a.level.clone(),
        status: a.status.clone(),
        amount_wan: a.amount.as_deref().and_then(|t| t.parse().ok()),
        note: a.note.clone(),
    };
    core.add_outcome(e, d, o)?;
    writeln!(out, "{}：已登记{}“{}”", a.pair, kind.label(), a.title.trim())?;
    Ok(())
}

pub fn target(core: &mut Core, cmd: TargetCmd, out: &mut dyn Write) -> Result {
    match cmd {
        TargetCmd::Set(a) => {
            let t = PlanTarget {
                label: a.label.clone(),
                from_year: a.years.0,
                to_year: a.years.1,
                projects: a.projects,
                products: a.products,
                topics: a.topics,
            };
            core.set_target(t)?;
            writeln!(out, "已设定 {} 的目标", a.label.trim())?;
        }
        TargetCmd::List(a) => {
            let figures = core.stat_figures(&Period::all())?;
            if a.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&targets_json(&figures.targets))?)?;
            } else {
                write!(out, "{}", crate::text::targets_table(&figures.targets))?;
            }
        }
    }
    Ok(())
}

pub fn stats(core: &Core, a: &StatsArgs, out: &mut dyn Write) -> Result {
    let period = period(a.from.as_deref(), a.to.as_deref());
    let figures = core.stat_figures(&period)?;
    let gaps = if a.no_gaps { Vec::new() } else { core.gaps()? };
    let s = Stats { figures, gaps };
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats_json(&s))?)?;
    } else {
        write!(out, "{}", crate::text::stats_text(&s))?;
    }
    Ok(())
}

fn period(from: Option<&str>, to: Option<&str>) -> Period {
    let all = Period::all();
    Period { from: from.map_or(all.from, String::from), to: to.map_or(all.to, String::from) }
}

pub fn report(core: &Core, a: &ReportArgs, out: &mut dyn Write) -> Result {
    let period = period(Some(&a.from), Some(&a.to));
    let stats = core.stats(&period)?;
    let written = core.write_report(&stats, &a.out)?;
    writeln!(out, "已生成工作简报：{}（{}）", a.out.display(), crate::text::report_written(&written))?;
    Ok(())
}

fn counts(list: &[(crate::domain::pairing::Stage, i64)]) -> Value {
    let mut m = Map::new();
    for (s, n) in list {
        m.insert(s.label().to_string(), json!(n));
    }
    Value::Object(m)
}

fn targets_json(t: &[crate::engine::TargetProgress]) -> Value {
    Value::Array(
        t.iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("period".into(), json!(p.target.label));
                m.insert("from_year".into(), json!(p.target.from_year));
                m.insert("to_year".into(), json!(p.target.to_year));
                for (metric, (target, done)) in TargetMetric::ALL.iter().zip(&p.progress) {
                    m.insert(metric.label().into(), json!({"target": target, "achieved": done}));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// The statistics as JSON: stage counts keyed by the stages' Chinese names, outcomes by kind.
pub fn stats_json(s: &Stats) -> Value {
    let f = &s.figures;
    let outcomes: Map<String, Value> = f.outcomes.iter().map(|(k, n)| (k.clone(), json!(n))).collect();
    let metrics: Map<String, Value> =
        TargetMetric::ALL.iter().zip(&f.metrics).map(|(m, n)| (m.label().to_string(), json!(n))).collect();
    let mut months: Map<String, Value> = Map::new();
    for (m, stage, n) in &f.by_month {
        let e = months.entry(m.clone()).or_insert_with(|| Value::Object(Map::new()));
        e[stage.label()] = json!(n);
    }
    json!({
        "from": f.period.from,
        "to": f.period.to,
        "experts": f.experts,
        "demands": f.demands,
        "open_demands": f.open_demands,
        "new_experts": f.new_experts,
        "new_demands": f.new_demands,
        "pairings": f.stages.iter().map(|(_, n)| n).sum::<i64>(),
        "new_pairings": f.new_pairings,
        "stages": counts(&f.stages),
        "funnel": counts(&f.funnel),
        "by_month": months,
        "supply": f.supply,
        "meetings": f.meetings.iter().map(|m| json!({
            "name": m.name, "date": m.date, "demands": m.demands, "experts": m.experts,
            "sittings": m.sittings, "stages": counts(&m.stages),
        })).collect::<Vec<_>>(),
        "services": f.services,
        "outcomes": outcomes,
        "contract_wan": f.contract_wan,
        "metrics": metrics,
        "targets": targets_json(&f.targets),
        "gaps": s.gaps,
    })
}
