//! Importing a list: the dry-run plan (typed rows, what will be added/updated, rejected rows with
//! their reasons per row and column, likely duplicates) and the commit of a plan in one transaction.
//!
//! Identity: a row is the same record as a stored one when its 编号 matches; without 编号, when
//! 姓名+单位 (experts) or 企业+需求名称 (demands) match exactly. Near spellings (厦门大学材料学院 vs
//! 厦门大学 材料学院) are only flagged as likely duplicates, never merged unless the user asks.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use super::headers::{DemandField, ExpertField, Field, HeaderMap, detect, norm_header};
use super::table::Table;
use super::{FileError, Result};
use crate::domain::rules::{self, Problem};
use crate::domain::{Demand, DemandStatus, Enterprise, Expert, RecordKind, SubfieldMatch, Taxonomy, parse_coop_modes};
use crate::store;
use crate::util::{norm_key, similarity, split_multi};

/// A problem with one cell or row. `row` is the row number as Excel shows it; `column` the
/// field's label.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub row: usize,
    pub column: String,
    pub problem: Problem,
}

impl Issue {
    /// The problem in Chinese (see [`Problem::text`]).
    pub fn message(&self) -> String {
        self.problem.text()
    }
}

/// What happens to an accepted row.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Add,
    /// Changes a stored record (row id).
    Update(i64),
    /// Same as the stored record: nothing to write.
    Unchanged(i64),
}

/// An accepted row with the record it becomes.
#[derive(Debug, Clone)]
pub struct Planned<T> {
    pub row: usize,
    pub record: T,
    pub action: Action,
}

/// A rejected row: its cells as read (to write back for fixing) and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub row: usize,
    pub cells: Vec<String>,
    pub reasons: Vec<Issue>,
}

/// A new row that looks like a stored record or another row of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub row: usize,
    /// How the new row reads, e.g. "张伟（厦门大学 材料学院）".
    pub label: String,
    /// The similar record: "已有 ZJ0001 张伟（厦门大学材料学院）" or "第 7 行 …".
    pub other: String,
    /// Row id of the stored record, when the other one is stored (then the row can be merged into it).
    pub other_id: Option<i64>,
    pub similarity: f64,
}

/// The dry-run result; committing it writes exactly this.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub kind: RecordKind,
    pub file: String,
    pub sheet: String,
    pub header_row: usize,
    /// (column header as written, field label) of recognised columns.
    pub recognised: Vec<(String, &'static str)>,
    pub ignored_columns: Vec<String>,
    pub experts: Vec<Planned<Expert>>,
    pub demands: Vec<Planned<Demand>>,
    /// Enterprises the demands need: existing ones (Some(id)) possibly updated, new ones (None).
    pub enterprises: Vec<(Option<i64>, Enterprise)>,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Issue>,
    pub duplicates: Vec<Duplicate>,
    /// The header row as written, for the rejected-rows workbook.
    pub headers: Vec<String>,
    /// Set when the file was read by its content because its extension named another format.
    pub mislabeled: Option<super::Mislabeled>,
}

/// Numbers of an import, for the preview and the log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

impl ImportPlan {
    /// The numbers of the import as planned (likely duplicates added as new records).
    pub fn counts(&self) -> Counts {
        self.counts_with(false)
    }

    /// The numbers the commit will report, with likely duplicates merged into the stored records
    /// they resemble or not: the preview and the result always agree.
    pub fn counts_with(&self, merge_duplicates: bool) -> Counts {
        let mut c = Counts { rejected: self.rejected.len(), ..Default::default() };
        let merges = self.merges(merge_duplicates);
        let experts = self.experts.iter().map(|p| self.action_of(&p.action, p.row, &merges));
        let demands = self.demands.iter().map(|p| self.action_of(&p.action, p.row, &merges));
        for a in experts.chain(demands) {
            match a {
                Action::Add => c.added += 1,
                Action::Update(_) => c.updated += 1,
                Action::Unchanged(_) => c.unchanged += 1,
            }
        }
        c
    }

    /// Row number → stored record it is merged into, when merging likely duplicates.
    fn merges(&self, merge_duplicates: bool) -> HashMap<usize, i64> {
        if !merge_duplicates {
            return HashMap::new();
        }
        self.duplicates.iter().filter_map(|d| d.other_id.map(|id| (d.row, id))).collect()
    }

    /// What happens to a row: its planned action, or an update of the stored record it is merged
    /// into (a demand flagged only for its enterprise stays a new demand of that enterprise).
    fn action_of(&self, planned: &Action, row: usize, merges: &HashMap<usize, i64>) -> Action {
        let enterprise_only = self.kind == RecordKind::Demand
            && self.duplicates.iter().any(|x| x.row == row && x.label.starts_with("企业"));
        match (planned, merges.get(&row)) {
            (Action::Add, Some(&id)) if !enterprise_only => Action::Update(id),
            (a, _) => a.clone(),
        }
    }

