//! The words for 设置 → 知识库: why an edit of the knowledge was refused, and what a change did.

use crate::engine::{EditError, KnowledgeChanged};

/// Why a knowledge edit was refused, in the words of the office.
pub fn edit_error(e: &EditError) -> String {
    match e {
        EditError::UnknownCode(c) => format!("没有编码为 {c} 的细分领域"),
        EditError::NotAField(c) => format!("{c} 是细分领域，不是一级领域（分类只有两级）"),
        EditError::NotASubfield(c) => format!("{c} 是一级领域；只能移动或合并细分领域"),
        EditError::CodeTaken(c) => format!("编码 {c} 已被使用（或曾经使用过），请换一个编码或留空自动生成"),
        EditError::BadCode { code, parent } => {
            format!("编码 {code} 不合规则：应为上级编码加数字，如 {parent}07；留空可自动生成")
        }
        EditError::EmptyName => "名称不能为空".into(),
        EditError::LabelTaken { label, owner } => {
            format!("“{label}”已是 {owner} 的名称或别名，一个名称只能属于一个领域")
        }
        EditError::SameParent { code, parent } => format!("{code} 已经在 {parent} 下"),
        EditError::MergeIntoSelf => "不能把一个领域并入它自己".into(),
        EditError::MergeIntoChild { from, into } => format!("{into} 是 {from} 的下级，不能并入"),
        EditError::GroupTooSmall => "同义词组至少要有两个不同的词".into(),
        EditError::TermInOtherGroup { term, group } => {
            format!("“{term}”已在第 {} 组同义词中；一个词只放在一组里，请把新写法加到那一组", group + 1)
        }
        EditError::NoGroup(_) => "这组同义词已被修改或删除，请刷新后再试".into(),
        EditError::NoSymptom => "至少要写一个问题（症状）词".into(),
        EditError::NoKnownDiscipline => "至少要有一个学科是学科表中已有的学科名或别名".into(),
        EditError::GenericSymptom(w) => format!("“{w}”是通用词，不能单独作为问题词，请写得具体一些"),
        EditError::LinkIdTaken(id) => format!("关联编号 {id} 已被使用"),
        EditError::BadLinkId(id) => format!("关联编号“{id}”只能由小写字母、数字和下划线组成"),
        EditError::NoLink(id) => format!("没有编号为 {id} 的问题→学科关联（可能已被删除）"),
        EditError::Invalid(detail) => format!("修改后的知识文件有误：{detail}"),
    }
}

/// What a knowledge change did, for the status line.
pub fn changed(c: &KnowledgeChanged) -> String {
    let files = if c.files.is_empty() {
        "知识文件没有变化".to_string()
    } else {
        format!("已写入 {}", c.files.join("、"))
    };
    let stray = if c.stray > 0 {
        format!("；有 {} 条记录的细分领域编码不在新的分类中，仍保留原编码，可在归类审核中改归", c.stray)
    } else {
        String::new()
    };
    format!("知识库已更新：{}（{files}），搜索索引已按新知识重建{stray}", c.summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_worded_in_chinese() {
        let all = [
            EditError::UnknownCode("FL99".into()),
            EditError::NotAField("FL01".into()),
            EditError::NotASubfield("FL".into()),
            EditError::CodeTaken("FL01".into()),
            EditError::BadCode { code: "X1".into(), parent: "FL".into() },
            EditError::EmptyName,
            EditError::LabelTaken { label: "碳化硅".into(), owner: "SC01".into() },
            EditError::SameParent { code: "FL01".into(), parent: "FL".into() },
            EditError::MergeIntoSelf,
            EditError::MergeIntoChild { from: "FL".into(), into: "FL01".into() },
            EditError::GroupTooSmall,
            EditError::TermInOtherGroup { term: "LiPF6".into(), group: 0 },
            EditError::NoGroup(3),
            EditError::NoSymptom,
            EditError::NoKnownDiscipline,
            EditError::GenericSymptom("材料".into()),
            EditError::LinkIdTaken("a".into()),
            EditError::BadLinkId("甲".into()),
            EditError::NoLink("a".into()),
            EditError::Invalid("x".into()),
        ];
        for e in &all {
            let t = edit_error(e);
            assert!(t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}: {t}");
        }
        assert!(edit_error(&all[11]).contains("第 1 组"));
    }
}
