//! The score of one (demand, expert) pair, the same function whichever side matching starts
//! from, from the two profiles and the model's statistics. [`Query`] prepares the demand side
//! once (salient terms with their rarity, synonym alternatives, character pairs, problem links)
//! so that scoring each expert is a handful of lookups in sorted arrays.

use super::model::{BODY, Focus, Model, Profile, SUB};
use crate::search::knowledge::Prepared;

/// How many of a record's weightiest terms its coverage is measured on.
pub const SALIENT: usize = 16;
/// Credit of a term found only in the expert's long text (代表性成果).
const BODY_CREDIT: f64 = 0.85;
/// Credit of a term found through a synonym.
pub const SYNONYM_CREDIT: f64 = 0.9;
/// At most this credit for a word no expert writes, found by its character pairs.
pub const PAIR_CREDIT: f64 = 0.5;
/// At most this credit for a long word found only through the words inside it.
pub const PART_CREDIT: f64 = 0.6;
/// How many of a demand's rarest character pairs the character-level coverage is measured on.
const GRAMS: usize = 48;
/// At pools of 1000 and more, character pairs in more than this share of the experts are skipped.
const COMMON_GRAM: f64 = 0.1;
/// A word in more than this share of the experts is generic (in a pool of 50 or more).
const COMMON: f64 = 0.25;
/// A generic word counts this much of its weight.
const GENERIC: f64 = 0.1;

/// The score's parts (weights sum to 100; the history comes on top, see [`HISTORY_SHARE`]).
pub const W_TEXT: f64 = 55.0;
pub const W_FIELD: f64 = 30.0;
pub const W_LINK: f64 = 10.0;
pub const W_COOP: f64 = 5.0;

/// Below this much specificity (see [`Query::new`]: 关键词 3, 需求名称 2, 描述 1 per specific
/// word) a demand is too vague to match confidently.
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
    /// A Chinese word of two characters (or shorter): found only inside a longer word, it counts half.
    pub short: bool,
    /// The words inside a long word (钢化 and 玻璃 in 钢化玻璃) with their share of its rarity: an
    /// expert who has some of them gets part of the word's credit.
    pub parts: Vec<(u32, f64)>,
    /// For a word no expert writes as such (a compound the dictionary lacks): its character
    /// pairs, for [`PAIR_CREDIT`] when an expert has at least half of them.
    pub grams: Vec<u32>,
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
            if crate::search::knowledge::weak_fragment(s) && s.chars().count() <= 1 && s.is_ascii() {
                return None;
            }
            let df = f64::from(model.vocab.df(t.id));
            // Generic: listed as such, or in more than a quarter of a pool of some size.
            let generic = prep.is_generic(s) || (experts >= 50.0 && df > COMMON * experts);
            let rarity = if df > 0.0 {
                idf(experts, df)
            } else if let Some(df) = synonym_df(model, prep, s) {
                // A word the experts never write (LiPF6) counts when a synonym of it is written (六氟磷酸锂).
                idf(experts, df)
            } else {
                // A word no expert writes still belongs to what the demand asks: it counts in
                // the total (as rare as a word of one expert), so a profile that has the rest
                // of the demand's words is not taken for a full match.
                pair_rarity(model, s, experts).unwrap_or_else(|| idf(experts, 1.0))
            };
            let weight = f64::from(t.weight) * rarity * if generic { GENERIC } else { 1.0 };
            let short = !s.is_ascii() && s.chars().count() <= 2;
            (weight > 0.0).then(|| Salient {
                id: t.id,
                weight,
                generic,
                alternatives: Vec::new(),
                short,
                parts: Vec::new(),
                grams: Vec::new(),
            })
        })
        .collect();
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
    out.truncate(n);
    let total = out.iter().map(|s| s.weight).sum();
    (out, total)
}

/// The document frequency of a word's best-known synonym (a member made of words the experts
/// use: the smallest frequency among its parts), if any.
fn synonym_df(model: &Model, prep: &Prepared, term: &str) -> Option<f64> {
    let mut best: Option<u32> = None;
    for &(g, m) in prep.by_first.get(term).into_iter().flatten() {
        let group = &prep.groups[g];
        if group[m].parts.len() != 1 {
            continue;
        }
        for (oi, other) in group.iter().enumerate() {
            if oi == m {
                continue;
            }
            let df =
                other.parts.iter().map(|p| model.vocab.id(p).map_or(0, |id| model.vocab.df(id))).min().unwrap_or(0);
            if df > 0 {
                best = Some(best.map_or(df, |b| b.max(df)));
            }
        }
    }
    best.map(f64::from)
}

