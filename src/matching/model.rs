//! The matching model: every expert and demand analysed once into a compact [`Profile`] (term
//! ids with field weights, character-pair ids, taxonomy nodes with confidences, cooperation
//! modes, keywords), the vocabulary with document frequencies among the experts, inverted lists
//! for retrieval in large pools, and each expert's paired demands (the office's history). Built
//! from the records; pure data, no I/O.

use std::collections::{HashMap, HashSet};

use super::score::{Query, SALIENT, salient};
use crate::domain::{Demand, DemandStatus, Expert, RecordKind, Taxonomy, coop_mask};
use crate::search::Analyzer;
use crate::search::knowledge::Prepared;
use crate::util::norm_key;

/// Field bits of a term in a profile.
pub const KW: u8 = 1;
pub const MAIN: u8 = 2;
pub const BODY: u8 = 4;
/// Lies inside a longer term of the same text (search mode's 碳化 inside 碳化硅).
pub const SUB: u8 = 8;

/// A term of a profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    pub id: u32,
    /// The field weight (关键词 3, 研究方向/需求名称 2, 成果/描述 1), a little more when repeated.
    pub weight: f32,
    pub fields: u8,
}

/// A record, analysed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub row: i64,
    /// Sorted by id.
    pub terms: Vec<Term>,
    /// Character-pair ids, sorted, unique.
    pub grams: Vec<u32>,
    /// Taxonomy nodes (index) with a confidence; confirmed subfields have 1.
    pub nodes: Vec<(u16, f32)>,
    /// Whether `nodes` are the record's own (confirmed) subfields rather than suggestions.
    pub confirmed: bool,
    /// Per node: the words that led to it (empty for a confirmed subfield).
    pub node_evidence: Vec<Vec<String>>,
    pub coop: u64,
    /// Normalised keywords (for near spellings).
    pub keywords: Vec<String>,
    /// An expert available / a demand open.
    pub live: bool,
    pub enterprise: Option<i64>,
    /// A hash of the texts the profile was made from (to tell whether a record changed).
    pub stamp: u64,
}

impl Profile {
    pub fn term(&self, id: u32) -> Option<&Term> {
        self.terms.binary_search_by_key(&id, |t| t.id).ok().map(|i| &self.terms[i])
    }

    pub fn has_gram(&self, id: u32) -> bool {
        self.grams.binary_search(&id).is_ok()
    }
}

/// A record analysed and classified, its words not yet given ids (what runs on all cores).
/// The words sit in one string (one allocation to free, not hundreds, on the interning thread).
struct Pending {
    text: String,
    /// (start, end in `text`, weight, fields), by term.
    terms: Vec<(u32, u32, f32, u8)>,
    /// (start, end), sorted by text.
    grams: Vec<(u32, u32)>,
    /// Everything but the terms and pairs.
    profile: Profile,
}

impl Pending {
    fn new(kit: Kit<'_>, a: Analysed, source: &Source<'_>) -> Self {
        let profile = source.profile(kit, &a, Vec::new(), Vec::new());
        let mut terms: Vec<(&String, &(f32, u8))> = a.terms.iter().collect();
        terms.sort_by(|x, y| x.0.cmp(y.0));
        let mut grams: Vec<&String> = a.grams.iter().collect();
        grams.sort();
        let mut text = String::new();
        let mut span = |s: &str| {
            let from = u32::try_from(text.len()).unwrap_or(u32::MAX);
            text.push_str(s);
            (from, u32::try_from(text.len()).unwrap_or(u32::MAX))
        };
        let terms = terms.into_iter().map(|(t, (w, f))| {
            let (a, b) = span(t);
            (a, b, *w, *f)
        });
        let terms: Vec<(u32, u32, f32, u8)> = terms.collect();
        let grams: Vec<(u32, u32)> = grams.into_iter().map(|g| span(g)).collect();
        Pending { text, terms, grams, profile }
    }

    fn str(&self, from: u32, to: u32) -> &str {
        self.text.get(from as usize..to as usize).unwrap_or_default()
    }
}

