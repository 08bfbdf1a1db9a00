//! One description per record kind, so the table, the detail panel and the edit form are one
//! generic view each: the table's columns ([`ColumnSpec`] over [`ListRow`]), the detail's
//! fields ([`detail_fields`]) and the form's inputs ([`FieldSpec`], with a getter and a setter
//! on the record). Values are tidied and checked by the domain's record rules on save.

use std::cmp::Ordering;

use super::state::SortCol;
use crate::domain::{Demand, DemandStatus, Enterprise, Expert, RecordKind, Taxonomy, Urgency};
use crate::engine::{Command, DemandRow, ExpertRow};

/// What the list views need of a row.
pub trait ListRow {
    fn id(&self) -> i64;
    fn ext_id(&self) -> &str;
    fn subfields(&self) -> &[String];
    /// Order by a column other than 编号 and 细分领域 (ties are then broken by 编号).
    fn cmp_col(&self, other: &Self, col: SortCol) -> Ordering;
    /// The text of a column (细分领域 comes from the derived names).
    fn cell(&self, col: SortCol) -> &str;
    /// Shown dimmed (an expert marked 暂不可约).
    fn dimmed(&self) -> bool {
        false
    }
    /// Its 截止时间 has passed while it is still open (a demand).
    fn overdue(&self, _today: &str) -> bool {
        false
    }
}

impl ListRow for ExpertRow {
    fn id(&self) -> i64 {
        self.id
    }
    fn ext_id(&self) -> &str {
        &self.ext_id
    }
    fn subfields(&self) -> &[String] {
        &self.subfields
    }
    fn cmp_col(&self, y: &Self, col: SortCol) -> Ordering {
        self.cell(col).cmp(y.cell(col))
    }
    fn cell(&self, col: SortCol) -> &str {
        match col {
            SortCol::Id => &self.ext_id,
            SortCol::Name => &self.name,
            SortCol::Org => &self.institution,
            SortCol::Title => &self.title,
            SortCol::Subfield | SortCol::Status | SortCol::Deadline => "",
        }
    }
    fn dimmed(&self) -> bool {
        !self.available
    }
}

impl ListRow for DemandRow {
    fn id(&self) -> i64 {
        self.id
    }
    fn ext_id(&self) -> &str {
        &self.ext_id
    }
    fn subfields(&self) -> &[String] {
        &self.subfields
    }
    fn overdue(&self, today: &str) -> bool {
        crate::domain::deadline_passed(&self.deadline, self.status, today)
    }
    fn cmp_col(&self, y: &Self, col: SortCol) -> Ordering {
        match col {
            SortCol::Status => self.status.cmp(&y.status),
            col => self.cell(col).cmp(y.cell(col)),
        }
    }
    fn cell(&self, col: SortCol) -> &str {
        match col {
            SortCol::Id => &self.ext_id,
            SortCol::Name => &self.title,
            SortCol::Org => &self.enterprise,
            SortCol::Status => self.status.label(),
            SortCol::Deadline => &self.deadline,
            SortCol::Title | SortCol::Subfield => "",
        }
    }
}

/// A table column: its title, the column it sorts by, its starting width (`None`: the rest).
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub title: &'static str,
    pub col: SortCol,
    pub width: Option<f32>,
}

const fn column(title: &'static str, col: SortCol, width: Option<f32>) -> ColumnSpec {
    ColumnSpec { title, col, width }
}

pub const EXPERT_COLUMNS: &[ColumnSpec] = &[
    column("编号", SortCol::Id, Some(90.0)),
    column("姓名", SortCol::Name, Some(80.0)),
    column("单位", SortCol::Org, Some(230.0)),
    column("职称", SortCol::Title, Some(90.0)),
    column("细分领域", SortCol::Subfield, None),
];

