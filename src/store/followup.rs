//! Reads and writes of the follow-up of pairings (对接跟踪): the pairing's current stage and next
//! action, its dated events (never overwritten), service records, outcomes, and the plan's
//! targets. Lists come back sorted; the figures of the statistics come from SQL aggregates
//! (`store::stats`), not from these lists.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::records::{json_list, parse_list};
use crate::domain::followup::{Outcome, OutcomeKind, PairingEvent, PlanTarget, ServiceRecord};
use crate::domain::pairing::Stage;

/// A pairing as the 对接 view lists it: the demand, its enterprise, the expert, where the pairing
/// came from and how far it got.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairingListRow {
    pub id: i64,
    pub expert_id: i64,
    pub demand_id: i64,
    pub demand_ext: String,
    pub demand_title: String,
    pub enterprise: String,
    pub expert_ext: String,
    pub expert_name: String,
    pub institution: String,
    pub source: String,
    pub stage: Option<Stage>,
    pub stage_date: String,
    pub next_action: String,
    pub next_date: String,
    pub end_reason: String,
    pub note: String,
    pub meeting: String,
    pub created: String,
    /// The demand's confirmed subfield codes, sorted.
    pub subfields: Vec<String>,
    pub events: i64,
    pub outcomes: i64,
    pub service_days: f64,
}

/// Which pairings to list. Empty fields do not filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairingFilter {
    pub stage: Option<Stage>,
    /// A subfield code: the demand's or the expert's subfield starts with it (a field takes its children).
    pub subfield: String,
    /// Part of the enterprise's name.
    pub enterprise: String,
    /// The expert's row id.
    pub expert_id: Option<i64>,
    pub demand_id: Option<i64>,
    /// Only pairings due for follow-up by this date (YYYY-MM-DD) — overdue ones included — and not ended.
    pub due_by: Option<String>,
}

const LIST_SQL: &str = "SELECT p.id, p.expert_id, p.demand_id, d.ext_id, d.title, coalesce(n.name, ''), e.ext_id, e.name,
        e.institution, p.source, p.stage, p.stage_date, p.next_action, p.next_date, p.end_reason, p.note,
        coalesce(m.name, ''), p.created_at,
        coalesce((SELECT group_concat(code, ',') FROM (SELECT code FROM demand_subfield s WHERE s.demand_id = p.demand_id ORDER BY code)), ''),
        (SELECT count(*) FROM pairing_event v WHERE v.expert_id = p.expert_id AND v.demand_id = p.demand_id),
        (SELECT count(*) FROM outcome o WHERE o.expert_id = p.expert_id AND o.demand_id = p.demand_id),
        coalesce((SELECT sum(days) FROM service_record r WHERE r.expert_id = p.expert_id AND r.demand_id = p.demand_id), 0)
    FROM pairing p JOIN expert e ON e.id = p.expert_id JOIN demand d ON d.id = p.demand_id
    LEFT JOIN enterprise n ON n.id = d.enterprise_id LEFT JOIN meeting m ON m.id = p.meeting_id";

fn list_row(r: &Row) -> rusqlite::Result<PairingListRow> {
    let stage: String = r.get(10)?;
    let subs: String = r.get(18)?;
    Ok(PairingListRow {
        id: r.get(0)?,
        expert_id: r.get(1)?,
        demand_id: r.get(2)?,
        demand_ext: r.get(3)?,
        demand_title: r.get(4)?,
        enterprise: r.get(5)?,
        expert_ext: r.get(6)?,
        expert_name: r.get(7)?,
        institution: r.get(8)?,
        source: r.get(9)?,
        stage: Stage::from_label(&stage),
        stage_date: r.get(11)?,
        next_action: r.get(12)?,
        next_date: r.get(13)?,
        end_reason: r.get(14)?,
        note: r.get(15)?,
        meeting: r.get(16)?,
        created: r.get(17)?,
        subfields: subs.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
        events: r.get(19)?,
        outcomes: r.get(20)?,
        service_days: r.get(21)?,
    })
}

