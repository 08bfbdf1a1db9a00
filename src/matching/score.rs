//! The score of one (demand, expert) pair, the same function whichever side matching starts
//! from, from the two profiles and the model's statistics. [`Query`] prepares the demand side
//! once (salient terms with their rarity, synonym alternatives, character pairs, problem links)
//! so that scoring each expert is a handful of lookups in sorted arrays.

use super::knowledge::Prepared;
use super::model::{BODY, Focus, Model, Profile, SUB};

/// How many of a record's weightiest terms its coverage is measured on.
pub const SALIENT: usize = 16;
/// Credit of a term found only in the expert's long text (代表性成果).
const BODY_CREDIT: f64 = 0.85;
/// Credit of a term found through a synonym.
pub const SYNONYM_CREDIT: f64 = 0.9;
/// At most this credit for a word found only through its character pairs.
pub const PAIR_CREDIT: f64 = 0.5;
/// A generic word counts this much of its weight.
const GENERIC: f64 = 0.1;

/// The score's parts (weights sum to 100; the history comes on top, see [`HISTORY_SHARE`]).
pub const W_TEXT: f64 = 50.0;
pub const W_FIELD: f64 = 25.0;
pub const W_LINK: f64 = 10.0;
pub const W_KEYWORD: f64 = 5.0;
pub const W_COOP: f64 = 5.0;

/// Below this much rarity mass of specific words a demand is too vague to match confidently.
pub const VAGUE: f64 = 4.0;

/// The inverse document frequency of a term among the experts.
pub fn idf(n: f64, df: f64) -> f64 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A salient term of a record: its id, weight × rarity, and whether it is generic.
#[derive(Debug, Clone)]
pub struct Salient {
    pub id: u32,
    pub weight: f64,
    pub generic: bool,
    /// Synonym alternatives: (group member as written, its parts' ids). An alternative whose
    /// parts the model has never seen is left out.
    pub alternatives: Vec<(String, Vec<u32>)>,
    /// Character-pair ids of a Chinese word of three or more characters (partial credit).
    pub grams: Vec<u32>,
    /// A Chinese word of two characters (or shorter): found only inside a longer word, it counts half.
    pub short: bool,
}

/// The salient terms of a profile, weightiest first (ties by id), with their total weight.
pub fn salient(model: &Model, prep: &Prepared, p: &Profile, n: usize) -> (Vec<Salient>, f64) {
    let experts = model.experts.len() as f64;
    let mut out: Vec<Salient> = p
        .terms
        .iter()
        .filter(|t| t.fields & SUB == 0)
        .filter_map(|t| {
            let s = model.term_str(t.id)?;
            if super::knowledge::weak_fragment(s) && s.chars().count() <= 1 && s.is_ascii() {
                return None;
            }
            let generic = prep.is_generic(s);
            let df = f64::from(model.vocab.df(t.id));
            let rarity = if df > 0.0 { idf(experts, df) } else { pair_rarity(model, s, experts)? };
            let weight = f64::from(t.weight) * rarity * if generic { GENERIC } else { 1.0 };
            let short = !s.is_ascii() && s.chars().count() <= 2;
            (weight > 0.0).then(|| Salient { id: t.id, weight, generic, alternatives: Vec::new(), grams: Vec::new(), short })
        })
        .collect();
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
    out.truncate(n);
    let total = out.iter().map(|s| s.weight).sum();
    (out, total)
}

/// A Chinese word no expert has as a word (a shop-floor compound the dictionary lacks) is
/// judged by its character pairs when at least half of them occur: their mean frequency
/// stands in for the word's. None when it tells nothing.
fn pair_rarity(model: &Model, s: &str, experts: f64) -> Option<f64> {
    if s.chars().count() < 3 || s.is_ascii() {
        return None;
    }
    let pairs: Vec<String> = s.chars().collect::<Vec<_>>().windows(2).map(|w| w.iter().collect()).collect();
    let dfs: Vec<f64> = pairs.iter().filter_map(|g| model.grams.id(g)).map(|g| f64::from(model.grams.df(g))).filter(|d| *d > 0.0).collect();
    (!pairs.is_empty() && dfs.len() * 2 >= pairs.len()).then(|| idf(experts, dfs.iter().sum::<f64>() / dfs.len() as f64))
}

/// A problem link that fired on the demand: which link, the symptom found, and its disciplines
/// (written, and their parts' ids; unknown parts make a discipline unmatchable).
#[derive(Debug, Clone)]
pub struct LinkHit {
    pub link: usize,
    pub symptom: String,
    pub disciplines: Vec<(String, Vec<u32>)>,
}

