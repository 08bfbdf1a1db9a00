//! Reads and writes of experts, enterprises and demands. Lists are always returned sorted
//! (by 编号, then row id) so callers and tests see a stable order.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::{Demand, DemandStatus, Enterprise, ExclusionKind, Expert, Urgency};

pub(crate) fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

fn codes(s: Option<String>) -> Vec<String> {
    let mut v: Vec<String> = s.unwrap_or_default().split(',').filter(|c| !c.is_empty()).map(String::from).collect();
    v.sort();
    v
}

const EXPERT_COLS: &str = "e.id, e.ext_id, e.name, e.gender, e.institution, e.department, e.title, e.recommender,
    e.subfield_text, e.research, e.achievements, e.keywords, e.coop_modes, e.region, e.phone, e.email, e.note,
    e.available, e.created_at, e.updated_at,
    (SELECT group_concat(code) FROM expert_subfield s WHERE s.expert_id = e.id)";

fn expert_from_row(r: &Row) -> rusqlite::Result<Expert> {
    Ok(Expert {
        id: r.get(0)?,
        ext_id: r.get(1)?,
        name: r.get(2)?,
        gender: r.get(3)?,
        institution: r.get(4)?,
        department: r.get(5)?,
        title: r.get(6)?,
        recommender: r.get(7)?,
        subfield_text: r.get(8)?,
        research: r.get(9)?,
        achievements: r.get(10)?,
        keywords: parse_list(&r.get::<_, String>(11)?),
        coop_modes: parse_list(&r.get::<_, String>(12)?),
        region: r.get(13)?,
        phone: r.get(14)?,
        email: r.get(15)?,
        note: r.get(16)?,
        available: r.get(17)?,
        created_at: r.get(18)?,
        updated_at: r.get(19)?,
        subfields: codes(r.get(20)?),
    })
}

/// Inserts an expert and its subfields; an empty 编号 becomes `BL-E<row id>`. Returns the row id.
pub fn insert_expert(conn: &Connection, e: &Expert) -> rusqlite::Result<i64> {
    insert_expert_with_id(conn, e, None)
}

/// [`insert_expert`] at a given row id (to undo a deletion), or a new one for `None`.
pub fn insert_expert_with_id(conn: &Connection, e: &Expert, id: Option<i64>) -> rusqlite::Result<i64> {
    let ext_id = if e.ext_id.trim().is_empty() { format!("BL-TMP-{}", next_tmp(conn)?) } else { e.ext_id.clone() };
    conn.prepare_cached(
        "INSERT INTO expert(ext_id, name, gender, institution, department, title, recommender, subfield_text,
            research, achievements, keywords, coop_modes, region, phone, email, note, available, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        ext_id,
        e.name,
        e.gender,
        e.institution,
        e.department,
        e.title,
        e.recommender,
        e.subfield_text,
        e.research,
        e.achievements,
        json_list(&e.keywords),
        json_list(&e.coop_modes),
        e.region,
        e.phone,
        e.email,
        e.note,
        e.available,
        id
    ])?;
    let id = conn.last_insert_rowid();
    if e.ext_id.trim().is_empty() {
        conn.execute("UPDATE expert SET ext_id = ?1 WHERE id = ?2", params![format!("BL-E{id:05}"), id])?;
    }
    set_subfields(conn, "expert_subfield", "expert_id", id, &e.subfields)?;
    Ok(id)
}

fn next_tmp(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM expert", [], |r| r.get(0))
}

/// Overwrites every field of a stored expert (found by `e.id`) and bumps `updated_at`.
pub fn update_expert(conn: &Connection, e: &Expert) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE expert SET ext_id = ?1, name = ?2, gender = ?3, institution = ?4, department = ?5, title = ?6,
            recommender = ?7, subfield_text = ?8, research = ?9, achievements = ?10, keywords = ?11,
            coop_modes = ?12, region = ?13, phone = ?14, email = ?15, note = ?16, available = ?17,
            updated_at = strftime('%Y-%m-%d %H:%M:%S','now','localtime')
         WHERE id = ?18",
    )?
    .execute(params![
        e.ext_id,
        e.name,
        e.gender,
        e.institution,
        e.department,
        e.title,
        e.recommender,
        e.subfield_text,
        e.research,
        e.achievements,
        json_list(&e.keywords),
        json_list(&e.coop_modes),
        e.region,
        e.phone,
        e.email,
        e.note,
        e.available,
        e.id
    ])?;
    set_subfields(conn, "expert_subfield", "expert_id", e.id, &e.subfields)
}

