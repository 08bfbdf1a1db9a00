//! The work report (工作简报) of a period, as a county office sends it upward: A4 PDF with the
//! figures in sentences, tables and bar charts, or xlsx with the same tables as sheets (and
//! native Excel charts). Both are made from one list of [`ReportTable`]s, so they agree.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook};

use super::Result;
use super::pdf::PdfBuilder;
use crate::domain::followup::TargetMetric;
use crate::domain::pairing::Stage;
use crate::store::stats::{GapField, StatFigures};
use crate::util::number_text;

/// A table of the report: the sheet it becomes in xlsx, its caption, header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    pub sheet: &'static str,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The columns that hold numbers (written as numbers in xlsx, charted).
    pub numeric: Vec<usize>,
    /// Chart the numeric columns as bars (category = first column).
    pub chart: bool,
}

fn n(x: i64) -> String {
    x.to_string()
}

/// The report's opening paragraph: the period in sentences.
pub fn summary(f: &StatFigures, gaps: &[GapField]) -> String {
    let pairings: i64 = f.stages.iter().map(|(_, n)| n).sum();
    let outcomes: i64 = f.outcomes.iter().map(|(_, n)| n).sum();
    let mut s = format!(
        "本期新增入库专家 {} 位、企业关键核心技术需求 {} 项；截至期末，专家人才库共有专家 {} 位，需求清单共有需求 {} 项（在办 {} 项）。",
        f.new_experts, f.new_demands, f.experts, f.demands, f.open_demands
    );
    s.push_str(&format!(
        "本期举办对接会 {} 场，新增对接 {} 对，期末在跟踪的对接共 {} 对；专家蹲点调研等服务 {} 次、共 {} 天。",
        f.meetings.len(),
        f.new_pairings,
        pairings,
        f.services.records,
        number_text(f.services.days)
    ));
    let parts: Vec<String> = f.outcomes.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{k} {n} 项")).collect();
    if outcomes > 0 {
        s.push_str(&format!("取得成果 {} 项（{}）", outcomes, parts.join("、")));
        if f.contract_wan > 0.0 {
            s.push_str(&format!("，技术合同与技术入股金额 {} 万元", number_text(f.contract_wan)));
        }
        s.push('。');
    } else {
        s.push_str("本期尚未登记成果。");
    }
    if let Some(g) = gaps.first() {
        s.push_str(&format!(
            "在办需求中尚无“强”匹配专家的领域有 {} 个，以{}（{} 项需求）最为突出，建议作为引才方向。",
            gaps.len(),
            g.name,
            g.demands.len()
        ));
    }
    s
}

/// Every table of the report, in order.
pub fn tables(f: &StatFigures, gaps: &[GapField]) -> Vec<ReportTable> {
    let mut t = vec![
        ReportTable {
            sheet: "概况",
            caption: "一、基本情况".into(),
            head: vec!["项目".into(), "数量".into()],
            rows: vec![
                vec!["本期新增专家（位）".into(), n(f.new_experts)],
                vec!["本期新增需求（项）".into(), n(f.new_demands)],
                vec!["专家人才库（位）".into(), n(f.experts)],
                vec!["需求清单（项）".into(), n(f.demands)],
                vec!["其中在办需求（项）".into(), n(f.open_demands)],
                vec!["本期对接会（场）".into(), n(f.meetings.len() as i64)],
                vec!["本期新增对接（对）".into(), n(f.new_pairings)],
                vec!["服务次数".into(), n(f.services.records)],
                vec!["服务天数".into(), number_text(f.services.days)],
            ],
            numeric: vec![1],
            chart: false,
        },
        meetings_table(f),
        ReportTable {
            sheet: "对接阶段",
            caption: "三、对接进展（期末各阶段对接数；漏斗为到达该阶段及以后的对接数）".into(),
            head: vec!["阶段".into(), "期末处于该阶段".into(), "到达该阶段".into()],
            rows: f
                .stages
                .iter()
                .map(|(s, k)| {
                    let reach = f.funnel.iter().find(|(x, _)| x == s).map_or_else(|| "—".to_string(), |(_, r)| n(*r));
                    vec![s.label().to_string(), n(*k), reach]
                })
                .collect(),
            numeric: vec![1, 2],
            chart: true,
        },
        months_table(f),
        services_table(f),
        outcomes_table(f),
        targets_table(f),
        ReportTable {
            sheet: "供需",
            caption: "六、各领域专家与在办需求".into(),
            head: vec!["领域".into(), "专家（位）".into(), "在办需求（项）".into()],
            rows: f.supply.iter().map(|x| vec![x.name.clone(), n(x.experts), n(x.open_demands)]).collect(),
            numeric: vec![1, 2],
            chart: true,
        },
    ];
    t.push(ReportTable {
        sheet: "引才方向",
        caption: "七、引才方向（在办需求尚无“强”匹配专家的领域，及专家最接近的单位）".into(),
        head: vec!["领域".into(), "需求（项）".into(), "最高匹配度".into(), "需求编号".into(), "最接近的单位".into()],
        rows: gaps
            .iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    n(g.demands.len() as i64),
                    format!("{:.1}", g.best_score),
                    crate::util::short(&g.demands.join("、"), 60),
                    g.institutions.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>().join("、"),
                ]
            })
            .collect(),
        numeric: vec![1, 2],
        chart: false,
    });
    t
}