    /// A stored record is written by one row at most: a likely duplicate of a record that another
    /// row of the file already updates (by its 编号 or name), or that an earlier duplicate is
    /// merged into, is not offered for merging.
    fn settle_merges(&mut self) {
        let mut taken: std::collections::HashSet<i64> = self
            .experts
            .iter()
            .map(|p| &p.action)
            .chain(self.demands.iter().map(|p| &p.action))
            .filter_map(|a| match a {
                Action::Update(id) | Action::Unchanged(id) => Some(*id),
                Action::Add => None,
            })
            .collect();
        for d in &mut self.duplicates {
            // Enterprises are merged by name, separately from the records.
            if d.label.starts_with("企业") {
                continue;
            }
            if let Some(id) = d.other_id
                && !taken.insert(id)
            {
                d.other_id = None;
            }
        }
    }
}

/// Picks the sheet that is this kind of list (the one with the best header) and plans its import.
pub fn plan(
    conn: &Connection,
    taxonomy: &Taxonomy,
    tables: &[Table],
    kind: RecordKind,
    file: &str,
) -> Result<ImportPlan> {
    let mut plan = match kind {
        RecordKind::Expert => {
            let picked = pick::<ExpertField, DemandField>(tables, kind, file)?;
            plan_experts(conn, taxonomy, picked, file)?
        }
        RecordKind::Demand => {
            let picked = pick::<DemandField, ExpertField>(tables, kind, file)?;
            plan_demands(conn, taxonomy, picked, file)?
        }
    };
    plan.mislabeled = tables.first().and_then(|t| t.mislabeled.clone());
    plan.settle_merges();
    Ok(plan)
}

fn best<F: Field>(tables: &[Table]) -> Option<(&Table, HeaderMap<F>)> {
    tables
        .iter()
        .filter_map(|t| detect::<F>(&t.rows).map(|h| (t, h)))
        .max_by_key(|(t, h)| (h.columns.len(), std::cmp::Reverse(t.sheet.clone())))
}

/// The sheet with the best header of this kind (`F`); without one, the other kind's header (`G`)
/// says the file is the other list.
fn pick<'a, F: Field, G: Field>(
    tables: &'a [Table],
    kind: RecordKind,
    file: &str,
) -> Result<(&'a Table, HeaderMap<F>)> {
    if let Some(found) = best::<F>(tables) {
        return Ok(found);
    }
    if best::<G>(tables).is_some() {
        let found = match kind {
            RecordKind::Expert => RecordKind::Demand,
            RecordKind::Demand => RecordKind::Expert,
        };
        return Err(FileError::OtherKind { file: file.to_string(), kind, found });
    }
    Err(FileError::NoHeader { file: file.to_string(), kind, identity: F::IDENTITY.iter().map(|f| f.label()).collect() })
}

/// A row that repeats the header (a header copied along with rows from another file).
fn repeats_header<F: Field>(cells: &[String], header: &HeaderMap<F>) -> bool {
    header.columns.len() >= 2
        && header.columns.iter().all(|(c, _)| {
            let cell = cells.get(*c).map_or("", String::as_str);
            norm_header(cell) == norm_header(&header.headers[*c])
        })
}

/// Reads the recognised cells of one row.
struct RowCells<'a, F> {
    cells: &'a [String],
    columns: &'a [(usize, F)],
}

impl<F: Field> RowCells<'_, F> {
    fn get(&self, f: F) -> Option<&str> {
        self.columns.iter().find(|(_, g)| *g == f).map(|(c, _)| self.cells.get(*c).map(String::as_str).unwrap_or(""))
    }
    /// A cell's text, trimmed, without control and invisible characters (the record rules'
    /// [`rules::visible`], so identity keys and records read the same).
    fn text(&self, f: F) -> Option<String> {
        self.get(f).map(|s| rules::visible(s, true).trim().to_string())
    }
}

struct RowCheck {
    row: usize,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl RowCheck {
    fn error(&mut self, column: &str, problem: Problem) {
        self.errors.push(Issue { row: self.row, column: column.into(), problem });
    }
    fn warn(&mut self, column: &str, problem: Problem) {
        self.warnings.push(Issue { row: self.row, column: column.into(), problem });
    }
    /// Files the record rules' verdict on the finished record.
    fn record(&mut self, issues: Vec<rules::Issue>) {
        for i in issues {
            match i.severity {
                rules::Severity::Error => self.error(i.field, i.problem),
                rules::Severity::Warning => self.warn(i.field, i.problem),
            }
        }
    }
}

/// Maps a subfield cell to codes, warning about values kept as text only.
fn map_subfields(taxonomy: &Taxonomy, cell: &str, column: &str, check: &mut RowCheck) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for part in cell.split(['、', '；', ';', '，', ',', '\n', '|']).map(str::trim).filter(|p| !p.is_empty()) {
        // Names such as 石墨与石墨烯/碳材料 contain a slash: split on it only when the whole fails.
        let whole = taxonomy.map_label(part);
        let pieces = if whole == SubfieldMatch::Unmapped && part.contains(['/', '／']) {
            part.split(['/', '／']).map(|p| (p.trim().to_string(), taxonomy.map_label(p))).collect()
        } else {
            vec![(part.to_string(), whole)]
        };
        for (text, m) in pieces {
            match m.code() {
                Some(code) => {
                    if let SubfieldMatch::Fuzzy { label, .. } = &m {
                        check.warn(column, Problem::SubfieldFuzzy { text: text.clone(), label: label.clone() });
                    }
                    if !codes.iter().any(|c| c == code) {
                        codes.push(code.to_string());
                    }
                }
                None if !text.is_empty() => {
                    check.warn(column, Problem::SubfieldUnmapped(text));
                }
                None => {}
            }
        }
    }
    codes.sort();
    codes
}