fn set_subfields(conn: &Connection, table: &str, col: &str, id: i64, codes: &[String]) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {col} = ?1"))?.execute([id])?;
    let mut ins = conn.prepare_cached(&format!("INSERT OR IGNORE INTO {table}({col}, code) VALUES (?1, ?2)"))?;
    for c in codes {
        ins.execute(params![id, c])?;
    }
    Ok(())
}

pub fn delete_expert(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM expert WHERE id = ?1", [id])? > 0)
}

pub fn get_expert(conn: &Connection, id: i64) -> rusqlite::Result<Option<Expert>> {
    conn.prepare_cached(&format!("SELECT {EXPERT_COLS} FROM expert e WHERE e.id = ?1"))?
        .query_row([id], expert_from_row)
        .optional()
}

/// Several experts by row id in one statement (missing ids are skipped), sorted by id.
pub fn get_experts(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Expert>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(",");
    let mut stmt = conn.prepare(&format!("SELECT {EXPERT_COLS} FROM expert e WHERE e.id IN ({list}) ORDER BY e.id"))?;
    stmt.query_map([], expert_from_row)?.collect()
}

pub fn find_expert(conn: &Connection, ext_id: &str) -> rusqlite::Result<Option<Expert>> {
    conn.query_row(&format!("SELECT {EXPERT_COLS} FROM expert e WHERE e.ext_id = ?1"), [ext_id], expert_from_row)
        .optional()
}

/// All experts, sorted by 编号.
pub fn list_experts(conn: &Connection) -> rusqlite::Result<Vec<Expert>> {
    let mut stmt = conn.prepare(&format!("SELECT {EXPERT_COLS} FROM expert e ORDER BY e.ext_id, e.id"))?;
    stmt.query_map([], expert_from_row)?.collect()
}

pub fn count(conn: &Connection, table: Table) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT count(*) FROM {}", table.name()), [], |r| r.get(0))
}

#[derive(Debug, Clone, Copy)]
pub enum Table {
    Experts,
    Demands,
    Enterprises,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Experts => "expert",
            Table::Demands => "demand",
            Table::Enterprises => "enterprise",
        }
    }
}

/// What the importer needs to know of one stored expert to recognise it again.
#[derive(Debug, Clone)]
pub struct ExpertKey {
    pub id: i64,
    pub ext_id: String,
    pub name: String,
    pub institution: String,
}

pub fn expert_keys(conn: &Connection) -> rusqlite::Result<Vec<ExpertKey>> {
    let mut stmt = conn.prepare("SELECT id, ext_id, name, institution FROM expert ORDER BY id")?;
    stmt.query_map([], |r| Ok(ExpertKey { id: r.get(0)?, ext_id: r.get(1)?, name: r.get(2)?, institution: r.get(3)? }))?
        .collect()
}

// ---------------------------------------------------------------- enterprises

fn enterprise_from_row(r: &Row) -> rusqlite::Result<Enterprise> {
    Ok(Enterprise {
        id: r.get(0)?,
        name: r.get(1)?,
        credit_code: r.get(2)?,
        park: r.get(3)?,
        contact: r.get(4)?,
        phone: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        avoid_units: parse_list(&r.get::<_, String>(8)?),
        avoid_persons: parse_list(&r.get::<_, String>(9)?),
    })
}

const ENTERPRISE_COLS: &str =
    "id, name, credit_code, park, contact, phone, created_at, updated_at, avoid_units, avoid_persons";

pub fn list_enterprises(conn: &Connection) -> rusqlite::Result<Vec<Enterprise>> {
    let mut stmt = conn.prepare(&format!("SELECT {ENTERPRISE_COLS} FROM enterprise ORDER BY name, id"))?;
    stmt.query_map([], enterprise_from_row)?.collect()
}

pub fn get_enterprise(conn: &Connection, id: i64) -> rusqlite::Result<Option<Enterprise>> {
    conn.query_row(&format!("SELECT {ENTERPRISE_COLS} FROM enterprise WHERE id = ?1"), [id], enterprise_from_row)
        .optional()
}