/// FNV-1a: the vocabulary's keys are short words, hashed millions of times while building.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Strings to ids, with how many experts contain each.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    ids: HashMap<String, u32, std::hash::BuildHasherDefault<Fnv>>,
    pub strings: Vec<String>,
    /// Experts containing the term.
    pub df: Vec<u32>,
}

impl Vocab {
    pub fn id(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.ids.insert(s.to_string(), id);
        self.strings.push(s.to_string());
        self.df.push(0);
        id
    }

    pub fn df(&self, id: u32) -> u32 {
        self.df.get(id as usize).copied().unwrap_or(0)
    }
}

/// Field weights: 关键词 3, the main line 2, the long text 1.
fn field_weight(bit: u8) -> f32 {
    match bit {
        KW => 3.0,
        MAIN => 2.0,
        _ => 1.0,
    }
}

/// A record analysed, before its terms get ids.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    /// term → (weight, fields)
    pub terms: HashMap<String, (f32, u8)>,
    pub grams: HashSet<String>,
}

/// Analyses a record's texts. With `compounds`, a short run of Chinese in 关键词 or the main line
/// that the dictionary can only cut into pieces with single characters (二氯二甲茂钛, 侧压力系数) also
/// counts as one word, with its pieces inside it, so it is matched as a whole (by its pieces and
/// character pairs) rather than by whichever piece happens to be common.
pub fn analyse(analyzer: &Analyzer, texts: &[(String, u8)], compounds: bool) -> Analysed {
    let mut a = Analysed::default();
    for (text, bit) in texts {
        if text.trim().is_empty() {
            continue;
        }
        let mut toks = analyzer.words(text);
        if compounds && *bit != BODY {
            add_compounds(text, &mut toks);
        }
        let sub = inside_longer(&toks);
        let mut count: HashMap<&str, u32> = HashMap::new();
        for (t, sub) in toks.iter().zip(sub) {
            *count.entry(t.text.as_str()).or_default() += 1;
            let slot = a.terms.entry(t.text.clone()).or_insert((0.0, SUB));
            if !sub {
                slot.1 &= !SUB;
            }
            slot.1 |= bit;
        }
        for (t, n) in count {
            let w = field_weight(*bit) * (1.0 + 0.15 * (n as f32).ln());
            let slot = a.terms.get_mut(t).expect("counted above");
            slot.0 = slot.0.max(w);
        }
        for g in analyzer.bigrams(text) {
            a.grams.insert(g.text);
        }
    }
    a
}

/// For each token, whether a longer token's span contains it (one sweep over the spans).
fn inside_longer(toks: &[crate::search::Tok]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..toks.len()).collect();
    order.sort_by(|&a, &b| toks[a].from.cmp(&toks[b].from).then(toks[b].to.cmp(&toks[a].to)));
    let mut out = vec![false; toks.len()];
    // The furthest end seen so far, and the earliest start reaching it.
    let mut reach: Option<(usize, usize)> = None;
    for i in order {
        let t = &toks[i];
        if let Some((to, from)) = reach {
            out[i] = to > t.to || (to == t.to && from < t.from);
        }
        reach = match reach {
            Some((to, from)) if to > t.to || (to == t.to && from <= t.from) => Some((to, from)),
            _ => Some((t.to, t.from)),
        };
    }
    out
}

/// Adds fragmented short Chinese runs as whole tokens (see [`analyse`]).
fn add_compounds(text: &str, toks: &mut Vec<crate::search::Tok>) {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let han = ('\u{4e00}'..='\u{9fff}').contains(&c);
        match (han, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    for (s, e) in runs {
        let n = text[s..e].chars().count();
        if !(4..=8).contains(&n) {
            continue;
        }
        let inside: Vec<&crate::search::Tok> = toks.iter().filter(|t| t.from >= s && t.to <= e).collect();
        let whole = inside.iter().any(|t| t.from == s && t.to == e);
        let single = inside.iter().any(|t| t.text.chars().count() == 1);
        // Pieces that the dictionary could not join, and pieces the stop list dropped.
        let covered: usize = inside
            .iter()
            .filter(|t| !inside.iter().any(|u| u.from <= t.from && t.to <= u.to && (u.to - u.from) > (t.to - t.from)))
            .map(|t| t.text.chars().count())
            .sum();
        if !whole && (single || covered < n) {
            toks.push(crate::search::Tok { text: text[s..e].to_string(), from: s, to: e });
        }
    }
}

/// A term's inverted list: the experts (ascending) that contain it and, by expert, the credit
/// the term earns in their profile and its share of their salient weight (0 when it is not among
/// their salient words). The experts apart from the numbers: a walk that needs only who has the
/// word (the words inside a long word, a synonym's rarest word) reads a third of the bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostList {
    pub experts: Vec<u32>,
    /// (credit, focus), by expert.
    pub values: Vec<(f32, f32)>,
}