// ------------------------------------------------------------------------------------------ experts

fn expert_from_row(taxonomy: &Taxonomy, r: &RowCells<ExpertField>, base: Expert, check: &mut RowCheck) -> Expert {
    use ExpertField as F;
    let mut e = base;
    let text = |f: F, slot: &mut String| {
        if let Some(v) = r.text(f) {
            *slot = v;
        }
    };
    text(F::Id, &mut e.ext_id);
    text(F::Name, &mut e.name);
    text(F::Gender, &mut e.gender);
    text(F::Institution, &mut e.institution);
    text(F::Department, &mut e.department);
    text(F::Title, &mut e.title);
    text(F::Recommender, &mut e.recommender);
    text(F::Research, &mut e.research);
    text(F::Achievements, &mut e.achievements);
    text(F::Region, &mut e.region);
    text(F::Note, &mut e.note);
    text(F::Phone, &mut e.phone);
    text(F::Email, &mut e.email);
    if let Some(v) = r.text(F::Subfield) {
        e.subfields = map_subfields(taxonomy, &v, "新材料细分领域", check);
        e.subfield_text = v;
    }
    if let Some(v) = r.text(F::Keywords) {
        e.keywords = split_multi(&v);
    }
    if let Some(v) = r.text(F::Coop) {
        e.coop_modes = coop_modes(&v, "合作方式", check);
    }
    if let Some(v) = r.text(F::Available) {
        e.available = !matches!(
            v.trim().to_lowercase().as_str(),
            "否" | "不可约" | "暂不可约" | "不可" | "no" | "n" | "false" | "0" | "×"
        );
    }
    e.normalize();
    check.record(e.check());
    e
}

/// A cooperation-mode cell: the known modes, then the others kept as written (with a warning).
fn coop_modes(cell: &str, column: &str, check: &mut RowCheck) -> Vec<String> {
    let (mut known, other) = parse_coop_modes(cell);
    for o in &other {
        check.warn(column, Problem::CoopUnknown(o.clone()));
    }
    known.extend(other);
    known
}

fn same_expert_content(a: &Expert, b: &Expert) -> bool {
    let strip = |e: &Expert| Expert { id: 0, created_at: String::new(), updated_at: String::new(), ..e.clone() };
    strip(a) == strip(b)
}

fn expert_label(e: &Expert) -> String {
    let name = if e.name.is_empty() { e.ext_id.as_str() } else { e.name.as_str() };
    if e.institution.is_empty() { name.to_string() } else { format!("{name}（{}）", e.institution) }
}

/// The stored experts, indexed the ways a row can name one of them.
struct StoredExperts {
    keys: Vec<store::ExpertKey>,
    by_ext: HashMap<String, usize>,
    by_name_inst: HashMap<(String, String), usize>,
    by_norm_name: HashMap<String, Vec<usize>>,
    /// Full records, loaded at once for large files re-importing many stored rows.
    cache: HashMap<i64, Expert>,
}

impl StoredExperts {
    fn load(conn: &Connection, rows: usize) -> Result<Self> {
        let keys = store::expert_keys(conn)?;
        let by_ext = keys.iter().enumerate().map(|(i, k)| (k.ext_id.clone(), i)).collect();
        let by_name_inst =
            keys.iter().enumerate().map(|(i, k)| ((rules::tidy_name(&k.name), k.institution.clone()), i)).collect();
        let mut by_norm_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_norm_name.entry(norm_key(&k.name)).or_default().push(i);
        }
        // One read of all experts beats a query per row when many rows are stored ones.
        let cache = if rows > 2000 && !keys.is_empty() {
            store::list_experts(conn)?.into_iter().map(|e| (e.id, e)).collect()
        } else {
            HashMap::new()
        };
        Ok(StoredExperts { keys, by_ext, by_name_inst, by_norm_name, cache })
    }

    /// The stored expert a row names: by 编号, else by 姓名+单位.
    fn find(&self, ext: &str, name: &str, inst: &str) -> Option<&store::ExpertKey> {
        let i = if ext.is_empty() {
            self.by_name_inst.get(&(name.to_string(), inst.to_string()))
        } else {
            self.by_ext.get(ext)
        };
        i.map(|&i| &self.keys[i])
    }

    /// The record a row starts from: the stored one, or a new one.
    fn base(&mut self, conn: &Connection, stored: Option<i64>) -> Result<Expert> {
        Ok(match stored {
            Some(id) => match self.cache.remove(&id) {
                Some(e) => e,
                None => store::get_expert(conn, id)?.unwrap_or_default(),
            },
            None => Expert { available: true, ..Default::default() },
        })
    }
}