pub fn find_enterprise(conn: &Connection, name: &str) -> rusqlite::Result<Option<Enterprise>> {
    conn.query_row(&format!("SELECT {ENTERPRISE_COLS} FROM enterprise WHERE name = ?1"), [name], enterprise_from_row)
        .optional()
}

pub fn insert_enterprise(conn: &Connection, e: &Enterprise) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO enterprise(name, credit_code, park, contact, phone, avoid_units, avoid_persons)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.name,
        e.credit_code,
        e.park,
        e.contact,
        e.phone,
        json_list(&e.avoid_units),
        json_list(&e.avoid_persons)
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_enterprise(conn: &Connection, e: &Enterprise) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE enterprise SET name = ?1, credit_code = ?2, park = ?3, contact = ?4, phone = ?5,
            avoid_units = ?7, avoid_persons = ?8,
            updated_at = strftime('%Y-%m-%d %H:%M:%S','now','localtime') WHERE id = ?6",
    )?
    .execute(params![
        e.name,
        e.credit_code,
        e.park,
        e.contact,
        e.phone,
        e.id,
        json_list(&e.avoid_units),
        json_list(&e.avoid_persons)
    ])?;
    Ok(())
}

/// Deletes an enterprise that has no demands left (the schema refuses otherwise).
pub fn delete_enterprise(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM enterprise WHERE id = ?1", [id])? > 0)
}

// ---------------------------------------------------------------- demands

const DEMAND_COLS: &str = "d.id, d.ext_id, d.enterprise_id, coalesce(en.name, ''), d.title, d.description,
    d.subfield_text, d.keywords, d.coop_modes, d.budget_wan, d.budget_text, d.urgency, d.deadline, d.status,
    d.created_at, d.updated_at,
    (SELECT group_concat(code) FROM demand_subfield s WHERE s.demand_id = d.id)";

fn demand_from_row(r: &Row) -> rusqlite::Result<Demand> {
    let urgency: Option<String> = r.get(11)?;
    let status: String = r.get(13)?;
    Ok(Demand {
        id: r.get(0)?,
        ext_id: r.get(1)?,
        enterprise_id: r.get(2)?,
        enterprise: r.get(3)?,
        title: r.get(4)?,
        description: r.get(5)?,
        subfield_text: r.get(6)?,
        keywords: parse_list(&r.get::<_, String>(7)?),
        coop_modes: parse_list(&r.get::<_, String>(8)?),
        budget_wan: r.get(9)?,
        budget_text: r.get(10)?,
        urgency: urgency.as_deref().and_then(Urgency::parse),
        deadline: r.get(12)?,
        status: DemandStatus::parse(&status).unwrap_or_default(),
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
        subfields: codes(r.get(16)?),
    })
}

const DEMAND_FROM: &str = "FROM demand d LEFT JOIN enterprise en ON en.id = d.enterprise_id";

pub fn insert_demand(conn: &Connection, d: &Demand) -> rusqlite::Result<i64> {
    insert_demand_with_id(conn, d, None)
}

/// [`insert_demand`] at a given row id (to undo a deletion), or a new one for `None`.
pub fn insert_demand_with_id(conn: &Connection, d: &Demand, id: Option<i64>) -> rusqlite::Result<i64> {
    let ext_id = if d.ext_id.trim().is_empty() {
        format!("BL-TMP-{}", conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM demand", [], |r| r.get::<_, i64>(0))?)
    } else {
        d.ext_id.clone()
    };
    conn.prepare_cached(
        "INSERT INTO demand(ext_id, enterprise_id, title, description, subfield_text, keywords, coop_modes,
            budget_wan, budget_text, urgency, deadline, status, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        ext_id,
        d.enterprise_id,
        d.title,
        d.description,
        d.subfield_text,
        json_list(&d.keywords),
        json_list(&d.coop_modes),
        d.budget_wan,
        d.budget_text,
        d.urgency.map(Urgency::label),
        d.deadline,
        d.status.label(),
        id
    ])?;
    let id = conn.last_insert_rowid();
    if d.ext_id.trim().is_empty() {
        conn.execute("UPDATE demand SET ext_id = ?1 WHERE id = ?2", params![format!("BL-D{id:05}"), id])?;
    }
    set_subfields(conn, "demand_subfield", "demand_id", id, &d.subfields)?;
    Ok(id)
}

