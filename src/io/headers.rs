//! Recognising the header row of an office spreadsheet: which column holds which field, by Chinese
//! and English aliases, tolerant of spaces, full-width characters, required-field stars, unit
//! suffixes such as （万元）, title rows above the header and extra columns.

use crate::util::half_width;

/// The fields of an expert row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExpertField {
    Id,
    Name,
    Gender,
    Institution,
    Department,
    Title,
    Recommender,
    Subfield,
    Research,
    Achievements,
    Keywords,
    Coop,
    Region,
    Phone,
    Email,
    Note,
    /// 是否可约 (written by Bole's own list export, so an exported list imports back whole).
    Available,
}

/// The fields of a demand row (the enterprise's own fields travel on every demand row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DemandField {
    Id,
    Enterprise,
    CreditCode,
    Park,
    Contact,
    Phone,
    Title,
    Description,
    Subfield,
    Keywords,
    Coop,
    Budget,
    Urgency,
    Deadline,
    Status,
    AvoidUnits,
    AvoidPersons,
}

pub trait Field: Copy + Eq + Ord + 'static {
    /// (field, canonical Chinese label, aliases) — aliases are compared after [`norm_header`].
    const ALIASES: &'static [(Self, &'static str, &'static [&'static str])];
    /// Fields of which at least one must be present for a sheet to be this kind of list.
    const IDENTITY: &'static [Self];

    fn label(self) -> &'static str {
        Self::ALIASES.iter().find(|(f, _, _)| *f == self).map(|(_, l, _)| *l).unwrap_or("?")
    }
}

