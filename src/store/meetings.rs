//! Reads and writes of matchmaking meetings (对接会): the meeting, its participants, its pairings
//! with slot and table, and the pairs the user removed. Lists come back sorted.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::records::{json_list, parse_list};
use crate::domain::followup::SittingResult;
use crate::domain::meeting::{
    Checkin, Meeting, MeetingDemand, MeetingExpert, MeetingPair, MeetingPlan, MeetingSummary, Party, Presence,
};

const MEETING_COLS: &str = "id, name, date, venue, start_min, slot_minutes, slots, tables, min_experts, max_experts,
    expert_cap, avoid_previous, created_at, min_score";

fn meeting_from_row(r: &Row) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        name: r.get(1)?,
        date: r.get(2)?,
        venue: r.get(3)?,
        start_min: r.get(4)?,
        slot_minutes: r.get(5)?,
        slots: r.get(6)?,
        tables: r.get(7)?,
        min_experts: r.get(8)?,
        max_experts: r.get(9)?,
        expert_cap: r.get(10)?,
        avoid_previous: r.get(11)?,
        created_at: r.get(12)?,
        min_score: r.get(13)?,
    })
}

/// Inserts a meeting; returns its id.
pub fn insert_meeting(conn: &Connection, m: &Meeting) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO meeting(name, date, venue, start_min, slot_minutes, slots, tables, min_experts, max_experts,
             expert_cap, avoid_previous, min_score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            m.name,
            m.date,
            m.venue,
            m.start_min,
            m.slot_minutes,
            m.slots,
            m.tables,
            m.min_experts,
            m.max_experts,
            m.expert_cap,
            m.avoid_previous,
            m.min_score
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Updates a meeting's own fields (not its participants or pairings).
pub fn update_meeting(conn: &Connection, m: &Meeting) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE meeting SET name = ?1, date = ?2, venue = ?3, start_min = ?4, slot_minutes = ?5, slots = ?6,
             tables = ?7, min_experts = ?8, max_experts = ?9, expert_cap = ?10, avoid_previous = ?11, min_score = ?13
         WHERE id = ?12",
        params![
            m.name,
            m.date,
            m.venue,
            m.start_min,
            m.slot_minutes,
            m.slots,
            m.tables,
            m.min_experts,
            m.max_experts,
            m.expert_cap,
            m.avoid_previous,
            m.id,
            m.min_score
        ],
    )? > 0)
}

pub fn delete_meeting(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM meeting WHERE id = ?1", [id])? > 0)
}

pub fn get_meeting(conn: &Connection, id: i64) -> rusqlite::Result<Option<Meeting>> {
    conn.query_row(&format!("SELECT {MEETING_COLS} FROM meeting WHERE id = ?1"), [id], meeting_from_row).optional()
}

/// Meeting ids whose name is exactly `name`, oldest first.
pub fn find_meetings(conn: &Connection, name: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM meeting WHERE name = ?1 ORDER BY id")?;
    stmt.query_map([name], |r| r.get(0))?.collect()
}

/// Every meeting with its counts, newest date first, then by id.
pub fn list_meetings(conn: &Connection) -> rusqlite::Result<Vec<MeetingSummary>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, m.date, m.venue,
            (SELECT count(*) FROM meeting_demand x WHERE x.meeting_id = m.id),
            (SELECT count(*) FROM meeting_expert x WHERE x.meeting_id = m.id),
            (SELECT count(*) FROM meeting_pair x WHERE x.meeting_id = m.id),
            (SELECT count(*) FROM meeting_pair x WHERE x.meeting_id = m.id AND x.slot IS NULL)
         FROM meeting m ORDER BY m.date DESC, m.id DESC",
    )?;
    stmt.query_map([], |r| {
        let pairs: i64 = r.get(6)?;
        let unplaced: i64 = r.get(7)?;
        Ok(MeetingSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            date: r.get(2)?,
            venue: r.get(3)?,
            demands: r.get::<_, i64>(4)? as usize,
            experts: r.get::<_, i64>(5)? as usize,
            pairs: pairs as usize,
            scheduled: pairs > 0 && unplaced == 0,
        })
    })?
    .collect()
}

