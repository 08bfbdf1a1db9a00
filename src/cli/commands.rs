//! The search, match, eval and exclusion commands.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use super::{Failure, no_more, take_flag, take_value, usage_error};
use crate::domain::ExclusionKind;
use crate::domain::Knowledge;
use crate::engine::Core;
use crate::matching::eval::{average, score_query};
use crate::matching::{Preloaded, Suggestion};
use crate::search::{RecordKind, SearchRequest};
use crate::store;

fn io(e: std::io::Error) -> Failure {
    Failure::from(format!("输出失败：{e}"))
}

fn top_n(words: &mut Vec<String>, default: usize) -> Result<usize, Failure> {
    match take_value(words, "--top")? {
        None => Ok(default),
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| *n > 0 && *n <= 1000)
            .ok_or_else(|| usage_error(format!("--top 应为 1 到 1000 的整数，而不是“{v}”"))),
    }
}

pub fn search(core: Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    let json = take_flag(&mut words, "--json");
    let demands = take_flag(&mut words, "--demands");
    let subfield = take_value(&mut words, "--subfield")?;
    let top = top_n(&mut words, 20)?;
    if words.is_empty() {
        return Err(usage_error("缺少查询词"));
    }
    let text = words.join(" ");
    if let Some(code) = &subfield
        && core.knowledge.taxonomy.node(code).is_none()
    {
        return Err(Failure::from(format!("没有编码为“{code}”的细分领域（可用 FL、FL01 这样的编码）")));
    }
    let kind = if demands { RecordKind::Demand } else { RecordKind::Expert };
    let mut req = SearchRequest::new(kind, &text);
    req.subfield = subfield;
    req.limit = top;
    let hits = core.search(&req)?;
    let db = |e: rusqlite::Error| Failure::from(format!("读取数据库失败：{e}"));
    let mut rows = Vec::new();
    for h in &hits {
        let (id, label) = match kind {
            RecordKind::Expert => {
                let e = store::get_expert(&core.conn, h.id).map_err(db)?.unwrap_or_default();
                (e.ext_id.clone(), crate::matching::expert_label(&e))
            }
            RecordKind::Demand => {
                let d = store::get_demand(&core.conn, h.id).map_err(db)?.unwrap_or_default();
                (d.ext_id.clone(), crate::matching::demand_label(&d))
            }
        };
        rows.push((id, label, h));
    }
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(id, label, h)| serde_json::json!({"id": id, "label": label, "score": h.score, "matched_terms": h.matched_terms}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default()).map_err(io)?;
    } else {
        for (i, (id, label, h)) in rows.iter().enumerate() {
            writeln!(out, "{:>3}. {id}  {label}  命中：{}", i + 1, h.matched_terms.join("、")).map_err(io)?;
        }
        writeln!(out, "共 {} 条结果", rows.len()).map_err(io)?;
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

fn print_suggestions(out: &mut dyn Write, list: &[Suggestion]) -> Result<(), Failure> {
    if list.is_empty() {
        writeln!(out, "  （没有合适的推荐）").map_err(io)?;
    }
    for (i, s) in list.iter().enumerate() {
        writeln!(out, "{:>3}. 匹配度 {:5.1}  {}  {}", i + 1, s.score, s.ext_id, s.label).map_err(io)?;
        for r in &s.reasons {
            writeln!(out, "        {}", r.text()).map_err(io)?;
        }
    }
    Ok(())
}

pub fn matches(core: Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    let json = take_flag(&mut words, "--json");
    let all = take_flag(&mut words, "--all");
    let demand = take_value(&mut words, "--demand")?;
    let expert = take_value(&mut words, "--expert")?;
    let top = top_n(&mut words, 10)?;
    no_more(&words)?;
    match (demand, expert, all) {
        (Some(id), None, false) => {
            let d = core.demand(&id)?;
            let list = core.match_demand(&d, top)?;
            if json {
                let v = serde_json::json!({"demand_id": d.ext_id, "matches": list.iter().map(|s| suggestion_json(s, "expert_id")).collect::<Vec<_>>()});
                writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default()).map_err(io)?;
            } else {
                writeln!(out, "需求 {} {}", d.ext_id, crate::matching::demand_label(&d)).map_err(io)?;
                print_suggestions(out, &list)?;
            }
        }
        (None, Some(id), false) => {
            let e = core.expert(&id)?;
            let list = core.match_expert(&e, top)?;
            if json {
                let v = serde_json::json!({"expert_id": e.ext_id, "matches": list.iter().map(|s| suggestion_json(s, "demand_id")).collect::<Vec<_>>()});
                writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default()).map_err(io)?;
            } else {
                writeln!(out, "专家 {} {}", e.ext_id, crate::matching::expert_label(&e)).map_err(io)?;
                if !e.available {
                    writeln!(
                        out,
                        "  该专家已标记为暂不可约，不作推荐（可用 bole available --expert {} yes 恢复）",
                        e.ext_id
                    )
                    .map_err(io)?;
                } else {
                    print_suggestions(out, &list)?;
                }
            }
        }
        (None, None, true) => {
            let all = core.match_all(top)?;
            for m in &all {
                if json {
                    let v = serde_json::json!({"demand_id": m.demand_id, "matches": m.matches.iter().map(|s| suggestion_json(s, "expert_id")).collect::<Vec<_>>()});
                    writeln!(out, "{}", serde_json::to_string(&v).unwrap_or_default()).map_err(io)?;
                } else {
                    writeln!(out, "需求 {}", m.demand_id).map_err(io)?;
                    print_suggestions(out, &m.matches)?;
                }
            }
        }
        _ => return Err(usage_error("请给出 --demand 编号、--expert 编号 或 --all 中的一个")),
    }
    Ok(())
}