impl PostList {
    pub fn len(&self) -> usize {
        self.experts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.experts.is_empty()
    }
}

/// An expert's weightiest terms (for the share of their profile a demand covers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Focus {
    pub terms: Vec<(u32, f32)>,
    pub total: f32,
}

/// What ranking reads of every candidate expert.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Brief {
    pub row: i64,
    pub coop: u64,
    pub live: bool,
}

impl Brief {
    fn of(p: &Profile) -> Self {
        Brief { row: p.row, coop: p.coop, live: p.live }
    }
}

/// Every record analysed, with the vocabulary and what retrieval needs.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub vocab: Vocab,
    pub grams: Vocab,
    pub experts: Vec<Profile>,
    /// Per expert: its salient terms.
    pub focus: Vec<Focus>,
    pub demands: Vec<Profile>,
    /// Per demand: the demand side prepared for scoring.
    pub queries: Vec<Query>,
    /// Row id → index, per kind.
    expert_index: HashMap<i64, usize>,
    demand_index: HashMap<i64, usize>,
    /// Term id → the experts (ascending) that contain it, with what it earns there.
    pub postings: Vec<PostList>,
    /// Character-pair id → experts (indices, ascending) that contain it.
    pub gram_postings: Vec<Vec<u32>>,
    /// Taxonomy node → the experts placed there (ascending), each with its share of their
    /// field part (c²·sure/Σc², see [`super::score::field_with`]): the field part of every
    /// expert for a demand is one walk over the nodes the demand values.
    pub node_posts: Vec<Vec<(u32, f32)>>,
    /// Per expert, what ranking reads of every candidate, apart from the profiles (one compact
    /// array: no pointer to follow for each of tens of thousands of candidates).
    pub briefs: Vec<Brief>,
    /// Expert index → the demands (indices) paired with them (加入对接, imported history).
    pub history: HashMap<u32, Vec<u32>>,
    /// Every demand paired with someone, ascending.
    pub paired: Vec<u32>,
    /// Per term id / character-pair id: how many demands contain it.
    demand_df: Vec<u32>,
    demand_gram_df: Vec<u32>,
}

/// The records a model is built from.
pub struct Records<'a> {
    pub experts: &'a [Expert],
    pub demands: &'a [Demand],
    /// (expert row id, demand row id) of confirmed pairings.
    pub pairings: &'a [(i64, i64)],
}

/// What building a model needs besides the records.
#[derive(Clone, Copy)]
pub struct Kit<'a> {
    pub analyzer: &'a Analyzer,
    pub prep: &'a Prepared,
    pub taxonomy: &'a Taxonomy,
}