/// The meeting with participants (sorted by 编号), pairings (by demand 编号, then score, then expert
/// 编号) and removed pairs.
pub fn load_plan(conn: &Connection, id: i64) -> rusqlite::Result<Option<MeetingPlan>> {
    let Some(meeting) = get_meeting(conn, id)? else { return Ok(None) };
    let mut stmt = conn.prepare(
        "SELECT d.id, d.ext_id, d.title, d.enterprise_id, coalesce(en.name, ''), x.min_experts, x.max_experts
         FROM meeting_demand x JOIN demand d ON d.id = x.demand_id LEFT JOIN enterprise en ON en.id = d.enterprise_id
         WHERE x.meeting_id = ?1 ORDER BY d.ext_id, d.id",
    )?;
    let demands = stmt
        .query_map([id], |r| {
            Ok(MeetingDemand {
                demand_id: r.get(0)?,
                ext_id: r.get(1)?,
                title: r.get(2)?,
                enterprise_id: r.get(3)?,
                enterprise: r.get(4)?,
                min: r.get(5)?,
                max: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.ext_id, e.name, e.institution, x.cap
         FROM meeting_expert x JOIN expert e ON e.id = x.expert_id WHERE x.meeting_id = ?1 ORDER BY e.ext_id, e.id",
    )?;
    let experts = stmt
        .query_map([id], |r| {
            Ok(MeetingExpert {
                expert_id: r.get(0)?,
                ext_id: r.get(1)?,
                name: r.get(2)?,
                institution: r.get(3)?,
                cap: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT p.demand_id, p.expert_id, p.score, p.reasons, p.locked, p.slot, p.table_no, p.place_locked, p.result
         FROM meeting_pair p JOIN demand d ON d.id = p.demand_id JOIN expert e ON e.id = p.expert_id
         WHERE p.meeting_id = ?1 ORDER BY d.ext_id, p.score DESC, e.ext_id",
    )?;
    let pairs = stmt
        .query_map([id], |r| {
            Ok(MeetingPair {
                demand_id: r.get(0)?,
                expert_id: r.get(1)?,
                score: r.get(2)?,
                reasons: parse_list(&r.get::<_, String>(3)?),
                locked: r.get(4)?,
                slot: r.get(5)?,
                table: r.get(6)?,
                place_locked: r.get(7)?,
                result: SittingResult::parse(&r.get::<_, String>(8)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT demand_id, expert_id FROM meeting_removed WHERE meeting_id = ?1 ORDER BY demand_id, expert_id",
    )?;
    let removed = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let checkins = checkins(conn, id)?;
    Ok(Some(MeetingPlan { meeting, demands, experts, pairs, removed, checkins }))
}

/// The meeting day's check-ins (enterprises first, then experts, by id).
pub fn checkins(conn: &Connection, meeting: i64) -> rusqlite::Result<Vec<Checkin>> {
    let mut stmt = conn.prepare(
        "SELECT kind, record_id, status, at FROM meeting_checkin WHERE meeting_id = ?1
         ORDER BY kind = '专家', record_id",
    )?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, id, status, at) = row?;
        if let (Some(party), Some(presence)) = (Party::from_label(&kind, id), Presence::parse(&status)) {
            out.push(Checkin { party, presence, at });
        }
    }
    Ok(out)
}

/// Records a party's check-in (到场/缺席), replacing an earlier one; None clears it.
pub fn set_checkin(conn: &Connection, meeting: i64, party: Party, presence: Option<Presence>) -> rusqlite::Result<()> {
    match presence {
        Some(p) => conn.execute(
            "INSERT INTO meeting_checkin(meeting_id, kind, record_id, status) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(meeting_id, kind, record_id) DO UPDATE SET status = excluded.status,
                 at = strftime('%Y-%m-%d %H:%M:%S','now','localtime')",
            params![meeting, party.kind_label(), party.id(), p.label()],
        )?,
        None => conn.execute(
            "DELETE FROM meeting_checkin WHERE meeting_id = ?1 AND kind = ?2 AND record_id = ?3",
            params![meeting, party.kind_label(), party.id()],
        )?,
    };
    Ok(())
}

/// Adds demands to a meeting (ids already in it are kept with their bounds).
pub fn add_meeting_demands(conn: &Connection, meeting: i64, demand_ids: &[i64]) -> rusqlite::Result<usize> {
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO meeting_demand(meeting_id, demand_id) VALUES (?1, ?2)")?;
    let mut n = 0;
    for d in demand_ids {
        n += stmt.execute(params![meeting, d])?;
    }
    Ok(n)
}

/// Adds experts to a meeting.
pub fn add_meeting_experts(conn: &Connection, meeting: i64, expert_ids: &[i64]) -> rusqlite::Result<usize> {
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO meeting_expert(meeting_id, expert_id) VALUES (?1, ?2)")?;
    let mut n = 0;
    for e in expert_ids {
        n += stmt.execute(params![meeting, e])?;
    }
    Ok(n)
}

/// Takes a demand out of a meeting, with its pairings.
pub fn remove_meeting_demand(conn: &Connection, meeting: i64, demand_id: i64) -> rusqlite::Result<bool> {
    conn.execute("DELETE FROM meeting_pair WHERE meeting_id = ?1 AND demand_id = ?2", params![meeting, demand_id])?;
    Ok(conn
        .execute("DELETE FROM meeting_demand WHERE meeting_id = ?1 AND demand_id = ?2", params![meeting, demand_id])?
        > 0)
}

/// Takes an expert out of a meeting, with the expert's pairings.
pub fn remove_meeting_expert(conn: &Connection, meeting: i64, expert_id: i64) -> rusqlite::Result<bool> {
    conn.execute("DELETE FROM meeting_pair WHERE meeting_id = ?1 AND expert_id = ?2", params![meeting, expert_id])?;
    Ok(conn
        .execute("DELETE FROM meeting_expert WHERE meeting_id = ?1 AND expert_id = ?2", params![meeting, expert_id])?
        > 0)
}

/// Per-demand bounds (None = the meeting's default).
pub fn set_demand_bounds(
    conn: &Connection,
    meeting: i64,
    demand_id: i64,
    min: Option<u32>,
    max: Option<u32>,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE meeting_demand SET min_experts = ?3, max_experts = ?4 WHERE meeting_id = ?1 AND demand_id = ?2",
        params![meeting, demand_id, min, max],
    )? > 0)
}

/// Per-expert cap (None = the meeting's default).
pub fn set_expert_cap(conn: &Connection, meeting: i64, expert_id: i64, cap: Option<u32>) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE meeting_expert SET cap = ?3 WHERE meeting_id = ?1 AND expert_id = ?2",
        params![meeting, expert_id, cap],
    )? > 0)
}

/// Replaces every pairing of the meeting.
pub fn replace_meeting_pairs(conn: &Connection, meeting: i64, pairs: &[MeetingPair]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM meeting_pair WHERE meeting_id = ?1", [meeting])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO meeting_pair(meeting_id, demand_id, expert_id, score, reasons, locked, slot, table_no, place_locked,
             result)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for p in pairs {
        stmt.execute(params![
            meeting,
            p.demand_id,
            p.expert_id,
            p.score,
            json_list(&p.reasons),
            p.locked,
            p.slot,
            p.table,
            p.place_locked,
            p.result.map(SittingResult::label).unwrap_or("")
        ])?;
    }
    Ok(())
}

/// A meeting a record took part in, with its sittings there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRef {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub sittings: i64,
}

/// The meetings an expert (or a demand) took part in, newest first, then by id.
pub fn meetings_of(conn: &Connection, kind: crate::domain::RecordKind, id: i64) -> rusqlite::Result<Vec<MeetingRef>> {
    let (table, column) = match kind {
        crate::domain::RecordKind::Expert => ("meeting_expert", "expert_id"),
        crate::domain::RecordKind::Demand => ("meeting_demand", "demand_id"),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT m.id, m.name, m.date,
            (SELECT count(*) FROM meeting_pair p WHERE p.meeting_id = m.id AND p.{column} = ?1 AND p.slot IS NOT NULL)
         FROM meeting m JOIN {table} x ON x.meeting_id = m.id WHERE x.{column} = ?1 ORDER BY m.date DESC, m.id DESC"
    ))?;
    stmt.query_map([id], |r| Ok(MeetingRef { id: r.get(0)?, name: r.get(1)?, date: r.get(2)?, sittings: r.get(3)? }))?
        .collect()
}

