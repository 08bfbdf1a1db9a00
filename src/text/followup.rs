//! The follow-up of pairings in words: pairing tables, a pairing's history, the statistics and
//! the targets as plain text for the command line.

use std::fmt::Write as _;

use crate::domain::followup::TargetMetric;
use crate::engine::{PairingDetail, PairingListRow, Stats, TargetProgress};
use crate::util::number_text;

/// Pairings as a tab-separated table with a header; overdue ones marked.
pub fn pairing_table(rows: &[PairingListRow], today: &str) -> String {
    let mut s = String::from("需求编号\t企业\t需求\t专家编号\t专家\t来源\t阶段\t阶段日期\t下一步\t跟进日期\n");
    for r in rows {
        let due = if !r.next_date.is_empty()
            && r.next_date.as_str() < today
            && r.stage != Some(crate::domain::pairing::Stage::Ended)
        {
            format!("{}（逾期）", r.next_date)
        } else {
            r.next_date.clone()
        };
        let _ = writeln!(
            s,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.demand_ext,
            r.enterprise,
            r.demand_title,
            r.expert_ext,
            r.expert_name,
            r.source,
            r.stage.map_or("", |st| st.label()),
            r.stage_date,
            r.next_action,
            due
        );
    }
    let _ = writeln!(s, "共 {} 对", rows.len());
    s
}

/// One pairing with its whole history.
pub fn pairing_detail(d: &PairingDetail) -> String {
    let r = &d.row;
    let mut s = format!(
        "{} {}（{}）↔ {} {}（{}）\n来源：{}　阶段：{}（{}）\n",
        r.demand_ext,
        r.demand_title,
        r.enterprise,
        r.expert_ext,
        r.expert_name,
        r.institution,
        r.source,
        r.stage.map_or("", |st| st.label()),
        r.stage_date
    );
    if !r.next_action.is_empty() || !r.next_date.is_empty() {
        let _ = writeln!(s, "下一步：{} {}", r.next_date, r.next_action);
    }
    if !r.end_reason.is_empty() {
        let _ = writeln!(s, "结束原因：{}", r.end_reason);
    }
    s.push_str("跟进记录：\n");
    for e in &d.events {
        let stage = e.stage.map_or_else(|| "记录".to_string(), |st| format!("→ {}", st.label()));
        let files = if e.attachments.is_empty() {
            String::new()
        } else {
            format!("（附件：{}）", e.attachments.join("；"))
        };
        let _ = writeln!(s, "  {}　{stage}　{}{files}", e.date, e.note);
    }
    if !d.services.is_empty() {
        s.push_str("服务记录：\n");
        for v in &d.services {
            let perks = [(v.lodging, "免费住宿"), (v.meals, "免费就餐")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join("、");
            let _ = writeln!(
                s,
                "  {}—{}　{}　{} 天　{}　{}　{perks}",
                v.start_date,
                v.end_date,
                v.kind,
                number_text(v.days),
                v.place,
                v.content
            );
        }
    }
    if !d.outcomes.is_empty() {
        s.push_str("成果：\n");
        for o in &d.outcomes {
            let mut extra = format!("{}{}", o.level, o.status);
            if let Some(a) = o.amount_wan {
                extra.push_str(&format!(" {} 万元", number_text(a)));
            }
            let _ = writeln!(s, "  {}　{}　{}　{}", o.date, o.kind.label(), o.title, extra.trim());
        }
    }
    s
}

/// The plan's periods: target and achieved per metric.
pub fn targets_table(targets: &[TargetProgress]) -> String {
    let mut s = String::from("期间");
    for m in TargetMetric::ALL {
        let _ = write!(s, "\t{}（完成/目标）", m.label());
    }
    s.push('\n');
    for t in targets {
        s.push_str(&t.target.label);
        for (target, done) in &t.progress {
            let _ = write!(s, "\t{done}/{target}");
        }
        s.push('\n');
    }
    s
}

/// The statistics as text sections.
pub fn stats_text(st: &Stats) -> String {
    let f = &st.figures;
    let mut s = String::new();
    if !f.period.is_all() {
        let _ = writeln!(s, "统计期间：{} 至 {}", f.period.from, f.period.to);
    }
    let _ = writeln!(
        s,
        "专家 {} 位（期间新增 {}），需求 {} 项（在办 {}，期间新增 {}），对接 {} 对（期间新增 {}）",
        f.experts,
        f.new_experts,
        f.demands,
        f.open_demands,
        f.new_demands,
        f.stages.iter().map(|(_, n)| n).sum::<i64>(),
        f.new_pairings
    );
    s.push_str("\n各阶段（期末）：\n");
    for (stage, n) in &f.stages {
        let _ = writeln!(s, "  {}\t{n}", stage.label());
    }
    s.push_str("\n对接漏斗（到达该阶段及以后）：\n");
    for (stage, n) in &f.funnel {
        let _ = writeln!(s, "  {}\t{n}", stage.label());
    }
    s.push_str("\n供需（按领域）：领域\t专家\t在办需求\n");
    for x in &f.supply {
        let _ = writeln!(s, "  {}\t{}\t{}", x.name, x.experts, x.open_demands);
    }
    if !f.meetings.is_empty() {
        s.push_str("\n对接会：日期\t名称\t需求\t专家\t洽谈\t之后的阶段\n");
        for m in &f.meetings {
            let stages: Vec<String> = m.stages.iter().map(|(st, n)| format!("{} {n}", st.label())).collect();
            let _ = writeln!(
                s,
                "  {}\t{}\t{}\t{}\t{}\t{}",
                m.date,
                m.name,
                m.demands,
                m.experts,
                m.sittings,
                stages.join("，")
            );
        }
    }
    let sv = &f.services;
    let _ = writeln!(
        s,
        "\n服务：{} 次，共 {} 天，{} 位专家，{} 家企业（免费住宿 {} 次，免费就餐 {} 次）",
        sv.records,
        number_text(sv.days),
        sv.experts,
        sv.enterprises,
        sv.lodging,
        sv.meals
    );
    s.push_str("\n成果：");
    s.push_str(&f.outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join("，"));
    let _ = writeln!(s, "；技术合同与入股 {} 万元", number_text(f.contract_wan));
    s.push_str("\n目标完成情况：\n");
    s.push_str(&targets_table(&f.targets));
    if !st.gaps.is_empty() {
        s.push_str("\n引才方向（在办需求没有“强”匹配专家的领域）：\n");
        for g in &st.gaps {
            let inst: Vec<String> = g.institutions.iter().map(|(i, sc)| format!("{i}（{sc:.0}）")).collect();
            let _ = writeln!(
                s,
                "  {}\t{} 项\t最高 {:.0} 分\t最接近：{}",
                g.name,
                g.demands.len(),
                g.best_score,
                inst.join("、")
            );
        }
    }
    s
}

/// What a written report holds.
pub fn report_written(w: &crate::engine::ReportWritten) -> String {
    match w {
        crate::engine::ReportWritten::Pdf { pages } => format!("PDF，{pages} 页"),
        crate::engine::ReportWritten::Xlsx { sheets } => format!("Excel，{sheets} 个工作表"),
    }
}