/// The pairings the filter lets through, sorted by demand 编号 then expert 编号.
pub fn pairing_list(conn: &Connection, f: &PairingFilter) -> rusqlite::Result<Vec<PairingListRow>> {
    let mut sql = format!("{LIST_SQL} WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |sql: &mut String, cond: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(&cond.replace("?", &format!("?{}", args.len())));
    };
    if let Some(s) = f.stage {
        arg(&mut sql, " AND p.stage = ?", s.label().to_string().into());
    }
    if !f.subfield.is_empty() {
        arg(
            &mut sql,
            " AND (EXISTS (SELECT 1 FROM demand_subfield s WHERE s.demand_id = p.demand_id AND s.code LIKE ? || '%')
               OR EXISTS (SELECT 1 FROM expert_subfield s WHERE s.expert_id = p.expert_id AND s.code LIKE ? || '%'))",
            f.subfield.clone().into(),
        );
    }
    if !f.enterprise.is_empty() {
        arg(&mut sql, " AND instr(coalesce(n.name, ''), ?) > 0", f.enterprise.clone().into());
    }
    if let Some(e) = f.expert_id {
        arg(&mut sql, " AND p.expert_id = ?", e.into());
    }
    if let Some(d) = f.demand_id {
        arg(&mut sql, " AND p.demand_id = ?", d.into());
    }
    if let Some(by) = &f.due_by {
        arg(&mut sql, " AND p.stage <> '结束' AND p.next_date <> '' AND p.next_date <= ?", by.clone().into());
    }
    sql.push_str(" ORDER BY d.ext_id, e.ext_id");
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map(rusqlite::params_from_iter(args.iter()), list_row)?.collect()
}

/// One pairing's row, by expert and demand.
pub fn pairing_row(conn: &Connection, expert_id: i64, demand_id: i64) -> rusqlite::Result<Option<PairingListRow>> {
    conn.query_row(&format!("{LIST_SQL} WHERE p.expert_id = ?1 AND p.demand_id = ?2"), [expert_id, demand_id], list_row)
        .optional()
}

/// The pairing's row id, when the pair is recorded.
pub fn pairing_id(conn: &Connection, expert_id: i64, demand_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM pairing WHERE expert_id = ?1 AND demand_id = ?2", [expert_id, demand_id], |r| {
        r.get(0)
    })
    .optional()
}

/// Where a new pairing came from, and the suggestion's score and reasons when it came from one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairingOrigin<'a> {
    /// 加入对接, 对接会, 手工, 导入.
    pub source: &'a str,
    pub meeting_id: Option<i64>,
    pub score: Option<f64>,
    pub reasons: &'a str,
}

/// Records the pair (stage 已推荐) unless it is already recorded; returns its row id and whether it was new.
pub fn ensure_pairing(
    conn: &Connection,
    expert_id: i64,
    demand_id: i64,
    origin: PairingOrigin<'_>,
) -> rusqlite::Result<(i64, bool)> {
    if let Some(id) = pairing_id(conn, expert_id, demand_id)? {
        return Ok((id, false));
    }
    conn.execute(
        "INSERT INTO pairing(expert_id, demand_id, source, meeting_id, score, reasons) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![expert_id, demand_id, origin.source, origin.meeting_id, origin.score, origin.reasons],
    )?;
    Ok((conn.last_insert_rowid(), true))
}

/// The pairing's current stage and what comes next.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairingState {
    pub stage: Option<Stage>,
    pub stage_date: String,
    pub next_action: String,
    pub next_date: String,
    pub end_reason: String,
}

/// Sets the pairing's current stage, next action and end reason (the event itself is written
/// by [`add_event`], in the same unit of work).
pub fn set_state(conn: &Connection, expert_id: i64, demand_id: i64, s: &PairingState) -> rusqlite::Result<bool> {
    let stage = s.stage.map_or("", Stage::label);
    Ok(conn.execute(
        "UPDATE pairing SET stage = CASE WHEN ?3 = '' THEN stage ELSE ?3 END, stage_date = ?4, next_action = ?5,
             next_date = ?6, end_reason = ?7, confirmed = CASE WHEN ?3 = '结束' AND ?7 IN ('无意向', '技术不匹配') THEN 0 ELSE confirmed END
         WHERE expert_id = ?1 AND demand_id = ?2",
        params![expert_id, demand_id, stage, s.stage_date, s.next_action, s.next_date, s.end_reason],
    )? > 0)
}

/// Adds a dated event to a recorded pairing; returns its row id.
pub fn add_event(conn: &Connection, expert_id: i64, demand_id: i64, ev: &PairingEvent) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO pairing_event(expert_id, demand_id, date, stage, note, attachments, meeting_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            expert_id,
            demand_id,
            ev.date,
            ev.stage.map_or("", Stage::label),
            ev.note,
            json_list(&ev.attachments),
            ev.meeting_id
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A pairing's events, oldest first (by date, then as entered).
pub fn events(conn: &Connection, expert_id: i64, demand_id: i64) -> rusqlite::Result<Vec<PairingEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, stage, note, attachments, meeting_id FROM pairing_event
         WHERE expert_id = ?1 AND demand_id = ?2 ORDER BY date, id",
    )?;
    stmt.query_map([expert_id, demand_id], |r| {
        let stage: String = r.get(2)?;
        let att: String = r.get(4)?;
        Ok(PairingEvent {
            id: r.get(0)?,
            date: r.get(1)?,
            stage: Stage::from_label(&stage),
            note: r.get(3)?,
            attachments: parse_list(&att),
            meeting_id: r.get(5)?,
        })
    })?
    .collect()
}