/// Records analysed at a time while building.
const CHUNK: usize = 8192;

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Model {
    /// Analyses every record (on all cores) and indexes them.
    pub fn build(kit: Kit<'_>, records: &Records) -> Self {
        let mut m = Model::default();
        let t = std::time::Instant::now();
        let mut marks: Vec<(&str, f64)> = Vec::new();
        // In chunks, so the analysed texts of a large pool never all sit in memory at once.
        for chunk in records.experts.chunks(CHUNK) {
            let pending = parallel(chunk, |e| {
                let source = Source::expert(e);
                Pending::new(kit, analyse(kit.analyzer, &source.texts, false), &source)
            });
            for p in pending {
                let p = m.intern(p);
                m.add_expert(p);
            }
        }
        marks.push(("experts", t.elapsed().as_secs_f64()));
        m.focus = parallel(&m.experts, |p| focus_of(&m, kit.prep, p));
        for i in 0..m.experts.len() {
            m.set_focus_posts(i);
        }
        marks.push(("focus", t.elapsed().as_secs_f64()));
        for chunk in records.demands.chunks(CHUNK) {
            let pending = parallel(chunk, |d| {
                let source = Source::demand(d);
                Pending::new(kit, analyse(kit.analyzer, &source.texts, true), &source)
            });
            for (d, p) in chunk.iter().zip(pending) {
                let p = m.intern(p);
                m.demand_index.insert(d.id, m.demands.len());
                m.demands.push(p);
            }
        }
        for i in 0..m.demands.len() {
            m.count_demand(i, true);
        }
        marks.push(("demands", t.elapsed().as_secs_f64()));
        let texts: Vec<String> = records.demands.iter().map(|d| Source::demand(d).whole()).collect();
        let pairs: Vec<(&Profile, &String)> = m.demands.iter().zip(&texts).collect();
        m.queries = parallel(&pairs, |(p, t)| Query::new(&m, kit.prep, p, t));
        marks.push(("queries", t.elapsed().as_secs_f64()));
        m.index_nodes(kit.prep.nodes());
        m.set_history(records.pairings);
        if std::env::var_os("BOLE_PROFILE").is_some() {
            let parts: Vec<String> = marks.iter().map(|(what, at)| format!("{what} by {at:.2} s")).collect();
            eprintln!("model: {}", parts.join(", "));
        }
        m
    }

    /// Replaces the pairing history ((expert row, demand row) pairs).
    pub fn set_history(&mut self, pairings: &[(i64, i64)]) {
        self.history.clear();
        let mut paired = HashSet::new();
        for &(e, d) in pairings {
            if let (Some(&ei), Some(&di)) = (self.expert_index.get(&e), self.demand_index.get(&d)) {
                let entry = self.history.entry(index_u32(ei)).or_default();
                if !entry.contains(&index_u32(di)) {
                    entry.push(index_u32(di));
                }
                paired.insert(index_u32(di));
            }
        }
        for v in self.history.values_mut() {
            v.sort_unstable();
        }
        self.paired = paired.into_iter().collect();
        self.paired.sort_unstable();
    }

    fn profile(&mut self, kit: Kit<'_>, a: Analysed, source: &Source<'_>) -> Profile {
        self.intern(Pending::new(kit, a, source))
    }

    /// Gives a pending profile's words and character pairs their ids.
    fn intern(&mut self, mut p: Pending) -> Profile {
        let mut profile = std::mem::take(&mut p.profile);
        // Interned in text order, so that ids (the last tie-break) do not depend on hashing.
        profile.terms = p
            .terms
            .iter()
            .map(|&(a, b, w, f)| Term { id: self.vocab.intern(p.str(a, b)), weight: w, fields: f })
            .collect();
        profile.terms.sort_by_key(|t| t.id);
        profile.grams = p.grams.iter().map(|&(a, b)| self.grams.intern(p.str(a, b))).collect();
        profile.grams.sort_unstable();
        profile
    }

    fn add_expert(&mut self, p: Profile) {
        let idx = index_u32(self.experts.len());
        self.count_expert(&p, idx, true);
        self.expert_index.insert(p.row, self.experts.len());
        self.briefs.push(Brief::of(&p));
        self.experts.push(p);
    }

    /// Adds (or takes away) an expert's terms to the document frequencies and postings.
    fn count_expert(&mut self, p: &Profile, idx: u32, add: bool) {
        for t in &p.terms {
            let i = t.id as usize;
            if self.postings.len() <= i {
                self.postings.resize(i + 1, PostList::default());
            }
            let short = self.vocab.strings.get(i).is_some_and(|s| !s.is_ascii() && s.chars().count() <= 2);
            let list = &mut self.postings[i];
            // Building, experts come in index order: an append, no search.
            let at = if add && list.experts.last().is_none_or(|&e| e < idx) {
                Err(list.len())
            } else {
                list.experts.binary_search(&idx)
            };
            match (at, add) {
                (Err(at), true) => {
                    #[allow(clippy::cast_possible_truncation)]
                    let credit = super::score::term_credit(t, short) as f32;
                    list.experts.insert(at, idx);
                    list.values.insert(at, (credit, 0.0));
                    self.vocab.df[i] += 1;
                }
                (Ok(at), false) => {
                    list.experts.remove(at);
                    list.values.remove(at);
                    self.vocab.df[i] = self.vocab.df[i].saturating_sub(1);
                }
                _ => {}
            }
        }
        for &g in &p.grams {
            let i = g as usize;
            if self.gram_postings.len() <= i {
                self.gram_postings.resize(i + 1, Vec::new());
            }
            let list = &mut self.gram_postings[i];
            let at =
                if add && list.last().is_none_or(|&e| e < idx) { Err(list.len()) } else { list.binary_search(&idx) };
            match (at, add) {
                (Err(at), true) => {
                    list.insert(at, idx);
                    self.grams.df[i] += 1;
                }
                (Ok(at), false) => {
                    list.remove(at);
                    self.grams.df[i] = self.grams.df[i].saturating_sub(1);
                }
                _ => {}
            }
        }
    }

    /// Adds (or takes away) a demand's terms to the demands' document frequencies.
    fn count_demand(&mut self, i: usize, add: bool) {
        let p = &self.demands[i];
        for (list, ids) in [
            (&mut self.demand_df, p.terms.iter().map(|t| t.id).collect::<Vec<_>>()),
            (&mut self.demand_gram_df, p.grams.clone()),
        ] {
            for id in ids {
                let k = id as usize;
                if list.len() <= k {
                    list.resize(k + 1, 0);
                }
                list[k] = if add { list[k] + 1 } else { list[k].saturating_sub(1) };
            }
        }
    }

    pub fn demand_df(&self, id: u32) -> u32 {
        self.demand_df.get(id as usize).copied().unwrap_or(0)
    }

    pub fn demand_gram_df(&self, id: u32) -> u32 {
        self.demand_gram_df.get(id as usize).copied().unwrap_or(0)
    }

    /// Writes expert `i`'s salient shares into the inverted lists.
    fn set_focus_posts(&mut self, i: usize) {
        let idx = index_u32(i);
        let f = &self.focus[i];
        if f.total <= 0.0 {
            return;
        }
        for &(id, w) in &f.terms {
            if let Some(list) = self.postings.get_mut(id as usize)
                && let Ok(at) = list.experts.binary_search(&idx)
            {
                list.values[at].1 = w / f.total;
            }
        }
    }

    fn index_nodes(&mut self, n: usize) {
        let mut lists: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        for (i, e) in self.experts.iter().enumerate() {
            let we: f32 = e.nodes.iter().map(|(_, c)| c * c).sum();
            if we <= 0.0 {
                continue;
            }
            let sure = e.nodes.iter().map(|(_, c)| *c).fold(0.0, f32::max);
            for &(node, c) in &e.nodes {
                if let Some(l) = lists.get_mut(node as usize) {
                    l.push((index_u32(i), sure * c * c / we));
                }
            }
        }
        self.node_posts = lists;
    }

    /// Adds or replaces one expert (after a save). Statistics of the other records are not
    /// recomputed: a rebuild (after an import) refreshes them.
    pub fn upsert_expert(&mut self, kit: Kit<'_>, e: &Expert) {
        let source = Source::expert(e);
        let a = analyse(kit.analyzer, &source.texts, false);
        let p = self.profile(kit, a, &source);
        let i = match self.expert_index.get(&e.id) {
            Some(&i) => {
                let old = std::mem::take(&mut self.experts[i]);
                self.count_expert(&old, index_u32(i), false);
                self.count_expert(&p, index_u32(i), true);
                self.briefs[i] = Brief::of(&p);
                self.experts[i] = p;
                i
            }
            None => {
                self.add_expert(p);
                self.focus.push(Focus::default());
                self.experts.len() - 1
            }
        };
        self.focus[i] = focus_of(self, kit.prep, &self.experts[i]);
        self.set_focus_posts(i);
        self.index_nodes(kit.prep.nodes());
    }

    /// Adds or replaces one demand (after a save).
    pub fn upsert_demand(&mut self, kit: Kit<'_>, d: &Demand) {
        let source = Source::demand(d);
        let a = analyse(kit.analyzer, &source.texts, true);
        let p = self.profile(kit, a, &source);
        let i = match self.demand_index.get(&d.id) {
            Some(&i) => {
                self.count_demand(i, false);
                self.demands[i] = p;
                i
            }
            None => {
                self.demand_index.insert(d.id, self.demands.len());
                self.demands.push(p);
                self.queries.push(Query::default());
                self.demands.len() - 1
            }
        };
        self.count_demand(i, true);
        self.queries[i] = Query::new(self, kit.prep, &self.demands[i], &source.whole());
    }

    pub fn expert(&self, row: i64) -> Option<&Profile> {
        self.expert_index.get(&row).map(|&i| &self.experts[i])
    }

    pub fn expert_index(&self, row: i64) -> Option<usize> {
        self.expert_index.get(&row).copied()
    }

    pub fn demand_index(&self, row: i64) -> Option<usize> {
        self.demand_index.get(&row).copied()
    }

    pub fn demand(&self, row: i64) -> Option<&Profile> {
        self.demand_index.get(&row).map(|&i| &self.demands[i])
    }

    /// A profile of a record that is not (or not as written) in the model, with the model's
    /// vocabulary (terms it has never seen get ids past the end, so they match nothing).
    pub fn probe(&self, kit: Kit<'_>, source: &Source<'_>) -> Profile {
        let a = analyse(kit.analyzer, &source.texts, source.kind == RecordKind::Demand);
        let mut extra: HashMap<String, u32> = HashMap::new();
        let base = index_u32(self.vocab.strings.len());
        let mut id_of = |t: &str| match self.vocab.id(t) {
            Some(id) => id,
            None => {
                let n = index_u32(extra.len());
                *extra.entry(t.to_string()).or_insert(base + n)
            }
        };
        let mut sorted: Vec<(&String, &(f32, u8))> = a.terms.iter().collect();
        sorted.sort_by(|x, y| x.0.cmp(y.0));
        let mut terms: Vec<Term> =
            sorted.into_iter().map(|(t, (w, f))| Term { id: id_of(t), weight: *w, fields: *f }).collect();
        terms.sort_by_key(|t| t.id);
        let mut grams: Vec<u32> = a.grams.iter().filter_map(|g| self.grams.id(g)).collect();
        grams.sort_unstable();
        source.profile(kit, &a, terms, grams)
    }

    /// A term's string (probe terms unknown to the model have none).
    pub fn term_str(&self, id: u32) -> Option<&str> {
        self.vocab.strings.get(id as usize).map(String::as_str)
    }
}

