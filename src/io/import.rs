//! Importing a list: the dry-run plan (typed rows, what will be added/updated, rejected rows with
//! their reasons per row and column, likely duplicates) and the commit of a plan in one transaction.
//!
//! Identity: a row is the same record as a stored one when its 编号 matches; without 编号, when
//! 姓名+单位 (experts) or 企业+需求名称 (demands) match exactly. Near spellings (厦门大学材料学院 vs
//! 厦门大学 材料学院) are only flagged as likely duplicates, never merged unless the user asks.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use super::headers::{DemandField, ExpertField, Field, HeaderMap, detect};
use super::table::Table;
use super::{FileError, Result};
use crate::domain::rules::{self, Problem};
use crate::domain::{Demand, DemandStatus, Enterprise, Expert, RecordKind, SubfieldMatch, Taxonomy, parse_coop_modes};
use crate::store;
use crate::util::{clean_line, norm_key, similarity, split_multi};

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
    pub fn counts(&self) -> Counts {
        let mut c = Counts { rejected: self.rejected.len(), ..Default::default() };
        let actions = self.experts.iter().map(|p| &p.action).chain(self.demands.iter().map(|p| &p.action));
        for a in actions {
            match a {
                Action::Add => c.added += 1,
                Action::Update(_) => c.updated += 1,
                Action::Unchanged(_) => c.unchanged += 1,
            }
        }
        c
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
    match kind {
        RecordKind::Expert => plan_experts(conn, taxonomy, pick::<ExpertField>(tables, kind, file)?, file),
        RecordKind::Demand => plan_demands(conn, taxonomy, pick::<DemandField>(tables, kind, file)?, file),
    }
}

