//! Reasons: what a pair's score rests on, in words, each naming the piece of knowledge that
//! fired (a matched word and where it was found, a synonym group, the taxonomy nodes and the
//! words that put each side there, a problem→discipline link, a past pairing), with terms shown
//! as the records write them (LiFSI, PVDF).

use super::matcher::Matcher;
use super::model::{BODY, KW, MAIN, Profile};
use super::score::PairScore;
use super::{Reason, best_sentence};
use crate::domain::{COOP_MODES, Demand, Expert, RecordKind};

/// The label of a field of a record.
fn field_label(kind: RecordKind, bit: u8) -> &'static str {
    match (kind, bit) {
        (_, KW) => "关键词",
        (RecordKind::Expert, MAIN) => "研究方向",
        (RecordKind::Expert, _) => "代表性成果",
        (RecordKind::Demand, MAIN) => "需求名称",
        (RecordKind::Demand, _) => "需求描述",
    }
}

/// The best field a term sits in (关键词 before the main line before the long text).
fn best_field(p: &Profile, id: u32) -> Option<u8> {
    let t = p.term(id)?;
    [KW, MAIN, BODY].into_iter().find(|b| t.fields & b != 0)
}

/// The reasons of one pair. `target` is the kind of record suggested; `past` names a demand of
/// the model (编号 and 需求名称) for the history reason.
pub fn reasons(
    m: &Matcher<'_>,
    (d, dp): (&Demand, &Profile),
    (e, ep): (&Expert, &Profile),
    pair: &PairScore,
    target: RecordKind,
    past: &dyn Fn(usize) -> Option<(String, String)>,
) -> Vec<Reason> {
    let prep = m.kit.prep;
    let analyzer = m.kit.analyzer;
    let expert_text = format!("{}\n{}\n{}\n{}", e.keywords.join("；"), e.research, e.achievements, e.subfield_text);
    let demand_text = format!("{}\n{}\n{}", d.keywords.join("；"), d.title, d.description);
    let (target_profile, target_text, other_text) = match target {
        RecordKind::Expert => (ep, &expert_text, &demand_text),
        RecordKind::Demand => (dp, &demand_text, &expert_text),
    };
    let spell = |term: &str| {
        analyzer
            .spelling(target_text, term)
            .or_else(|| analyzer.spelling(other_text, term))
            .unwrap_or_else(|| term.to_string())
    };
    let mut out = Vec::new();
    // Matched words, by the target's field; generic words never stand as a reason.
    let mut by_field: Vec<(u8, Vec<String>, Vec<String>)> =
        vec![(KW, vec![], vec![]), (MAIN, vec![], vec![]), (BODY, vec![], vec![])];
    let mut synonyms = Vec::new();
    for (id, how) in &pair.matched {
        let Some(term) = m.model.term_str(*id) else { continue };
        if prep.is_generic(term) {
            continue;
        }
        match how {
            None => {
                if let Some(bit) = best_field(target_profile, *id)
                    && let Some(slot) = by_field.iter_mut().find(|(b, _, _)| *b == bit)
                {
                    let shown = spell(term);
                    if !slot.1.contains(&shown) {
                        slot.1.push(shown);
                        slot.2.push(term.to_string());
                    }
                }
            }
            Some(written) => synonyms.push((spell(term), written.clone())),
        }
    }
    let mut evidence_terms: Vec<String> = Vec::new();
    for (bit, shown, raw) in by_field {
        let shown = outermost(&shown);
        if !shown.is_empty() {
            let label = field_label(target, bit);
            out.push(Reason::Terms {
                field: label.to_string(),
                text: format!("{label}命中：{}", shown.join("、")),
                terms: shown,
            });
            evidence_terms.extend(raw);
        }
    }
    for (a, b) in synonyms {
        out.push(Reason::Synonym { text: format!("同义词：{a} = {b}"), term: a, synonym: b });
    }
    if let Some(r) = field_reason(m, dp, ep, pair) {
        out.push(r);
    }
    if let Some((li, symptom, discipline)) = &pair.link {
        let l = &prep.links[*li];
        out.push(Reason::ProblemLink {
            link: l.id.clone(),
            text: format!("问题→学科：{symptom} → {discipline}（{}）", l.note),
            symptom: symptom.clone(),
            discipline: discipline.clone(),
        });
        evidence_terms.push(crate::util::norm_key(discipline));
    }
    context_reasons(m, (d, dp), (e, ep), pair, past, &mut out);
    let evidence_texts: Vec<&str> = match target {
        RecordKind::Expert => vec![&e.research, &e.achievements],
        RecordKind::Demand => vec![&d.description, &d.title],
    };
    let matched: std::collections::HashSet<&str> = evidence_terms.iter().map(String::as_str).collect();
    if let Some((sentence, terms)) = best_sentence(&evidence_texts, &matched) {
        out.push(Reason::Evidence { text: format!("依据：{sentence}"), sentence, terms });
    }
    out
}