/// The demand side, prepared once for scoring many experts.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub salient: Vec<Salient>,
    pub total: f64,
    /// The rarity mass of its specific (non-generic) salient words.
    pub specificity: f64,
    pub links: Vec<LinkHit>,
}

impl Query {
    /// Prepares a demand profile; `text` is its whole text (for the symptoms of problem links).
    pub fn new(model: &Model, prep: &Prepared, profile: &Profile, text: &str) -> Self {
        let (mut salient, total) = salient(model, prep, profile, SALIENT);
        let ids = |parts: &[String]| -> Option<Vec<u32>> { parts.iter().map(|p| model.vocab.id(p)).collect() };
        for s in &mut salient {
            let Some(term) = model.term_str(s.id) else { continue };
            for &(g, m) in prep.by_first.get(term).into_iter().flatten() {
                let group = &prep.groups[g];
                if group[m].parts.len() != 1 {
                    continue;
                }
                for (oi, other) in group.iter().enumerate() {
                    if oi != m
                        && other.parts != group[m].parts
                        && let Some(p) = ids(&other.parts)
                        && !s.alternatives.iter().any(|(_, q)| *q == p)
                    {
                        s.alternatives.push((other.written.clone(), p));
                    }
                }
            }
            if term.chars().count() >= 3 && !term.is_ascii() {
                let chars: Vec<char> = term.chars().collect();
                s.grams = chars.windows(2).filter_map(|w| model.grams.id(&w.iter().collect::<String>())).collect();
            }
        }
        let specificity = salient.iter().filter(|s| !s.generic).map(|s| s.weight).sum();
        let key = crate::util::norm_key(text);
        let mut links = Vec::new();
        for (li, l) in prep.links.iter().enumerate() {
            let Some((written, _)) = l.symptoms.iter().find(|(_, k)| key.contains(k.as_str())) else { continue };
            let disciplines: Vec<(String, Vec<u32>)> =
                l.disciplines.iter().filter_map(|d| Some((d.written.clone(), ids(&d.parts)?))).collect();
            if !disciplines.is_empty() {
                links.push(LinkHit { link: li, symptom: written.clone(), disciplines });
            }
        }
        Query { salient, total, specificity, links }
    }

    /// How far the demand's score is trusted: 1 for a specific demand, less for one made of
    /// generic words only ("提高产品材料性能").
    pub fn vagueness(&self) -> f64 {
        (self.specificity / VAGUE).clamp(0.15, 1.0)
    }

    pub fn is_vague(&self) -> bool {
        self.specificity < VAGUE
    }
}

/// What a pair's score rests on (for the parts and the reasons).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairScore {
    /// Coverage of the demand's salient words by the expert (0–1).
    pub demand_cover: f64,
    /// Share of the expert's salient words found in the demand (0–1).
    pub expert_focus: f64,
    pub text: f64,
    pub field: f64,
    /// The node pair behind `field`: (demand node, expert node).
    pub field_nodes: Option<(u16, u16)>,
    /// (link index, symptom as written, discipline as written).
    pub link: Option<(usize, String, String)>,
    /// Share of the demand's keywords with a near spelling among the expert's (0–1).
    pub keyword: f64,
    /// (demand keyword, expert keyword, similarity) of near but different spellings.
    pub near_keywords: Vec<(String, String, f64)>,
    pub coop: f64,
    pub history: f64,
    /// The past demands (indices into the model's demands) behind `history`, most similar first.
    pub history_demands: Vec<(u32, f64)>,
    /// Demand term ids found in the expert, with how (None = the word itself, Some = a synonym
    /// as written).
    pub matched: Vec<(u32, Option<String>)>,
    /// Demand term ids found only through character pairs.
    pub by_pairs: Vec<u32>,
    /// The demand's vagueness factor (1 = specific).
    pub vague: f64,
}

/// Text coverage of `q` by profile `e`, and the terms matched.
fn coverage(q: &Query, e: &Profile, out: &mut PairScore) -> f64 {
    if q.total <= 0.0 {
        return 0.0;
    }
    let mut got = 0.0;
    for s in &q.salient {
        let credit = match e.term(s.id) {
            Some(t) => term_credit(t, s.short),
            None => 0.0,
        };
        let mut best = credit;
        let mut how = None;
        if best < SYNONYM_CREDIT
            && let Some((w, _)) = s.alternatives.iter().find(|(_, parts)| parts.iter().all(|p| e.term(*p).is_some()))
        {
            best = SYNONYM_CREDIT;
            how = Some(w.clone());
        }
        if best == 0.0 && !s.grams.is_empty() {
            let found = s.grams.iter().filter(|g| e.has_gram(**g)).count();
            if found * 2 >= s.grams.len() {
                best = PAIR_CREDIT * found as f64 / s.grams.len() as f64;
                out.by_pairs.push(s.id);
            }
        }
        if credit > 0.0 || how.is_some() {
            out.matched.push((s.id, how));
        }
        got += s.weight * best;
    }
    (got / q.total).min(1.0)
}