fn pick<'a, F: Field>(tables: &'a [Table], kind: RecordKind, file: &str) -> Result<(&'a Table, HeaderMap<F>)> {
    tables
        .iter()
        .filter_map(|t| detect::<F>(&t.rows).map(|h| (t, h)))
        .max_by_key(|(t, h)| (h.columns.len(), std::cmp::Reverse(t.sheet.clone())))
        .ok_or_else(|| FileError::NoHeader {
            file: file.to_string(),
            kind,
            identity: F::IDENTITY.iter().map(|f| f.label()).collect(),
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
    fn text(&self, f: F) -> Option<String> {
        self.get(f).map(|s| s.trim().to_string())
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

fn plan_experts(
    conn: &Connection,
    taxonomy: &Taxonomy,
    (table, header): (&Table, HeaderMap<ExpertField>),
    file: &str,
) -> Result<ImportPlan> {
    let keys = store::expert_keys(conn)?;
    let by_ext: HashMap<&str, &store::ExpertKey> = keys.iter().map(|k| (k.ext_id.as_str(), k)).collect();
    let by_name_inst: HashMap<(&str, &str), &store::ExpertKey> =
        keys.iter().map(|k| ((k.name.as_str(), k.institution.as_str()), k)).collect();
    let mut by_norm_name: HashMap<String, Vec<&store::ExpertKey>> = HashMap::new();
    for k in &keys {
        by_norm_name.entry(norm_key(&k.name)).or_default().push(k);
    }
    let mut plan = new_plan(RecordKind::Expert, file, table, &header);
    let mut seen_ext: HashMap<String, usize> = HashMap::new();
    let mut seen_key: HashMap<(String, String), usize> = HashMap::new();
    let mut file_names: HashMap<String, Vec<(usize, String, String)>> = HashMap::new();
    // Large files re-importing many stored rows: one read of all experts beats a query per row.
    let mut cache: HashMap<i64, Expert> = if table.rows.len() > 2000 && !keys.is_empty() {
        store::list_experts(conn)?.into_iter().map(|e| (e.id, e)).collect()
    } else {
        HashMap::new()
    };

    for (i, cells) in table.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = table.row_number(i);
        let mut check = RowCheck { row, errors: vec![], warnings: vec![] };
        let r = RowCells { cells, columns: &header.columns };
        // Identify first, so a stored record is the base for the columns this file lacks.
        let ext = r.text(ExpertField::Id).map(|s| clean_line(&s)).unwrap_or_default();
        let name = r.text(ExpertField::Name).map(|s| rules::tidy_name(&s)).unwrap_or_default();
        let inst = r.text(ExpertField::Institution).map(|s| clean_line(&s)).unwrap_or_default();
        let stored = if !ext.is_empty() {
            by_ext.get(ext.as_str()).copied()
        } else {
            by_name_inst.get(&(name.as_str(), inst.as_str())).copied()
        };
        if !ext.is_empty() {
            if let Some(first_row) = seen_ext.insert(ext.clone(), row) {
                check.error("编号", Problem::DuplicateId { id: ext.clone(), first_row });
            }
        } else if !name.is_empty()
            && let Some(first_row) = seen_key.insert((name.clone(), inst.clone()), row)
        {
            check.error("姓名", Problem::DuplicateRow { label: format!("“{name}”（{inst}）"), first_row });
        }
        let base = match stored {
            Some(k) => match cache.remove(&k.id) {
                Some(e) => e,
                None => store::get_expert(conn, k.id)?.unwrap_or_default(),
            },
            None => Expert { available: true, ..Default::default() },
        };
        let before = base.clone();
        let e = expert_from_row(taxonomy, &r, base, &mut check);
        if !check.errors.is_empty() {
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        plan.warnings.extend(check.warnings);
        let action = match stored {
            Some(k) if same_expert_content(&before, &e) => Action::Unchanged(k.id),
            Some(k) => Action::Update(k.id),
            None => {
                // Likely duplicates: same name (ignoring spaces), similar institution.
                let nk = norm_key(&e.name);
                if !nk.is_empty() {
                    let inst_k = norm_key(&e.institution);
                    let mut best: Option<Duplicate> = None;
                    for k in by_norm_name.get(&nk).into_iter().flatten() {
                        let s = similarity(&inst_k, &norm_key(&k.institution));
                        if s >= 0.75 && best.as_ref().is_none_or(|b| s > b.similarity) {
                            let other = format!(
                                "已有 {} {}",
                                k.ext_id,
                                expert_label(&Expert {
                                    name: k.name.clone(),
                                    institution: k.institution.clone(),
                                    ..Default::default()
                                })
                            );
                            best = Some(Duplicate {
                                row,
                                label: expert_label(&e),
                                other,
                                other_id: Some(k.id),
                                similarity: s,
                            });
                        }
                    }
                    if best.is_none() {
                        for (r2, n2, i2) in file_names.get(&nk).into_iter().flatten() {
                            let s = similarity(&inst_k, &norm_key(i2));
                            if s >= 0.75 {
                                let other = format!(
                                    "第 {r2} 行 {}",
                                    expert_label(&Expert {
                                        name: n2.clone(),
                                        institution: i2.clone(),
                                        ..Default::default()
                                    })
                                );
                                best = Some(Duplicate {
                                    row,
                                    label: expert_label(&e),
                                    other,
                                    other_id: None,
                                    similarity: s,
                                });
                                break;
                            }
                        }
                    }
                    plan.duplicates.extend(best);
                    file_names.entry(nk).or_default().push((row, e.name.clone(), e.institution.clone()));
                }
                Action::Add
            }
        };
        if let Action::Update(id) | Action::Unchanged(id) = action {
            cache.insert(id, e.clone());
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

fn plan_demands(
    conn: &Connection,
    taxonomy: &Taxonomy,
    (table, header): (&Table, HeaderMap<DemandField>),
    file: &str,
) -> Result<ImportPlan> {
    use DemandField as F;
    let keys = store::demand_keys(conn)?;
    let by_ext: HashMap<&str, &store::DemandKey> = keys.iter().map(|k| (k.ext_id.as_str(), k)).collect();
    let by_ent_title: HashMap<(&str, &str), &store::DemandKey> =
        keys.iter().map(|k| ((k.enterprise.as_str(), k.title.as_str()), k)).collect();
    let stored_ents = store::list_enterprises(conn)?;
    let mut plan = new_plan(RecordKind::Demand, file, table, &header);
    let mut ent_index: HashMap<String, usize> = HashMap::new(); // name → index in plan.enterprises
    let mut seen_ext: HashMap<String, usize> = HashMap::new();
    let mut seen_key: HashMap<(String, String), usize> = HashMap::new();
    let mut flagged_ents: HashSet<String> = HashSet::new();

    for (i, cells) in table.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = table.row_number(i);
        let mut check = RowCheck { row, errors: vec![], warnings: vec![] };
        let r = RowCells { cells, columns: &header.columns };
        let ext = r.text(F::Id).map(|s| clean_line(&s)).unwrap_or_default();
        let ent_name = r.text(F::Enterprise).map(|s| clean_line(&s)).unwrap_or_default();
        let mut title = r.text(F::Title).map(|s| clean_line(&s)).unwrap_or_default();
        let description = r.text(F::Description).unwrap_or_default();
        if title.is_empty() && description.is_empty() {
            check.error("需求名称", Problem::NoTitleNorDescription);
        } else if title.is_empty() {
            let first = description.split(['。', '；', ';', '\n']).next().unwrap_or("");
            title = crate::util::short(first.trim(), 30);
            check.warn("需求名称", Problem::TitleFromDescription(title.clone()));
        }
        let stored = if !ext.is_empty() {
            by_ext.get(ext.as_str()).copied()
        } else {
            by_ent_title.get(&(ent_name.as_str(), title.as_str())).copied()
        };
        if !ext.is_empty() {
            if let Some(first_row) = seen_ext.insert(ext.clone(), row) {
                check.error("编号", Problem::DuplicateId { id: ext.clone(), first_row });
            }
        } else if let Some(first_row) = seen_key.insert((ent_name.clone(), title.clone()), row) {
            check.error(
                "需求名称",
                Problem::DuplicateRow { label: format!("“{title}”（同一企业、同名需求）"), first_row },
            );
        }
        let mut d = match stored {
            Some(k) => store::get_demand(conn, k.id)?.unwrap_or_default(),
            None => Demand::default(),
        };
        let before = d.clone();
        d.ext_id = if ext.is_empty() { d.ext_id } else { ext.clone() };
        if r.get(F::Title).is_some() || d.title.is_empty() {
            d.title = title.clone();
        }
        if let Some(v) = r.text(F::Description) {
            d.description = v;
        }
        if let Some(v) = r.text(F::Subfield) {
            d.subfields = map_subfields(taxonomy, &v, "细分领域", &mut check);
            d.subfield_text = v;
        }
        if let Some(v) = r.text(F::Keywords) {
            d.keywords = split_multi(&v);
        }
        if let Some(v) = r.text(F::Coop) {
            d.coop_modes = coop_modes(&v, "期望合作方式", &mut check);
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
                Ok(None) if stored.is_none() => d.status = DemandStatus::Open,
                Ok(None) => {}
                Err(p) => check.error("状态", p),
            }
        }
        d.normalize();
        check.record(d.check());
        // The enterprise's own fields, checked by the enterprise rules.
        let mut row_ent = Enterprise {
            name: ent_name.clone(),
            credit_code: r.text(F::CreditCode).unwrap_or_default(),
            park: r.text(F::Park).unwrap_or_default(),
            contact: r.text(F::Contact).unwrap_or_default(),
            phone: r.text(F::Phone).unwrap_or_default(),
            ..Default::default()
        };
        row_ent.normalize();
        if ent_name.is_empty() {
            if r.get(F::Enterprise).is_some() {
                check.warn("企业名称", Problem::NoEnterprise);
            }
        } else {
            check.record(row_ent.check());
        }
        if !check.errors.is_empty() {
            plan.rejected.push(Rejected { row, cells: cells.clone(), reasons: check.errors });
            continue;
        }
        plan.warnings.extend(check.warnings);

        if ent_name.is_empty() {
            d.enterprise_id = None;
            d.enterprise.clear();
        } else {
            let idx = match ent_index.get(&ent_name) {
                Some(&i) => i,
                None => {
                    let stored_ent = stored_ents.iter().find(|e| e.name == ent_name);
                    let ent =
                        stored_ent.cloned().unwrap_or(Enterprise { name: ent_name.clone(), ..Default::default() });
                    if stored_ent.is_none() && flagged_ents.insert(ent_name.clone()) {
                        let core = enterprise_core(&ent_name);
                        let others = stored_ents.iter().map(|e| (e.name.clone(), Some(e.id))).chain(
                            plan.enterprises.iter().filter(|(id, _)| id.is_none()).map(|(_, e)| (e.name.clone(), None)),
                        );
                        let mut best: Option<Duplicate> = None;
                        for (other, id) in others {
                            let oc = enterprise_core(&other);
                            let s = if oc == core { 1.0 } else { similarity(&core, &oc) };
                            if s >= 0.8 && best.as_ref().is_none_or(|b| s > b.similarity) {
                                let label = if id.is_some() {
                                    format!("已有企业“{other}”")
                                } else {
                                    format!("本文件中的企业“{other}”")
                                };
                                best = Some(Duplicate {
                                    row,
                                    label: format!("企业“{ent_name}”"),
                                    other: label,
                                    other_id: id,
                                    similarity: s,
                                });
                            }
                        }
                        plan.duplicates.extend(best);
                    }
                    plan.enterprises.push((stored_ent.map(|e| e.id), ent));
                    ent_index.insert(ent_name.clone(), plan.enterprises.len() - 1);
                    plan.enterprises.len() - 1
                }
            };
            let ent = &mut plan.enterprises[idx].1;
            let fill = |slot: &mut String, v: Option<String>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    *slot = v;
                }
            };
            fill(&mut ent.credit_code, Some(row_ent.credit_code));
            fill(&mut ent.park, Some(row_ent.park));
            fill(&mut ent.contact, Some(row_ent.contact));
            fill(&mut ent.phone, Some(row_ent.phone));
            for (slot, field) in [(&mut ent.avoid_units, F::AvoidUnits), (&mut ent.avoid_persons, F::AvoidPersons)] {
                let list = r.text(field).map(|s| crate::util::split_multi(&s)).unwrap_or_default();
                if !list.is_empty() {
                    *slot = list;
                }
            }
            d.enterprise = ent_name.clone();
            d.enterprise_id = plan.enterprises[idx].0;
        }
        let action = match stored {
            Some(k) => {
                let strip = |x: &Demand| Demand { created_at: String::new(), updated_at: String::new(), ..x.clone() };
                if strip(&before) == strip(&d) { Action::Unchanged(k.id) } else { Action::Update(k.id) }
            }
            None => {
                let tk = norm_key(&d.title);
                let core = enterprise_core(&d.enterprise);
                let similar = keys.iter().find_map(|k| {
                    let same_ent = enterprise_core(&k.enterprise) == core;
                    let s = similarity(&tk, &norm_key(&k.title));
                    (same_ent && s >= 0.8).then(|| Duplicate {
                        row,
                        label: format!("“{}”", d.title),
                        other: format!("已有需求 {} “{}”（{}）", k.ext_id, k.title, k.enterprise),
                        other_id: Some(k.id),
                        similarity: s,
                    })
                });
                plan.duplicates.extend(similar);
                Action::Add
            }
        };
        plan.demands.push(Planned { row, record: d, action });
    }
    // Stored enterprises whose fields did not change need no write: mark by comparing.
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
}

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

/// [`commit`], also returning the row ids written.
pub fn commit_touched(conn: &mut Connection, plan: &ImportPlan, opts: CommitOptions) -> Result<(Counts, Touched)> {
    let mut touched = Touched::default();
    let merge: HashMap<usize, i64> = if opts.merge_duplicates {
        plan.duplicates.iter().filter_map(|d| d.other_id.map(|id| (d.row, id))).collect()
    } else {
        HashMap::new()
    };
    let tx = conn.transaction()?;
    let total = plan.experts.len() + plan.demands.len();
    let mut done = 0usize;
    let mut counts = Counts { rejected: plan.rejected.len(), ..Default::default() };
    let mut step = |done: &mut usize| -> Result<()> {
        *done += 1;
        if (*done).is_multiple_of(500) || *done == total {
            (opts.progress)(*done, total);
        }
        if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(FileError::Cancelled);
        }
        Ok(())
    };
    for p in &plan.experts {
        let action = match (&p.action, merge.get(&p.row)) {
            (Action::Add, Some(&id)) => Action::Update(id),
            (a, _) => a.clone(),
        };
        match action {
            Action::Add => {
                touched.experts.push(store::insert_expert(&tx, &p.record)?);
                counts.added += 1;
            }
            Action::Update(id) => {
                let mut e = p.record.clone();
                e.id = id;
                if merge.contains_key(&p.row) {
                    // Keep the stored record's 编号 and availability when merging a near-duplicate.
                    if let Some(old) = store::get_expert(&tx, id)? {
                        e.ext_id = old.ext_id;
                        e.available = old.available;
                    }
                }
                store::update_expert(&tx, &e)?;
                touched.experts.push(id);
                counts.updated += 1;
            }
            Action::Unchanged(_) => counts.unchanged += 1,
        }
        step(&mut done)?;
    }
    if plan.kind == RecordKind::Demand {
        let mut ent_ids: HashMap<&str, i64> = HashMap::new();
        for (id, ent) in &plan.enterprises {
            let merged = plan
                .duplicates
                .iter()
                .find(|d| opts.merge_duplicates && d.label == format!("企业“{}”", ent.name))
                .and_then(|d| d.other_id);
            let id = match (id, merged) {
                (Some(id), _) => {
                    let old = store::get_enterprise(&tx, *id)?;
                    if old.as_ref() != Some(ent) {
                        store::update_enterprise(&tx, &Enterprise { id: *id, ..ent.clone() })?;
                    }
                    *id
                }
                (None, Some(other)) => other,
                (None, None) => store::insert_enterprise(&tx, ent)?,
            };
            ent_ids.insert(ent.name.as_str(), id);
        }
        for p in &plan.demands {
            let mut d = p.record.clone();
            d.enterprise_id = if d.enterprise.is_empty() { None } else { ent_ids.get(d.enterprise.as_str()).copied() };
            let action = match (&p.action, merge.get(&p.row)) {
                (Action::Add, Some(&id))
                    if !plan.duplicates.iter().any(|x| x.row == p.row && x.label.starts_with("企业")) =>
                {
                    Action::Update(id)
                }
                (a, _) => a.clone(),
            };
            match action {
                Action::Add => {
                    touched.demands.push(store::insert_demand(&tx, &d)?);
                    counts.added += 1;
                }
                Action::Update(id) => {
                    d.id = id;
                    if merge.contains_key(&p.row)
                        && let Some(old) = store::get_demand(&tx, id)?
                    {
                        d.ext_id = old.ext_id;
                    }
                    store::update_demand(&tx, &d)?;
                    touched.demands.push(id);
                    counts.updated += 1;
                }
                Action::Unchanged(_) => counts.unchanged += 1,
            }
            step(&mut done)?;
        }
    }
    store::log_import(
        &tx,
        plan.kind.list_name(),
        &plan.file,
        (counts.added, counts.updated, counts.unchanged, counts.rejected),
    )?;
    tx.commit()?;
    Ok((counts, touched))
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