/// An expert's salient terms.
fn focus_of(m: &Model, prep: &Prepared, p: &Profile) -> Focus {
    let (list, total) = salient(m, prep, p, SALIENT);
    #[allow(clippy::cast_possible_truncation)]
    Focus { terms: list.iter().map(|s| (s.id, s.weight as f32)).collect(), total: total as f32 }
}

/// A record to match from, as texts (for records not in the model, and for analysis).
pub struct Source<'a> {
    pub kind: RecordKind,
    pub row: i64,
    /// (text, field bit): 关键词, the main line (研究方向 with the written subfield, or 需求名称),
    /// the long text (代表性成果, 需求描述).
    pub texts: Vec<(String, u8)>,
    pub keywords: &'a [String],
    pub subfields: &'a [String],
    pub coop: &'a [String],
    pub enterprise: Option<i64>,
    /// An expert available / a demand open.
    pub live: bool,
}

impl<'a> Source<'a> {
    pub fn demand(d: &'a Demand) -> Self {
        Source {
            kind: RecordKind::Demand,
            row: d.id,
            texts: vec![
                (d.keywords.join("；"), KW),
                (format!("{}\n{}", d.title, d.subfield_text), MAIN),
                (d.description.clone(), BODY),
            ],
            keywords: &d.keywords,
            subfields: &d.subfields,
            coop: &d.coop_modes,
            enterprise: d.enterprise_id,
            live: matches!(d.status, DemandStatus::Open | DemandStatus::InProgress),
        }
    }