impl Field for ExpertField {
    const ALIASES: &'static [(Self, &'static str, &'static [&'static str])] = &[
        (Self::Id, "编号", &["编号", "专家编号", "人才编号", "id", "expertid", "no"]),
        (Self::Name, "姓名", &["姓名", "专家姓名", "名字", "name", "expertname", "fullname"]),
        (Self::Gender, "性别", &["性别", "gender", "sex"]),
        (
            Self::Institution,
            "单位",
            &[
                "单位",
                "工作单位",
                "所在单位",
                "单位名称",
                "依托单位",
                "institution",
                "affiliation",
                "organization",
                "organisation",
                "university",
            ],
        ),
        (
            Self::Department,
            "院系/部门",
            &["院系/部门", "院系", "部门", "所在院系", "学院", "院所", "department", "dept", "school"],
        ),
        (Self::Title, "职称", &["职称", "专业技术职称", "职称/职务", "职务/职称", "title", "rank", "position"]),
        (Self::Recommender, "推荐单位", &["推荐单位", "推荐机构", "推荐部门", "recommender", "recommendedby"]),
        (
            Self::Subfield,
            "新材料细分领域",
            &[
                "新材料细分领域",
                "细分领域",
                "领域",
                "所属领域",
                "专业领域",
                "技术领域",
                "研究领域",
                "subfield",
                "field",
                "area",
            ],
        ),
        (
            Self::Research,
            "研究方向",
            &[
                "研究方向",
                "主要研究方向",
                "研究内容",
                "专业特长",
                "专家简介",
                "个人简介",
                "简介",
                "profile",
                "research",
                "researchinterests",
                "abstract",
                "bio",
            ],
        ),
        (
            Self::Achievements,
            "代表性成果",
            &["代表性成果", "代表成果", "主要成果", "科研成果", "成果", "论文专利", "achievements", "publications"],
        ),
        (Self::Keywords, "关键词", &["关键词", "关键字", "技术关键词", "keywords", "keyword", "tags"]),
        (
            Self::Coop,
            "可接受的合作方式",
            &["可接受的合作方式", "合作方式", "合作意向", "合作形式", "cooperation", "coopmode"],
        ),
        (Self::Region, "所在地区", &["所在地区", "地区", "所在地", "所在城市", "城市", "region", "city", "location"]),
        (
            Self::Phone,
            "电话",
            &["电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "phone", "tel", "mobile"],
        ),
        (Self::Email, "邮箱", &["邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "mail"]),
        (Self::Note, "备注", &["备注", "说明", "note", "notes", "remark", "remarks"]),
        (Self::Available, "是否可约", &["是否可约", "可约", "可否邀约", "available", "availability"]),
    ];
    // 编号 alone is not enough: demand lists have one too (a demand list read as experts made
    // nameless experts of every demand).
    const IDENTITY: &'static [Self] = &[Self::Name];
}

impl Field for DemandField {
    const ALIASES: &'static [(Self, &'static str, &'static [&'static str])] = &[
        (Self::Id, "编号", &["编号", "需求编号", "id", "demandid", "no"]),
        (
            Self::Enterprise,
            "企业名称",
            &["企业名称", "企业", "公司名称", "公司", "需求单位", "需求企业", "单位名称", "enterprise", "company"],
        ),
        (Self::CreditCode, "统一社会信用代码", &["统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "uscc"]),
        (Self::Park, "所在园区/乡镇", &["所在园区/乡镇", "所在园区", "园区", "乡镇", "所在乡镇", "园区/乡镇", "park"]),
        (Self::Contact, "联系人", &["联系人", "企业联系人", "contact", "contactperson"]),
        (Self::Phone, "联系电话", &["联系电话", "电话", "手机", "联系方式", "phone", "tel"]),
        (Self::Title, "需求名称", &["需求名称", "技术需求名称", "需求标题", "项目名称", "需求", "title", "name"]),
        (
            Self::Description,
            "需求描述",
            &[
                "需求描述",
                "需求内容",
                "技术需求描述",
                "具体需求",
                "需求详情",
                "问题描述",
                "主要技术难题",
                "技术难题",
                "description",
                "details",
            ],
        ),
        (
            Self::Subfield,
            "细分领域",
            &["细分领域", "新材料细分领域", "领域", "所属领域", "技术领域", "subfield", "field"],
        ),
        (Self::Keywords, "关键词", &["关键词", "关键字", "技术关键词", "keywords", "keyword"]),
        (Self::Coop, "期望合作方式", &["期望合作方式", "合作方式", "合作意向", "cooperation"]),
        (
            Self::Budget,
            "拟投入经费（万元）",
            &["拟投入经费", "投入经费", "经费", "拟投入资金", "预算", "经费预算", "budget"],
        ),
        (Self::Urgency, "紧急程度", &["紧急程度", "紧急度", "优先级", "urgency", "priority"]),
        (Self::Deadline, "截止时间", &["截止时间", "截止日期", "完成时限", "期限", "时限", "deadline"]),
        (Self::Status, "状态", &["状态", "对接状态", "需求状态", "status"]),
        (Self::AvoidUnits, "回避单位", &["回避单位", "需回避单位", "回避机构", "avoidunits"]),
        (Self::AvoidPersons, "回避专家", &["回避专家", "回避人员", "需回避专家", "avoidpersons"]),
    ];
    const IDENTITY: &'static [Self] = &[Self::Title, Self::Description];
}

/// Header text in comparable form: half-width, lower-case, no spaces, no required-field stars,
/// no bracketed suffix such as （万元）/(必填), no trailing colon.
pub fn norm_header(h: &str) -> String {
    // One pass (header detection looks at every cell of the first rows of every sheet).
    let mut k = String::with_capacity(h.len());
    let mut bracket_seen = false;
    for c in h.chars().map(half_width) {
        if c.is_whitespace() || matches!(c, '*' | ':') {
            continue;
        }
        if matches!(c, '(' | '[' | '【') && !bracket_seen {
            bracket_seen = true;
            // The first bracket cuts the suffix off, unless the header starts with it.
            if !k.is_empty() {
                break;
            }
        }
        k.extend(c.to_lowercase());
    }
    k
}

/// Which field a header names, if any: exactly, or the longest alias the header contains.
pub fn field_of<F: Field>(header: &str) -> Option<F> {
    Aliases::<F>::new().field_of(header)
}

/// A header cell longer than this is a title or data, never a column name (and is not compared).
const MAX_HEADER_CHARS: usize = 60;

/// A normalised alias: its text, length in characters, ASCII or not, order in the list, field.
type Alias<F> = (String, usize, bool, usize, F);

/// The aliases of a field type, normalised once: exact names, and by first character the ones a
/// longer header may contain (so a header is compared with a few aliases, not all of them).
struct Aliases<F> {
    /// Whether a character (of the basic plane) starts some alias: most characters of a cell
    /// start none, and are passed over without a map lookup.
    starts: Vec<u64>,
    exact: std::collections::HashMap<String, F>,
    /// First character → the aliases starting with it.
    by_first: std::collections::HashMap<char, Vec<Alias<F>>>,
}

impl<F: Field> Aliases<F> {
    fn new() -> Self {
        let mut exact = std::collections::HashMap::new();
        let mut by_first: std::collections::HashMap<char, Vec<_>> = std::collections::HashMap::new();
        let mut order = 0;
        for (f, _, aliases) in F::ALIASES {
            for a in *aliases {
                let a = norm_header(a);
                exact.entry(a.clone()).or_insert(*f);
                let len = a.chars().count();
                if let Some(c) = a.chars().next()
                    && len >= 2
                {
                    let ascii = a.is_ascii();
                    by_first.entry(c).or_default().push((a, len, ascii, order, *f));
                }
                order += 1;
            }
        }
        let mut starts = vec![0u64; 0x1_0000 / 64];
        for c in by_first.keys() {
            if let Some(w) = starts.get_mut(*c as usize / 64) {
                *w |= 1 << (*c as usize % 64);
            }
        }
        Aliases { starts, exact, by_first }
    }

    fn may_start(&self, c: char) -> bool {
        self.starts.get(c as usize / 64).is_none_or(|w| w & (1 << (c as usize % 64)) != 0)
    }

    /// Exactly an alias (the first field listing it), else the longest alias the header contains
    /// (of the same script; on a tie the one listed first).
    fn field_of(&self, header: &str) -> Option<F> {
        if header.is_empty() || header.chars().nth(MAX_HEADER_CHARS).is_some() {
            return None;
        }
        let k = norm_header(header);
        if k.is_empty() {
            return None;
        }
        if let Some(f) = self.exact.get(&k) {
            return Some(*f);
        }
        let ascii = k.is_ascii();
        let mut best: Option<(usize, std::cmp::Reverse<usize>, F)> = None;
        for (i, c) in k.char_indices().filter(|&(_, c)| self.may_start(c)) {
            for (a, len, a_ascii, order, f) in self.by_first.get(&c).into_iter().flatten() {
                if *a_ascii == ascii && k[i..].starts_with(a.as_str()) {
                    let key = (*len, std::cmp::Reverse(*order), *f);
                    if best.is_none_or(|(l, o, _)| (key.0, key.1) > (l, o)) {
                        best = Some(key);
                    }
                }
            }
        }
        best.map(|(_, _, f)| f)
    }
}

/// The header row of a sheet and what each column means.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMap<F> {
    /// Index into `Table::rows` of the header row.
    pub row: usize,
    /// (column index, field) for recognised columns, in column order.
    pub columns: Vec<(usize, F)>,
    /// Header texts of columns that were ignored (unrecognised or repeating a field).
    pub ignored: Vec<String>,
    pub headers: Vec<String>,
}

