//! Text analysis shared by indexing, queries and explanations, so all three see the same terms.
//!
//! - Chinese runs are cut by jieba (via tantivy-jieba's re-export of jieba-rs) with a user
//!   dictionary built from the knowledge files, so 碳化硅, 六氟磷酸锂, 硅碳负极, 电子级氢氟酸 stay whole.
//! - Latin runs (chemical formulas, abbreviations, English) are lower-cased and kept whole
//!   (LiPF6 → lipf6, NCM811 → ncm811, Ti₃AlC₂ → ti3alc2); plain English words are stemmed and
//!   English stop words dropped, so an English profile matches an English demand.
//! - Whitespace and punctuation never become tokens; Chinese function words are dropped.
//! - A second analysis emits overlapping Chinese character bigrams, for recall on words the
//!   dictionary lacks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::jieba_rs::Jieba;

/// A term with its byte span in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// A term of a query; see [`Analyzer::query_terms`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub text: String,
    pub sub: bool,
}

/// Chinese words that carry no topic (function words, demand boilerplate).
const ZH_STOP: &[&str] = &[
    "的",
    "了",
    "和",
    "与",
    "及",
    "或",
    "等",
    "在",
    "对",
    "是",
    "为",
    "中",
    "上",
    "下",
    "其",
    "之",
    "以",
    "于",
    "并",
    "且",
    "将",
    "把",
    "被",
    "由",
    "从",
    "向",
    "也",
    "都",
    "而",
    "及其",
    "以及",
    "或者",
    "并且",
    "我",
    "我们",
    "我司",
    "本公司",
    "公司",
    "希望",
    "需要",
    "要求",
    "进行",
    "通过",
    "采用",
    "利用",
    "实现",
    "开展",
    "一个",
    "一种",
    "一些",
    "这",
    "该",
    "此",
    "有",
    "无",
    "不",
    "很",
    "较",
    "更",
    "最",
    "能",
    "可",
    "可以",
    "能够",
    "已",
    "已经",
    "目前",
    "现在",
    "现有",
    "存在",
    "问题",
    "方面",
    "相关",
    "情况",
    "寻求",
    "合作",
    "高校",
    "专家",
    "帮助",
    "如何",
    "什么",
    "个",
    "次",
    "年",
    "月",
    "日",
    "吗",
    "呢",
    "吧",
    "着",
    "过",
    "所",
    "就",
    "还",
    "又",
    "再",
    "但",
    "但是",
    "因此",
    "所以",
    "如果",
    "导致",
    "造成",
    "同时",
    "其中",
    "主要",
    "基于",
    "针对",
    "关于",
    "用于",
    "方法",
    "研究",
    "技术",
    "开发",
    "应用",
];

/// English stop words (the usual short list).
const EN_STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "does", "for", "from", "had",
    "has", "have", "here", "how", "if", "in", "into", "is", "it", "its", "may", "more", "most", "no", "not", "of",
    "on", "or", "our", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "use", "used", "using", "via", "was", "we", "were", "which", "while", "with", "within",
    "would", "also", "both", "between", "based", "study", "studies", "research", "new", "high", "low",
];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Latin-side characters, folded: full-width → ASCII, subscript/superscript digits → digits.
fn latin_fold(c: char) -> Option<char> {
    match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' => Some(c),
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        '\u{2080}'..='\u{2089}' => char::from_u32(c as u32 - 0x2080 + '0' as u32),
        '\u{2070}' => Some('0'),
        '\u{00B9}' => Some('1'),
        '\u{00B2}' => Some('2'),
        '\u{00B3}' => Some('3'),
        '\u{2074}'..='\u{2079}' => char::from_u32(c as u32 - 0x2070 + '0' as u32),
        c if c.is_alphabetic() && !is_han(c) => Some(c),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Run {
    Han,
    Latin,
}

/// Splits text into (kind, byte start, byte end) runs of Han or Latin characters.
fn runs(text: &str) -> Vec<(Run, usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(Run, usize)> = None;
    for (i, c) in text.char_indices() {
        let kind = if is_han(c) {
            Some(Run::Han)
        } else if latin_fold(c).is_some() {
            Some(Run::Latin)
        } else {
            None
        };
        match (cur, kind) {
            (Some((k, _)), Some(k2)) if k == k2 => {}
            (Some((k, s)), _) => {
                out.push((k, s, i));
                cur = kind.map(|k| (k, i));
            }
            (None, _) => cur = kind.map(|k| (k, i)),
        }
    }
    if let Some((k, s)) = cur {
        out.push((k, s, text.len()));
    }
    out
}

/// The analyser; cheap to clone (the dictionary is shared).
#[derive(Clone)]
pub struct Analyzer {
    jieba: Arc<Jieba>,
    stemmer: frostem::Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer")
    }
}