/// Rows of one file, remembered to catch repeats inside the file.
#[derive(Default)]
struct SeenInFile {
    ids: HashMap<String, usize>,
    keys: HashMap<(String, String), usize>,
    /// Normalised name → (row, name, institution) of the new experts so far.
    names: HashMap<String, Vec<(usize, String, String)>>,
    /// Stored record → the first row that names it.
    stored: HashMap<i64, usize>,
}

impl SeenInFile {
    /// Flags a row whose 编号, or whose natural key when it has none, an earlier row had.
    fn check(&mut self, check: &mut RowCheck, ext: &str, key: (String, String), column: &str, label: String) {
        let row = check.row;
        if !ext.is_empty() {
            if let Some(first_row) = self.ids.insert(ext.to_string(), row) {
                check.error("编号", Problem::DuplicateId { id: ext.to_string(), first_row });
            }
        } else if !key.0.is_empty()
            && let Some(first_row) = self.keys.insert(key, row)
        {
            check.error(column, Problem::DuplicateRow { label, first_row });
        }
    }
}

impl SeenInFile {
    /// Flags a row naming a stored record an earlier row already names (by its 编号 on one row and
    /// its name on the other, say): two rows would write the same record.
    fn same_record(&mut self, check: &mut RowCheck, found: Option<i64>, column: &str, label: String) {
        if let Some(id) = found
            && let Some(&first_row) = self.stored.get(&id)
        {
            if check.errors.is_empty() {
                check.error(column, Problem::DuplicateRow { label, first_row });
            }
        } else if let Some(id) = found {
            self.stored.insert(id, check.row);
        }
    }
}

/// A new expert that looks like a stored one (same name ignoring spaces, similar organisation),
/// or else like an earlier new row of the file.
fn expert_duplicate(stored: &StoredExperts, seen: &SeenInFile, e: &Expert, row: usize) -> Option<Duplicate> {
    let nk = norm_key(&e.name);
    let inst = norm_key(&e.institution);
    let mut best: Option<Duplicate> = None;
    for &i in stored.by_norm_name.get(&nk).into_iter().flatten() {
        let k = &stored.keys[i];
        let s = similarity(&inst, &norm_key(&k.institution));
        if s >= 0.75 && best.as_ref().is_none_or(|b| s > b.similarity) {
            let other = format!("已有 {} {}", k.ext_id, person_label(&k.name, &k.institution));
            best = Some(Duplicate { row, label: expert_label(e), other, other_id: Some(k.id), similarity: s });
        }
    }
    best.or_else(|| {
        seen.names.get(&nk).into_iter().flatten().find_map(|(r2, n2, i2)| {
            let s = similarity(&inst, &norm_key(i2));
            (s >= 0.75).then(|| Duplicate {
                row,
                label: expert_label(e),
                other: format!("第 {r2} 行 {}", person_label(n2, i2)),
                other_id: None,
                similarity: s,
            })
        })
    })
}

fn person_label(name: &str, institution: &str) -> String {
    if institution.is_empty() { name.to_string() } else { format!("{name}（{institution}）") }
}