pub fn eval(mut words: Vec<String>, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let experts = take_value(&mut words, "--experts")?.ok_or_else(|| usage_error("缺少 --experts 文件"))?;
    let demands = take_value(&mut words, "--demands")?.ok_or_else(|| usage_error("缺少 --demands 文件"))?;
    let qrels = take_value(&mut words, "--qrels")?.ok_or_else(|| usage_error("缺少 --qrels 文件"))?;
    let k = top_n(&mut words, 10)?;
    let show_misses = take_flag(&mut words, "--misses");
    no_more(&words)?;
    let started = std::time::Instant::now();
    let mut core = Core::in_memory(Knowledge::builtin())?;
    for (file, kind) in [(&experts, RecordKind::Expert), (&demands, RecordKind::Demand)] {
        let plan = super::plan_file(&core.conn, &core.knowledge.taxonomy, &PathBuf::from(file), kind)?;
        let c = core.commit_import(&plan, false, &mut |_, _| {}, None)?;
        writeln!(err, "{}：导入 {} 条，拒绝 {} 条", kind.list_name(), c.added + c.updated + c.unchanged, c.rejected)
            .map_err(io)?;
    }
    // qrels: demand_id,expert_id,relevance
    let text = crate::io::table::decode_text(
        &std::fs::read(&qrels).map_err(|e| Failure::from(format!("无法读取 {qrels}：{e}")))?,
    )?;
    let mut rel: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for (i, row) in crate::io::table::parse_csv(&text).into_iter().enumerate() {
        if i == 0 && row.first().is_some_and(|c| c.contains("demand")) {
            continue;
        }
        if row.len() < 2 {
            continue;
        }
        let grade = row.get(2).and_then(|g| g.parse::<f64>().ok()).unwrap_or(1.0);
        rel.entry(row[0].clone()).or_default().insert(row[1].clone(), grade);
    }
    let records = Preloaded {
        experts: store::list_experts(&core.conn)
            .map_err(|e| Failure::from(e.to_string()))?
            .into_iter()
            .map(|e| (e.id, e))
            .collect(),
        demands: HashMap::new(),
    };
    let mut queries: Vec<_> = store::list_demands(&core.conn)
        .map_err(|e| Failure::from(e.to_string()))?
        .into_iter()
        .filter(|d| rel.contains_key(&d.ext_id))
        .collect();
    queries.sort_by(|a, b| a.ext_id.cmp(&b.ext_id));
    let results = core.match_many(&queries, k, &records, &HashMap::new())?;
    let per: Vec<(f64, f64, f64)> = results
        .iter()
        .map(|m| {
            let ranked: Vec<String> = m.matches.iter().map(|s| s.ext_id.clone()).collect();
            score_query(&ranked, &rel[&m.demand_id], k)
        })
        .collect();
    if show_misses {
        for (r, q) in results.iter().zip(&per) {
            if q.0 < 1.0 {
                let d = queries.iter().find(|d| d.ext_id == r.demand_id).expect("query");
                let got: Vec<&str> = r.matches.iter().take(3).map(|s| s.ext_id.as_str()).collect();
                let want: Vec<&String> = rel[&r.demand_id].keys().collect();
                writeln!(out, "未命中 {}「{} {}」应为 {:?}，前三为 {:?}", d.ext_id, d.title, d.description, want, got)
                    .map_err(io)?;
            }
        }
    }
    let m = average(&per);
    writeln!(out, "查询 {} 条（共 {} 条有标注）", m.queries, rel.len()).map_err(io)?;
    writeln!(out, "Recall@{k}  {:.3}", m.recall).map_err(io)?;
    writeln!(out, "MRR@{k}     {:.3}", m.mrr).map_err(io)?;
    writeln!(out, "nDCG@{k}    {:.3}", m.ndcg).map_err(io)?;
    writeln!(err, "用时 {:.1} 秒", started.elapsed().as_secs_f64()).map_err(io)?;
    Ok(())
}