impl Analyzer {
    /// An analyser whose dictionary knows `vocabulary` (Chinese words are added to jieba).
    /// Dictionaries are cached per vocabulary, since loading jieba takes a moment.
    pub fn new(vocabulary: &[String]) -> Self {
        static CACHE: OnceLock<Mutex<HashMap<u64, Arc<Jieba>>>> = OnceLock::new();
        let key = crate::domain::knowledge::fnv1a(&vocabulary.iter().map(String::as_str).collect::<Vec<_>>());
        let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let jieba = cache
            .entry(key)
            .or_insert_with(|| {
                let mut j = Jieba::new();
                for w in vocabulary {
                    let w = w.trim();
                    // Only pure Chinese words go to jieba; Latin parts are handled by the Latin path.
                    if w.chars().count() >= 2 && w.chars().all(is_han) {
                        let f = j.suggest_freq(w);
                        j.add_word(w, Some(f.max(1000)), None);
                    }
                }
                Arc::new(j)
            })
            .clone();
        Analyzer { jieba, stemmer: frostem::Stemmer::new(frostem::Algorithm::English) }
    }

    /// Word terms of `text` (the main analysis).
    pub fn words(&self, text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        for (kind, s, e) in runs(text) {
            let run = &text[s..e];
            match kind {
                Run::Han => {
                    // Search mode also emits the dictionary words inside long words
                    // (碳化硅单晶 → 碳化硅, 单晶, 碳化硅单晶), so compounds still match their parts.
                    for t in self.jieba.cut_for_search(run, true) {
                        if !ZH_STOP.contains(&t.word) {
                            out.push(Tok { text: t.word.to_string(), from: s + t.byte_start, to: s + t.byte_end });
                        }
                        // Search mode offers only the 2- and 3-character words inside a long word;
                        // the longer ones (磷酸铁锂 in 磷酸铁锂正极) come from the dictionary here.
                        self.long_inner_words(t.word, s + t.byte_start, &mut out);
                    }
                }
                Run::Latin => {
                    if let Some(t) = self.latin(run) {
                        out.push(Tok { text: t, from: s, to: e });
                    }
                }
            }
        }
        out
    }

    /// Dictionary words of four or more characters strictly inside a word of five or more.
    fn long_inner_words(&self, word: &str, at: usize, out: &mut Vec<Tok>) {
        let idx: Vec<usize> = word.char_indices().map(|(i, _)| i).chain(std::iter::once(word.len())).collect();
        let n = idx.len() - 1;
        if n < 5 {
            return;
        }
        for len in (4..n).rev() {
            for i in 0..=n - len {
                let sub = &word[idx[i]..idx[i + len]];
                if self.jieba.has_word(sub) {
                    out.push(Tok { text: sub.to_string(), from: at + idx[i], to: at + idx[i + len] });
                }
            }
        }
    }

    /// Terms of a query, each marked `sub` when it lies inside a longer term of the query
    /// (search mode emits 碳化 and 化硅 inside 碳化硅): sub-terms add recall at a lower weight and
    /// are not shown as the matched words. Duplicates are removed, first occurrence kept.
    pub fn query_terms(&self, text: &str) -> Vec<QueryTerm> {
        let toks = self.words(text);
        let mut out: Vec<QueryTerm> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            let sub = toks
                .iter()
                .enumerate()
                .any(|(j, u)| j != i && u.from <= t.from && t.to <= u.to && (u.to - u.from) > (t.to - t.from));
            match out.iter_mut().find(|q| q.text == t.text) {
                Some(q) => q.sub &= sub,
                None => out.push(QueryTerm { text: t.text.clone(), sub }),
            }
        }
        out
    }

    /// Normalises one Latin run: fold, lower-case, drop stop words, stem plain English words.
    fn latin(&self, run: &str) -> Option<String> {
        let folded: String = run.chars().filter_map(latin_fold).collect();
        let lower = folded.to_lowercase();
        if EN_STOP.contains(&lower.as_str()) {
            return None;
        }
        // Formulas and acronyms (digits, or capitals after the first letter) are kept whole.
        let plain_word = folded.chars().all(char::is_alphabetic) && !folded.chars().skip(1).any(char::is_uppercase);
        if plain_word && lower.chars().count() >= 4 {
            Some(self.stemmer.stem(&lower).into_owned())
        } else {
            Some(lower)
        }
    }

    /// How `term` (an analysed term) is written in `text`: the Latin run it came from (LiFSI,
    /// PVDF, Batteries) or, for Chinese, the term itself when the text has it.
    pub fn spelling(&self, text: &str, term: &str) -> Option<String> {
        if !term.is_ascii() {
            return text.contains(term).then(|| term.to_string());
        }
        runs(text)
            .into_iter()
            .filter(|(kind, _, _)| *kind == Run::Latin)
            .map(|(_, s, e)| &text[s..e])
            .find(|run| self.latin(run).as_deref() == Some(term))
            .map(str::to_string)
    }

    /// Character bigrams of Chinese runs (a lone character stays a unigram) plus Latin terms.
    pub fn bigrams(&self, text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        for (kind, s, e) in runs(text) {
            let run = &text[s..e];
            match kind {
                Run::Han => {
                    let idx: Vec<(usize, char)> = run.char_indices().collect();
                    if idx.len() == 1 {
                        out.push(Tok { text: run.to_string(), from: s, to: e });
                    }
                    for w in idx.windows(2) {
                        let end = w[1].0 + w[1].1.len_utf8();
                        out.push(Tok { text: run[w[0].0..end].to_string(), from: s + w[0].0, to: s + end });
                    }
                }
                Run::Latin => {
                    if let Some(t) = self.latin(run) {
                        out.push(Tok { text: t, from: s, to: e });
                    }
                }
            }
        }
        out
    }
}