fn plan_experts(
    conn: &Connection,
    taxonomy: &Taxonomy,
    (table, header): (&Table, HeaderMap<ExpertField>),
    file: &str,
) -> Result<ImportPlan> {
    let mut stored = StoredExperts::load(conn, table.rows.len())?;
    let mut plan = new_plan(RecordKind::Expert, file, table, &header);
    let mut seen = SeenInFile::default();
    for (i, cells) in table.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = table.row_number(i);
        let mut check = RowCheck { row, errors: vec![], warnings: vec![] };
        if repeats_header(cells, &header) {
            check.error("姓名", Problem::HeaderRepeated);
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        let r = RowCells { cells, columns: &header.columns };
        // Identify first, so a stored record is the base for the columns this file lacks.
        let ext = r.text(ExpertField::Id).map(|s| rules::tidy_line(&s)).unwrap_or_default();
        let name = r.text(ExpertField::Name).map(|s| rules::tidy_name(&s)).unwrap_or_default();
        let inst = r.text(ExpertField::Institution).map(|s| rules::tidy_line(&s)).unwrap_or_default();
        let found = stored.find(&ext, &name, &inst).map(|k| k.id);
        let label = format!("“{name}”（{inst}）");
        seen.check(&mut check, &ext, (name, inst), "姓名", label.clone());
        seen.same_record(&mut check, found, "姓名", label);
        let base = stored.base(conn, found)?;
        let before = base.clone();
        let e = expert_from_row(taxonomy, &r, base, &mut check);
        if !check.errors.is_empty() {
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        plan.warnings.extend(check.warnings);
        let action = match found {
            Some(id) if same_expert_content(&before, &e) => Action::Unchanged(id),
            Some(id) => Action::Update(id),
            None => {
                plan.duplicates.extend(expert_duplicate(&stored, &seen, &e, row));
                let nk = norm_key(&e.name);
                if !nk.is_empty() {
                    seen.names.entry(nk).or_default().push((row, e.name.clone(), e.institution.clone()));
                }
                Action::Add
            }
        };
        if let Action::Update(id) | Action::Unchanged(id) = action {
            stored.cache.insert(id, e.clone());
        }
        plan.experts.push(Planned { row, record: e, action });
    }
    Ok(plan)
}

fn new_plan<F: Field>(kind: RecordKind, file: &str, table: &Table, header: &HeaderMap<F>) -> ImportPlan {
    ImportPlan {
        kind,
        file: file.to_string(),
        sheet: table.sheet.clone(),
        header_row: table.row_number(header.row),
        recognised: header.columns.iter().map(|(c, f)| (header.headers[*c].trim().to_string(), f.label())).collect(),
        ignored_columns: header.ignored.clone(),
        experts: vec![],
        demands: vec![],
        enterprises: vec![],
        rejected: vec![],
        warnings: vec![],
        duplicates: vec![],
        headers: header.headers.clone(),
        mislabeled: None,
    }
}

// ------------------------------------------------------------------------------------------ demands

/// "福建省某某新材料有限公司" → "某某新材料": the part of an enterprise name that tells it apart.
fn enterprise_core(name: &str) -> String {
    let mut k = norm_key(name);
    for p in ["福建省", "福建", "三明市", "三明", "清流县", "清流"] {
        if let Some(rest) = k.strip_prefix(p) {
            k = rest.to_string();
        }
    }
    for s in ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "厂"] {
        if let Some(rest) = k.strip_suffix(s) {
            k = rest.to_string();
        }
    }
    k
}

/// The stored demands and enterprises, indexed the ways a row can name them.
struct StoredDemands {
    keys: Vec<store::DemandKey>,
    by_ext: HashMap<String, usize>,
    by_ent_title: HashMap<(String, String), usize>,
    enterprises: Vec<Enterprise>,
}

impl StoredDemands {
    fn load(conn: &Connection) -> Result<Self> {
        let keys = store::demand_keys(conn)?;
        let by_ext = keys.iter().enumerate().map(|(i, k)| (k.ext_id.clone(), i)).collect();
        let by_ent_title = keys.iter().enumerate().map(|(i, k)| ((k.enterprise.clone(), k.title.clone()), i)).collect();
        Ok(StoredDemands { keys, by_ext, by_ent_title, enterprises: store::list_enterprises(conn)? })
    }

    /// The stored demand a row names: by 编号, else by 企业+需求名称.
    fn find(&self, ext: &str, enterprise: &str, title: &str) -> Option<&store::DemandKey> {
        let i = if ext.is_empty() {
            self.by_ent_title.get(&(enterprise.to_string(), title.to_string()))
        } else {
            self.by_ext.get(ext)
        };
        i.map(|&i| &self.keys[i])
    }

    /// A new demand of the same enterprise with a similar title.
    fn similar(&self, d: &Demand, row: usize) -> Option<Duplicate> {
        let tk = norm_key(&d.title);
        let core = enterprise_core(&d.enterprise);
        self.keys.iter().find_map(|k| {
            let s = similarity(&tk, &norm_key(&k.title));
            (enterprise_core(&k.enterprise) == core && s >= 0.8).then(|| Duplicate {
                row,
                label: format!("“{}”", d.title),
                other: format!("已有需求 {} “{}”（{}）", k.ext_id, k.title, k.enterprise),
                other_id: Some(k.id),
                similarity: s,
            })
        })
    }
}

/// The title of a demand row: its 需求名称, else the start of its description (with a warning);
/// neither is an error.
fn demand_title(r: &RowCells<DemandField>, check: &mut RowCheck) -> String {
    let title = r.text(DemandField::Title).map(|s| rules::tidy_line(&s)).unwrap_or_default();
    let description = r.text(DemandField::Description).unwrap_or_default();
    if !title.is_empty() {
        return title;
    }
    if description.is_empty() {
        check.error("需求名称", Problem::NoTitleNorDescription);
        return title;
    }
    let first = description.split(['。', '；', ';', '\n']).next().unwrap_or("");
    let title = crate::util::short(first.trim(), 30);
    check.warn("需求名称", Problem::TitleFromDescription(title.clone()));
    title
}

