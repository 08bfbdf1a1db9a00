//! A sheet gathered cell by cell into a text grid, within the limits of [`super`]: only cells that
//! hold text take a place (empty cells never extend the grid), a cell with text beyond
//! [`MAX_ROWS`]/[`MAX_COLUMNS`] or longer than [`MAX_CELL_CHARS`] is refused naming the cell, and a
//! workbook's grids together hold at most [`MAX_CELLS`] places and [`MAX_TEXT_BYTES`] of text
//! (merged regions, filled with their top-left value, count too).

use super::table::Table;
use super::{FileError, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES, Result};

/// A merged region: ((first row, first col), (last row, last col)), 0-based sheet coordinates.
pub(crate) type Region = ((u32, u32), (u32, u32));

/// What the grids of one workbook have used so far.
pub(crate) struct Budget<'n> {
    name: &'n str,
    places: usize,
    text: usize,
}

impl<'n> Budget<'n> {
    pub fn new(name: &'n str) -> Self {
        Budget { name, places: 0, text: 0 }
    }

    fn text(&mut self, bytes: usize) -> Result<()> {
        self.text += bytes;
        if self.text > MAX_TEXT_BYTES {
            return Err(FileError::TooMuchText { name: self.name.to_string(), max: MAX_TEXT_BYTES });
        }
        Ok(())
    }

    fn places(&mut self, n: usize, sheet: &str) -> Result<()> {
        self.places += n;
        if self.places > MAX_CELLS {
            return Err(FileError::TooManyCells {
                name: self.name.to_string(),
                sheet: sheet.to_string(),
                max: MAX_CELLS,
            });
        }
        Ok(())
    }
}

/// The cells of one sheet with text, in sheet coordinates (0-based).
pub(crate) struct Grid<'b, 'n> {
    budget: &'b mut Budget<'n>,
    sheet: String,
    cells: Vec<(u32, u32, String)>,
}

/// A cell's name as Excel shows it: (0, 0) → "A1", (1048575, 16383) → "XFD1048576".
pub(crate) fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        let rem = u8::try_from((c - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), u64::from(row) + 1)
}

impl<'b, 'n> Grid<'b, 'n> {
    pub fn new(budget: &'b mut Budget<'n>, sheet: &str) -> Self {
        Grid { budget, sheet: sheet.to_string(), cells: Vec::new() }
    }

    /// Takes a cell's text (trimmed; nothing happens for empty text).
    pub fn put(&mut self, row: u32, col: u32, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let name = || self.budget.name.to_string();
        if row as usize >= MAX_ROWS {
            return Err(FileError::TooManyRows {
                name: name(),
                sheet: self.sheet.clone(),
                row: row as usize + 1,
                max: MAX_ROWS,
            });
        }
        if col as usize >= MAX_COLUMNS {
            let cell = cell_name(row, col);
            return Err(FileError::TooManyColumns { name: name(), sheet: self.sheet.clone(), cell, max: MAX_COLUMNS });
        }
        // Cheap first: only a long text can have too many characters.
        if text.len() > MAX_CELL_CHARS {
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                let cell = cell_name(row, col);
                return Err(FileError::CellTooLong {
                    name: name(),
                    sheet: self.sheet.clone(),
                    cell,
                    chars,
                    max: MAX_CELL_CHARS,
                });
            }
        }
        self.budget.text(text.len())?;
        // Each cell with text takes at least its own place.
        self.budget.places(1, &self.sheet)?;
        self.cells.push((row, col, text.to_string()));
        Ok(())
    }

    /// The grid as a table: rows from the first row with text, columns from the first column with
    /// text; merged regions ((first row, first col), (last row, last col)) filled with their
    /// top-left value where empty, within the grid.
    pub fn finish(mut self, merges: &[Region]) -> Result<Table> {
        if self.cells.is_empty() {
            return Ok(Table { sheet: self.sheet, rows: Vec::new(), first_row: 1, ..Default::default() });
        }
        // Stable: of two values at one place (a damaged file) the later one stays.
        self.cells.sort_by_key(|&(r, c, _)| (r, c));
        let r0 = self.cells[0].0;
        let c0 = self.cells.iter().map(|&(_, c, _)| c).min().unwrap_or(0);
        let last_row = self.cells[self.cells.len() - 1].0;
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); (last_row - r0) as usize + 1];
        let mut places = 0usize;
        for (r, c, text) in self.cells.drain(..) {
            let row = &mut rows[(r - r0) as usize];
            let c = (c - c0) as usize;
            if row.len() <= c {
                places += c + 1 - row.len();
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        // The cells were counted once each; the empty places between them count now.
        let cells_counted = rows.iter().map(|r| r.iter().filter(|c| !c.is_empty()).count()).sum::<usize>();
        self.budget.places(places.saturating_sub(cells_counted), &self.sheet)?;
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for &(start, end) in merges {
            fill_merged(&mut rows, (r0, c0), width, (start, end), self.budget, &self.sheet)?;
        }
        Ok(Table { sheet: self.sheet, rows, first_row: r0 as usize + 1, ..Default::default() })
    }
}

