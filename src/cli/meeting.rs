//! `bole meeting …`: create a matchmaking meeting, pair it, schedule it, export its sheets —
//! the same [`Core`] operations as the GUI's 对接会 view.

use std::io::Write;
use std::path::PathBuf;

use super::{Failure, no_more, take_flag, take_value, usage_error};
use crate::domain::meeting::{Meeting, MeetingDetail, parse_hhmm, parse_time_range};
use crate::engine::{Core, MeetingSpec};
use crate::io::sheets::{self, SheetFormat, SheetOptions};

fn io(e: std::io::Error) -> Failure {
    Failure::from(format!("输出失败：{e}"))
}

fn number(words: &mut Vec<String>, opt: &str) -> Result<Option<u32>, Failure> {
    match take_value(words, opt)? {
        None => Ok(None),
        Some(v) => {
            v.trim().parse::<u32>().map(Some).map_err(|_| usage_error(format!("{opt} 后面应为非负整数，而不是“{v}”")))
        }
    }
}

/// Every value of a repeatable option, each possibly a comma list.
fn values(words: &mut Vec<String>, opt: &str) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    while let Some(v) = take_value(words, opt)? {
        out.extend(v.split([',', '，', ';', '；', '、']).map(str::trim).filter(|s| !s.is_empty()).map(String::from));
    }
    Ok(out)
}

/// The meeting named by the first word (id or exact name).
fn meeting_arg(core: &Core, words: &mut Vec<String>) -> Result<i64, Failure> {
    if words.is_empty() || words[0].starts_with("--") {
        return Err(usage_error("请写出对接会的编号或名称（bole meeting list 可查看）"));
    }
    let key = words.remove(0);
    Ok(core.meeting_id(&key)?)
}

/// "D001:E0012" → (demand row id, expert row id).
fn pair_arg(core: &Core, v: &str) -> Result<(i64, i64), Failure> {
    let (d, e) =
        v.split_once([':', '：']).ok_or_else(|| usage_error(format!("配对应写成 需求编号:专家编号，而不是“{v}”")))?;
    Ok((core.demand(d.trim())?.id, core.expert(e.trim())?.id))
}