pub const DEMAND_COLUMNS: &[ColumnSpec] = &[
    column("编号", SortCol::Id, Some(100.0)),
    column("企业", SortCol::Org, Some(210.0)),
    column("需求名称", SortCol::Name, Some(250.0)),
    column("细分领域", SortCol::Subfield, Some(150.0)),
    column("状态", SortCol::Status, Some(70.0)),
    column("截止时间", SortCol::Deadline, None),
];

pub fn columns(kind: RecordKind) -> &'static [ColumnSpec] {
    match kind {
        RecordKind::Expert => EXPERT_COLUMNS,
        RecordKind::Demand => DEMAND_COLUMNS,
    }
}

/// The detail panel's (label, value) rows of an expert; empty values are skipped by the view.
pub fn expert_fields(e: &Expert, tax: &Taxonomy) -> Vec<(&'static str, String)> {
    let subfields = tax.names(&e.subfields);
    let original = if subfields.is_empty() { e.subfield_text.clone() } else { String::new() };
    vec![
        ("性别", e.gender.clone()),
        ("院系/部门", e.department.clone()),
        ("职称", e.title.clone()),
        ("推荐单位", e.recommender.clone()),
        ("细分领域", subfields),
        ("细分领域（原文）", original),
        ("研究方向", e.research.clone()),
        ("代表性成果", e.achievements.clone()),
        ("关键词", e.keywords.join("、")),
        ("合作方式", e.coop_modes.join("、")),
        ("所在地区", e.region.clone()),
        ("电话", e.phone.clone()),
        ("邮箱", e.email.clone()),
        ("备注", e.note.clone()),
        ("更新时间", e.updated_at.clone()),
    ]
}

/// The budget as shown: "50 万元", or the text (面议).
pub fn budget_text(d: &Demand) -> String {
    d.budget_wan.map(|b| format!("{} 万元", crate::util::number_text(b))).unwrap_or_else(|| d.budget_text.clone())
}

/// The detail panel's (label, value) rows of a demand.
pub fn demand_fields(d: &Demand, tax: &Taxonomy, today: &str) -> Vec<(&'static str, String)> {
    let subfields = tax.names(&d.subfields);
    let original = if subfields.is_empty() { d.subfield_text.clone() } else { String::new() };
    vec![
        ("需求描述", d.description.clone()),
        ("细分领域", subfields),
        ("细分领域（原文）", original),
        ("关键词", d.keywords.join("、")),
        ("期望合作方式", d.coop_modes.join("、")),
        ("拟投入经费", budget_text(d)),
        ("紧急程度", d.urgency.map(Urgency::label).unwrap_or("").to_string()),
        (
            "截止时间",
            if crate::domain::deadline_passed(&d.deadline, d.status, today) {
                format!("{}（已过期，仍未解决）", d.deadline)
            } else {
                d.deadline.clone()
            },
        ),
        ("状态", d.status.label().to_string()),
        ("更新时间", d.updated_at.clone()),
    ]
}

/// The enterprise rows under a demand's detail.
pub fn enterprise_fields(en: &Enterprise) -> Vec<(&'static str, String)> {
    vec![
        ("企业名称", en.name.clone()),
        ("统一社会信用代码", en.credit_code.clone()),
        ("所在园区/乡镇", en.park.clone()),
        ("联系人", en.contact.clone()),
        ("回避单位", en.avoid_units.join("、")),
        ("回避专家", en.avoid_persons.join("、")),
        ("联系电话", en.phone.clone()),
    ]
}

// ------------------------------------------------------------------------------------------ forms

/// The record being edited.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Expert(Box<Expert>),
    Demand(Box<Demand>),
    Enterprise(Box<Enterprise>),
}

/// The edit form: the record as typed so far, and the last error.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub draft: Draft,
    pub error: Option<String>,
}

/// How a form field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Line,
    Text,
    /// The subfield picker.
    Subfields,
    /// The cooperation-mode checkboxes.
    Coop,
    Urgency,
    Status,
}

/// One input of a form: its label, how it is entered, and for text inputs how its text is read
/// from and written to the draft (lists are kept as typed and split by the record rules).
pub struct FieldSpec<R> {
    pub label: &'static str,
    pub input: Input,
    pub get: fn(&R) -> String,
    pub set: fn(&mut R, String),
}

