//! `bole eval`, second table: the subfield classifier on public sets whose experts carry a
//! discipline label (the `subfield` column of CSL and short-entries). The label is cleared, the
//! experts are imported and classified from their profiles alone, and the suggestions are checked
//! against `data/eval/discipline-fields.toml` (which field a discipline belongs to, written by
//! hand and not used by matching): top-1/top-3 field accuracy for specific disciplines, how often
//! broad materials disciplines get a suggestion, and how often unrelated ones get none.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::Result;
use crate::domain::{Knowledge, RecordKind};
use crate::engine::Core;

const LABELS: &str = include_str!("../../data/eval/discipline-fields.toml");

/// The classifier table's column heads.
const HEADS: [&str; 7] = ["学科明确", "领域top-1", "top-3", "宽口径材料", "有建议", "非材料", "无建议"];

#[derive(serde::Deserialize)]
struct List {
    labels: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Labels {
    specific: HashMap<String, Vec<String>>,
    broad: List,
    outside: List,
}

/// One set's classifier figures.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct ClassifierFigures {
    pub specific: usize,
    pub top1: usize,
    pub top3: usize,
    pub broad: usize,
    pub broad_suggested: usize,
    pub outside: usize,
    pub outside_silent: usize,
}

impl ClassifierFigures {
    fn measured(&self) -> usize {
        self.specific + self.broad + self.outside
    }
}

fn share(n: usize, of: usize) -> String {
    if of == 0 { "   —".into() } else { format!("{:.3}", n as f64 / of as f64) }
}

/// The figures for an experts file with a `subfield` column (None when it has none or no
/// labelled row is in the table).
pub fn measure(experts: &Path) -> Result<Option<ClassifierFigures>> {
    let labels: Labels = toml::from_str(LABELS).map_err(|e| super::Failure {
        message: format!("内置的学科对照表有误：{e}"),
        code: super::args::EXIT_FAILED,
    })?;
    let mut grid = crate::engine::read_table(experts)?;
    let Some(head) = grid.first() else { return Ok(None) };
    let (Some(col), Some(id_col)) =
        (head.iter().position(|h| h.trim() == "subfield"), head.iter().position(|h| h.trim() == "id"))
    else {
        return Ok(None);
    };
    let mut truth: HashMap<String, String> = HashMap::new();
    for row in grid.iter_mut().skip(1) {
        if let (Some(id), Some(label)) = (row.get(id_col).cloned(), row.get_mut(col)) {
            truth.insert(id, std::mem::take(label).trim().to_string());
        }
    }
    let mut out = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for row in &grid {
            w.write_record(row)
                .map_err(|e| super::Failure { message: e.to_string(), code: super::args::EXIT_FAILED })?;
        }
    }
    let mut core = Core::in_memory(Knowledge::builtin())?;
    let plan = core.plan_bytes(&out, "experts.csv", RecordKind::Expert)?;
    core.commit_import(&plan, false, &mut |_, _| {}, None)?;
    let tax = core.knowledge.taxonomy.clone();
    let got: HashMap<String, Vec<String>> = core
        .suggested_subfields(RecordKind::Expert)?
        .into_iter()
        .map(|c| (c.ext_id, c.suggestions.into_iter().map(|s| tax.field_of(&s.code).to_string()).collect()))
        .collect();
    let mut f = ClassifierFigures::default();
    for (id, label) in &truth {
        let fields = got.get(id).map(Vec::as_slice).unwrap_or_default();
        if let Some(want) = labels.specific.get(label) {
            f.specific += 1;
            f.top1 += usize::from(fields.first().is_some_and(|c| want.contains(c)));
            f.top3 += usize::from(fields.iter().take(3).any(|c| want.contains(c)));
        } else if labels.broad.labels.contains(label) {
            f.broad += 1;
            f.broad_suggested += usize::from(!fields.is_empty());
        } else if labels.outside.labels.contains(label) {
            f.outside += 1;
            f.outside_silent += usize::from(fields.is_empty());
        }
    }
    Ok((f.measured() > 0).then_some(f))
}

/// Prints the table for the sets that have discipline labels.
pub fn print(rows: &[(String, ClassifierFigures)], width: usize, out: &mut dyn Write) -> Result {
    if rows.is_empty() {
        return Ok(());
    }
    let pad = |s: &str| format!("{s}{}", " ".repeat(width.saturating_sub(super::args::display_width(s))));
    writeln!(out, "\n归类（去掉学科标签后按简介归类，对照 data/eval/discipline-fields.toml 的一级领域）")?;
    let right = |s: &str, w: usize| format!("{}{s}", " ".repeat(w.saturating_sub(super::args::display_width(s))));
    let widths: Vec<usize> = HEADS.iter().map(|h| super::args::display_width(h).max(5)).collect();
    let line = |cells: &[String]| -> String {
        cells.iter().zip(&widths).map(|(c, w)| right(c, *w)).collect::<Vec<_>>().join("  ")
    };
    let heads: Vec<String> = HEADS.iter().map(ToString::to_string).collect();
    writeln!(out, "{}  {}", pad("评测集"), line(&heads))?;
    for (name, f) in rows {
        let cells = [
            f.specific.to_string(),
            share(f.top1, f.specific),
            share(f.top3, f.specific),
            f.broad.to_string(),
            share(f.broad_suggested, f.broad),
            f.outside.to_string(),
            share(f.outside_silent, f.outside),
        ];
        writeln!(out, "{}  {}", pad(name), line(&cells))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]
    use super::*;

    #[test]
    fn labels_are_held_out_and_counted_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("experts.csv");
        std::fs::write(
            &file,
            "id,name,institution,subfield,keywords,profile\n\
             A1,,,冶金工程,,长期从事高强钢连铸坯中心偏析控制与热轧工艺研究\n\
             A2,,,法学,,研究民事诉讼程序与证据规则\n\
             A3,,,材料科学与工程,,从事六氟磷酸锂结晶与锂电电解液研究\n\
             A4,,,力学,,结构振动\n",
        )
        .unwrap();
        let f = measure(&file).unwrap().unwrap();
        assert_eq!((f.specific, f.broad, f.outside), (1, 1, 1), "力学 is not in the table: {f:?}");
        assert_eq!((f.top3, f.broad_suggested, f.outside_silent), (1, 1, 1), "{f:?}");
        let mut out = Vec::new();
        print(&[("set".into(), f)], 6, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("1.000"));
        std::fs::write(&file, "id,name,profile\nA1,张三,钢\n").unwrap();
        assert_eq!(measure(&file).unwrap(), None, "no discipline column, no line");
    }
}