/// The credit of a demand word the expert has: full in 关键词 or the main line, [`BODY_CREDIT`] in
/// the long text only; a short word found only inside a longer word of the expert (一次 in
/// 一次电池) counts half.
fn term_credit(t: &super::model::Term, short: bool) -> f64 {
    let base = if t.fields & !(BODY | SUB) == 0 && t.fields & BODY != 0 { BODY_CREDIT } else { 1.0 };
    if short && t.fields & SUB != 0 { base * 0.5 } else { base }
}

/// Share of the expert's salient words present in the demand.
fn focus(f: &Focus, d: &Profile) -> f64 {
    if f.total <= 0.0 {
        return 0.0;
    }
    let got: f32 = f.terms.iter().filter(|(id, _)| d.term(*id).is_some()).map(|(_, w)| w).sum();
    f64::from(got / f.total).min(1.0)
}

/// Field agreement: how sure both placements are (their best confidences) times the expected
/// relation between the two sides' nodes, each side's nodes weighted by confidence² (so a
/// record placed firmly in one node is not diluted by weak guesses, and a broad profile spread
/// over many nodes fits each less than a focused one). The reason names the pair that
/// contributes most.
pub fn field(prep: &Prepared, d: &Profile, e: &Profile) -> (f64, Option<(u16, u16)>) {
    let (f, b) = field_with(&field_weights(prep, d), e);
    let best = b.and_then(|b| {
        d.nodes
            .iter()
            .map(|&(a, ca)| (ca * ca * prep.relation(a as usize, b as usize), a))
            .filter(|(v, _)| *v > 0.0)
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)))
            .map(|(_, a)| (a, b))
    });
    (f, best)
}

/// The demand side of [`field`] per taxonomy node b: sure(d) · Σₐ c²ₐ·relation(a, b) / Σₐ c²ₐ.
pub fn field_weights(prep: &Prepared, d: &Profile) -> Vec<f32> {
    let wd: f32 = d.nodes.iter().map(|(_, c)| c * c).sum();
    let sd = sure(d);
    (0..prep.nodes())
        .map(|b| {
            if wd <= 0.0 {
                return 0.0;
            }
            sd * d.nodes.iter().map(|&(a, ca)| ca * ca * prep.relation(a as usize, b)).sum::<f32>() / wd
        })
        .collect()
}

/// [`field`] from the demand's [`field_weights`]: the value and the expert node that gives most.
pub fn field_with(weights: &[f32], e: &Profile) -> (f64, Option<u16>) {
    let we: f32 = e.nodes.iter().map(|(_, c)| c * c).sum();
    if we <= 0.0 {
        return (0.0, None);
    }
    let mut total = 0f32;
    let mut best = (0f32, None);
    for &(b, cb) in &e.nodes {
        let v = cb * cb * weights.get(b as usize).copied().unwrap_or(0.0);
        total += v;
        if v > best.0 {
            best = (v, Some(b));
        }
    }
    (f64::from(sure(e) * total / we), best.1)
}

/// How sure a record's placement is: its best node's confidence.
fn sure(p: &Profile) -> f32 {
    p.nodes.iter().map(|(_, c)| *c).fold(0.0, f32::max)
}

/// Cooperation modes: 1 when a mode is shared, 0.5 when a side names none, 0 otherwise.
pub fn coop(d: u64, e: u64) -> f64 {
    if d == 0 || e == 0 {
        0.5
    } else if d & e != 0 {
        1.0
    } else {
        0.0
    }
}

/// Near spellings between the demand's and the expert's keywords (normalised): the share of the
/// demand's keywords that have one, and the pairs that are near but not equal.
pub fn keywords(d: &[String], e: &[String]) -> (f64, Vec<(String, String, f64)>) {
    if d.is_empty() || e.is_empty() {
        return (0.0, Vec::new());
    }
    let mut hits = 0usize;
    let mut near = Vec::new();
    for a in d {
        let best = e
            .iter()
            .map(|b| {
                let contains = a.chars().count() >= 2 && b.chars().count() >= 2 && (a.contains(b.as_str()) || b.contains(a.as_str()));
                (if a == b || contains { 1.0 } else { crate::util::similarity(a, b) }, b)
            })
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(x.1)));
        if let Some((s, b)) = best
            && s >= 0.75
        {
            hits += 1;
            if a != b {
                near.push((a.clone(), b.clone(), s));
            }
        }
    }
    (hits as f64 / d.len() as f64, near)
}

