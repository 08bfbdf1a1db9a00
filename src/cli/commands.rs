//! The list, import, search, match, eval and exclusion commands.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::args::{EnterpriseRef, Eval, Exclude, Import, List, Match, MatchTarget, Search};
use super::{Failure, Result};
use crate::domain::{Knowledge, RecordKind};
use crate::engine::{Core, Counts, EngineError, Suggestion, demand_label, eval, expert_label};
use crate::text;

/// Progress of a commit, on stderr.
fn progress(err: &mut dyn Write) -> impl FnMut(usize, usize) + '_ {
    move |done, total| {
        let _ = writeln!(err, "已写入 {done}/{total} 行");
    }
}

pub fn import(core: &mut Core, a: &Import, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let plan = core.plan_file(&a.file, a.kind.into())?;
    write!(out, "{}", text::import_report(&plan))?;
    if let Some(p) = &a.rejected_out {
        if plan.rejected.is_empty() {
            writeln!(out, "没有被拒绝的行，未生成 {}", p.display())?;
        } else {
            core.save_rejected(&plan, p)?;
            writeln!(out, "已将 {} 个被拒绝的行保存到 {}（修改后可再次导入）", plan.rejected.len(), p.display())?;
        }
    }
    if a.dry_run {
        writeln!(out, "（预览，未写入数据库）")?;
        return Ok(());
    }
    let c = core.commit_import(&plan, a.merge_duplicates, &mut progress(err), None)?;
    writeln!(out, "{}", text::imported(&c))?;
    Ok(())
}

pub fn demo(core: &mut Core, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let (e, d): (Counts, Counts) = core.load_demo(&mut progress(err))?;
    writeln!(
        out,
        "已载入演示数据（虚构）：专家 新增 {} / 更新 {}；需求 新增 {} / 更新 {}",
        e.added, e.updated, d.added, d.updated
    )?;
    Ok(())
}

pub fn list(core: &Core, a: &List, out: &mut dyn Write) -> Result {
    let tax = &core.knowledge.taxonomy;
    match RecordKind::from(a.kind) {
        RecordKind::Expert => {
            let experts = core.all_experts()?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &experts)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "编号\t姓名\t单位\t职称\t新材料细分领域")?;
            for e in &experts {
                writeln!(out, "{}\t{}\t{}\t{}\t{}", e.ext_id, e.name, e.institution, e.title, tax.names(&e.subfields))?;
            }
            writeln!(out, "共 {} 位专家", experts.len())?;
        }
        RecordKind::Demand => {
            let demands = core.all_demands()?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &demands)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "编号\t企业\t需求名称\t状态\t细分领域")?;
            for d in &demands {
                let subfields = tax.names(&d.subfields);
                writeln!(out, "{}\t{}\t{}\t{}\t{subfields}", d.ext_id, d.enterprise, d.title, d.status.label())?;
            }
            writeln!(out, "共 {} 条需求", demands.len())?;
        }
    }
    Ok(())
}

pub fn search(core: &Core, a: &Search, out: &mut dyn Write) -> Result {
    if let Some(code) = &a.subfield
        && core.knowledge.taxonomy.node(code).is_none()
    {
        return Err(EngineError::NotFound(crate::engine::Missing::Subfield(code.clone())).into());
    }
    let kind = if a.demands { RecordKind::Demand } else { RecordKind::Expert };
    let mut req = crate::engine::SearchRequest::new(kind, &a.text());
    req.subfield.clone_from(&a.subfield);
    req.limit = a.top;
    let hits = core.search(&req)?;
    let mut rows = Vec::new();
    for h in &hits {
        let (id, label) = match kind {
            RecordKind::Expert => {
                let e = core.expert_by_id(h.id)?;
                (e.ext_id.clone(), expert_label(&e))
            }
            RecordKind::Demand => {
                let d = core.demand_by_id(h.id)?;
                (d.ext_id.clone(), demand_label(&d))
            }
        };
        rows.push((id, label, h));
    }
    if a.json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(id, label, h)| serde_json::json!({"id": id, "label": label, "score": h.score, "matched_terms": h.matched_terms}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        for (i, (id, label, h)) in rows.iter().enumerate() {
            writeln!(out, "{:>3}. {id}  {label}  命中：{}", i + 1, h.matched_terms.join("、"))?;
        }
        writeln!(out, "共 {} 条结果", rows.len())?;
    }
    Ok(())
}

fn suggestion_json(s: &Suggestion, id_key: &str) -> serde_json::Value {
    serde_json::json!({
        id_key: s.ext_id,
        "label": s.label,
        "score": s.score,
        "parts": s.parts,
        "reasons": s.reasons,
    })
}

fn print_suggestions(out: &mut dyn Write, list: &[Suggestion]) -> Result {
    if list.is_empty() {
        writeln!(out, "  （没有合适的推荐）")?;
    }
    for (i, s) in list.iter().enumerate() {
        writeln!(out, "{:>3}. 匹配度 {:5.1}  {}  {}", i + 1, s.score, s.ext_id, s.label)?;
        for r in &s.reasons {
            writeln!(out, "        {}", r.text())?;
        }
    }
    Ok(())
}