/// Records a sitting's result (有意向继续 / 需要再沟通 / 无意向; empty clears it).
pub fn set_pair_result(
    conn: &Connection,
    meeting: i64,
    demand_id: i64,
    expert_id: i64,
    result: &str,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE meeting_pair SET result = ?4 WHERE meeting_id = ?1 AND demand_id = ?2 AND expert_id = ?3",
        params![meeting, demand_id, expert_id, result],
    )? > 0)
}

/// Marks a pair removed by the user (re-optimising never adds it back) and deletes it.
pub fn remove_meeting_pair(conn: &Connection, meeting: i64, demand_id: i64, expert_id: i64) -> rusqlite::Result<bool> {
    conn.execute(
        "INSERT OR IGNORE INTO meeting_removed(meeting_id, demand_id, expert_id) VALUES (?1, ?2, ?3)",
        params![meeting, demand_id, expert_id],
    )?;
    Ok(conn.execute(
        "DELETE FROM meeting_pair WHERE meeting_id = ?1 AND demand_id = ?2 AND expert_id = ?3",
        params![meeting, demand_id, expert_id],
    )? > 0)
}

/// Forgets a removal (the pair may be suggested again).
pub fn unremove_meeting_pair(
    conn: &Connection,
    meeting: i64,
    demand_id: i64,
    expert_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM meeting_removed WHERE meeting_id = ?1 AND demand_id = ?2 AND expert_id = ?3",
        params![meeting, demand_id, expert_id],
    )? > 0)
}

