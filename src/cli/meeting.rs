//! `bole meeting …`: create a matchmaking meeting, pair it, schedule it, export its sheets —
//! the same [`Core`] operations as the GUI's 对接会 view.

use std::io::Write;

use super::Result;
use super::args::{self, MeetingCmd, Pair};
use crate::domain::meeting::{MeetingDetail, Party, Presence};
use crate::engine::{CheckinFormat, Core, MeetingEdit, MeetingSpec, ReplanFrom, SheetOptions};

/// A pair written D:E, as (demand row id, expert row id).
fn pair(core: &Core, p: &Pair) -> Result<(i64, i64)> {
    Ok((core.demand(&p.demand)?.id, core.expert(&p.expert)?.id))
}

pub fn run(core: &mut Core, cmd: MeetingCmd, out: &mut dyn Write) -> Result {
    match cmd {
        MeetingCmd::Create(a) => create(core, &a, out),
        MeetingCmd::List(a) => {
            let list = core.meetings()?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "编号\t日期\t名称\t地点\t需求\t专家\t配对\t日程")?;
            for m in &list {
                let scheduled = if m.scheduled { "已排" } else { "未排" };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{scheduled}",
                    m.id, m.date, m.name, m.venue, m.demands, m.experts, m.pairs
                )?;
            }
            writeln!(out, "共 {} 场对接会", list.len())?;
            Ok(())
        }
        MeetingCmd::Show(a) => {
            let detail = core.meeting_detail(core.meeting_id(&a.meeting)?)?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &detail.plan)?;
                writeln!(out)?;
                return Ok(());
            }
            print_detail(&detail, out)
        }
        MeetingCmd::Assign(a) => assign(core, &a, out),
        MeetingCmd::Schedule(a) => {
            let id = core.meeting_id(&a.meeting)?;
            let mut places = Vec::new();
            for p in &a.place {
                let (d, e) = pair(core, &p.pair)?;
                places.push((d, e, (p.slot - 1, p.table - 1)));
            }
            let r = core.schedule_meeting_with(id, &places)?;
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
            )?;
            print_detail(&core.meeting_detail(id)?, out)
        }
        MeetingCmd::Export(a) => {
            let id = core.meeting_id(&a.meeting)?;
            let Some(format) = a.format() else {
                return Err(super::Failure {
                    message: "请用 --format 指定 xlsx、pdf 或 csv".into(),
                    code: args::EXIT_USAGE,
                });
            };
            let format = format.into();
            let unprintable = core.export_meeting(id, format, SheetOptions { contacts: !a.no_contacts }, &a.out)?;
            let done =
                crate::engine::Done::Exported { format, path: a.out.clone(), contacts: !a.no_contacts, unprintable };
            writeln!(out, "{}", crate::text::done(&done))?;
            Ok(())
        }
        MeetingCmd::Checkin(a) => checkin(core, &a, out),
        MeetingCmd::Replan(a) => replan(core, &a, out),
        MeetingCmd::Result(a) => result(core, &a, out),
        MeetingCmd::CheckinSheet(a) => checkin_sheet(core, &a, out),
        MeetingCmd::Delete(a) => {
            let id = core.meeting_id(&a.meeting)?;
            core.delete_meeting(id)?;
            writeln!(out, "已删除对接会 {id}")?;
            Ok(())
        }
    }
}

/// `meeting result`: one sitting's result, into the pairing's follow-up.
fn result(core: &mut Core, a: &args::SittingResultArgs, out: &mut dyn Write) -> Result {
    let id = core.meeting_id(&a.meeting)?;
    let (d, e) = pair(core, &a.pair)?;
    core.set_sitting_result(id, d, e, a.result)?;
    writeln!(out, "已记录 {}：{}（已写入对接跟踪）", a.pair, a.result.label())?;
    Ok(())
}

/// `meeting checkin-sheet`: the 签到表 as PDF or xlsx, by the extension.
fn checkin_sheet(core: &mut Core, a: &args::CheckinSheet, out: &mut dyn Write) -> Result {
    let id = core.meeting_id(&a.meeting)?;
    let Some(format) = CheckinFormat::from_path(&a.out) else {
        return Err(super::Failure {
            message: "签到表请存为 .pdf 或 .xlsx 文件".into(), code: args::EXIT_USAGE
        });
    };
    let unprintable = core.write_checkin_sheet(id, format, &a.out)?;
    writeln!(out, "签到表已保存：{}", a.out.display())?;
    if !unprintable.is_empty() {
        let chars: String = unprintable.iter().collect();
        writeln!(out, "注意：字体缺少这些字，PDF 中显示为 □：{chars}")?;
    }
    Ok(())
}