fn meetings_table(f: &StatFigures) -> ReportTable {
    ReportTable {
        sheet: "对接会",
        caption: "二、对接会".into(),
        head: vec![
            "对接会".into(),
            "日期".into(),
            "需求".into(),
            "专家".into(),
            "洽谈场次".into(),
            "后续对接".into(),
            "有意向继续".into(),
        ],
        rows: f
            .meetings
            .iter()
            .map(|m| {
                let total: i64 = m.stages.iter().map(|(_, n)| n).sum();
                let going: i64 = m.stages.iter().filter(|(s, _)| *s != Stage::Ended).map(|(_, n)| n).sum();
                vec![m.name.clone(), m.date.clone(), n(m.demands), n(m.experts), n(m.sittings), n(total), n(going)]
            })
            .collect(),
        numeric: vec![2, 3, 4, 5, 6],
        chart: false,
    }
}

fn months_table(f: &StatFigures) -> ReportTable {
    let stages: Vec<Stage> = Stage::ALL.to_vec();
    let mut months: Vec<String> = f.by_month.iter().map(|(m, _, _)| m.clone()).collect();
    months.dedup();
    let rows = months
        .iter()
        .map(|m| {
            let mut r = vec![m.clone()];
            for s in &stages {
                let k = f.by_month.iter().find(|(mm, ss, _)| mm == m && ss == s).map_or(0, |(_, _, k)| *k);
                r.push(n(k));
            }
            r
        })
        .collect();
    let mut head = vec!["月份".to_string()];
    head.extend(stages.iter().map(|s| s.label().to_string()));
    ReportTable {
        sheet: "逐月",
        caption: "逐月阶段变化（次）".into(),
        head,
        rows,
        numeric: (1..=stages.len()).collect(),
        chart: false,
    }
}

fn services_table(f: &StatFigures) -> ReportTable {
    let s = &f.services;
    ReportTable {
        sheet: "服务",
        caption: "四、专家服务（蹲点调研、技术指导等）".into(),
        head: vec!["项目".into(), "数量".into()],
        rows: vec![
            vec!["服务次数".into(), n(s.records)],
            vec!["服务天数".into(), number_text(s.days)],
            vec!["服务专家（位）".into(), n(s.experts)],
            vec!["服务企业（家）".into(), n(s.enterprises)],
            vec!["免费住宿（次）".into(), n(s.lodging)],
            vec!["免费就餐（次）".into(), n(s.meals)],
        ],
        numeric: vec![1],
        chart: false,
    }
}

fn outcomes_table(f: &StatFigures) -> ReportTable {
    let mut rows: Vec<Vec<String>> = f.outcomes.iter().map(|(k, c)| vec![k.clone(), n(*c)]).collect();
    for (m, c) in TargetMetric::ALL.iter().zip(&f.metrics) {
        rows.push(vec![format!("计入：{}", m.label()), n(*c)]);
    }
    rows.push(vec!["技术合同与入股金额（万元）".into(), number_text(f.contract_wan)]);
    ReportTable {
        sheet: "成果",
        caption: "五、本期成果".into(),
        head: vec!["种类".into(), "数量".into()],
        rows,
        numeric: vec![1],
        chart: false,
    }
}

fn targets_table(f: &StatFigures) -> ReportTable {
    let mut head = vec!["规划期".to_string()];
    for m in TargetMetric::ALL {
        head.push(format!("{}目标", m.label()));
        head.push("已完成".into());
    }
    let rows = f
        .targets
        .iter()
        .map(|t| {
            let mut r = vec![t.target.label.clone()];
            for (target, done) in &t.progress {
                r.push(n(*target));
                r.push(n(*done));
            }
            r
        })
        .collect();
    ReportTable {
        sheet: "目标",
        caption: "成果对照规划目标（按规划期累计）".into(),
        head,
        rows,
        numeric: (1..=6).collect(),
        chart: false,
    }
}