/// Fills a demand from a row's cells (on top of the stored record, when there is one) and
/// applies the record rules.
fn demand_from_row(
    taxonomy: &Taxonomy,
    r: &RowCells<DemandField>,
    mut d: Demand,
    (ext, title, is_new): (&str, &str, bool),
    check: &mut RowCheck,
) -> Demand {
    use DemandField as F;
    if !ext.is_empty() {
        d.ext_id = ext.to_string();
    }
    if r.get(F::Title).is_some() || d.title.is_empty() {
        d.title = title.to_string();
    }
    if let Some(v) = r.text(F::Description) {
        d.description = v;
    }
    if let Some(v) = r.text(F::Subfield) {
        d.subfields = map_subfields(taxonomy, &v, "细分领域", check);
        d.subfield_text = v;
    }
    if let Some(v) = r.text(F::Keywords) {
        d.keywords = split_multi(&v);
    }
    if let Some(v) = r.text(F::Coop) {
        d.coop_modes = coop_modes(&v, "期望合作方式", check);
    }
    if let Some(v) = r.text(F::Budget) {
        (d.budget_wan, d.budget_text) = (None, v);
    }
    if let Some(v) = r.text(F::Urgency) {
        match rules::parse_urgency(&v) {
            Ok(u) => d.urgency = u,
            Err(p) => check.error("紧急程度", p),
        }
    }
    if let Some(v) = r.text(F::Deadline) {
        d.deadline = v;
    }
    if let Some(v) = r.text(F::Status) {
        match rules::parse_status(&v) {
            Ok(Some(s)) => d.status = s,
            Ok(None) if is_new => d.status = DemandStatus::Open,
            Ok(None) => {}
            Err(p) => check.error("状态", p),
        }
    }
    d.normalize();
    check.record(d.check());
    d
}

/// The enterprise fields of a demand row, checked by the enterprise rules.
fn enterprise_from_row(r: &RowCells<DemandField>, name: &str, check: &mut RowCheck) -> Enterprise {
    use DemandField as F;
    let mut en = Enterprise {
        name: name.to_string(),
        credit_code: r.text(F::CreditCode).unwrap_or_default(),
        park: r.text(F::Park).unwrap_or_default(),
        contact: r.text(F::Contact).unwrap_or_default(),
        phone: r.text(F::Phone).unwrap_or_default(),
        avoid_units: r.text(F::AvoidUnits).map(|s| split_multi(&s)).unwrap_or_default(),
        avoid_persons: r.text(F::AvoidPersons).map(|s| split_multi(&s)).unwrap_or_default(),
        ..Default::default()
    };
    en.normalize();
    if name.is_empty() {
        if r.get(F::Enterprise).is_some() {
            check.warn("企业名称", Problem::NoEnterprise);
        }
    } else {
        check.record(en.check());
    }
    en
}

/// The enterprises a demands file needs, by name, with their fields filled from the rows.
#[derive(Default)]
struct PlannedEnterprises {
    index: HashMap<String, usize>,
}

impl PlannedEnterprises {
    /// The plan's entry for a row's enterprise: stored or new (a new one that looks like a stored
    /// or an earlier new one is flagged), its non-empty fields updated from the row.
    fn take(&mut self, plan: &mut ImportPlan, stored: &StoredDemands, row_ent: Enterprise, row: usize) -> usize {
        let name = row_ent.name.clone();
        let idx = match self.index.get(&name) {
            Some(&i) => i,
            None => {
                let found = stored.enterprises.iter().find(|e| e.name == name);
                if found.is_none() {
                    plan.duplicates.extend(enterprise_duplicate(plan, stored, &name, row));
                }
                let ent = found.cloned().unwrap_or_else(|| Enterprise { name: name.clone(), ..Default::default() });
                plan.enterprises.push((found.map(|e| e.id), ent));
                self.index.insert(name, plan.enterprises.len() - 1);
                plan.enterprises.len() - 1
            }
        };
        let ent = &mut plan.enterprises[idx].1;
        for (slot, v) in [
            (&mut ent.credit_code, row_ent.credit_code),
            (&mut ent.park, row_ent.park),
            (&mut ent.contact, row_ent.contact),
            (&mut ent.phone, row_ent.phone),
        ] {
            if !v.is_empty() {
                *slot = v;
            }
        }
        for (slot, v) in [(&mut ent.avoid_units, row_ent.avoid_units), (&mut ent.avoid_persons, row_ent.avoid_persons)]
        {
            if !v.is_empty() {
                *slot = v;
            }
        }
        idx
    }
}

/// A new enterprise whose name (without place and company form) matches a stored one or an
/// earlier new one of the file.
fn enterprise_duplicate(plan: &ImportPlan, stored: &StoredDemands, name: &str, row: usize) -> Option<Duplicate> {
    let core = enterprise_core(name);
    let new_ones = plan.enterprises.iter().filter(|(id, _)| id.is_none()).map(|(_, e)| (e.name.as_str(), None));
    let mut best: Option<Duplicate> = None;
    for (other, id) in stored.enterprises.iter().map(|e| (e.name.as_str(), Some(e.id))).chain(new_ones) {
        let oc = enterprise_core(other);
        let s = if oc == core { 1.0 } else { similarity(&core, &oc) };
        if s >= 0.8 && best.as_ref().is_none_or(|b| s > b.similarity) {
            let where_ = if id.is_some() { "已有企业" } else { "本文件中的企业" };
            best = Some(Duplicate {
                row,
                label: format!("企业“{name}”"),
                other: format!("{where_}“{other}”"),
                other_id: id,
                similarity: s,
            });
        }
    }
    best
}

