//! `bole eval`: imports an evaluation set into a database in memory, matches every judged
//! demand and prints Recall@N, MRR@N, nDCG@N and the pairwise loss over graded judgements
//! (with the one pair score). A set folder with a pairings.csv gets a second line "使用历史":
//! the history imported first, the same queries again. Sets whose experts carry a discipline
//! label also get a line in the classifier table ([`super::eval_classify`]).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{Eval, display_width};
use super::{Failure, Result};
use crate::domain::{Knowledge, RecordKind};
use crate::engine::{Core, eval};

/// One evaluation set's files.
struct Set {
    name: String,
    experts: PathBuf,
    demands: PathBuf,
    qrels: PathBuf,
    pairings: Option<PathBuf>,
}

/// One line of results.
struct Line {
    name: String,
    metrics: eval::Metrics,
    loss: Option<f64>,
}

/// qrels: demand_id,expert_id[,relevance] → demand → expert → grade.
fn read_qrels(path: &Path) -> Result<HashMap<String, HashMap<String, f64>>> {
    let grid = crate::engine::read_table(path)?;
    let mut rel: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for (i, row) in grid.iter().enumerate() {
        if i == 0 && row.first().is_some_and(|c| c.contains("demand")) {
            continue;
        }
        if row.len() < 2 {
            continue;
        }
        let grade = row.get(2).and_then(|g| g.parse::<f64>().ok()).unwrap_or(1.0);
        rel.entry(row[0].clone()).or_default().insert(row[1].clone(), grade);
    }
    Ok(rel)
}

fn sets(a: &Eval) -> Result<Vec<Set>> {
    if let (Some(e), Some(d), Some(q)) = (&a.experts, &a.demands, &a.qrels) {
        return Ok(vec![Set {
            name: q.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            experts: e.clone(),
            demands: d.clone(),
            qrels: q.clone(),
            pairings: a.pairings.clone(),
        }]);
    }
    a.sets
        .iter()
        .map(|dir| {
            let f = |n: &str| dir.join(n);
            for n in ["experts.csv", "demands.csv", "qrels.csv"] {
                if !f(n).is_file() {
                    return Err(Failure {
                        message: format!("评测集目录 {} 中缺少 {n}", dir.display()),
                        code: super::args::EXIT_FAILED,
                    });
                }
            }
            Ok(Set {
                name: dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                experts: f("experts.csv"),
                demands: f("demands.csv"),
                qrels: f("qrels.csv"),
                pairings: Some(f("pairings.csv")).filter(|p| p.is_file()),
            })
        })
        .collect()
}

pub fn run(a: &Eval, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let started = std::time::Instant::now();
    let k = a.top;
    let mut lines = Vec::new();
    let mut classified = Vec::new();
    for set in sets(a)? {
        if let Some(f) = super::eval_classify::measure(&set.experts)? {
            classified.push((set.name.clone(), f));
        }
        let mut core = Core::in_memory(Knowledge::builtin())?;
        for (file, kind) in [(&set.experts, RecordKind::Expert), (&set.demands, RecordKind::Demand)] {
            let plan = core.plan_file(file, kind)?;
            let c = core.commit_import(&plan, false, &mut |_, _| {}, None)?;
            writeln!(
                err,
                "{}：{}导入 {} 条，拒绝 {} 条",
                set.name,
                kind.list_name(),
                c.added + c.updated + c.unchanged,
                c.rejected
            )?;
        }
        let rel = read_qrels(&set.qrels)?;
        lines.push(Line { name: set.name.clone(), ..one(&core, &rel, k, a.misses, out)? });
        if let Some(p) = &set.pairings {
            // How much history it takes: a quarter, half, then all of the pairings (the same
            // pseudo-random rows each run), each imported on top of the previous.
            let rows = std::fs::read_to_string(p).map_err(|e| Failure {
                message: format!("无法读取 {}：{}", p.display(), crate::text::io_reason(&e)),
                code: super::args::EXIT_FAILED,
            })?;
            let mut lines_in: Vec<&str> = rows.lines().collect();
            let header = if lines_in.is_empty() { "" } else { lines_in.remove(0) };
            for (share, label) in [(4, "25%"), (2, "50%"), (1, "全部")] {
                let picked: Vec<&str> =
                    lines_in.iter().enumerate().filter(|(i, _)| (i * 7919) % share == 0).map(|(_, l)| *l).collect();
                let text = std::iter::once(header).chain(picked.iter().copied()).collect::<Vec<_>>().join("\n");
                let r = core.import_pairings_bytes(text.as_bytes(), "pairings.csv", false)?;
                writeln!(
                    err,
                    "{}：导入对接历史 {} 对（{label}），拒绝 {} 行",
                    set.name,
                    r.added + r.updated,
                    r.rejected.len()
                )?;
                lines.push(Line {
                    name: format!("{}（历史 {label}，{} 对）", set.name, picked.len()),
                    ..one(&core, &rel, k, a.misses, out)?
                });
            }
        }
    }
    let width = lines.iter().map(|l| display_width(&l.name)).max().unwrap_or(0).max(6);
    let pad = |s: &str| format!("{s}{}", " ".repeat(width - display_width(s)));
    writeln!(out, "{}  查询  Recall@{k:<3} MRR@{k:<3}  nDCG@{k:<3} 成对损失", pad("评测集"))?;
    for l in &lines {
        let loss = l.loss.map_or("   —".to_string(), |x| format!("{x:.3}"));
        writeln!(
            out,
            "{}  {:>4}  {:>9.3} {:>7.3}  {:>8.3}  {}",
            pad(&l.name),
            l.metrics.queries,
            l.metrics.recall,
            l.metrics.mrr,
            l.metrics.ndcg,
            loss
        )?;
    }
    super::eval_classify::print(&classified, width, out)?;
    writeln!(err, "用时 {:.1} 秒", started.elapsed().as_secs_f64())?;
    Ok(())
}