macro_rules! line {
    ($label:expr, $f:ident) => {
        FieldSpec { label: $label, input: Input::Line, get: |r| r.$f.clone(), set: |r, v| r.$f = v }
    };
}
macro_rules! text {
    ($label:expr, $f:ident) => {
        FieldSpec { label: $label, input: Input::Text, get: |r| r.$f.clone(), set: |r, v| r.$f = v }
    };
}
macro_rules! list {
    ($label:expr, $f:ident) => {
        FieldSpec { label: $label, input: Input::Line, get: |r| r.$f.join("、"), set: |r, v| r.$f = vec![v] }
    };
}
macro_rules! widget {
    ($label:expr, $input:expr) => {
        FieldSpec { label: $label, input: $input, get: |_| String::new(), set: |_, _| {} }
    };
}

pub const EXPERT_FORM: &[FieldSpec<Expert>] = &[
    line!("编号", ext_id),
    line!("姓名（必填）", name),
    line!("性别", gender),
    line!("单位", institution),
    line!("院系/部门", department),
    line!("职称", title),
    line!("推荐单位", recommender),
    widget!("细分领域", Input::Subfields),
    text!("研究方向", research),
    text!("代表性成果", achievements),
    list!("关键词（用顿号分隔）", keywords),
    widget!("可接受的合作方式", Input::Coop),
    line!("所在地区", region),
    line!("电话", phone),
    line!("邮箱", email),
    text!("备注", note),
];

pub const DEMAND_FORM: &[FieldSpec<Demand>] = &[
    line!("编号", ext_id),
    line!("企业名称", enterprise),
    line!("需求名称（必填）", title),
    text!("需求描述", description),
    widget!("细分领域", Input::Subfields),
    list!("关键词（用顿号分隔）", keywords),
    widget!("期望合作方式", Input::Coop),
    FieldSpec {
        label: "拟投入经费（万元）",
        input: Input::Line,
        get: |d| d.budget_wan.map(crate::util::number_text).unwrap_or_else(|| d.budget_text.clone()),
        set: |d, v| {
            d.budget_wan = None;
            d.budget_text = v;
        },
    },
    widget!("紧急程度", Input::Urgency),
    line!("截止时间（如 2026-06-30）", deadline),
    widget!("状态", Input::Status),
];

pub const ENTERPRISE_FORM: &[FieldSpec<Enterprise>] = &[
    line!("企业名称（必填）", name),
    line!("统一社会信用代码", credit_code),
    line!("所在园区/乡镇", park),
    line!("联系人", contact),
    line!("联系电话", phone),
    list!("回避单位（对接会不安排这些单位的专家，用、分隔）", avoid_units),
    list!("回避专家（姓名，用、分隔）", avoid_persons),
];

/// A change the form view asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEdit {
    /// The text input at this index of the kind's field list.
    Text(usize, String),
    Subfields(Vec<String>),
    Coop(Vec<String>),
    Urgency(Option<Urgency>),
    Status(DemandStatus),
}

impl Form {
    pub fn new_record(kind: RecordKind) -> Self {
        let draft = match kind {
            RecordKind::Expert => Draft::Expert(Box::new(Expert { available: true, ..Default::default() })),
            RecordKind::Demand => Draft::Demand(Box::default()),
        };
        Form { draft, error: None }
    }

    pub fn edit(draft: Draft) -> Self {
        Form { draft, error: None }
    }

    pub fn is_enterprise(&self, id: i64) -> bool {
        matches!(&self.draft, Draft::Enterprise(e) if e.id == id)
    }