pub fn update_demand(conn: &Connection, d: &Demand) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE demand SET ext_id = ?1, enterprise_id = ?2, title = ?3, description = ?4, subfield_text = ?5,
            keywords = ?6, coop_modes = ?7, budget_wan = ?8, budget_text = ?9, urgency = ?10, deadline = ?11,
            status = ?12, updated_at = strftime('%Y-%m-%d %H:%M:%S','now','localtime')
         WHERE id = ?13",
    )?
    .execute(params![
        d.ext_id,
        d.enterprise_id,
        d.title,
        d.description,
        d.subfield_text,
        json_list(&d.keywords),
        json_list(&d.coop_modes),
        d.budget_wan,
        d.budget_text,
        d.urgency.map(Urgency::label),
        d.deadline,
        d.status.label(),
        d.id
    ])?;
    set_subfields(conn, "demand_subfield", "demand_id", d.id, &d.subfields)
}

/// Row ids of the demands of some enterprises, sorted.
pub fn demand_ids_of_enterprises(conn: &Connection, enterprise_ids: &[i64]) -> rusqlite::Result<Vec<i64>> {
    if enterprise_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = enterprise_ids.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(",");
    let mut stmt = conn.prepare(&format!("SELECT id FROM demand WHERE enterprise_id IN ({list}) ORDER BY id"))?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

pub fn delete_demand(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM demand WHERE id = ?1", [id])? > 0)
}

pub fn get_demand(conn: &Connection, id: i64) -> rusqlite::Result<Option<Demand>> {
    conn.prepare_cached(&format!("SELECT {DEMAND_COLS} {DEMAND_FROM} WHERE d.id = ?1"))?
        .query_row([id], demand_from_row)
        .optional()
}

/// Several demands by row id in one statement (missing ids are skipped), sorted by id.
pub fn get_demands(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Demand>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(",");
    let mut stmt = conn.prepare(&format!("SELECT {DEMAND_COLS} {DEMAND_FROM} WHERE d.id IN ({list}) ORDER BY d.id"))?;
    stmt.query_map([], demand_from_row)?.collect()
}

pub fn find_demand(conn: &Connection, ext_id: &str) -> rusqlite::Result<Option<Demand>> {
    conn.query_row(&format!("SELECT {DEMAND_COLS} {DEMAND_FROM} WHERE d.ext_id = ?1"), [ext_id], demand_from_row)
        .optional()
}

/// All demands, sorted by 编号.
pub fn list_demands(conn: &Connection) -> rusqlite::Result<Vec<Demand>> {
    let mut stmt = conn.prepare(&format!("SELECT {DEMAND_COLS} {DEMAND_FROM} ORDER BY d.ext_id, d.id"))?;
    stmt.query_map([], demand_from_row)?.collect()
}

/// What the importer needs of a stored demand to recognise it again.
#[derive(Debug, Clone)]
pub struct DemandKey {
    pub id: i64,
    pub ext_id: String,
    pub enterprise: String,
    pub title: String,
}

pub fn demand_keys(conn: &Connection) -> rusqlite::Result<Vec<DemandKey>> {
    let mut stmt =
        conn.prepare(&format!("SELECT d.id, d.ext_id, coalesce(en.name, ''), d.title {DEMAND_FROM} ORDER BY d.id"))?;
    stmt.query_map([], |r| Ok(DemandKey { id: r.get(0)?, ext_id: r.get(1)?, enterprise: r.get(2)?, title: r.get(3)? }))?
        .collect()
}

pub fn log_import(
    conn: &Connection,
    kind: &str,
    file: &str,
    counts: (usize, usize, usize, usize),
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO import_log(kind, file, added, updated, unchanged, rejected) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind, file, counts.0 as i64, counts.1 as i64, counts.2 as i64, counts.3 as i64],
    )?;
    Ok(())
}

// ---------------------------------------------------------------- exclusions and availability

/// Marks a pair; marking it again replaces the kind and note.
pub fn set_exclusion(
    conn: &Connection,
    expert_id: i64,
    enterprise_id: i64,
    kind: ExclusionKind,
    note: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO exclusion(expert_id, enterprise_id, kind, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(expert_id, enterprise_id) DO UPDATE SET kind = excluded.kind, note = excluded.note",
        params![expert_id, enterprise_id, kind.label(), note],
    )?;
    Ok(())
}

