//! The figures of the statistics view, `bole stats` and the work report — every one a SQL
//! aggregate over a period, so they agree wherever they are shown and open quickly at a
//! province's size (no record list is loaded to count).

use rusqlite::{Connection, params};

use crate::domain::followup::{PlanTarget, TargetMetric};
use crate::domain::pairing::Stage;

/// A period, both ends inclusive (YYYY-MM-DD). [`Period::all`] covers every date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

impl Period {
    pub fn all() -> Self {
        Period { from: "0000-01-01".into(), to: "9999-12-31".into() }
    }

    /// Whether the period is [`Period::all`].
    pub fn is_all(&self) -> bool {
        *self == Period::all()
    }
}

/// Supply and demand in one field (the taxonomy's first level).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldSupply {
    pub code: String,
    pub name: String,
    pub experts: i64,
    pub open_demands: i64,
}

/// A meeting held in the period and what came of its pairs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeetingStat {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub demands: i64,
    pub experts: i64,
    pub sittings: i64,
    /// Pairings that came from the meeting, by their stage at the end of the period.
    pub stages: Vec<(Stage, i64)>,
}

/// Service records in the period.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct ServiceStat {
    pub records: i64,
    pub days: f64,
    pub experts: i64,
    pub enterprises: i64,
    pub lodging: i64,
    pub meals: i64,
}

/// A period of the plan: its targets and what was achieved within its years.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetProgress {
    pub target: PlanTarget,
    /// Per metric ([`TargetMetric::ALL`] order): (target, achieved).
    pub progress: Vec<(i64, i64)>,
}

/// A field whose open demands have no expert scoring 强: the office's recruiting target (引才方向).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GapField {
    pub code: String,
    pub name: String,
    /// Open demands in the field without a 强 suggestion.
    pub demands: Vec<String>,
    /// The best score any expert reached on them.
    pub best_score: f64,
    /// Institutions whose experts came closest, best first: (institution, best score).
    pub institutions: Vec<(String, f64)>,
}

/// The figures of a period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatFigures {
    pub period: Period,
    pub experts: i64,
    pub demands: i64,
    pub open_demands: i64,
    pub new_experts: i64,
    pub new_demands: i64,
    pub supply: Vec<FieldSupply>,
    /// Every pairing known by the end of the period, by its stage then.
    pub stages: Vec<(Stage, i64)>,
    /// Pairings that reached at least each stage (结束 excluded): the follow-up funnel.
    pub funnel: Vec<(Stage, i64)>,
    /// Stage changes per month in the period: (YYYY-MM, stage, count), sorted.
    pub by_month: Vec<(String, Stage, i64)>,
    pub new_pairings: i64,
    pub meetings: Vec<MeetingStat>,
    pub services: ServiceStat,
    /// Outcomes dated in the period, per kind (every kind, zeros included).
    pub outcomes: Vec<(String, i64)>,
    /// Sum of 技术合同/技术入股 amounts in the period (万元).
    pub contract_wan: f64,
    /// Outcomes in the period per target metric ([`TargetMetric::ALL`] order).
    pub metrics: Vec<i64>,
    pub targets: Vec<TargetProgress>,
}

/// A pairing's first date: the earliest of its events, its stage date and when it was recorded.
const FIRST_DATE: &str = "min(substr(p.created_at, 1, 10),
        CASE WHEN p.stage_date <> '' THEN p.stage_date ELSE '9999-12-31' END,
        coalesce((SELECT min(date) FROM pairing_event v WHERE v.expert_id = p.expert_id AND v.demand_id = p.demand_id), '9999-12-31'))";

/// A pairing's stage at the end of the period (?1): its last stage event by then, else its stage.
/// From its stage date on, the pairing's stage is its current one (so an open period agrees with the list).
const STAGE_AT: &str = "CASE WHEN p.stage_date = '' OR p.stage_date <= ?1 THEN p.stage ELSE
        coalesce((SELECT v.stage FROM pairing_event v WHERE v.expert_id = p.expert_id AND v.demand_id = p.demand_id
        AND v.stage <> '' AND v.date <= ?1 ORDER BY v.date DESC, v.id DESC LIMIT 1), p.stage) END";

fn rank(s: Stage) -> i64 {
    if s == Stage::Ended { -1 } else { Stage::ALL.iter().position(|x| *x == s).map_or(0, |i| i as i64) }
}

/// The rank SQL for a stage column (结束 is −1, 已推荐 0 …).
fn rank_sql(col: &str) -> String {
    let arms: String = Stage::ALL.iter().map(|s| format!(" WHEN '{}' THEN {}", s.label(), rank(*s))).collect();
    format!("(CASE {col}{arms} ELSE 0 END)")
}