    pub fn title(&self) -> &'static str {
        match &self.draft {
            Draft::Enterprise(_) => "编辑企业",
            Draft::Expert(e) if e.id == 0 => "新增专家",
            Draft::Expert(_) => "编辑专家",
            Draft::Demand(d) if d.id == 0 => "新增需求",
            Draft::Demand(_) => "编辑需求",
        }
    }

    pub fn apply(&mut self, edit: FormEdit) {
        match (&mut self.draft, edit) {
            (Draft::Expert(e), FormEdit::Text(i, v)) => (EXPERT_FORM[i].set)(e, v),
            (Draft::Demand(d), FormEdit::Text(i, v)) => (DEMAND_FORM[i].set)(d, v),
            (Draft::Enterprise(en), FormEdit::Text(i, v)) => (ENTERPRISE_FORM[i].set)(en, v),
            (Draft::Expert(e), FormEdit::Subfields(c)) => e.subfields = c,
            (Draft::Demand(d), FormEdit::Subfields(c)) => d.subfields = c,
            (Draft::Expert(e), FormEdit::Coop(m)) => e.coop_modes = m,
            (Draft::Demand(d), FormEdit::Coop(m)) => d.coop_modes = m,
            (Draft::Demand(d), FormEdit::Urgency(u)) => d.urgency = u,
            (Draft::Demand(d), FormEdit::Status(s)) => d.status = s,
            _ => {}
        }
    }

    /// The record tidied and checked by the record rules: the save command, or the problems
    /// in words.
    pub fn save(&self) -> Result<Command, String> {
        use crate::domain::rules::has_errors;
        let issues = |list: Vec<crate::domain::rules::Issue>| -> Result<(), String> {
            if has_errors(&list) {
                let errors: Vec<_> = list.into_iter().filter(crate::domain::rules::Issue::is_error).collect();
                Err(crate::text::issues(&errors))
            } else {
                Ok(())
            }
        };
        Ok(match &self.draft {
            Draft::Expert(e) => {
                let mut e = e.clone();
                e.normalize();
                issues(e.check())?;
                Command::SaveExpert(e)
            }
            Draft::Demand(d) => {
                let mut d = d.clone();
                d.normalize();
                issues(d.check())?;
                Command::SaveDemand(d)
            }
            Draft::Enterprise(en) => {
                let mut en = en.clone();
                en.normalize();
                issues(en.check())?;
                Command::SaveEnterprise(en)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_read_and_write_through_their_specs_and_check_on_save() {
        let mut f = Form::new_record(RecordKind::Expert);
        let name = EXPERT_FORM.iter().position(|s| s.label.starts_with("姓名")).unwrap();
        let gender = EXPERT_FORM.iter().position(|s| s.label == "性别").unwrap();
        let kw = EXPERT_FORM.iter().position(|s| s.label.starts_with("关键词")).unwrap();
        f.apply(FormEdit::Text(name, " 陈 静 ".into()));
        f.apply(FormEdit::Text(gender, "male".into()));
        f.apply(FormEdit::Text(kw, "碳化硅、外延".into()));
        let Ok(Command::SaveExpert(e)) = f.save() else { panic!("{:?}", f.save()) };
        assert_eq!((e.name.as_str(), e.gender.as_str()), ("陈静", "男"), "the same rules as the importer");
        assert_eq!(e.keywords, vec!["碳化硅", "外延"]);
        f.apply(FormEdit::Text(gender, "未知".into()));
        assert!(f.save().unwrap_err().contains("性别"));
        let mut d = Form::new_record(RecordKind::Demand);
        let budget = DEMAND_FORM.iter().position(|s| s.label.starts_with("拟投入经费")).unwrap();
        let title = DEMAND_FORM.iter().position(|s| s.label.starts_with("需求名称")).unwrap();
        d.apply(FormEdit::Text(title, "结晶收率".into()));
        d.apply(FormEdit::Text(budget, "1e308".into()));
        assert!(d.save().unwrap_err().contains("拟投入经费"));
        d.apply(FormEdit::Text(budget, "50万".into()));
        let Ok(Command::SaveDemand(x)) = d.save() else { panic!() };
        assert_eq!(x.budget_wan, Some(50.0));
    }
}