/// Matches the judged demands and scores every judged pair.
fn one(
    core: &Core,
    rel: &HashMap<String, HashMap<String, f64>>,
    k: usize,
    misses: bool,
    out: &mut dyn Write,
) -> Result<Line> {
    let mut queries: Vec<_> = core.all_demands()?.into_iter().filter(|d| rel.contains_key(&d.ext_id)).collect();
    queries.sort_by(|x, y| x.ext_id.cmp(&y.ext_id));
    let records = core.preloaded_records()?;
    let results = core.match_many(&queries, k, &records, &HashMap::new())?;
    let per: Vec<(f64, f64, f64)> = results
        .iter()
        .map(|m| {
            let ranked: Vec<String> = m.matches.iter().map(|s| s.ext_id.clone()).collect();
            eval::score_query(&ranked, &rel[&m.demand_id], k)
        })
        .collect();
    if misses {
        for (r, q) in results.iter().zip(&per) {
            if q.0 < 1.0
                && let Some(d) = queries.iter().find(|d| d.ext_id == r.demand_id)
            {
                let got: Vec<String> =
                    r.matches.iter().take(5).map(|s| format!("{}:{:.0}", s.ext_id, s.score)).collect();
                let mut want: Vec<(&String, &f64)> = rel[&r.demand_id].iter().collect();
                want.sort_by(|a, b| a.0.cmp(b.0));
                writeln!(out, "未命中 {}「{}」应为 {want:?}，前五为 {got:?}", d.ext_id, d.title)?;
            }
        }
    }
    // The pairwise loss over every judged pair, with the one pair score.
    let experts: HashMap<&str, &crate::domain::Expert> =
        records.experts.values().map(|e| (e.ext_id.as_str(), e)).collect();
    let demands: HashMap<&str, &crate::domain::Demand> =
        records.demands.values().map(|d| (d.ext_id.as_str(), d)).collect();
    let mut pairs: Vec<(&str, &str, f64)> = Vec::new();
    for (d, list) in rel {
        for (e, g) in list {
            pairs.push((d, e, *g));
        }
    }
    pairs.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(b.1)));
    let judged: Vec<(String, String, f64, f64)> = core.with_matcher(|m| {
        pairs
            .iter()
            .filter_map(|(d, e, g)| {
                let (dd, ee) = (demands.get(d)?, experts.get(e)?);
                Some((e.to_string(), d.to_string(), *g, m.pair(dd, ee).score()))
            })
            .collect()
    })?;
    Ok(Line { name: String::new(), metrics: eval::average(&per), loss: eval::pairwise_loss(&judged) })
}