/// The keyword as the record writes it.
fn original_keyword(list: &[String], key: &str) -> String {
    list.iter().find(|k| crate::util::norm_key(k) == key).cloned().unwrap_or_else(|| key.to_string())
}

/// The "too vague" hint, naming the generic words the demand is made of.
pub fn vague_hint(m: &Matcher<'_>, dp: &Profile) -> String {
    let mut words: Vec<&str> = dp
        .terms
        .iter()
        .filter(|t| t.fields & super::model::SUB == 0)
        .filter_map(|t| m.model.term_str(t.id))
        .filter(|w| m.kit.prep.is_generic(w) && w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.sort_unstable();
    words.truncate(4);
    if words.is_empty() {
        "需求描述过于笼统，匹配结果仅供参考；建议补充具体产品、工艺、指标或遇到的现象".to_string()
    } else {
        format!(
            "需求描述过于笼统（只有“{}”等泛泛的词），匹配结果仅供参考；建议补充具体产品、工艺、指标或遇到的现象",
            words.join("、")
        )
    }
}

/// The field reason: which taxonomy nodes the two sides share or relate through, and, for a
/// side classified from its words, the words that put it there.
fn field_reason(m: &Matcher<'_>, dp: &Profile, ep: &Profile, pair: &PairScore) -> Option<Reason> {
    let (a, b) = pair.field_nodes?;
    let prep = m.kit.prep;
    let tax = &m.knowledge.taxonomy;
    let name = |i: usize| tax.name(&prep.codes[i]).unwrap_or(&prep.codes[i]).to_string();
    let (a, b) = (a as usize, b as usize);
    let (code, same_node, mut text) = if a == b {
        (prep.codes[a].clone(), true, format!("同属细分领域：{}", name(a)))
    } else if prep.field[a] == prep.field[b] {
        let f = prep.field[a];
        (prep.codes[f].clone(), false, format!("同属领域：{}", name(f)))
    } else {
        (prep.codes[b].clone(), false, format!("相关领域：{} ↔ {}", name(a), name(b)))
    };
    let evidence_of = |p: &Profile, node: usize| -> Vec<String> {
        p.nodes.iter().position(|(n, _)| *n as usize == node).map(|i| p.node_evidence[i].clone()).unwrap_or_default()
    };
    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    for (label, p, node) in [("需求", dp, a), ("专家", ep, b)] {
        let words = evidence_of(p, node);
        if !words.is_empty() {
            notes.push(format!("{label}含“{}”", words.iter().take(3).cloned().collect::<Vec<_>>().join("、")));
            evidence.extend(words);
        }
    }
    let suggested = !dp.confirmed || !ep.confirmed;
    if !notes.is_empty() {
        text.push_str(&format!("（按内容归类：{}）", notes.join("，")));
    }
    Some(Reason::Subfield { code, name: name(if same_node { a } else { b }), same_node, suggested, evidence, text })
}

/// The reasons beside the words: near-spelled keywords, shared cooperation modes, similar past
/// pairings, and the hint for a vague demand.
fn context_reasons(
    m: &Matcher<'_>,
    (d, dp): (&Demand, &Profile),
    (e, ep): (&Expert, &Profile),
    pair: &PairScore,
    past: &dyn Fn(usize) -> Option<(String, String)>,
    out: &mut Vec<Reason>,
) {
    for (a, b, s) in &super::score::keywords(&dp.keywords, &ep.keywords).1 {
        let (a, b) = (original_keyword(&d.keywords, a), original_keyword(&e.keywords, b));
        out.push(Reason::Keyword { text: format!("关键词相近：{a} ≈ {b}"), a, b, similarity: *s });
    }
    let both = dp.coop & ep.coop;
    if both != 0 {
        let modes: Vec<String> =
            COOP_MODES.iter().enumerate().filter(|(i, _)| both & (1 << i) != 0).map(|(_, m)| m.to_string()).collect();
        out.push(Reason::Coop { text: format!("合作方式一致：{}", modes.join("、")), modes });
    }
    for (di, sim) in pair.history_demands.iter().take(2) {
        if let Some((id, title)) = past(*di as usize) {
            out.push(Reason::History {
                text: format!("与已对接的需求 {id}「{title}」相似"),
                demand_id: id,
                title,
                similarity: (sim * 100.0).round() / 100.0,
            });
        }
    }
    if pair.vague < 1.0 {
        out.push(Reason::Hint { text: vague_hint(m, dp) });
    }
}

/// The words not inside another of the words (氟化 and 化氢 beside 氟化氢 say nothing more).
fn outermost(words: &[String]) -> Vec<String> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    words
        .iter()
        .zip(&lower)
        .filter(|(_, l)| !lower.iter().any(|o| o != *l && o.contains(l.as_str())))
        .map(|(w, _)| w.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_inside_shown_words_are_dropped() {
        let w = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert_eq!(super::outermost(&w(&["氟化", "降温", "化氢", "氟化氢"])), w(&["降温", "氟化氢"]));
        assert_eq!(super::outermost(&w(&["PVDF", "pvdf粘结剂", "结晶"])), w(&["pvdf粘结剂", "结晶"]));
    }
}