/// Fills the empty cells of a merged region with its top-left value, within `width` columns.
fn fill_merged(
    rows: &mut [Vec<String>],
    origin: (u32, u32),
    width: usize,
    (start, end): Region,
    budget: &mut Budget,
    sheet: &str,
) -> Result<()> {
    let (Some(r_start), Some(c_start)) = (start.0.checked_sub(origin.0), start.1.checked_sub(origin.1)) else {
        return Ok(());
    };
    let (r_start, c_start) = (r_start as usize, c_start as usize);
    let value = match rows.get(r_start).and_then(|r| r.get(c_start)) {
        Some(v) if !v.is_empty() => v.clone(),
        _ => return Ok(()),
    };
    let r_end = (end.0.saturating_sub(origin.0) as usize).min(rows.len().saturating_sub(1));
    let c_end = (end.1.saturating_sub(origin.1) as usize).min(width.saturating_sub(1));
    for row in rows.iter_mut().take(r_end + 1).skip(r_start) {
        if row.len() <= c_end {
            budget.places(c_end + 1 - row.len(), sheet)?;
            row.resize(c_end + 1, String::new());
        }
        for cell in row.iter_mut().take(c_end + 1).skip(c_start) {
            if cell.is_empty() {
                budget.text(value.len())?;
                cell.clone_from(&value);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn empty_cells_never_extend_the_grid() {
        let mut b = Budget::new("x.xlsx");
        let mut g = Grid::new(&mut b, "Sheet1");
        g.put(2, 1, " 编号 ").unwrap();
        g.put(2, 2, "姓名").unwrap();
        g.put(4, 3, "张伟").unwrap();
        g.put(1_048_575, 16_383, "   ").unwrap();
        let t = g.finish(&[]).unwrap();
        assert_eq!(t.first_row, 3);
        assert_eq!(t.rows, vec![vec!["编号", "姓名"], vec![], vec!["", "", "张伟"]]);
    }

    #[test]
    fn cells_beyond_the_limits_are_named() {
        let mut b = Budget::new("x.xlsx");
        let mut g = Grid::new(&mut b, "Sheet1");
        let e = g.put(1_048_575, 16_383, "x").unwrap_err();
        assert!(matches!(e, FileError::TooManyRows { row: 1_048_576, .. }), "{e:?}");
        let e = g.put(0, 16_383, "x").unwrap_err();
        assert!(matches!(&e, FileError::TooManyColumns { cell, .. } if cell == "XFD1"), "{e:?}");
        let e = g.put(0, 0, &"长".repeat(MAX_CELL_CHARS + 1)).unwrap_err();
        assert!(
            matches!(&e, FileError::CellTooLong { cell, chars, .. } if cell == "A1" && *chars == MAX_CELL_CHARS + 1)
        );
        g.put(0, 0, &"长".repeat(MAX_CELL_CHARS)).unwrap();
    }

    #[test]
    fn merged_regions_fill_within_the_grid_and_count() {
        let mut b = Budget::new("x.xlsx");
        let mut g = Grid::new(&mut b, "Sheet1");
        g.put(1, 0, "企业A").unwrap();
        g.put(1, 1, "x").unwrap();
        g.put(3, 1, "z").unwrap();
        // A region reaching far beyond the data is cut to the grid.
        let t = g.finish(&[((1, 0), (1_048_575, 16_383))]).unwrap();
        assert_eq!(t.rows, vec![vec!["企业A", "x"], vec!["企业A", "企业A"], vec!["企业A", "z"]]);
    }

    #[test]
    fn too_many_places_in_all() {
        let mut b = Budget::new("x.xlsx");
        let mut g = Grid::new(&mut b, "Sheet1");
        // Two cells per row, at the first and the last column: every place between counts.
        let rows = (MAX_CELLS / MAX_COLUMNS) as u32 + 1;
        for r in 0..rows {
            g.put(r, 0, "a").unwrap();
            g.put(r, MAX_COLUMNS as u32 - 1, "b").unwrap();
        }
        assert!(matches!(g.finish(&[]), Err(FileError::TooManyCells { .. })));
    }
}