pub fn exclude(mut core: Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    let remove = take_flag(&mut words, "--remove");
    let expert = take_value(&mut words, "--expert")?.ok_or_else(|| usage_error("缺少 --expert 编号"))?;
    let demand = take_value(&mut words, "--demand")?;
    let enterprise = take_value(&mut words, "--enterprise")?;
    let kind = take_value(&mut words, "--kind")?.unwrap_or_else(|| "回避".into());
    let note = take_value(&mut words, "--note")?.unwrap_or_default();
    no_more(&words)?;
    let kind = ExclusionKind::parse(&kind)
        .ok_or_else(|| usage_error(format!("--kind 应为 回避 或 不再推荐，而不是“{kind}”")))?;
    let e = core.expert(&expert)?;
    let db = |e: rusqlite::Error| Failure::from(format!("读取数据库失败：{e}"));
    let (ent_id, ent_name) = match (demand, enterprise) {
        (Some(d), None) => {
            let d = core.demand(&d)?;
            (
                d.enterprise_id.ok_or_else(|| Failure::from(format!("需求 {} 没有填写企业，无法标记", d.ext_id)))?,
                d.enterprise,
            )
        }
        (None, Some(name)) => {
            let en = store::find_enterprise(&core.conn, &name)
                .map_err(db)?
                .ok_or_else(|| Failure::from(format!("找不到企业“{name}”")))?;
            (en.id, en.name)
        }
        _ => return Err(usage_error("请给出 --demand 编号 或 --enterprise 企业名称 中的一个")),
    };
    if remove {
        core.set_exclusion(&e, ent_id, None, "")?;
        writeln!(out, "已取消：{} 与 {} 的回避/不再推荐标记", e.name, ent_name).map_err(io)?;
    } else {
        core.set_exclusion(&e, ent_id, Some(kind), &note)?;
        writeln!(out, "已标记{}：{} 与 {}（此后不再相互推荐）", kind.label(), e.name, ent_name).map_err(io)?;
    }
    Ok(())
}

pub fn available(mut core: Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    let expert = take_value(&mut words, "--expert")?.ok_or_else(|| usage_error("缺少 --expert 编号"))?;
    let value = match words.first().map(String::as_str) {
        Some("yes" | "是" | "可约" | "on") => true,
        Some("no" | "否" | "暂不可约" | "off") => false,
        _ => return Err(usage_error("请在最后写 yes（可约）或 no（暂不可约）")),
    };
    words.remove(0);
    no_more(&words)?;
    let e = core.expert(&expert)?;
    core.set_available(&e, value)?;
    writeln!(out, "已将 {} 标记为{}", e.name, if value { "可约" } else { "暂不可约" }).map_err(io)?;
    Ok(())
}