fn plan_demands(
    conn: &Connection,
    taxonomy: &Taxonomy,
    (table, header): (&Table, HeaderMap<DemandField>),
    file: &str,
) -> Result<ImportPlan> {
    let stored = StoredDemands::load(conn)?;
    let mut plan = new_plan(RecordKind::Demand, file, table, &header);
    let mut enterprises = PlannedEnterprises::default();
    let mut seen = SeenInFile::default();
    for (i, cells) in table.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = table.row_number(i);
        let mut check = RowCheck { row, errors: vec![], warnings: vec![] };
        if repeats_header(cells, &header) {
            check.error("需求名称", Problem::HeaderRepeated);
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        let r = RowCells { cells, columns: &header.columns };
        let ext = r.text(DemandField::Id).map(|s| rules::tidy_line(&s)).unwrap_or_default();
        let ent_name = r.text(DemandField::Enterprise).map(|s| rules::tidy_line(&s)).unwrap_or_default();
        let title = demand_title(&r, &mut check);
        let found = stored.find(&ext, &ent_name, &title).map(|k| k.id);
        let label = format!("“{title}”（同一企业、同名需求）");
        seen.check(&mut check, &ext, (ent_name.clone(), title.clone()), "需求名称", label.clone());
        seen.same_record(&mut check, found, "需求名称", label);
        let base = match found {
            Some(id) => store::get_demand(conn, id)?.unwrap_or_default(),
            None => Demand::default(),
        };
        let before = base.clone();
        let mut d = demand_from_row(taxonomy, &r, base, (&ext, &title, found.is_none()), &mut check);
        let row_ent = enterprise_from_row(&r, &ent_name, &mut check);
        if !check.errors.is_empty() {
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        plan.warnings.extend(check.warnings);
        if ent_name.is_empty() {
            d.enterprise_id = None;
            d.enterprise.clear();
        } else {
            let idx = enterprises.take(&mut plan, &stored, row_ent, row);
            d.enterprise = ent_name;
            d.enterprise_id = plan.enterprises[idx].0;
        }
        let strip = |x: &Demand| Demand { created_at: String::new(), updated_at: String::new(), ..x.clone() };
        let action = match found {
            Some(id) if strip(&before) == strip(&d) => Action::Unchanged(id),
            Some(id) => Action::Update(id),
            None => {
                plan.duplicates.extend(stored.similar(&d, row));
                Action::Add
            }
        };
        plan.demands.push(Planned { row, record: d, action });
    }
    Ok(plan)
}

// ------------------------------------------------------------------------------------------ commit

/// Options for writing a plan.
pub struct CommitOptions<'a> {
    /// Merge rows flagged as likely duplicates of a stored record into that record.
    pub merge_duplicates: bool,
    /// Called with (rows written, rows to write) now and then.
    pub progress: &'a mut dyn FnMut(usize, usize),
    /// Set from another thread to stop; the transaction is then rolled back.
    pub cancel: Option<&'a AtomicBool>,
    /// The rows are the built-in demo data (marked, so 清除演示数据 removes exactly them); a
    /// normal import unmarks the records it writes.
    pub demo: bool,
    /// Called inside the transaction, after the rows are written and before the commit (the
    /// change log records the import there, so both land or neither).
    pub log: Option<&'a mut ImportLogger<'a>>,
}

/// What records an import in the change log, inside its transaction.
pub type ImportLogger<'a> = dyn FnMut(&Connection, &Touched) -> std::result::Result<(), store::StoreError> + 'a;

/// Row ids an import wrote (so the search index can follow).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Touched {
    pub experts: Vec<i64>,
    pub demands: Vec<i64>,
}

/// Writes a plan in one transaction: all accepted rows or nothing.
pub fn commit(conn: &mut Connection, plan: &ImportPlan, opts: CommitOptions) -> Result<Counts> {
    commit_touched(conn, plan, opts).map(|(c, _)| c)
}

/// The bookkeeping of one commit: counts, the rows written, progress and cancelling.
struct Writer<'a, 'o> {
    opts: CommitOptions<'o>,
    plan: &'a ImportPlan,
    /// Row number → stored record it is merged into (duplicates, when asked).
    merge: HashMap<usize, i64>,
    counts: Counts,
    touched: Touched,
    done: usize,
}