/// A Chinese word no expert has as a word (a shop-floor compound the dictionary lacks) is
/// judged by its character pairs when at least half of them occur: their mean frequency
/// stands in for the word's. None when it tells nothing.
fn pair_rarity(model: &Model, s: &str, experts: f64) -> Option<f64> {
    if s.chars().count() < 3 || s.is_ascii() {
        return None;
    }
    let pairs: Vec<String> = s.chars().collect::<Vec<_>>().windows(2).map(|w| w.iter().collect()).collect();
    let dfs: Vec<f64> = pairs
        .iter()
        .filter_map(|g| model.grams.id(g))
        .map(|g| f64::from(model.grams.df(g)))
        .filter(|d| *d > 0.0)
        .collect();
    (!pairs.is_empty() && dfs.len() * 2 >= pairs.len())
        .then(|| idf(experts, dfs.iter().sum::<f64>() / dfs.len() as f64))
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
    /// How specific the demand is: the field weights of its specific words (pool-independent).
    pub specificity: f64,
    pub links: Vec<LinkHit>,
    /// The demand's rarest character pairs (id, rarity) and their total: the character-level
    /// half of the text part, for words the dictionary cuts differently on the two sides.
    pub grams: Vec<(u32, f64)>,
    pub gram_total: f64,
    /// The demand's vector among the demands ([`demand_vector`]), for finding precedents.
    pub vector: Vec<(u32, f32)>,
    /// Per taxonomy node: the field part of an expert placed there ([`field_weights`]).
    pub node_value: Vec<f32>,
    /// `grams` sorted by id, for a merge with an expert's sorted pairs.
    pub grams_by_id: Vec<(u32, f64)>,
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
                s.parts = inner_parts(model, prep, profile, term);
                if model.vocab.df(s.id) == 0 {
                    let chars: Vec<char> = term.chars().collect();
                    s.grams = chars.windows(2).filter_map(|w| model.grams.id(&w.iter().collect::<String>())).collect();
                }
            }
        }
        let specificity = specificity(model, prep, profile);
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
        let n = model.experts.len() as f64;
        // Pairs in more than a tenth of a large pool say little and cost the most to look up.
        let common = if n >= 1000.0 { COMMON_GRAM * n } else { n };
        let mut grams: Vec<(u32, f64)> = profile
            .grams
            .iter()
            .filter(|g| model.grams.df(**g) > 0 && f64::from(model.grams.df(**g)) <= common)
            .map(|&g| (g, idf(n, f64::from(model.grams.df(g)))))
            .collect();
        grams.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        grams.truncate(GRAMS);
        let gram_total = grams.iter().map(|(_, w)| w).sum();
        let vector = demand_vector(model, prep, profile);
        let node_value = field_weights(prep, profile);
        let mut grams_by_id = grams.clone();
        grams_by_id.sort_unstable_by_key(|g| g.0);
        Query { salient, total, specificity, links, grams, gram_total, vector, node_value, grams_by_id }
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

/// The specific words of the profile lying inside `term`, with their share of the parts' rarity.
fn inner_parts(model: &Model, prep: &Prepared, profile: &Profile, term: &str) -> Vec<(u32, f64)> {
    let n = model.experts.len() as f64;
    let found: Vec<(u32, f64)> = profile
        .terms
        .iter()
        .filter(|t| t.fields & SUB != 0)
        .filter_map(|t| {
            let s = model.term_str(t.id)?;
            (s != term && s.chars().count() >= 2 && term.contains(s) && !prep.is_generic(s) && model.vocab.df(t.id) > 0)
                .then(|| (t.id, idf(n, f64::from(model.vocab.df(t.id)))))
        })
        .collect();
    let total: f64 = found.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    found.into_iter().map(|(id, w)| (id, w / total)).collect()
}

/// How specific a demand is, whatever the pool: the field weights (关键词 3, 需求名称 2, 描述 1)
/// of its distinct specific words — not generic, not a fragment or a number.
fn specificity(model: &Model, prep: &Prepared, profile: &Profile) -> f64 {
    profile
        .terms
        .iter()
        .filter(|t| t.fields & SUB == 0)
        .filter(|t| model.term_str(t.id).is_some_and(|s| !prep.is_generic(s) && !s.chars().all(|c| c.is_ascii_digit())))
        .map(|t| f64::from(t.weight.min(3.0)))
        .sum()
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
    pub coop: f64,
    pub history: f64,
    /// The past demands (indices into the model's demands) behind `history`, most similar first.
    pub history_demands: Vec<(u32, f64)>,
    /// Demand term ids found in the expert, with how (None = the word itself, Some = a synonym
    /// as written).
    pub matched: Vec<(u32, Option<String>)>,
    /// Share of the demand's rarest character pairs found in the expert (0–1).
    pub gram_cover: f64,
    /// The demand's vagueness factor (1 = specific).
    pub vague: f64,
}

