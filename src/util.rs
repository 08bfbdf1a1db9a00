//! Small helpers shared by several layers: Chinese-aware text normalisation and splitting.

/// Full-width ASCII (Ｕ+FF01..FF5E) and the ideographic space become their half-width forms;
/// everything else is kept. Spreadsheets from Chinese offices mix both freely.
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Half-width, lower-case, all whitespace removed: the form used to compare labels and names.
pub fn norm_key(s: &str) -> String {
    to_half_width(s).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Trims and collapses internal runs of whitespace to one space (keeps newlines out of names).
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Splits a multi-value cell on 、；;，,/ ／ and newlines; trims parts, drops empty ones and
/// duplicates (keeping first occurrence order).
pub fn split_multi(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split(['、', '；', ';', '，', ',', '/', '／', '\n', '\r', '|', '｜']) {
        let p = clean_line(part);
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// A plausible e-mail address (ASCII local part @ domain with a dot).
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "@._-+".contains(c))
}

/// A plausible phone number: digits with spaces, dashes, brackets, + or 转/ext, 5–20 digits.
pub fn valid_phone(s: &str) -> bool {
    let s = to_half_width(s);
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().all(|c| c.is_ascii_digit() || " -+()转ext.".contains(c)) && (5..=20).contains(&digits)
}

/// Similarity of two strings in 0..=1, compared by characters (works for Chinese).
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b).max(strsim::jaro_winkler(a, b) - 0.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_and_keys() {
        assert_eq!(to_half_width("ＬｉＰＦ６（万元）"), "LiPF6(万元)");
        assert_eq!(norm_key(" 厦门大学\u{3000}材料 学院 "), "厦门大学材料学院");
        assert_eq!(norm_key("SiC"), "sic");
    }

    #[test]
    fn split_on_all_chinese_separators() {
        assert_eq!(
            split_multi("碳化硅、氮化镓；GaN;SiC，LiPF6,石墨烯/硅碳负极\n量子点、碳化硅"),
            vec!["碳化硅", "氮化镓", "GaN", "SiC", "LiPF6", "石墨烯", "硅碳负极", "量子点"]
        );
        assert!(split_multi(" 、 ;").is_empty());
    }

    #[test]
    fn similarity_prefers_near_spellings() {
        assert!(similarity("厦门大学材料学院", "厦门大学材料学院") > 0.99);
        assert!(
            similarity("厦门大学材料学院", "厦门大学化学化工学院")
                < similarity("厦门大学材料学院", "厦门大学材料科学学院")
        );
    }
}