pub fn run(mut core: Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    if words.is_empty() {
        return Err(usage_error("meeting 后面需要 create、list、show、assign、schedule、export 或 delete"));
    }
    let sub = words.remove(0);
    match sub.as_str() {
        "create" => create(&mut core, words, out),
        "list" => {
            let json = take_flag(&mut words, "--json");
            no_more(&words)?;
            let list = crate::store::list_meetings(&core.conn).map_err(|e| Failure::from(e.to_string()))?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list).map_err(|e| Failure::from(e.to_string()))?;
                return writeln!(out).map_err(io);
            }
            writeln!(out, "编号\t日期\t名称\t地点\t需求\t专家\t配对\t日程").map_err(io)?;
            for m in &list {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    m.id,
                    m.date,
                    m.name,
                    m.venue,
                    m.demands,
                    m.experts,
                    m.pairs,
                    if m.scheduled { "已排" } else { "未排" }
                )
                .map_err(io)?;
            }
            writeln!(out, "共 {} 场对接会", list.len()).map_err(io)
        }
        "show" => {
            let id = meeting_arg(&core, &mut words)?;
            let json = take_flag(&mut words, "--json");
            no_more(&words)?;
            let detail = core.meeting_detail(id)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &detail.plan).map_err(|e| Failure::from(e.to_string()))?;
                return writeln!(out).map_err(io);
            }
            print_detail(&detail, out)
        }
        "assign" => {
            let id = meeting_arg(&core, &mut words)?;
            let locks = values(&mut words, "--lock")?;
            let unlocks = values(&mut words, "--unlock")?;
            let removes = values(&mut words, "--remove")?;
            let adds = values(&mut words, "--add")?;
            let caps = values(&mut words, "--cap")?;
            let bounds = values(&mut words, "--bounds")?;
            no_more(&words)?;
            for v in &caps {
                // E0012=1: at most one meeting for this expert here.
                let (e, n) =
                    v.split_once('=').ok_or_else(|| usage_error(format!("--cap 应写成 专家编号=场数：“{v}”")))?;
                let n: u32 = n.trim().parse().map_err(|_| usage_error(format!("场数应为整数：“{v}”")))?;
                let e = core.expert(e.trim())?.id;
                core.set_meeting_expert_cap(id, e, Some(n))?;
                writeln!(out, "专家上限 {v}").map_err(io)?;
            }
            for v in &bounds {
                // D001=2-3: this demand gets two or three experts.
                let bad = || usage_error(format!("--bounds 应写成 需求编号=下限-上限，如 XQ2024-001=2-3：“{v}”"));
                let (d, r) = v.rsplit_once('=').ok_or_else(bad)?;
                let (lo, hi) = r.split_once('-').ok_or_else(bad)?;
                let (lo, hi): (u32, u32) =
                    (lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?);
                let d = core.demand(d.trim())?.id;
                core.set_meeting_demand_bounds(id, d, Some(lo), Some(hi))?;
                writeln!(out, "需求专家数 {v}").map_err(io)?;
            }
            for v in &adds {
                let (d, e) = pair_arg(&core, v)?;
                core.add_meeting_pair(id, d, e)?;
                writeln!(out, "已指定配对 {v}（锁定）").map_err(io)?;
            }
            for v in &locks {
                let (d, e) = pair_arg(&core, v)?;
                core.lock_meeting_pair(id, d, e, true)?;
                writeln!(out, "已锁定 {v}").map_err(io)?;
            }
            for v in &unlocks {
                let (d, e) = pair_arg(&core, v)?;
                core.lock_meeting_pair(id, d, e, false)?;
                writeln!(out, "已取消锁定 {v}").map_err(io)?;
            }
            for v in &removes {
                let (d, e) = pair_arg(&core, v)?;
                core.remove_meeting_pair(id, d, e)?;
                writeln!(out, "已移除 {v}（重新优化时不会再加回）").map_err(io)?;
            }
            let r = core.assign_meeting(id)?;
            writeln!(out, "配对完成：{} 对，总匹配度 {:.1}", r.pairs, r.total).map_err(io)?;
            if !r.conflicts.is_empty() {
                writeln!(out, "因回避规则排除 {} 对：", r.conflicts.len()).map_err(io)?;
                for c in r.conflicts.iter().take(20) {
                    writeln!(out, "  {c}").map_err(io)?;
                }
                if r.conflicts.len() > 20 {
                    writeln!(out, "  ……").map_err(io)?;
                }
            }
            for (d, got, max) in &r.short {
                writeln!(out, "需求 {d} 只配到 {got} 位专家（上限 {max}）").map_err(io)?;
            }
            print_detail(&core.meeting_detail(id)?, out)
        }
        "schedule" => {
            let id = meeting_arg(&core, &mut words)?;
            let places = values(&mut words, "--place")?;
            no_more(&words)?;
            for v in &places {
                // D001:E0012=3/5 → slot 3, table 5 (1-based, as printed).
                let (pair, at) = v
                    .split_once('=')
                    .ok_or_else(|| usage_error(format!("--place 应写成 需求编号:专家编号=时段/桌号，而不是“{v}”")))?;
                let (d, e) = pair_arg(&core, pair)?;
                let (s, t) = at.split_once('/').ok_or_else(|| usage_error(format!("时段/桌号写错了：“{at}”")))?;
                let (s, t): (u32, u32) = match (s.trim().parse(), t.trim().parse()) {
                    (Ok(s), Ok(t)) if s > 0 && t > 0 => (s, t),
                    _ => return Err(usage_error(format!("时段和桌号应为从 1 开始的整数：“{at}”"))),
                };
                core.place_meeting_pair(id, d, e, Some((s - 1, t - 1)))?;
            }
            let r = core.schedule_meeting(id)?;
            writeln!(
                out,
                "日程已排好：{} 场会面，用 {} 个时段（至少需要 {} 个）、{} 张桌子（每家企业独占一张桌需 {} 张）{}；专家等待空档合计 {} 个时段",
                r.meetings,
                r.slots_used,
                r.min_slots,
                r.tables_used,
                r.tables_for_fixed_seating,
                if r.table_changes > 0 { format!("，有 {} 次换桌", r.table_changes) } else { String::new() },
                r.total_gaps
            )
            .map_err(io)?;
            print_detail(&core.meeting_detail(id)?, out)
        }
        "export" => {
            let id = meeting_arg(&core, &mut words)?;
            let no_contacts = take_flag(&mut words, "--no-contacts");
            let out_path = take_value(&mut words, "--out")?.ok_or_else(|| usage_error("请用 --out 指定输出文件"))?;
            let format = match take_value(&mut words, "--format")? {
                Some(f) => {
                    SheetFormat::parse(&f).ok_or_else(|| usage_error(format!("格式应为 xlsx、pdf 或 csv：“{f}”")))?
                }
                None => PathBuf::from(&out_path)
                    .extension()
                    .and_then(|e| SheetFormat::parse(&e.to_string_lossy()))
                    .ok_or_else(|| usage_error("请用 --format 指定 xlsx、pdf 或 csv"))?,
            };
            no_more(&words)?;
            let detail = core.meeting_detail(id)?;
            if detail.plan.pairs.is_empty() {
                return Err(Failure::from("这场对接会还没有配对，请先运行 bole meeting assign".to_string()));
            }
            sheets::save(&detail, format, SheetOptions { contacts: !no_contacts }, &PathBuf::from(&out_path))?;
            writeln!(out, "已导出{}：{out_path}{}", format.label(), if no_contacts { "（不含电话和邮箱）" } else { "" })
                .map_err(io)
        }
        "delete" => {
            let id = meeting_arg(&core, &mut words)?;
            no_more(&words)?;
            core.delete_meeting(id)?;
            writeln!(out, "已删除对接会 {id}").map_err(io)
        }
        other => Err(usage_error(format!("不认识的 meeting 子命令：{other}"))),
    }
}