impl Writer<'_, '_> {
    /// After each row: progress now and then, and stop when cancelled.
    fn step(&mut self) -> Result<()> {
        self.done += 1;
        let total = self.plan.experts.len() + self.plan.demands.len();
        if self.done.is_multiple_of(500) || self.done == total {
            (self.opts.progress)(self.done, total);
        }
        if self.opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(FileError::Cancelled);
        }
        Ok(())
    }

    /// What happens to a row (the same rule as [`ImportPlan::counts_with`]).
    fn action(&self, p: &Action, row: usize) -> Action {
        self.plan.action_of(p, row, &self.merge)
    }

    fn experts(&mut self, conn: &Connection) -> Result<()> {
        for p in &self.plan.experts {
            match self.action(&p.action, p.row) {
                Action::Add => {
                    self.touched.experts.push(store::insert_expert(conn, &p.record)?);
                    self.counts.added += 1;
                }
                Action::Update(id) => {
                    let mut e = Expert { id, ..p.record.clone() };
                    // Merging a near-duplicate keeps the stored record's 编号 and availability.
                    if self.merge.contains_key(&p.row)
                        && let Some(old) = store::get_expert(conn, id)?
                    {
                        e.ext_id = old.ext_id;
                        e.available = old.available;
                    }
                    store::update_expert(conn, &e)?;
                    self.touched.experts.push(id);
                    self.counts.updated += 1;
                }
                Action::Unchanged(_) => self.counts.unchanged += 1,
            }
            self.step()?;
        }
        Ok(())
    }

    /// The enterprises of a demands plan: name → row id (stored, merged into a stored one, or new).
    fn enterprises(&self, conn: &Connection) -> Result<HashMap<String, i64>> {
        let mut ids = HashMap::new();
        for (id, ent) in &self.plan.enterprises {
            let label = format!("企业“{}”", ent.name);
            let merged = self.plan.duplicates.iter().find(|d| self.opts.merge_duplicates && d.label == label);
            let id = match (id, merged.and_then(|d| d.other_id)) {
                (Some(id), _) => {
                    if store::get_enterprise(conn, *id)?.as_ref() != Some(ent) {
                        store::update_enterprise(conn, &Enterprise { id: *id, ..ent.clone() })?;
                    }
                    *id
                }
                (None, Some(other)) => other,
                (None, None) => store::insert_enterprise(conn, ent)?,
            };
            ids.insert(ent.name.clone(), id);
        }
        Ok(ids)
    }

    fn demands(&mut self, conn: &Connection) -> Result<()> {
        let ent_ids = self.enterprises(conn)?;
        for p in &self.plan.demands {
            let mut d = p.record.clone();
            d.enterprise_id = ent_ids.get(&d.enterprise).copied();
            match self.action(&p.action, p.row) {
                Action::Add => {
                    self.touched.demands.push(store::insert_demand(conn, &d)?);
                    self.counts.added += 1;
                }
                Action::Update(id) => {
                    d.id = id;
                    if self.merge.contains_key(&p.row)
                        && let Some(old) = store::get_demand(conn, id)?
                    {
                        d.ext_id = old.ext_id;
                    }
                    store::update_demand(conn, &d)?;
                    self.touched.demands.push(id);
                    self.counts.updated += 1;
                }
                Action::Unchanged(_) => self.counts.unchanged += 1,
            }
            self.step()?;
        }
        Ok(())
    }
}

/// [`commit`], also returning the row ids written.
pub fn commit_touched(conn: &mut Connection, plan: &ImportPlan, opts: CommitOptions) -> Result<(Counts, Touched)> {
    let merge = plan.merges(opts.merge_duplicates);
    let counts = Counts { rejected: plan.rejected.len(), ..Default::default() };
    let mut w = Writer { opts, plan, merge, counts, touched: Touched::default(), done: 0 };
    // IMMEDIATE: a second writer (another window or command) waits for the busy timeout instead of
    // failing when it upgrades from reading to writing.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    w.experts(&tx)?;
    if plan.kind == RecordKind::Demand {
        w.demands(&tx)?;
    }
    store::mark_demo(&tx, &w.touched.experts, &w.touched.demands, w.opts.demo)?;
    if let Some(log) = w.opts.log.as_mut() {
        log(&tx, &w.touched)?;
    }
    let c = w.counts;
    store::log_import(&tx, plan.kind.list_name(), &plan.file, (c.added, c.updated, c.unchanged, c.rejected))?;
    tx.commit()?;
    Ok((w.counts, w.touched))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_cores() {
        assert_eq!(enterprise_core("福建某某新材料有限公司"), "某某新材料");
        assert_eq!(enterprise_core("某某新材料"), "某某新材料");
        assert_eq!(enterprise_core("三明市龙津新能源材料股份有限公司"), "龙津新能源材料");
    }

    #[test]
    fn emails_and_phones() {
        use crate::util::{valid_email, valid_phone};
        assert!(valid_email("zhang.wei@example.edu.cn"));
        assert!(!valid_email("zhang#example.edu.cn"));
        assert!(!valid_email("张@例子.cn"));
        assert!(!valid_email("a@b"));
        assert!(valid_phone("0591-83700002") && valid_phone("138 0000 0001") && valid_phone("（0598）1234567"));
        assert!(!valid_phone("打办公室") && !valid_phone("12"));
    }
}