    pub fn expert(e: &'a Expert) -> Self {
        Source {
            kind: RecordKind::Expert,
            row: e.id,
            texts: vec![
                (e.keywords.join("；"), KW),
                (format!("{}\n{}", e.research, e.subfield_text), MAIN),
                (e.achievements.clone(), BODY),
            ],
            keywords: &e.keywords,
            subfields: &e.subfields,
            coop: &e.coop_modes,
            enterprise: None,
            live: e.available,
        }
    }

    /// All texts in one (for the symptoms of problem links).
    pub fn whole(&self) -> String {
        self.texts.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// A hash of everything the profile depends on.
    pub fn stamp(&self) -> u64 {
        let mut parts: Vec<&str> = self.texts.iter().map(|(t, _)| t.as_str()).collect();
        parts.extend(self.subfields.iter().map(String::as_str));
        parts.push("|");
        parts.extend(self.coop.iter().map(String::as_str));
        parts.push(if self.live { "live" } else { "-" });
        crate::domain::knowledge::fnv1a(&parts)
    }

    fn profile(&self, kit: Kit<'_>, a: &Analysed, terms: Vec<Term>, grams: Vec<u32>) -> Profile {
        let (nodes, confirmed, node_evidence) = classify(kit.prep, kit.taxonomy, a, self.subfields);
        Profile {
            row: self.row,
            terms,
            grams,
            nodes,
            confirmed,
            node_evidence,
            coop: coop_mask(self.coop),
            keywords: self.keywords.iter().map(|k| norm_key(k)).filter(|k| !k.is_empty()).collect(),
            live: self.live,
            enterprise: self.enterprise,
            stamp: self.stamp(),
        }
    }
}

/// The record's nodes: its own subfields (confirmed, confidence 1) and the classifier's
/// suggestions from its words (an own subfield read from a free-text column can be off, and a
/// profile often names more than its 细分领域).
#[allow(clippy::type_complexity)]
fn classify(
    prep: &Prepared,
    tax: &Taxonomy,
    a: &Analysed,
    subfields: &[String],
) -> (Vec<(u16, f32)>, bool, Vec<Vec<String>>) {
    let index = |code: &str| tax.nodes().iter().position(|n| n.code == code);
    let mut nodes: Vec<(u16, f32)> = Vec::new();
    let mut evidence: Vec<Vec<String>> = Vec::new();
    for i in subfields.iter().filter_map(|c| index(c)).filter_map(|i| u16::try_from(i).ok()) {
        if !nodes.iter().any(|(n, _)| *n == i) {
            nodes.push((i, 1.0));
            evidence.push(Vec::new());
        }
    }
    let confirmed = !nodes.is_empty();
    let set: HashMap<&str, bool> = a.terms.iter().map(|(t, (_, f))| (t.as_str(), f & SUB != 0)).collect();
    let room = nodes.len() + 4;
    for c in prep.classify(&set, 0.3) {
        if nodes.len() >= room {
            break;
        }
        let Ok(n) = u16::try_from(c.node) else { continue };
        if nodes.iter().any(|(x, _)| *x == n) {
            continue;
        }
        #[allow(clippy::cast_possible_truncation)]
        nodes.push((n, c.confidence as f32));
        evidence.push(c.evidence);
    }
    (nodes, confirmed, evidence)
}

/// Maps `f` over `items` on all cores, keeping the order.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1).clamp(1, 8);
    if items.len() < 256 || threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(i, part)| {
                std::thread::Builder::new()
                    .name(format!("bole-analyse-{i}"))
                    .spawn_scoped(s, move || part.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(part)) => out.extend(part),
                // A thread that could not start or panicked: do its part here.
                _ => return items.iter().map(f).collect(),
            }
        }
        out
    })
}