pub fn matches(core: &Core, a: &Match, out: &mut dyn Write) -> Result {
    match a.target() {
        MatchTarget::Demand(id) => {
            let d = core.demand(&id)?;
            let list = core.match_demand(&d, a.top)?;
            if a.json {
                let matches: Vec<_> = list.iter().map(|s| suggestion_json(s, "expert_id")).collect();
                let v = serde_json::json!({"demand_id": d.ext_id, "matches": matches});
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                writeln!(out, "需求 {} {}", d.ext_id, demand_label(&d))?;
                print_suggestions(out, &list)?;
            }
        }
        MatchTarget::Expert(id) => {
            let e = core.expert(&id)?;
            let list = core.match_expert(&e, a.top)?;
            if a.json {
                let matches: Vec<_> = list.iter().map(|s| suggestion_json(s, "demand_id")).collect();
                let v = serde_json::json!({"expert_id": e.ext_id, "matches": matches});
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                writeln!(out, "专家 {} {}", e.ext_id, expert_label(&e))?;
                if e.available {
                    print_suggestions(out, &list)?;
                } else {
                    writeln!(
                        out,
                        "  该专家已标记为暂不可约，不作推荐（可用 bole available --expert {} yes 恢复）",
                        e.ext_id
                    )?;
                }
            }
        }
        MatchTarget::All => {
            for m in &core.match_all(a.top)? {
                if a.json {
                    let matches: Vec<_> = m.matches.iter().map(|s| suggestion_json(s, "expert_id")).collect();
                    let v = serde_json::json!({"demand_id": m.demand_id, "matches": matches});
                    writeln!(out, "{}", serde_json::to_string(&v)?)?;
                } else {
                    writeln!(out, "需求 {}", m.demand_id)?;
                    print_suggestions(out, &m.matches)?;
                }
            }
        }
    }
    Ok(())
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

pub fn eval(a: &Eval, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let started = std::time::Instant::now();
    let mut core = Core::in_memory(Knowledge::builtin())?;
    for (file, kind) in [(&a.experts, RecordKind::Expert), (&a.demands, RecordKind::Demand)] {
        let plan = core.plan_file(file, kind)?;
        let c = core.commit_import(&plan, false, &mut |_, _| {}, None)?;
        writeln!(err, "{}：导入 {} 条，拒绝 {} 条", kind.list_name(), c.added + c.updated + c.unchanged, c.rejected)?;
    }
    let rel = read_qrels(&a.qrels)?;
    let k = a.top;
    let mut queries: Vec<_> = core.all_demands()?.into_iter().filter(|d| rel.contains_key(&d.ext_id)).collect();
    queries.sort_by(|x, y| x.ext_id.cmp(&y.ext_id));
    let records = core.preloaded_experts()?;
    let results = core.match_many(&queries, k, &records, &HashMap::new())?;
    let per: Vec<(f64, f64, f64)> = results
        .iter()
        .map(|m| {
            let ranked: Vec<String> = m.matches.iter().map(|s| s.ext_id.clone()).collect();
            eval::score_query(&ranked, &rel[&m.demand_id], k)
        })
        .collect();
    if a.misses {
        for (r, q) in results.iter().zip(&per) {
            if q.0 < 1.0
                && let Some(d) = queries.iter().find(|d| d.ext_id == r.demand_id)
            {
                let got: Vec<&str> = r.matches.iter().take(3).map(|s| s.ext_id.as_str()).collect();
                let want: Vec<&String> = rel[&r.demand_id].keys().collect();
                writeln!(out, "未命中 {}「{} {}」应为 {want:?}，前三为 {got:?}", d.ext_id, d.title, d.description)?;
            }
        }
    }
    let m = eval::average(&per);
    writeln!(out, "查询 {} 条（共 {} 条有标注）", m.queries, rel.len())?;
    writeln!(out, "Recall@{k}  {:.3}", m.recall)?;
    writeln!(out, "MRR@{k}     {:.3}", m.mrr)?;
    writeln!(out, "nDCG@{k}    {:.3}", m.ndcg)?;
    writeln!(err, "用时 {:.1} 秒", started.elapsed().as_secs_f64())?;
    Ok(())
}

pub fn exclude(core: &mut Core, a: &Exclude, out: &mut dyn Write) -> Result {
    let e = core.expert(&a.expert)?;
    let (ent_id, ent_name) = match a.enterprise_ref() {
        EnterpriseRef::Demand(d) => {
            let d = core.demand(&d)?;
            let Some(id) = d.enterprise_id else {
                return Err(Failure {
                    message: format!("需求 {} 没有填写企业，无法标记", d.ext_id),
                    code: super::args::EXIT_FAILED,
                });
            };
            (id, d.enterprise)
        }
        EnterpriseRef::Name(name) => {
            let en = core.enterprise(&name)?;
            (en.id, en.name)
        }
    };
    if a.remove {
        core.set_exclusion(e.id, ent_id, None, "")?;
        writeln!(out, "已取消：{} 与 {ent_name} 的回避/不再推荐标记", e.name)?;
    } else {
        let kind = a.kind.into();
        core.set_exclusion(e.id, ent_id, Some(kind), &a.note)?;
        writeln!(
            out,
            "已标记{}：{} 与 {ent_name}（此后不再相互推荐）",
            crate::domain::ExclusionKind::label(kind),
            e.name
        )?;
    }
    Ok(())
}

pub fn available(core: &mut Core, a: &super::args::Available, out: &mut dyn Write) -> Result {
    let e = core.expert(&a.expert)?;
    let value = a.available();
    core.set_available(e.id, value)?;
    writeln!(out, "已将 {} 标记为{}", e.name, if value { "可约" } else { "暂不可约" })?;
    Ok(())
}