/// Adds a service record to a recorded pairing; returns its row id.
pub fn add_service(conn: &Connection, expert_id: i64, demand_id: i64, s: &ServiceRecord) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO service_record(expert_id, demand_id, kind, start_date, end_date, days, place, content, lodging, meals)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![expert_id, demand_id, s.kind, s.start_date, s.end_date, s.days, s.place, s.content, s.lodging, s.meals],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A pairing's service records, oldest first.
pub fn services(conn: &Connection, expert_id: i64, demand_id: i64) -> rusqlite::Result<Vec<ServiceRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, start_date, end_date, days, place, content, lodging, meals FROM service_record
         WHERE expert_id = ?1 AND demand_id = ?2 ORDER BY start_date, id",
    )?;
    stmt.query_map([expert_id, demand_id], |r| {
        Ok(ServiceRecord {
            id: r.get(0)?,
            kind: r.get(1)?,
            start_date: r.get(2)?,
            end_date: r.get(3)?,
            days: r.get(4)?,
            place: r.get(5)?,
            content: r.get(6)?,
            lodging: r.get(7)?,
            meals: r.get(8)?,
        })
    })?
    .collect()
}

/// Adds an outcome to a recorded pairing; returns its row id.
pub fn add_outcome(conn: &Connection, expert_id: i64, demand_id: i64, o: &Outcome) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO outcome(expert_id, demand_id, kind, title, date, level, status, amount_wan, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![expert_id, demand_id, o.kind.label(), o.title, o.date, o.level, o.status, o.amount_wan, o.note],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A pairing's outcomes, oldest first.
pub fn outcomes(conn: &Connection, expert_id: i64, demand_id: i64) -> rusqlite::Result<Vec<Outcome>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, title, date, level, status, amount_wan, note FROM outcome
         WHERE expert_id = ?1 AND demand_id = ?2 ORDER BY date, id",
    )?;
    stmt.query_map([expert_id, demand_id], |r| {
        let kind: String = r.get(1)?;
        Ok(Outcome {
            id: r.get(0)?,
            kind: OutcomeKind::from_label(&kind).unwrap_or(OutcomeKind::Topic),
            title: r.get(2)?,
            date: r.get(3)?,
            level: r.get(4)?,
            status: r.get(5)?,
            amount_wan: r.get(6)?,
            note: r.get(7)?,
        })
    })?
    .collect()
}

/// The plan's periods with their targets, oldest first.
pub fn targets(conn: &Connection) -> rusqlite::Result<Vec<PlanTarget>> {
    let mut stmt = conn.prepare_cached(
        "SELECT label, from_year, to_year, projects, products, topics FROM plan_target ORDER BY from_year, to_year, label",
    )?;
    stmt.query_map([], |r| {
        Ok(PlanTarget {
            label: r.get(0)?,
            from_year: r.get(1)?,
            to_year: r.get(2)?,
            projects: r.get(3)?,
            products: r.get(4)?,
            topics: r.get(5)?,
        })
    })?
    .collect()
}

/// Sets (adds or replaces) a period's targets.
pub fn set_target(conn: &Connection, t: &PlanTarget) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO plan_target(label, from_year, to_year, projects, products, topics) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(label) DO UPDATE SET from_year = excluded.from_year, to_year = excluded.to_year,
           projects = excluded.projects, products = excluded.products, topics = excluded.topics",
        params![t.label, t.from_year, t.to_year, t.projects, t.products, t.topics],
    )?;
    Ok(())
}

/// Removes a period's targets; false when there was none.
pub fn remove_target(conn: &Connection, label: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM plan_target WHERE label = ?1", [label])? > 0)
}

/// An expert's row id by 编号.
pub fn expert_id_by_ext(conn: &Connection, ext_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM expert WHERE ext_id = ?1", [ext_id], |r| r.get(0)).optional()
}

/// A demand's row id by 编号.
pub fn demand_id_by_ext(conn: &Connection, ext_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM demand WHERE ext_id = ?1", [ext_id], |r| r.get(0)).optional()
}