pub fn clear_exclusion(conn: &Connection, expert_id: i64, enterprise_id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM exclusion WHERE expert_id = ?1 AND enterprise_id = ?2", [expert_id, enterprise_id])?
        > 0)
}

/// How an expert–enterprise pair is marked, if at all.
pub fn exclusion(conn: &Connection, expert_id: i64, enterprise_id: i64) -> rusqlite::Result<Option<ExclusionKind>> {
    use rusqlite::OptionalExtension;
    let k: Option<String> = conn
        .query_row(
            "SELECT kind FROM exclusion WHERE expert_id = ?1 AND enterprise_id = ?2",
            [expert_id, enterprise_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(k.map(|k| ExclusionKind::parse(&k).unwrap_or(ExclusionKind::Conflict)))
}

/// (expert id, enterprise id, kind) of every marked pair, sorted.
pub fn exclusions(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64, ExclusionKind)>> {
    let mut stmt =
        conn.prepare("SELECT expert_id, enterprise_id, kind FROM exclusion ORDER BY expert_id, enterprise_id")?;
    stmt.query_map([], |r| {
        let k: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, ExclusionKind::parse(&k).unwrap_or(ExclusionKind::Conflict)))
    })?
    .collect()
}

pub fn set_available(conn: &Connection, expert_id: i64, available: bool) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE expert SET available = ?1, updated_at = strftime('%Y-%m-%d %H:%M:%S','now','localtime') WHERE id = ?2",
        params![available, expert_id],
    )? > 0)
}

// ---------------------------------------------------------------- pairings and list rows

/// Records an expert–demand pairing (加入对接); returns false when it already existed.
pub fn add_pairing(
    conn: &Connection,
    expert_id: i64,
    demand_id: i64,
    score: Option<f64>,
    reasons: &str,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO pairing(expert_id, demand_id, score, reasons) VALUES (?1, ?2, ?3, ?4)",
        params![expert_id, demand_id, score, reasons],
    )? > 0)
}

/// Records or updates a pairing from a history file (`bole import pairings`): a pair already
/// recorded takes the new stage, date and note. Returns true when the pair was new.
pub fn upsert_pairing(conn: &Connection, p: &crate::domain::pairing::Pairing) -> rusqlite::Result<bool> {
    let existed: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM pairing WHERE expert_id = ?1 AND demand_id = ?2)",
        [p.expert_id, p.demand_id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO pairing(expert_id, demand_id, stage, stage_date, source, note, confirmed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(expert_id, demand_id) DO UPDATE SET stage = excluded.stage,
           stage_date = excluded.stage_date, note = excluded.note, confirmed = excluded.confirmed",
        params![p.expert_id, p.demand_id, p.stage.label(), p.stage_date, p.source, p.note, p.confirmed],
    )?;
    Ok(!existed)
}

/// (expert id, demand id) of every pairing that counts as evidence of fit, sorted.
pub fn confirmed_pairings(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut stmt =
        conn.prepare("SELECT expert_id, demand_id FROM pairing WHERE confirmed = 1 ORDER BY expert_id, demand_id")?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// (expert id, demand id) of every pairing, sorted.
pub fn pairings(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare("SELECT expert_id, demand_id FROM pairing ORDER BY expert_id, demand_id")?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// A light row for list views (no long texts), sorted by 编号.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertRow {
    pub id: i64,
    pub ext_id: String,
    pub name: String,
    pub institution: String,
    pub title: String,
    pub region: String,
    pub subfields: Vec<String>,
    pub available: bool,
}

pub fn expert_rows(conn: &Connection) -> rusqlite::Result<Vec<ExpertRow>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.ext_id, e.name, e.institution, e.title, e.region, e.available,
            (SELECT group_concat(code) FROM expert_subfield s WHERE s.expert_id = e.id)
         FROM expert e ORDER BY e.ext_id, e.id",
    )?;
    stmt.query_map([], |r| {
        Ok(ExpertRow {
            id: r.get(0)?,
            ext_id: r.get(1)?,
            name: r.get(2)?,
            institution: r.get(3)?,
            title: r.get(4)?,
            region: r.get(5)?,
            available: r.get(6)?,
            subfields: codes(r.get(7)?),
        })
    })?
    .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub id: i64,
    pub ext_id: String,
    pub enterprise: String,
    pub enterprise_id: Option<i64>,
    pub title: String,
    pub subfields: Vec<String>,
    pub status: DemandStatus,
    pub urgency: Option<Urgency>,
    pub deadline: String,
}