/// Locks or unlocks a pair (a locked pair is kept by re-optimisation).
pub fn set_pair_locked(
    conn: &Connection,
    meeting: i64,
    demand_id: i64,
    expert_id: i64,
    locked: bool,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE meeting_pair SET locked = ?4 WHERE meeting_id = ?1 AND demand_id = ?2 AND expert_id = ?3",
        params![meeting, demand_id, expert_id, locked],
    )? > 0)
}

/// Where a pairing sits: (demand, expert, slot, table, place fixed by the user); None clears.
pub type Place = (i64, i64, Option<u32>, Option<u32>, bool);

/// Sets the slot and table of pairs.
pub fn set_pair_places(conn: &Connection, meeting: i64, places: &[Place]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE meeting_pair SET slot = ?4, table_no = ?5, place_locked = ?6
         WHERE meeting_id = ?1 AND demand_id = ?2 AND expert_id = ?3",
    )?;
    for (d, e, s, t, l) in places {
        stmt.execute(params![meeting, d, e, s, t, l])?;
    }
    Ok(())
}

/// (expert, demand) pairs already paired outside this meeting: 加入对接 and other meetings.
pub fn previous_pairs(conn: &Connection, except_meeting: i64) -> rusqlite::Result<HashSet<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT expert_id, demand_id FROM pairing
         UNION SELECT expert_id, demand_id FROM meeting_pair WHERE meeting_id <> ?1",
    )?;
    stmt.query_map([except_meeting], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// (expert, demand) pairs recorded with 加入对接 among the given demands, sorted.
pub fn pairings_of_demands(conn: &Connection, demand_ids: &[i64]) -> rusqlite::Result<Vec<(i64, i64)>> {
    let wanted: HashSet<i64> = demand_ids.iter().copied().collect();
    // Pairs staff added (加入对接) that have not met yet; later stages need no sitting.
    let mut stmt = conn.prepare(
        "SELECT expert_id, demand_id FROM pairing WHERE source = '加入对接' AND stage IN ('已推荐', '已联系')
         ORDER BY demand_id, expert_id",
    )?;
    let all = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = Vec::new();
    for p in all {
        let p = p?;
        if wanted.contains(&p.1) {
            out.push(p);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Demand, Enterprise, Expert, Taxonomy};
    use crate::store::{insert_demand, insert_enterprise, insert_expert, open_in_memory};

    #[test]
    fn meeting_round_trip_with_participants_pairs_and_removals() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let en = insert_enterprise(
            &conn,
            &Enterprise { name: "甲公司".into(), avoid_units: vec!["乙大学".into()], ..Default::default() },
        )
        .unwrap();
        let stored = crate::store::get_enterprise(&conn, en).unwrap().unwrap();
        assert_eq!(stored.avoid_units, vec!["乙大学".to_string()]);
        let d = insert_demand(
            &conn,
            &Demand { ext_id: "D1".into(), title: "需求一".into(), enterprise_id: Some(en), ..Default::default() },
        )
        .unwrap();
        let e1 =
            insert_expert(&conn, &Expert { ext_id: "E1".into(), name: "张三".into(), ..Default::default() }).unwrap();
        let e2 =
            insert_expert(&conn, &Expert { ext_id: "E2".into(), name: "李四".into(), ..Default::default() }).unwrap();
        let m = Meeting { name: "对接会".into(), date: "2026-12-05".into(), ..Default::default() };
        let id = insert_meeting(&conn, &m).unwrap();
        assert_eq!(add_meeting_demands(&conn, id, &[d, d]).unwrap(), 1);
        assert_eq!(add_meeting_experts(&conn, id, &[e2, e1]).unwrap(), 2);
        let pair = |e: i64, score: f64| MeetingPair {
            demand_id: d,
            expert_id: e,
            score,
            reasons: vec!["研究方向含：氟化工".into()],
            locked: false,
            slot: None,
            table: None,
            place_locked: false,
            result: None,
        };
        replace_meeting_pairs(&conn, id, &[pair(e1, 80.0), pair(e2, 90.0)]).unwrap();
        set_pair_places(&conn, id, &[(d, e1, Some(0), Some(2), true)]).unwrap();
        let plan = load_plan(&conn, id).unwrap().unwrap();
        assert_eq!(plan.meeting.name, "对接会");
        assert_eq!(plan.demands[0].enterprise, "甲公司");
        assert_eq!(plan.experts.iter().map(|e| e.ext_id.as_str()).collect::<Vec<_>>(), ["E1", "E2"]);
        assert_eq!(plan.pairs[0].expert_id, e2, "higher score first");
        assert_eq!(plan.pairs[1].slot, Some(0));
        assert!(plan.pairs[1].place_locked);
        assert!(!plan.is_scheduled());
        assert!(remove_meeting_pair(&conn, id, d, e2).unwrap());
        let plan = load_plan(&conn, id).unwrap().unwrap();
        assert_eq!(plan.removed, vec![(d, e2)]);
        assert_eq!(plan.pairs.len(), 1);
        assert!(plan.is_scheduled());
        let list = list_meetings(&conn).unwrap();
        assert_eq!((list[0].demands, list[0].experts, list[0].pairs, list[0].scheduled), (1, 2, 1, true));
        assert!(previous_pairs(&conn, id).unwrap().is_empty());
        assert_eq!(previous_pairs(&conn, id + 1).unwrap(), [(e1, d)].into());
        // Deleting a participant record cascades; deleting the meeting removes everything.
        assert!(remove_meeting_expert(&conn, id, e1).unwrap());
        assert!(load_plan(&conn, id).unwrap().unwrap().pairs.is_empty());
        assert!(delete_meeting(&conn, id).unwrap());
        assert!(load_plan(&conn, id).unwrap().is_none());
        let n: i64 = conn.query_row("SELECT count(*) FROM meeting_removed", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn schema_refuses_bad_meeting_values() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let bad = Meeting { name: "x".into(), min_experts: 3, max_experts: 1, ..Default::default() };
        assert!(insert_meeting(&conn, &bad).is_err());
        assert!(insert_meeting(&conn, &Meeting { name: "x".into(), tables: 0, ..Default::default() }).is_err());
    }
}