fn create(core: &mut Core, mut words: Vec<String>, out: &mut dyn Write) -> Result<(), Failure> {
    let mut m = Meeting {
        name: take_value(&mut words, "--name")?.ok_or_else(|| usage_error("请用 --name 写出对接会名称"))?,
        date: take_value(&mut words, "--date")?.unwrap_or_default(),
        venue: take_value(&mut words, "--venue")?.unwrap_or_default(),
        avoid_previous: take_flag(&mut words, "--avoid-previous"),
        ..Default::default()
    };
    let slot = number(&mut words, "--slot")?.unwrap_or(m.slot_minutes);
    m.slot_minutes = slot.max(1);
    if let Some(t) = take_value(&mut words, "--time")? {
        let (a, b) =
            parse_time_range(&t).ok_or_else(|| usage_error(format!("--time 应写成 9:00-11:30，而不是“{t}”")))?;
        m.start_min = a;
        m.slots = (b - a) / m.slot_minutes;
    } else if let Some(s) = take_value(&mut words, "--start")? {
        m.start_min = parse_hhmm(&s).ok_or_else(|| usage_error(format!("--start 应写成 9:00，而不是“{s}”")))?;
    }
    if let Some(n) = number(&mut words, "--slots")? {
        m.slots = n;
    }
    m.tables = number(&mut words, "--tables")?.unwrap_or(m.tables);
    m.min_experts = number(&mut words, "--min")?.unwrap_or(m.min_experts);
    m.max_experts = number(&mut words, "--max")?.unwrap_or(m.max_experts);
    m.expert_cap = number(&mut words, "--cap")?.unwrap_or(m.expert_cap);
    m.min_score = number(&mut words, "--min-score")?.map(f64::from).unwrap_or(m.min_score);
    let spec = MeetingSpec {
        demands: values(&mut words, "--demands")?,
        subfields: values(&mut words, "--subfield")?,
        max_demands: number(&mut words, "--max-demands")?.unwrap_or(0) as usize,
        experts: values(&mut words, "--experts")?,
        auto_experts: number(&mut words, "--auto-experts")?.unwrap_or(0) as usize,
        lock_recorded: !take_flag(&mut words, "--no-recorded"),
        meeting: m,
    };
    no_more(&words)?;
    let id = core.create_meeting(&spec)?;
    let plan = core.meeting_plan(id)?;
    writeln!(
        out,
        "已创建对接会 {id}「{}」：{} 项需求、{} 位专家，{} 个时段 × {} 张桌子（{}）",
        plan.meeting.name,
        plan.demands.len(),
        plan.experts.len(),
        plan.meeting.slots,
        plan.meeting.tables,
        plan.meeting.time_range()
    )
    .map_err(io)?;
    if !plan.pairs.is_empty() {
        writeln!(out, "已把 {} 对“加入对接”的配对设为指定（锁定）", plan.pairs.len()).map_err(io)?;
    }
    writeln!(out, "下一步：bole meeting assign {id}").map_err(io)
}

fn print_detail(detail: &MeetingDetail, out: &mut dyn Write) -> Result<(), Failure> {
    let m = detail.meeting();
    writeln!(
        out,
        "对接会 {}「{}」 {} {} {}；需求 {} 项，专家 {} 位，配对 {} 对",
        m.id,
        m.name,
        m.date,
        m.time_range(),
        m.venue,
        detail.plan.demands.len(),
        detail.plan.experts.len(),
        detail.plan.pairs.len()
    )
    .map_err(io)?;
    if detail.plan.pairs.is_empty() {
        return Ok(());
    }
    writeln!(out, "时段\t时间\t桌号\t企业\t需求\t专家\t单位\t匹配度\t锁定").map_err(io)?;
    for p in detail.pairs_by_time() {
        let (Some(d), Some(e)) = (detail.demands.get(&p.demand_id), detail.experts.get(&p.expert_id)) else {
            continue;
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.0}\t{}",
            p.slot.map(|s| (s + 1).to_string()).unwrap_or_else(|| "-".into()),
            p.slot.map(|s| m.slot_label(s)).unwrap_or_default(),
            p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "-".into()),
            d.enterprise,
            d.ext_id,
            e.name,
            e.institution,
            p.score,
            if p.locked { "锁定" } else { "" }
        )
        .map_err(io)?;
    }
    Ok(())
}