pub fn demand_rows(conn: &Connection) -> rusqlite::Result<Vec<DemandRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT d.id, d.ext_id, coalesce(en.name, ''), d.enterprise_id, d.title, d.status, d.urgency, d.deadline,
            (SELECT group_concat(code) FROM demand_subfield s WHERE s.demand_id = d.id)
         {DEMAND_FROM} ORDER BY d.ext_id, d.id"
    ))?;
    stmt.query_map([], |r| {
        let status: String = r.get(5)?;
        let urgency: Option<String> = r.get(6)?;
        Ok(DemandRow {
            id: r.get(0)?,
            ext_id: r.get(1)?,
            enterprise: r.get(2)?,
            enterprise_id: r.get(3)?,
            title: r.get(4)?,
            status: DemandStatus::parse(&status).unwrap_or_default(),
            urgency: urgency.as_deref().and_then(Urgency::parse),
            deadline: r.get(7)?,
            subfields: codes(r.get(8)?),
        })
    })?
    .collect()
}

/// The counter bumped by every write to experts, demands and enterprise names (see migration 2).
pub fn change_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT value FROM meta WHERE key = 'change_seq'", [], |r| r.get(0))
}

/// Marks records as demo data (or real data, `demo == false`) in the same transaction as the
/// import that wrote them; an enterprise is demo data while all its demands are.
pub fn mark_demo(conn: &Connection, experts: &[i64], demands: &[i64], demo: bool) -> rusqlite::Result<()> {
    let mut e = conn.prepare_cached("UPDATE expert SET demo = ?2 WHERE id = ?1 AND demo <> ?2")?;
    for id in experts {
        e.execute(rusqlite::params![id, demo])?;
    }
    let mut d = conn.prepare_cached("UPDATE demand SET demo = ?2 WHERE id = ?1 AND demo <> ?2")?;
    let mut en = conn.prepare_cached(
        "UPDATE enterprise SET demo = NOT EXISTS (SELECT 1 FROM demand x WHERE x.enterprise_id = enterprise.id AND x.demo = 0)
         WHERE id = (SELECT enterprise_id FROM demand WHERE id = ?1)",
    )?;
    for id in demands {
        d.execute(rusqlite::params![id, demo])?;
        en.execute([id])?;
    }
    Ok(())
}

/// How many experts and demands are demo data.
pub fn demo_counts(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM expert WHERE demo = 1), (SELECT count(*) FROM demand WHERE demo = 1)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// What clearing the demo data removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCleared {
    pub experts: usize,
    pub demands: usize,
    pub enterprises: usize,
    pub meetings: usize,
}

/// Removes the demo records and everything attached to them (pairings, exclusions, meeting
/// places, meetings left with no demand), and nothing else. Call inside one transaction.
pub fn clear_demo(conn: &Connection) -> rusqlite::Result<DemoCleared> {
    // Meetings that had demo demands and would keep none of their own.
    let meetings = conn.execute(
        "DELETE FROM meeting WHERE id IN (SELECT meeting_id FROM meeting_demand md JOIN demand d ON d.id = md.demand_id
             GROUP BY meeting_id HAVING sum(d.demo = 0) = 0 AND sum(d.demo = 1) > 0)",
        [],
    )?;
    let demands = conn.execute("DELETE FROM demand WHERE demo = 1", [])?;
    let experts = conn.execute("DELETE FROM expert WHERE demo = 1", [])?;
    let enterprises = conn.execute(
        "DELETE FROM enterprise WHERE demo = 1 AND NOT EXISTS (SELECT 1 FROM demand d WHERE d.enterprise_id = enterprise.id)",
        [],
    )?;
    Ok(DemoCleared { experts, demands, enterprises, meetings })
}

/// A setting kept with the data (e.g. the backups folder).
pub fn setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

pub fn delete_setting(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM setting WHERE key = ?1", [key])?;
    Ok(())
}