impl<F: Field> HeaderMap<F> {
    pub fn has(&self, f: F) -> bool {
        self.columns.iter().any(|(_, g)| *g == f)
    }
}

/// Looks for the header among the first rows (title rows often come first); picks the row with
/// the most recognised columns that contains an identity field.
pub fn detect<F: Field>(rows: &[Vec<String>]) -> Option<HeaderMap<F>> {
    let aliases = Aliases::<F>::new();
    let mut best: Option<(usize, Vec<(usize, F)>)> = None;
    for (i, row) in rows.iter().enumerate().take(15) {
        let mut columns: Vec<(usize, F)> = Vec::new();
        for (c, h) in row.iter().enumerate() {
            if let Some(f) = aliases.field_of(h)
                && !columns.iter().any(|(_, g)| *g == f)
            {
                columns.push((c, f));
            }
        }
        let has_identity = columns.iter().any(|(_, f)| F::IDENTITY.contains(f));
        if has_identity && columns.len() >= 2 && best.as_ref().is_none_or(|(_, b)| columns.len() > b.len()) {
            best = Some((i, columns));
        }
    }
    // The texts of the ignored columns only for the row chosen.
    let (row, columns) = best?;
    let headers = rows[row].clone();
    let ignored = headers
        .iter()
        .enumerate()
        .filter(|(c, h)| !h.trim().is_empty() && !columns.iter().any(|(k, _)| k == c))
        .map(|(_, h)| h.trim().to_string())
        .collect();
    Some(HeaderMap { row, columns, ignored, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messy_headers_are_recognised() {
        assert_eq!(field_of::<ExpertField>("  姓 名 "), Some(ExpertField::Name));
        assert_eq!(field_of::<ExpertField>("*姓名（必填）"), Some(ExpertField::Name));
        assert_eq!(field_of::<ExpertField>("工作单位"), Some(ExpertField::Institution));
        assert_eq!(field_of::<ExpertField>("推荐单位"), Some(ExpertField::Recommender));
        assert_eq!(field_of::<ExpertField>("Ｅｍａｉｌ"), Some(ExpertField::Email));
        assert_eq!(field_of::<ExpertField>("profile"), Some(ExpertField::Research));
        assert_eq!(field_of::<ExpertField>("专家主要研究方向"), Some(ExpertField::Research));
        assert_eq!(field_of::<ExpertField>("序号"), None);
        assert_eq!(field_of::<DemandField>("拟投入经费（万元）"), Some(DemandField::Budget));
        assert_eq!(field_of::<DemandField>("企业联系人"), Some(DemandField::Contact));
        assert_eq!(field_of::<DemandField>("description"), Some(DemandField::Description));
        assert_eq!(field_of::<DemandField>("title"), Some(DemandField::Title));
        // The longest alias contained wins; a tie goes to the field listed first.
        assert_eq!(field_of::<ExpertField>("专家主要研究方向及成果"), Some(ExpertField::Research));
        assert_eq!(field_of::<DemandField>("联系电话（手机）"), Some(DemandField::Phone));
        assert_eq!(field_of::<ExpertField>(&"研究方向".repeat(20)), None, "too long for a header");
        assert_eq!(norm_header(" *姓 名（必填）: "), "姓名");
        assert_eq!(norm_header("(必填)姓名(中文)"), "(必填)姓名(中文)");
        assert_eq!(norm_header("ＥＭＡＩＬ【选填】"), "email");
    }

    #[test]
    fn wide_header_rows_are_cheap() {
        // 15 rows × 500 columns of near-header text, as a hostile file could hold on each sheet.
        let rows: Vec<Vec<String>> =
            (0..15).map(|r| (0..500).map(|c| format!("研究方向{r}{c}领域")).collect()).collect();
        let t = std::time::Instant::now();
        for _ in 0..4 {
            assert!(detect::<ExpertField>(&rows).is_none());
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(2), "{:?}", t.elapsed());
    }

    #[test]
    fn header_found_below_a_title_row_and_extra_columns_ignored() {
        let rows: Vec<Vec<String>> = [
            vec!["清流县专家人才库（2024）", "", ""],
            vec!["序号", "姓名", "工作单位", "研究方向", "电话", "手机"],
            vec!["1", "张伟", "厦门大学", "界面化学", "1", "2"],
        ]
        .iter()
        .map(|r| r.iter().map(std::string::ToString::to_string).collect())
        .collect();
        let h = detect::<ExpertField>(&rows).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(
            h.columns,
            vec![
                (1, ExpertField::Name),
                (2, ExpertField::Institution),
                (3, ExpertField::Research),
                (4, ExpertField::Phone)
            ]
        );
        assert_eq!(h.ignored, vec!["序号", "手机"]);
        assert!(detect::<DemandField>(&rows).is_none());
    }
}