/// Text coverage of `q` by profile `e`, and the terms matched.
fn coverage(q: &Query, e: &Profile, out: &mut PairScore, detail: bool) -> f64 {
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
            how = Some(if detail { w.clone() } else { String::new() });
        }
        if best < PART_CREDIT && !s.parts.is_empty() {
            let share: f64 = s.parts.iter().filter(|(p, _)| e.term(*p).is_some()).map(|(_, w)| w).sum();
            if PART_CREDIT * share > best {
                best = PART_CREDIT * share;
                if detail {
                    out.matched.extend(s.parts.iter().filter(|(p, _)| e.term(*p).is_some()).map(|(p, _)| (*p, None)));
                }
            }
        }
        if best < PAIR_CREDIT && !s.grams.is_empty() {
            let found = s.grams.iter().filter(|g| e.has_gram(**g)).count();
            best = best.max(PAIR_CREDIT * found as f64 / s.grams.len() as f64);
        }
        if detail && (credit > 0.0 || how.is_some()) {
            out.matched.push((s.id, how));
        }
        got += s.weight * best;
    }
    (got / q.total).min(1.0)
}

/// The credit of a demand word the expert has: full in 关键词 or the main line, [`BODY_CREDIT`] in
/// the long text only; a short word found only inside a longer word of the expert (一次 in
/// 一次电池) counts half.
pub(crate) fn term_credit(t: &super::model::Term, short: bool) -> f64 {
    let base = if t.fields & !(BODY | SUB) == 0 && t.fields & BODY != 0 { BODY_CREDIT } else { 1.0 };
    if short && t.fields & SUB != 0 { base * 0.5 } else { base }
}

/// Share of the expert's salient weight on the demand's specific salient words.
fn focus(f: &Focus, q: &Query) -> f64 {
    if f.total <= 0.0 {
        return 0.0;
    }
    let got: f32 =
        f.terms.iter().filter(|(id, _)| q.salient.iter().any(|s| s.id == *id && !s.generic)).map(|(_, w)| w).sum();
    f64::from(got / f.total).min(1.0)
}

/// Field agreement: how sure both placements are (their best confidences) times the expected
/// relation between the two sides' nodes, each side's nodes weighted by confidence² (so a
/// record placed firmly in one node is not diluted by weak guesses, and a broad profile spread
/// over many nodes fits each less than a focused one). The reason names the pair that
/// contributes most.
pub fn field(prep: &Prepared, d: &Profile, weights: &[f32], e: &Profile) -> (f64, Option<(u16, u16)>) {
    let (f, b) = field_with(weights, e);
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

/// Near spellings between the demand's and the expert's keywords (normalised), for the reasons:
/// the share of the demand's keywords that have one, and the pairs that are near but not equal.
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
                let contains = a.chars().count() >= 2
                    && b.chars().count() >= 2
                    && (a.contains(b.as_str()) || b.contains(a.as_str()));
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

/// How alike two demands are (for the history): the cosine of their word and character-pair
/// vectors weighted by rarity among the demands (so boilerplate every project has counts little).
pub fn demand_similarity(a: &Query, b: &Query) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0f32);
    let (x, y) = (&a.vector, &b.vector);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += x[i].1 * y[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    f64::from(dot)
}

/// Feature ids of character pairs in a demand vector (word ids stay below).
const GRAM_FEATURE: u32 = 1 << 31;

/// A demand's unit vector of words (field weight × rarity among demands; generic words left out)
/// and character pairs (half weight), sorted by feature id.
pub fn demand_vector(model: &Model, prep: &Prepared, p: &Profile) -> Vec<(u32, f32)> {
    let n = model.demands.len().max(1) as f64;
    let mut v: Vec<(u32, f32)> = Vec::new();
    for t in &p.terms {
        if t.fields & SUB != 0 || model.term_str(t.id).is_none_or(|s| prep.is_generic(s)) {
            continue;
        }
        let df = f64::from(model.demand_df(t.id).max(1));
        #[allow(clippy::cast_possible_truncation)]
        v.push((t.id, (f64::from(t.weight) * idf(n, df)) as f32));
    }
    for &g in &p.grams {
        let df = f64::from(model.demand_gram_df(g).max(1));
        #[allow(clippy::cast_possible_truncation)]
        v.push((GRAM_FEATURE | g, (0.5 * idf(n, df)) as f32));
    }
    v.sort_by_key(|(id, _)| *id);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// A paired demand is a neighbour from this similarity on.
pub const HISTORY_FLOOR: f64 = 0.05;
/// How many of the most similar paired demands count (the office's nearest precedents).
pub const NEIGHBOURS: usize = 10;
/// An expert paired with the demands that make up this many of the nearest precedents' weight
/// gets the full history part.
pub const FULL_HISTORY: usize = 3;

/// The paired demands most similar to a demand: (demand index, similarity), best first, and
/// the weight that earns the full history part (the sum of the first [`FULL_HISTORY`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Neighbours {
    pub list: Vec<(u32, f64)>,
    pub full: f64,
}