/// SQLite's `data_version`: it changes when another connection commits to the file.
pub fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "data_version", |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Taxonomy;
    use crate::store::open_in_memory;

    fn expert(ext: &str, name: &str) -> Expert {
        Expert {
            ext_id: ext.into(),
            name: name.into(),
            institution: "厦门大学".into(),
            subfields: vec!["SC01".into(), "FL01".into()],
            keywords: vec!["碳化硅".into(), "外延".into()],
            available: true,
            ..Default::default()
        }
    }

    #[test]
    fn expert_round_trip_and_generated_ids() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let id = insert_expert(&conn, &expert("ZJ0001", "张伟")).unwrap();
        let back = get_expert(&conn, id).unwrap().unwrap();
        assert_eq!(back.name, "张伟");
        assert_eq!(back.subfields, vec!["FL01", "SC01"]);
        assert_eq!(back.keywords, vec!["碳化硅", "外延"]);
        assert!(!back.created_at.is_empty());

        let id2 = insert_expert(&conn, &expert("", "李娜")).unwrap();
        assert_eq!(get_expert(&conn, id2).unwrap().unwrap().ext_id, format!("BL-E{id2:05}"));

        let mut e = back.clone();
        e.subfields = vec!["NE01".into()];
        e.title = "教授".into();
        update_expert(&conn, &e).unwrap();
        let again = find_expert(&conn, "ZJ0001").unwrap().unwrap();
        assert_eq!((again.title.as_str(), again.subfields.clone()), ("教授", vec!["NE01".to_string()]));
        let list = list_experts(&conn).unwrap();
        assert_eq!(
            list.iter().map(|e| e.ext_id.as_str()).collect::<Vec<_>>(),
            vec![format!("BL-E{id2:05}").as_str(), "ZJ0001"]
        );
        assert!(delete_expert(&conn, id).unwrap());
        let n: i64 =
            conn.query_row("SELECT count(*) FROM expert_subfield WHERE expert_id = ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "subfields cascade on delete");
    }

    #[test]
    fn exclusions_and_change_counter() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let s0 = change_seq(&conn).unwrap();
        let e = insert_expert(&conn, &expert("ZJ1", "张伟")).unwrap();
        assert!(change_seq(&conn).unwrap() > s0, "inserts bump the counter");
        let en = insert_enterprise(&conn, &Enterprise { name: "甲公司".into(), ..Default::default() }).unwrap();
        set_exclusion(&conn, e, en, ExclusionKind::Conflict, "同一单位").unwrap();
        set_exclusion(&conn, e, en, ExclusionKind::DoNotSuggest, "").unwrap();
        assert_eq!(exclusions(&conn).unwrap(), vec![(e, en, ExclusionKind::DoNotSuggest)]);
        assert!(clear_exclusion(&conn, e, en).unwrap());
        assert!(exclusions(&conn).unwrap().is_empty());
        let s1 = change_seq(&conn).unwrap();
        set_available(&conn, e, false).unwrap();
        assert!(!get_expert(&conn, e).unwrap().unwrap().available);
        assert!(change_seq(&conn).unwrap() > s1);
    }

    #[test]
    fn unknown_subfield_code_is_refused_by_foreign_key() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let mut e = expert("ZJ9", "王五");
        e.subfields = vec!["XX99".into()];
        assert!(insert_expert(&conn, &e).is_err());
    }

    #[test]
    fn demand_with_enterprise_and_restrict_on_delete() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let en = insert_enterprise(&conn, &Enterprise { name: "福建清源氟化学有限公司".into(), ..Default::default() })
            .unwrap();
        let d = Demand {
            ext_id: "XQ-1".into(),
            enterprise_id: Some(en),
            title: "六氟磷酸锂结晶收率提升".into(),
            budget_wan: Some(50.0),
            urgency: Some(Urgency::High),
            status: DemandStatus::InProgress,
            subfields: vec!["FL05".into()],
            ..Default::default()
        };
        let id = insert_demand(&conn, &d).unwrap();
        let back = get_demand(&conn, id).unwrap().unwrap();
        assert_eq!(back.enterprise, "福建清源氟化学有限公司");
        assert_eq!(
            (back.urgency, back.status, back.budget_wan),
            (Some(Urgency::High), DemandStatus::InProgress, Some(50.0))
        );
        assert!(delete_enterprise(&conn, en).is_err(), "an enterprise with demands cannot be deleted");
        delete_demand(&conn, id).unwrap();
        assert!(delete_enterprise(&conn, en).unwrap());
    }
}