/// `meeting checkin`: experts by 编号, enterprises by one of their demands' 编号.
fn checkin(core: &mut Core, a: &args::Checkin, out: &mut dyn Write) -> Result {
    let id = core.meeting_id(&a.meeting)?;
    let mut parties = Vec::new();
    for x in &a.experts {
        parties.push(Party::Expert(core.expert(x)?.id));
    }
    for x in &a.demands {
        let p = core.meeting_party_of_demand(id, x)?;
        if !parties.contains(&p) {
            parties.push(p);
        }
    }
    if parties.is_empty() {
        return Err(super::Failure {
            message: "请用 --experts 或 --demands 指定签到的专家或企业".into(),
            code: args::EXIT_USAGE,
        });
    }
    let presence = if a.absent { Presence::Absent } else { Presence::Present };
    let n = core.meeting_checkin(id, &parties, Some(presence))?;
    writeln!(out, "已签到：{n} 位{}", presence.label())?;
    if a.absent {
        writeln!(out, "可用 bole meeting replan {} 重排剩余时段", a.meeting)?;
    }
    Ok(())
}

/// `meeting replan`: from the slot given, or the one after the slot running now.
fn replan(core: &mut Core, a: &args::Replan, out: &mut dyn Write) -> Result {
    let id = core.meeting_id(&a.meeting)?;
    let from = match (a.from_slot, a.now) {
        (Some(n), _) => ReplanFrom::Slot(n - 1),
        (None, Some(min)) => ReplanFrom::Now(min),
        (None, None) => {
            let now = jiff::Zoned::now();
            ReplanFrom::Now(now.hour() as u32 * 60 + now.minute() as u32)
        }
    };
    let r = core.replan_meeting(id, from)?;
    writeln!(
        out,
        "已从第 {} 时段起重排：前面 {} 场对接不变，去掉缺席者的 {} 场，补上 {} 场，剩余时段共 {} 场",
        r.from + 1,
        r.kept,
        r.dropped,
        r.added,
        r.remaining
    )?;
    print_detail(&core.meeting_detail(id)?, out)
}

/// `meeting assign`: the single-pair edits, caps and bounds and the re-pairing, all or nothing.
fn assign(core: &mut Core, a: &args::Assign, out: &mut dyn Write) -> Result {
    let id = core.meeting_id(&a.meeting)?;
    let mut edits = Vec::new();
    for c in &a.cap {
        edits.push(MeetingEdit::Cap { expert: core.expert(&c.expert)?.id, cap: Some(c.meetings) });
    }
    for b in &a.bounds {
        edits.push(MeetingEdit::Bounds { demand: core.demand(&b.demand)?.id, min: Some(b.min), max: Some(b.max) });
    }
    for p in &a.add {
        let (demand, expert) = pair(core, p)?;
        edits.push(MeetingEdit::Add { demand, expert });
    }
    for (list, locked) in [(&a.lock, true), (&a.unlock, false)] {
        for p in list {
            let (demand, expert) = pair(core, p)?;
            edits.push(MeetingEdit::Lock { demand, expert, locked });
        }
    }
    for p in &a.remove {
        let (demand, expert) = pair(core, p)?;
        edits.push(MeetingEdit::Remove { demand, expert });
    }
    let r = core.assign_meeting_with(id, &edits)?;
    for c in &a.cap {
        writeln!(out, "专家上限 {c}")?;
    }
    for b in &a.bounds {
        writeln!(out, "需求专家数 {b}")?;
    }
    for p in &a.add {
        writeln!(out, "已指定配对 {p}（锁定）")?;
    }
    for p in &a.lock {
        writeln!(out, "已锁定 {p}")?;
    }
    for p in &a.unlock {
        writeln!(out, "已取消锁定 {p}")?;
    }
    for p in &a.remove {
        writeln!(out, "已移除 {p}（重新优化时不会再加回）")?;
    }
    writeln!(out, "配对完成：{} 对，总匹配度 {:.1}", r.pairs, r.total)?;
    if !r.conflicts.is_empty() {
        writeln!(out, "因回避规则排除 {} 对：", r.conflicts.len())?;
        for (d, c) in r.conflicts.iter().take(20) {
            writeln!(out, "  {d}：{}", c.text())?;
        }
        if r.conflicts.len() > 20 {
            writeln!(out, "  ……")?;
        }
    }
    for (d, got, max) in &r.short {
        writeln!(out, "需求 {d} 只配到 {got} 位专家（上限 {max}）")?;
    }
    print_detail(&core.meeting_detail(id)?, out)
}

fn create(core: &mut Core, a: &args::Create, out: &mut dyn Write) -> Result {
    let spec = MeetingSpec {
        meeting: a.meeting(),
        demands: a.demands.clone(),
        subfields: a.subfield.clone(),
        max_demands: a.max_demands,
        experts: a.experts.clone(),
        auto_experts: a.auto_experts,
        lock_recorded: a.lock_recorded(),
    };
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
    )?;
    if let Some(t) = a.time
        && let Some(note) = crate::text::slot_rest(t.start, t.end, a.slot)
    {
        writeln!(out, "注意：{note}")?;
    }
    if !plan.pairs.is_empty() {
        writeln!(out, "已把 {} 对“加入对接”的配对设为指定（锁定）", plan.pairs.len())?;
    }
    writeln!(out, "下一步：bole meeting assign {id}")?;
    Ok(())
}

fn print_detail(detail: &MeetingDetail, out: &mut dyn Write) -> Result {
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
    )?;
    if detail.plan.pairs.is_empty() {
        return Ok(());
    }
    writeln!(out, "时段\t时间\t桌号\t企业\t需求\t专家\t单位\t匹配度\t锁定")?;
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
        )?;
    }
    Ok(())
}
