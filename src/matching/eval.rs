//! Retrieval metrics for `bole eval`: Recall@k, MRR@k and nDCG@k over graded relevance.

use std::collections::HashMap;

/// Metrics averaged over queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    pub queries: usize,
    pub recall: f64,
    pub mrr: f64,
    pub ndcg: f64,
}

/// One query's ranked ids against its relevance judgements (id → grade > 0).
pub fn score_query(ranked: &[String], relevant: &HashMap<String, f64>, k: usize) -> (f64, f64, f64) {
    let top = &ranked[..ranked.len().min(k)];
    let total_rel = relevant.values().filter(|g| **g > 0.0).count();
    if total_rel == 0 {
        return (0.0, 0.0, 0.0);
    }
    let hits = top.iter().filter(|id| relevant.get(*id).is_some_and(|g| *g > 0.0)).count();
    let recall = hits as f64 / total_rel as f64;
    let mrr = top
        .iter()
        .position(|id| relevant.get(id).is_some_and(|g| *g > 0.0))
        .map(|p| 1.0 / (p as f64 + 1.0))
        .unwrap_or(0.0);
    let dcg: f64 = top
        .iter()
        .enumerate()
        .map(|(i, id)| relevant.get(id).copied().unwrap_or(0.0) / ((i as f64) + 2.0).log2())
        .sum();
    let mut grades: Vec<f64> = relevant.values().copied().filter(|g| *g > 0.0).collect();
    grades.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = grades.iter().take(k).enumerate().map(|(i, g)| g / ((i as f64) + 2.0).log2()).sum();
    (recall, mrr, if idcg > 0.0 { dcg / idcg } else { 0.0 })
}

/// Averages per-query metrics.
pub fn average(per_query: &[(f64, f64, f64)]) -> Metrics {
    let n = per_query.len();
    if n == 0 {
        return Metrics::default();
    }
    let sum = per_query.iter().fold((0.0, 0.0, 0.0), |a, q| (a.0 + q.0, a.1 + q.1, a.2 + q.2));
    Metrics { queries: n, recall: sum.0 / n as f64, mrr: sum.1 / n as f64, ndcg: sum.2 / n as f64 }
}

/// Pairwise loss over graded judgements (expert, item, grade, score): for each expert, every two
/// items they graded differently count |g1 − g2| when the scores order them the other way and
/// half of it when the scores tie; the sum over the sum of |g1 − g2|. Lower is better; None when
/// no expert graded two items differently.
pub fn pairwise_loss(judged: &[(String, String, f64, f64)]) -> Option<f64> {
    let mut by_expert: HashMap<&str, Vec<(f64, f64)>> = HashMap::new();
    for (e, _, g, s) in judged {
        by_expert.entry(e.as_str()).or_default().push((*g, *s));
    }
    let (mut loss, mut total) = (0.0, 0.0);
    for list in by_expert.values() {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let w = (a.0 - b.0).abs();
                if w == 0.0 {
                    continue;
                }
                total += w;
                let (hi, lo) = if a.0 > b.0 { (a, b) } else { (b, a) };
                if (hi.1 - lo.1).abs() < 1e-9 {
                    loss += 0.5 * w;
                } else if hi.1 < lo.1 {
                    loss += w;
                }
            }
        }
    }
    (total > 0.0).then(|| loss / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn perfect_and_missing_rankings() {
        let r = rel(&[("a", 1.0)]);
        assert_eq!(score_query(&ids(&["a", "b"]), &r, 10), (1.0, 1.0, 1.0));
        let (rec, mrr, ndcg) = score_query(&ids(&["b", "a"]), &r, 10);
        assert_eq!((rec, mrr), (1.0, 0.5));
        assert!((ndcg - 1.0 / 3f64.log2()).abs() < 1e-12);
        assert_eq!(score_query(&ids(&["b", "c"]), &r, 10), (0.0, 0.0, 0.0));
        assert_eq!(score_query(&ids(&["b", "a"]), &r, 1), (0.0, 0.0, 0.0), "cut at k");
    }

    #[test]
    fn pairwise_loss_counts_inversions_and_half_ties() {
        let j = |e: &str, d: &str, g: f64, s: f64| (e.to_string(), d.to_string(), g, s);
        assert_eq!(pairwise_loss(&[j("a", "1", 5.0, 90.0), j("a", "2", 1.0, 10.0)]), Some(0.0));
        assert_eq!(pairwise_loss(&[j("a", "1", 5.0, 10.0), j("a", "2", 1.0, 90.0)]), Some(1.0));
        assert_eq!(pairwise_loss(&[j("a", "1", 5.0, 0.0), j("a", "2", 1.0, 0.0)]), Some(0.5));
        // Weighted by the grade gap: (2 wrong of gap 1) / (gaps 4 + 1 + 3).
        let l = pairwise_loss(&[j("a", "1", 5.0, 90.0), j("a", "2", 1.0, 10.0), j("a", "3", 2.0, 5.0)]).unwrap();
        assert!((l - 1.0 / 8.0).abs() < 1e-12, "{l}");
        assert_eq!(pairwise_loss(&[j("a", "1", 3.0, 1.0), j("b", "1", 1.0, 2.0)]), None, "per expert");
    }

    #[test]
    fn graded_ndcg_prefers_the_better_item_first() {
        let r = rel(&[("a", 2.0), ("b", 1.0)]);
        let good = score_query(&ids(&["a", "b"]), &r, 10).2;
        let bad = score_query(&ids(&["b", "a"]), &r, 10).2;
        assert!((good - 1.0).abs() < 1e-12 && bad < good);
        let m = average(&[(1.0, 1.0, 1.0), (0.0, 0.0, 0.0)]);
        assert_eq!((m.queries, m.recall, m.mrr), (2, 0.5, 0.5));
    }
}