/// Which analysis a tantivy field uses.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Words,
    Bigrams,
}

/// The analyser as a tantivy tokenizer.
#[derive(Clone)]
pub struct BoleTokenizer {
    pub analyzer: Analyzer,
    pub mode: Mode,
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

impl Tokenizer for BoleTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let toks = match self.mode {
            Mode::Words => self.analyzer.words(text),
            Mode::Bigrams => self.analyzer.bigrams(text),
        };
        let tokens = toks
            .into_iter()
            .enumerate()
            .map(|(i, t)| Token { offset_from: t.from, offset_to: t.to, position: i, text: t.text, position_length: 1 })
            .collect();
        VecTokenStream { tokens, index: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Knowledge;

    fn analyzer() -> Analyzer {
        Analyzer::new(&Knowledge::builtin().vocabulary())
    }

    fn words(text: &str) -> Vec<String> {
        analyzer().words(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn taxonomy_terms_stay_whole() {
        for term in ["碳化硅", "六氟磷酸锂", "硅碳负极", "电子级氢氟酸"] {
            let w = words(&format!("我司{term}产品的收率偏低"));
            assert!(w.contains(&term.to_string()), "{term}: {w:?}");
        }
    }

    #[test]
    fn formulas_and_latin_terms_are_lowercased_and_whole() {
        let w = words("LiPF6、SiC，Ti3AlC2 与 NCM811；Ｌｉ₂ＣＯ₃");
        assert_eq!(w, vec!["lipf6", "sic", "ti3alc2", "ncm811", "li2co3"]);
    }

    #[test]
    fn english_is_stemmed_and_stop_words_dropped() {
        let w = words("The coatings of the electrodes were improved by coating");
        assert_eq!(w, vec!["coat", "electrod", "improv", "coat"]);
    }

    #[test]
    fn punctuation_and_spaces_never_become_tokens_and_offsets_point_into_text() {
        let text = "萃取槽乳化、分相慢！  (LiPF6)";
        let toks = analyzer().words(text);
        assert!(toks.iter().all(|t| !t.text.trim().is_empty() && t.text.chars().all(char::is_alphanumeric)));
        for t in &toks {
            let surface = &text[t.from..t.to];
            assert!(
                surface.to_lowercase().contains(&t.text) || t.text.starts_with(&surface.to_lowercase()[..1]),
                "{t:?}"
            );
        }
    }

    #[test]
    fn query_terms_mark_parts_of_longer_words() {
        let q = analyzer().query_terms("碳化硅衬底 碳化硅");
        let main: Vec<&str> = q.iter().filter(|t| !t.sub).map(|t| t.text.as_str()).collect();
        assert!(main.contains(&"碳化硅"), "{q:?}");
        assert!(q.iter().any(|t| t.sub && t.text == "碳化"), "{q:?}");
    }

    #[test]
    fn bigrams_cover_unknown_words() {
        let b: Vec<String> = analyzer().bigrams("压实密度，硼").into_iter().map(|t| t.text).collect();
        assert_eq!(b, vec!["压实", "实密", "密度", "硼"]);
    }
}
