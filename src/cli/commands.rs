//! The list, import, search, match, eval and exclusion commands.

use std::io::Write;

use super::args::{Classify, EnterpriseRef, Exclude, Import, ImportKind, List, Match, MatchTarget, Score, Search};
use super::{Failure, Result};
use crate::domain::RecordKind;
use crate::engine::{Classified, Core, Counts, DemandMatches, EngineError, Suggestion, demand_label, expert_label};
use crate::text;

/// Progress of a commit, on stderr.
fn progress(err: &mut dyn Write) -> impl FnMut(usize, usize) + '_ {
    move |done, total| {
        let _ = writeln!(err, "已写入 {done}/{total} 行");
    }
}

pub fn import(core: &mut Core, a: &Import, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let kind = match a.kind {
        ImportKind::Experts => RecordKind::Expert,
        ImportKind::Demands => RecordKind::Demand,
        ImportKind::Pairings => {
            let r = core.import_pairings(&a.file, a.dry_run)?;
            write!(out, "{}", text::pairing_report(&r, a.dry_run))?;
            if a.dry_run {
                writeln!(out, "（预览，未写入数据库）")?;
            }
            return Ok(());
        }
    };
    let plan = core.plan_file(&a.file, kind)?;
    write!(out, "{}", text::import_report(&plan, a.merge_duplicates))?;
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

pub fn clear_demo(core: &mut Core, out: &mut dyn Write) -> Result {
    let c = core.clear_demo()?;
    writeln!(
        out,
        "已清除演示数据：专家 {} 位、需求 {} 条、企业 {} 家、对接会 {} 场（真实数据未改动）",
        c.experts, c.demands, c.enterprises, c.meetings
    )?;
    Ok(())
}

pub fn export(core: &Core, a: &crate::cli::args::ExportList, out: &mut dyn Write) -> Result {
    let n = core.export_list(RecordKind::from(a.kind), &a.out)?;
    let what = match RecordKind::from(a.kind) {
        RecordKind::Expert => "位专家",
        RecordKind::Demand => "条需求",
    };
    writeln!(out, "已导出 {n} {what}到 {}", a.out.display())?;
    Ok(())
}

pub fn backup(core: &Core, a: &crate::cli::args::Backup, out: &mut dyn Write) -> Result {
    let path = match &a.out {
        Some(p) => {
            core.backup_to(p)?;
            p.clone()
        }
        None => core.backup(crate::engine::BackupKind::Manual, None)?,
    };
    let info = crate::engine::backup_info(&path)?;
    writeln!(out, "已备份到 {}（{}）", path.display(), crate::text::backup_summary(&info.summary))?;
    Ok(())
}

pub fn backups(core: &mut Core, a: &crate::cli::args::Backups, out: &mut dyn Write) -> Result {
    if let Some(dir) = &a.dir {
        let first = core.set_backup_dir(dir)?;
        writeln!(out, "备份文件夹已改为 {}，并已在那里备份一次：{}", core.backup_dir().display(), first.display())?;
    }
    let list = core.backups()?;
    if a.json {
        let v: Vec<serde_json::Value> = list
            .iter()
            .map(|b| {
                serde_json::json!({
                    "path": b.path.display().to_string(),
                    "kind": b.kind.map(crate::text::backup_kind),
                    "action": b.action.map(crate::text::backup_action),
                    "taken_at": b.taken_at,
                    "bytes": b.bytes,
                    "experts": b.summary.experts,
                    "demands": b.summary.demands,
                    "enterprises": b.summary.enterprises,
                    "meetings": b.summary.meetings,
                    "pairings": b.summary.pairings,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "备份文件夹：{}", core.backup_dir().display())?;
    for b in &list {
        writeln!(out, "{}", crate::text::backup_line(b))?;
    }
    writeln!(out, "共 {} 个备份（每天首次启动、每周、每次导入/合并/清除演示数据/恢复之前自动备份）", list.len())?;
    Ok(())
}

pub fn restore(core: &mut Core, a: &crate::cli::args::Restore, out: &mut dyn Write) -> Result {
    let info = crate::engine::backup_info(&a.file)?;
    let before = core.restore_backup(&a.file)?;
    writeln!(out, "已从 {} 恢复（{}）", a.file.display(), crate::text::backup_summary(&info.summary))?;
    writeln!(out, "恢复前的数据已备份到 {}，需要时可用 bole restore 恢复回来", before.display())?;
    Ok(())
}

pub fn log(core: &Core, a: &crate::cli::args::Log, out: &mut dyn Write) -> Result {
    let entries: Vec<(crate::engine::LogBatch, Vec<crate::engine::LogRow>)> = match &a.record {
        Some(ext) => {
            let (kind, id) = match core.expert(ext) {
                Ok(e) => (RecordKind::Expert, e.id),
                Err(_) => (RecordKind::Demand, core.demand(ext)?.id),
            };
            core.record_history(kind, id)?.into_iter().take(a.limit).map(|(b, r)| (b, vec![r])).collect()
        }
        None => {
            let mut v = Vec::new();
            for b in core.log(a.limit)? {
                // The text lists 20 rows of an action; JSON has them all.
                let rows = core.log_rows(b.id, if a.json { usize::MAX } else { 20 })?;
                v.push((b, rows));
            }
            v
        }
    };
    if a.json {
        let v: Vec<serde_json::Value> = entries
            .iter()
            .map(|(b, rows)| {
                serde_json::json!({
                    "batch": b.id,
                    "at": b.at,
                    "user": b.os_user,
                    "action": crate::text::log_action(&b.action),
                    "summary": b.summary,
                    "undone": b.undone,
                    "undoes": b.undoes,
                    "changes": rows.iter().map(|r| serde_json::json!({
                        "record": r.label,
                        "what": crate::text::row_change_kind(r),
                        "fields": r.changed_columns().iter().map(|(c, x, y)| serde_json::json!({
                            "field": crate::text::log_column(&r.table, c),
                            "before": crate::text::field_value(c, x),
                            "after": crate::text::field_value(c, y),
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    for (b, rows) in &entries {
        writeln!(out, "{}", crate::text::log_line(b))?;
        for r in rows {
            writeln!(out, "    {}", crate::text::row_change_line(r))?;
        }
        if a.record.is_none() && b.rows > rows.len() {
            writeln!(out, "    …… 共 {} 条记录", b.rows)?;
        }
    }
    if entries.is_empty() {
        writeln!(out, "操作日志为空")?;
    }
    Ok(())
}

pub fn undo(core: &mut Core, a: &crate::cli::args::Undo, out: &mut dyn Write) -> Result {
    let b = match a.batch {
        Some(id) => core.undo_batch(id)?,
        None => core.undo_last()?,
    };
    writeln!(out, "已撤销第 {} 步：{}（{}）", b.id, crate::text::log_action(&b.action), b.summary)?;
    Ok(())
}

/// Adds each record's suggested subfields (codes the classifier proposes beyond the confirmed
/// `subfields`, best first, with confidence) under `suggested_subfields`.
fn with_suggestions(core: &Core, kind: RecordKind, mut v: serde_json::Value) -> Result<serde_json::Value> {
    let by_id: std::collections::HashMap<String, serde_json::Value> = core
        .suggested_subfields(kind)?
        .into_iter()
        .map(|c| {
            let list: Vec<serde_json::Value> = c
                .suggestions
                .iter()
                .map(|s| serde_json::json!({"code": s.code, "name": s.name, "confidence": s.confidence}))
                .collect();
            (c.ext_id, serde_json::Value::Array(list))
        })
        .collect();
    if let Some(items) = v.as_array_mut() {
        for item in items {
            let id = item["id"].as_str().unwrap_or_default().to_string();
            let s = by_id.get(&id).cloned().unwrap_or_else(|| serde_json::json!([]));
            if let Some(o) = item.as_object_mut() {
                o.insert("suggested_subfields".into(), s);
            }
        }
    }
    Ok(v)
}

pub fn list(core: &Core, a: &List, out: &mut dyn Write) -> Result {
    let tax = &core.knowledge.taxonomy;
    match RecordKind::from(a.kind) {
        RecordKind::Expert => {
            let experts = core.all_experts()?;
            if a.json {
                let v = with_suggestions(core, RecordKind::Expert, serde_json::to_value(&experts)?)?;
                serde_json::to_writer_pretty(&mut *out, &v)?;
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
                let v = with_suggestions(core, RecordKind::Demand, serde_json::to_value(&demands)?)?;
                serde_json::to_writer_pretty(&mut *out, &v)?;
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

pub fn search(core: &mut Core, a: &Search, out: &mut dyn Write) -> Result {
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
        "strength": s.strength,
        "parts": s.parts,
        "reasons": s.reasons,
    })
}

fn print_suggestions(out: &mut dyn Write, list: &[Suggestion]) -> Result {
    if list.is_empty() {
        writeln!(out, "  （没有合适的推荐）")?;
    }
    for (i, s) in list.iter().enumerate() {
        writeln!(out, "{:>3}. 匹配度 {:5.1}（{}）  {}  {}", i + 1, s.score, s.strength.label(), s.ext_id, s.label)?;
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
            // Written batch by batch: a large pool's suggestions never sit in memory at once.
            // Each demand's lines are made on the matching threads; here they are only written.
            let json = a.json;
            let render = |m: DemandMatches| -> Result<Vec<u8>> {
                let mut buf: Vec<u8> = Vec::new();
                if json {
                    let matches: Vec<_> = m.matches.iter().map(|s| suggestion_json(s, "expert_id")).collect();
                    let v = serde_json::json!({"demand_id": m.demand_id, "matches": matches});
                    serde_json::to_writer(&mut buf, &v)?;
                    buf.push(b'\n');
                } else {
                    writeln!(buf, "需求 {}", m.demand_id)?;
                    print_suggestions(&mut buf, &m.matches)?;
                }
                Ok(buf)
            };
            core.match_all_each(a.top, &render, |batch| -> Result {
                for text in batch {
                    let text: Vec<u8> = text?;
                    out.write_all(&text)?;
                }
                Ok(())
            })??;
        }
    }
    Ok(())
}

pub fn classify(core: &mut Core, a: &Classify, out: &mut dyn Write) -> Result {
    let kind = RecordKind::from(a.kind);
    if let Some(h) = a.accept_above {
        let accepted = core.accept_suggestions(kind, f64::from(h) / 100.0)?;
        let name = |code: &str| core.knowledge.taxonomy.name(code).unwrap_or(code).to_string();
        if a.json {
            let v: Vec<_> = accepted
                .iter()
                .map(|(id, code)| serde_json::json!({"id": id, "code": code, "name": name(code)}))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            return Ok(());
        }
        for (id, code) in &accepted {
            writeln!(out, "{id}\t已确认：{code} {}", name(code))?;
        }
        writeln!(out, "已确认 {} 条记录的细分领域（置信度 ≥ {:.2}）", accepted.len(), f64::from(h) / 100.0)?;
        return Ok(());
    }
    let list: Vec<_> = core.suggested_subfields(kind)?.into_iter().filter(|c| a.all || !c.confirmed).collect();
    if a.json {
        let v: Vec<_> =
            list.iter().map(|c| serde_json::json!({"id": c.ext_id, "suggestions": c.suggestions})).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    for Classified { ext_id: id, suggestions: s, .. } in &list {
        let shown: Vec<String> = s
            .iter()
            .map(|x| format!("{} {} {:.2}（{}）", x.code, x.name, x.confidence, x.evidence.join("、")))
            .collect();
        writeln!(out, "{id}\t{}", if shown.is_empty() { "（无建议）".to_string() } else { shown.join("；") })?;
    }
    Ok(())
}

pub fn score(core: &Core, a: &Score, out: &mut dyn Write) -> Result {
    let d = core.demand(&a.demand)?;
    let e = core.expert(&a.expert)?;
    let r = core.explain_pair(&d, &e, RecordKind::Expert)?;
    let (s, blocked, rank) = (r.suggestion, r.blocked, r.rank);
    if a.json {
        let mut v = serde_json::json!({
            "demand_id": d.ext_id,
            "expert_id": e.ext_id,
            "score": s.score,
            "strength": s.strength,
            "parts": s.parts,
            "reasons": s.reasons,
            "rank": rank,
        });
        if let Some(b) = blocked {
            v["blocked"] = serde_json::Value::String(text::pair_block(b).to_string());
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(out, "需求 {} {}", d.ext_id, demand_label(&d))?;
    writeln!(out, "专家 {} {}", e.ext_id, expert_label(&e))?;
    writeln!(out, "匹配度 {:.1}（{}）", s.score, s.strength.label())?;
    let p = &s.parts;
    writeln!(
        out,
        "  内容 {:.1} + 领域 {:.1} + 问题→学科 {:.1} + 合作方式 {:.1} + 对接历史 {:.1}",
        p.text, p.subfield, p.link, p.coop, p.history
    )?;
    for r in &s.reasons {
        writeln!(out, "  {}", r.text())?;
    }
    match (blocked, rank) {
        (Some(b), _) => writeln!(out, "不会推荐：{}", text::pair_block(b))?,
        (None, Some(r)) => writeln!(out, "在该需求的推荐中排第 {r} 位")?,
        (None, None) => writeln!(out, "不在该需求的前 1000 位推荐中")?,
    }
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