/// Every figure of the period.
pub fn figures(conn: &Connection, period: &Period, fields: &[(String, String)]) -> rusqlite::Result<StatFigures> {
    let (from, to) = (period.from.as_str(), period.to.as_str());
    let count =
        |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> { conn.query_row(sql, p, |r| r.get(0)) };
    let open = "status IN ('待对接', '对接中')";
    let experts = count("SELECT count(*) FROM expert", &[])?;
    let demands = count("SELECT count(*) FROM demand", &[])?;
    let open_demands = count(&format!("SELECT count(*) FROM demand WHERE {open}"), &[])?;
    let new_experts =
        count("SELECT count(*) FROM expert WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2", &[&from, &to])?;
    let new_demands =
        count("SELECT count(*) FROM demand WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2", &[&from, &to])?;
    let (stages, funnel, new_pairings) = stage_figures(conn, period)?;
    let outcomes = outcome_counts(conn, period)?;
    let contract_wan: f64 = conn.query_row(
        "SELECT coalesce(sum(amount_wan), 0) FROM outcome WHERE kind IN ('技术合同', '技术入股') AND date BETWEEN ?1 AND ?2",
        [from, to],
        |r| r.get(0),
    )?;
    let metrics = TargetMetric::ALL
        .iter()
        .map(|m| {
            count(
                &format!("SELECT count(*) FROM outcome WHERE {} AND date BETWEEN ?1 AND ?2", m.sql_condition()),
                &[&from, &to],
            )
        })
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(StatFigures {
        period: period.clone(),
        experts,
        demands,
        open_demands,
        new_experts,
        new_demands,
        supply: supply(conn, fields)?,
        stages,
        funnel,
        by_month: by_month(conn, period)?,
        new_pairings,
        meetings: meetings(conn, period)?,
        services: services(conn, period)?,
        outcomes,
        contract_wan,
        metrics,
        targets: target_progress(conn)?,
    })
}

/// Experts and open demands per field, in the taxonomy's order (`fields`: code, name).
fn supply(conn: &Connection, fields: &[(String, String)]) -> rusqlite::Result<Vec<FieldSupply>> {
    let per = |sql: &str| -> rusqlite::Result<std::collections::HashMap<String, i64>> {
        let mut stmt = conn.prepare(sql)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
    };
    let experts = per("SELECT substr(code, 1, 2), count(DISTINCT expert_id) FROM expert_subfield GROUP BY 1")?;
    let demands = per(
        "SELECT substr(s.code, 1, 2), count(DISTINCT s.demand_id) FROM demand_subfield s JOIN demand d ON d.id = s.demand_id
         WHERE d.status IN ('待对接', '对接中') GROUP BY 1",
    )?;
    Ok(fields
        .iter()
        .map(|(code, name)| FieldSupply {
            code: code.clone(),
            name: name.clone(),
            experts: experts.get(code).copied().unwrap_or(0),
            open_demands: demands.get(code).copied().unwrap_or(0),
        })
        .collect())
}

type StageFigures = (Vec<(Stage, i64)>, Vec<(Stage, i64)>, i64);

/// The stage counts at the end of the period, the funnel, and the pairings new in the period.
fn stage_figures(conn: &Connection, period: &Period) -> rusqlite::Result<StageFigures> {
    let reached = format!(
        "max({}, coalesce((SELECT max({}) FROM pairing_event v WHERE v.expert_id = p.expert_id
            AND v.demand_id = p.demand_id AND v.stage <> '' AND v.date <= ?1), 0))",
        rank_sql(&format!("({STAGE_AT})")),
        rank_sql("v.stage")
    );
    let sql = format!("SELECT {STAGE_AT}, {reached}, {FIRST_DATE} >= ?2 FROM pairing p WHERE {FIRST_DATE} <= ?1");
    let mut stmt = conn.prepare(&sql)?;
    let mut at = vec![0i64; Stage::ALL.len()];
    let mut reach = vec![0i64; Stage::ALL.len()];
    let mut new = 0;
    let mut rows = stmt.query(params![period.to, period.from])?;
    while let Some(r) = rows.next()? {
        let stage: String = r.get(0)?;
        let top: i64 = r.get(1)?;
        let is_new: bool = r.get(2)?;
        if let Some(i) = Stage::from_label(&stage).and_then(|s| Stage::ALL.iter().position(|x| *x == s)) {
            at[i] += 1;
        }
        for (i, s) in Stage::ALL.iter().enumerate() {
            if *s != Stage::Ended && rank(*s) <= top.max(0) {
                reach[i] += 1;
            }
        }
        new += i64::from(is_new);
    }
    let stages = Stage::ALL.iter().copied().zip(at).collect();
    let funnel = Stage::ALL.iter().copied().zip(reach).filter(|(s, _)| *s != Stage::Ended).collect();
    Ok((stages, funnel, new))
}