/// Share of `q`'s specific salient weight whose words `other` has.
fn share_in(q: &Query, other: &Profile) -> f64 {
    let total: f64 = q.salient.iter().filter(|s| !s.generic).map(|s| s.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let got: f64 = q.salient.iter().filter(|s| !s.generic && other.term(s.id).is_some()).map(|s| s.weight).sum();
    got / total
}

/// How alike two demands are (for the history): the mean of each one's share found in the other.
pub fn demand_similarity(a: (&Profile, &Query), b: (&Profile, &Query)) -> f64 {
    0.5 * (share_in(a.1, b.0) + share_in(b.1, a.0))
}

/// A past demand counts towards the history from this similarity on.
pub const HISTORY_FLOOR: f64 = 0.2;

/// The history part: how strongly the expert's past pairings resemble this demand (noisy-or
/// of the similarities of their past demands, so several similar pairings count more than one).
/// `sims` gives each paired demand's similarity to the demand being matched.
pub fn history(past: &[u32], sims: &dyn Fn(u32) -> f64) -> (f64, Vec<(u32, f64)>) {
    let mut found: Vec<(u32, f64)> = past.iter().map(|&p| (p, sims(p))).filter(|(_, s)| *s >= HISTORY_FLOOR).collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let h = 1.0 - found.iter().fold(1.0, |acc, (_, s)| acc * (1.0 - s.min(1.0)));
    (h, found)
}

/// Scores one pair. `focus` holds the expert's salient terms; `past` their paired demands and
/// `sims` the similarity of each paired demand to this one (the history).
pub fn score(
    prep: &Prepared,
    (d, q): (&Profile, &Query),
    (e, focus_terms): (&Profile, &Focus),
    past: &[u32],
    sims: &dyn Fn(u32) -> f64,
) -> PairScore {
    let mut s = PairScore { vague: q.vagueness(), ..PairScore::default() };
    s.demand_cover = coverage(q, e, &mut s);
    s.expert_focus = focus(focus_terms, d);
    s.text = combine(s.demand_cover, s.expert_focus);
    (s.field, s.field_nodes) = field(prep, d, e);
    for l in &q.links {
        if let Some((w, _)) = l.disciplines.iter().find(|(_, parts)| parts.iter().all(|p| e.term(*p).is_some())) {
            s.link = Some((l.link, l.symptom.clone(), w.clone()));
            break;
        }
    }
    s.coop = coop(d.coop, e.coop);
    (s.keyword, s.near_keywords) = keywords(&d.keywords, &e.keywords);
    (s.history, s.history_demands) = history(past, sims);
    s
}

/// Text similarity from the demand's coverage and the expert's focus: mostly coverage, with
/// the focus lifting a short entry whose few words are exactly the demand's topic.
pub fn combine(cover: f64, focus: f64) -> f64 {
    (0.7 * cover + 0.3 * (cover * focus).sqrt()).min(1.0)
}

/// The parts of a score, in points (they add up to the score).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ScoreParts {
    pub text: f64,
    pub subfield: f64,
    pub link: f64,
    pub keyword: f64,
    pub coop: f64,
    pub history: f64,
}

impl ScoreParts {
    pub fn sum(&self) -> f64 {
        self.text + self.subfield + self.link + self.keyword + self.coop + self.history
    }
}

/// Of the points a pair still lacks, the history can make up this share.
pub const HISTORY_SHARE: f64 = 0.4;

impl PairScore {
    /// The points of each part; the history makes up a share of what the others leave.
    pub fn parts(&self) -> ScoreParts {
        let v = self.vague;
        let mut p = ScoreParts {
            text: W_TEXT * self.text * v,
            subfield: W_FIELD * self.field * v,
            link: if self.link.is_some() { W_LINK * v } else { 0.0 },
            keyword: W_KEYWORD * self.keyword * v,
            coop: W_COOP * self.coop,
            history: 0.0,
        };
        p.history = (100.0 - p.sum()).max(0.0) * HISTORY_SHARE * self.history * v;
        p
    }

    /// The score before the keyword part (an upper bound lets ranking skip it for most).
    pub fn score(&self) -> f64 {
        self.parts().sum()
    }
}
