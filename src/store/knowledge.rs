//! The knowledge files as the knowledge editor last wrote them (table `knowledge_file`): their
//! rows are what the change log records for a knowledge change, so undo puts a file back the
//! way it puts a record back. The files in the data folder stay what Bole reads at start.

use rusqlite::{Connection, OptionalExtension};

/// The row of file `name`, made with `content` when there is none yet (the state before the
/// first logged change); returns its id.
pub fn knowledge_file_row(conn: &Connection, name: &str, content: &str) -> rusqlite::Result<i64> {
    conn.execute("INSERT OR IGNORE INTO knowledge_file(name, content) VALUES (?1, ?2)", [name, content])?;
    conn.query_row("SELECT id FROM knowledge_file WHERE name = ?1", [name], |r| r.get(0))
}

/// Sets the text of file row `id`.
pub fn set_knowledge_file(conn: &Connection, id: i64, content: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE knowledge_file SET content = ?2 WHERE id = ?1", rusqlite::params![id, content])?;
    Ok(())
}

/// (name, text) of file row `id`, if there is one.
pub fn knowledge_file(conn: &Connection, id: i64) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row("SELECT name, content FROM knowledge_file WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_row_is_made_once_and_then_updated() {
        let conn = crate::store::open_in_memory(&crate::domain::Knowledge::builtin().taxonomy).unwrap();
        let id = knowledge_file_row(&conn, "synonyms.toml", "a").unwrap();
        assert_eq!(knowledge_file_row(&conn, "synonyms.toml", "b").unwrap(), id, "the first text stays");
        assert_eq!(knowledge_file(&conn, id).unwrap(), Some(("synonyms.toml".into(), "a".into())));
        set_knowledge_file(&conn, id, "c").unwrap();
        assert_eq!(knowledge_file(&conn, id).unwrap().unwrap().1, "c");
        assert_eq!(knowledge_file(&conn, id + 1).unwrap(), None);
    }
}