fn title(f: &StatFigures) -> String {
    if f.period.is_all() {
        "专家与企业需求对接工作简报".into()
    } else {
        format!("专家与企业需求对接工作简报（{} 至 {}）", f.period.from, f.period.to)
    }
}

/// The report as A4 PDF. Returns the bytes and the number of pages.
pub fn pdf(f: &StatFigures, gaps: &[GapField], made_on: &str) -> Result<(Vec<u8>, usize)> {
    let mut doc = PdfBuilder::new(&title(f));
    doc.section("工作简报");
    doc.title(&title(f));
    doc.paragraph(&format!("伯乐 · 专家与企业需求对接　生成日期：{made_on}"), 9.0);
    doc.paragraph(&summary(f, gaps), 10.5);
    for t in tables(f, gaps) {
        let heads: Vec<&str> = t.head.iter().map(String::as_str).collect();
        let widths: Vec<f32> = (0..t.head.len()).map(|i| if i == 0 { 2.2 } else { 1.0 }).collect();
        // A caption is not left alone at the foot of a page: it goes with its header and first rows.
        doc.keep_together(if t.rows.is_empty() { 14.0 } else { 38.0 });
        doc.paragraph(&t.caption, 12.0);
        if t.rows.is_empty() {
            doc.paragraph("（本期无）", 9.5);
            continue;
        }
        doc.table(&heads, &widths, &t.rows);
        if t.chart {
            let cats: Vec<String> = t.rows.iter().map(|r| r[0].clone()).collect();
            let series: Vec<(&str, Vec<f64>)> = t
                .numeric
                .iter()
                .map(|&c| (t.head[c].as_str(), t.rows.iter().map(|r| r[c].parse().unwrap_or(0.0)).collect()))
                .collect();
            doc.spacer(2.0);
            doc.bar_chart(&format!("图：{}", t.caption.split('（').next().unwrap_or("")), &cats, &series);
        }
    }
    target_charts(&mut doc, f);
    let pages = doc.page_count();
    Ok((doc.finish()?, pages))
}

/// Target against achieved, one chart per plan period.
fn target_charts(doc: &mut PdfBuilder, f: &StatFigures) {
    for t in &f.targets {
        let cats: Vec<String> = TargetMetric::ALL.iter().map(|m| m.label().to_string()).collect();
        let target: Vec<f64> = t.progress.iter().map(|(x, _)| *x as f64).collect();
        let done: Vec<f64> = t.progress.iter().map(|(_, x)| *x as f64).collect();
        doc.bar_chart(&format!("图：{} 目标与完成", t.target.label), &cats, &[("目标", target), ("已完成", done)]);
    }
}

/// The report as xlsx: a sheet per table (numbers as numbers), bar charts where the PDF has them.
pub fn xlsx(f: &StatFigures, gaps: &[GapField], made_on: &str) -> Result<(Vec<u8>, usize)> {
    let mut wb = Workbook::new();
    let title_f = Format::new().set_bold().set_font_size(14);
    let head_f = Format::new().set_bold().set_background_color(0xE0E0E0).set_border(FormatBorder::Thin).set_text_wrap();
    let cell_f = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let tables = tables(f, gaps);
    for (i, t) in tables.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet)?;
        ws.write_string_with_format(0, 0, if i == 0 { title(f) } else { t.caption.clone() }, &title_f)?;
        let mut top = 1;
        if i == 0 {
            ws.write_string(1, 0, format!("生成日期：{made_on}"))?;
            ws.write_string(2, 0, summary(f, gaps))?;
            top = 4;
        }
        for (c, h) in t.head.iter().enumerate() {
            ws.write_string_with_format(top, c as u16, h, &head_f)?;
            ws.set_column_width(c as u16, if c == 0 { 26.0 } else { 14.0 })?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let rr = top + 1 + r as u32;
            for (c, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(x) if t.numeric.contains(&c) && x.is_finite() => {
                        ws.write_number_with_format(rr, c as u16, x, &cell_f)?
                    }
                    _ => ws.write_string_with_format(rr, c as u16, v, &cell_f)?,
                };
            }
        }
        if t.chart && !t.rows.is_empty() {
            let mut chart = Chart::new(ChartType::Bar);
            let last = top + t.rows.len() as u32;
            for &c in &t.numeric {
                chart
                    .add_series()
                    .set_name((t.sheet, top, c as u16))
                    .set_categories((t.sheet, top + 1, 0, last, 0))
                    .set_values((t.sheet, top + 1, c as u16, last, c as u16));
            }
            chart.title().set_name(&t.caption);
            ws.insert_chart(top, (t.head.len() + 1) as u16, &chart)?;
        }
    }
    Ok((wb.save_to_buffer()?, tables.len()))
}