fn by_month(conn: &Connection, period: &Period) -> rusqlite::Result<Vec<(String, Stage, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT substr(date, 1, 7), stage, count(*) FROM pairing_event WHERE stage <> '' AND date BETWEEN ?1 AND ?2
         GROUP BY 1, 2",
    )?;
    let mut out: Vec<(String, Stage, i64)> = stmt
        .query_map([&period.from, &period.to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?
        .filter_map(|r| r.map(|(m, s, n)| Stage::from_label(&s).map(|s| (m, s, n))).transpose())
        .collect::<rusqlite::Result<_>>()?;
    out.sort();
    Ok(out)
}

fn meetings(conn: &Connection, period: &Period) -> rusqlite::Result<Vec<MeetingStat>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, m.date,
            (SELECT count(*) FROM meeting_demand x WHERE x.meeting_id = m.id),
            (SELECT count(*) FROM meeting_expert x WHERE x.meeting_id = m.id),
            (SELECT count(*) FROM meeting_pair x WHERE x.meeting_id = m.id AND x.slot IS NOT NULL)
         FROM meeting m WHERE m.date <> '' AND m.date BETWEEN ?1 AND ?2 ORDER BY m.date, m.id",
    )?;
    let mut list: Vec<MeetingStat> = stmt
        .query_map([&period.from, &period.to], |r| {
            Ok(MeetingStat {
                id: r.get(0)?,
                name: r.get(1)?,
                date: r.get(2)?,
                demands: r.get(3)?,
                experts: r.get(4)?,
                sittings: r.get(5)?,
                stages: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut per =
        conn.prepare(&format!("SELECT {STAGE_AT}, count(*) FROM pairing p WHERE p.meeting_id = ?2 GROUP BY 1"))?;
    for m in &mut list {
        let mut counts: Vec<(Stage, i64)> = per
            .query_map(params![period.to, m.id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
            .filter_map(|r| r.map(|(s, n)| Stage::from_label(&s).map(|s| (s, n))).transpose())
            .collect::<rusqlite::Result<_>>()?;
        counts.sort();
        m.stages = counts;
    }
    Ok(list)
}

fn services(conn: &Connection, period: &Period) -> rusqlite::Result<ServiceStat> {
    conn.query_row(
        "SELECT count(*), coalesce(sum(r.days), 0), count(DISTINCT r.expert_id), count(DISTINCT d.enterprise_id),
            coalesce(sum(r.lodging), 0), coalesce(sum(r.meals), 0)
         FROM service_record r JOIN demand d ON d.id = r.demand_id WHERE r.start_date BETWEEN ?1 AND ?2",
        [&period.from, &period.to],
        |r| {
            Ok(ServiceStat {
                records: r.get(0)?,
                days: r.get(1)?,
                experts: r.get(2)?,
                enterprises: r.get(3)?,
                lodging: r.get(4)?,
                meals: r.get(5)?,
            })
        },
    )
}

fn outcome_counts(conn: &Connection, period: &Period) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT kind, count(*) FROM outcome WHERE date BETWEEN ?1 AND ?2 GROUP BY kind")?;
    let found: std::collections::HashMap<String, i64> =
        stmt.query_map([&period.from, &period.to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(crate::domain::followup::OutcomeKind::ALL
        .iter()
        .map(|k| (k.label().to_string(), found.get(k.label()).copied().unwrap_or(0)))
        .collect())
}

/// Each plan period's targets with what was achieved within its years.
fn target_progress(conn: &Connection) -> rusqlite::Result<Vec<TargetProgress>> {
    let mut out = Vec::new();
    for t in super::followup::targets(conn)? {
        let from = format!("{:04}-01-01", t.from_year);
        let to = format!("{:04}-12-31", t.to_year);
        let mut progress = Vec::new();
        for m in TargetMetric::ALL {
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM outcome WHERE {} AND date BETWEEN ?1 AND ?2", m.sql_condition()),
                [&from, &to],
                |r| r.get(0),
            )?;
            progress.push((m.target(&t), n));
        }
        out.push(TargetProgress { target: t, progress });
    }
    Ok(out)
}