impl Neighbours {
    /// From each paired demand's similarity (the demand itself left out by the caller).
    pub fn new(mut sims: Vec<(u32, f64)>) -> Self {
        let floor = HISTORY_FLOOR;
        sims.retain(|(_, s)| *s >= floor);
        sims.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        sims.truncate(NEIGHBOURS);
        let full = sims.iter().take(FULL_HISTORY).map(|(_, s)| s).sum();
        Neighbours { list: sims, full }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The history part: the share of the demand's nearest precedents (paired demands most like it)
/// that the expert was paired with, weighted by similarity — the office's own choices for
/// demands like this one. `past` are the expert's paired demands (ascending).
pub fn history(past: &[u32], nb: &Neighbours) -> (f64, Vec<(u32, f64)>) {
    if past.is_empty() || nb.full <= 0.0 {
        return (0.0, Vec::new());
    }
    let found: Vec<(u32, f64)> = nb.list.iter().filter(|(p, _)| past.binary_search(p).is_ok()).copied().collect();
    let got: f64 = found.iter().map(|(_, s)| s).sum();
    ((got / nb.full).min(1.0), found)
}

/// Scores one pair. `focus` holds the expert's salient terms; `past` their paired demands and
/// `nb` the demand's nearest paired demands (the history).
pub fn score(
    prep: &Prepared,
    (d, q): (&Profile, &Query),
    (e, focus_terms): (&Profile, &Focus),
    past: &[u32],
    nb: &Neighbours,
) -> PairScore {
    score_with(prep, (d, q), (e, focus_terms), past, nb, true)
}

/// [`score`], with the words for the reasons (matched terms, synonyms and the link as written,
/// the past demands) only when `detail`: ranking needs the number, explaining the rest.
pub fn score_with(
    prep: &Prepared,
    (d, q): (&Profile, &Query),
    (e, focus_terms): (&Profile, &Focus),
    past: &[u32],
    nb: &Neighbours,
    detail: bool,
) -> PairScore {
    let mut s = PairScore { vague: q.vagueness(), ..PairScore::default() };
    let words = coverage(q, e, &mut s, detail);
    s.gram_cover = if q.gram_total > 0.0 { shared_weight(&q.grams_by_id, &e.grams) / q.gram_total } else { 0.0 };
    s.demand_cover = mix(words, s.gram_cover);
    s.expert_focus = focus(focus_terms, q);
    s.text = combine(s.demand_cover, s.expert_focus);
    (s.field, s.field_nodes) = field(prep, d, &q.node_value, e);
    for l in &q.links {
        if let Some((w, _)) = l.disciplines.iter().find(|(_, parts)| parts.iter().all(|p| e.term(*p).is_some())) {
            s.link = Some(if detail {
                (l.link, l.symptom.clone(), w.clone())
            } else {
                (l.link, String::new(), String::new())
            });
            break;
        }
    }
    s.coop = coop(d.coop, e.coop);
    (s.history, s.history_demands) = history(past, nb);
    s
}

/// The weight of the pairs of `a` (sorted by id) that `b` (sorted) has: one merge, reading both
/// in order (far cheaper than a search per pair in a large pool).
fn shared_weight(a: &[(u32, f64)], b: &[u32]) -> f64 {
    let (mut i, mut j, mut got) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                got += a[i].1;
                i += 1;
                j += 1;
            }
        }
    }
    got
}

/// The coverage from its word and character-pair halves.
pub fn mix(words: f64, grams: f64) -> f64 {
    let b = GRAM_SHARE;
    (1.0 - b) * words + b * grams
}

/// The share of the character pairs in the coverage.
pub const GRAM_SHARE: f64 = 0.25;

/// Text similarity from the demand's coverage and the expert's focus: mostly coverage, with
/// the focus lifting a short entry whose few words are exactly the demand's topic.
pub fn combine(cover: f64, focus: f64) -> f64 {
    /// The share of the plain coverage (the rest is its geometric mean with the focus).
    const COVER_SHARE: f64 = 0.7;
    let a = COVER_SHARE;
    (a * cover + (1.0 - a) * (cover * focus).sqrt()).min(1.0)
}

/// The parts of a score, in points (they add up to the score).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ScoreParts {
    pub text: f64,
    pub subfield: f64,
    pub link: f64,
    pub coop: f64,
    pub history: f64,
}

impl ScoreParts {
    pub fn sum(&self) -> f64 {
        self.text + self.subfield + self.link + self.coop + self.history
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
            coop: W_COOP * self.coop,
            history: 0.0,
        };
        p.history = (100.0 - p.sum()).max(0.0) * HISTORY_SHARE * self.history * v;
        p
    }

    /// The score (0–100).
    pub fn score(&self) -> f64 {
        self.parts().sum()
    }
}
