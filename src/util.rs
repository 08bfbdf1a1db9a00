//! Small helpers shared by several layers: Chinese-aware text normalisation and splitting.

/// Full-width ASCII (Ｕ+FF01..FF5E) and the ideographic space become their half-width forms;
/// everything else is kept. Spreadsheets from Chinese offices mix both freely.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width).collect()
}

/// One character of [`to_half_width`].
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
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

/// A number as a cell shows it: whole numbers without ".0".
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = f as i64;
        whole.to_string()
    } else {
        f.to_string()
    }
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
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let chars_ok = s.chars().all(|c| c.is_ascii_digit() || " -+()转ext.".contains(c));
    // A mobile number (1xx…, no area code in brackets or before a dash) has exactly 11 digits,
    // after an optional +86 / 0086.
    let national = digits.strip_prefix("0086").or_else(|| digits.strip_prefix("86").filter(|_| s.contains('+')));
    let national = national.unwrap_or(&digits);
    let landline_marks = s.contains(['-', '(', ')', '转']) || s.contains("ext");
    let mobile_like = national.starts_with('1') && (9..=13).contains(&national.len()) && !landline_marks;
    chars_ok && (5..=20).contains(&digits.len()) && (!mobile_like || national.len() == 11)
}

/// A key that sorts Chinese text in pinyin order (syllables with their tone number, so 妈 < 马),
/// other characters lowercased, ties broken by the text itself.
pub fn pinyin_key(s: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(s.len() * 3);
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => {
                key.push_str(p.with_tone_num_end());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key.push('\u{0}');
    key.push_str(s);
    key
}

/// Similarity of two strings in 0..=1, compared by characters (works for Chinese).
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b).max(strsim::jaro_winkler(a, b) - 0.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_in_pinyin_order() {
        let mut names = vec!["张伟", "艾青", "李娜", "陈静", "欧阳明远", "Zhang Wei", "白雪", "马力", "妈祖"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, vec!["艾青", "白雪", "陈静", "李娜", "妈祖", "马力", "欧阳明远", "Zhang Wei", "张伟"]);
    }

    #[test]
    fn mobile_numbers_have_eleven_digits() {
        assert!(valid_phone("13800001060") && valid_phone("138 0000 1060") && valid_phone("+86 138 0000 1060"));
        assert!(!valid_phone("1380000106"), "10 digits");
        assert!(!valid_phone("138000010601"), "12 digits");
        assert!(valid_phone("0591-83700002") && valid_phone("(0598)1234567") && valid_phone("12345"));
    }

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

/// The first `n` characters of `s`, with … when cut.
pub fn short(s: &str, n: usize) -> String {
    let mut it = s.chars();
    let head: String = it.by_ref().take(n).collect();
    if it.next().is_some() { format!("{head}…") } else { head }
}

/// Hides phone numbers (7 or more digits, spaces and dashes allowed between) and e-mail
/// addresses — for the projector, which must never show contacts (PIPL).
pub fn scrub_contacts(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let email_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let mut hide = vec![false; chars.len()];
    for (i, &c) in chars.iter().enumerate() {
        if c == '@' {
            let mut a = i;
            while a > 0 && email_char(chars[a - 1]) {
                a -= 1;
            }
            let mut b = i + 1;
            while b < chars.len() && email_char(chars[b]) {
                b += 1;
            }
            if a < i && b > i + 1 {
                hide[a..b].iter_mut().for_each(|h| *h = true);
            }
        }
    }
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let (mut j, mut digits, mut last_digit) = (i, 0, i);
            while j < chars.len() && (chars[j].is_ascii_digit() || "+- ".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                }
                j += 1;
            }
            if digits >= 7 {
                hide[i..=last_digit].iter_mut().for_each(|h| *h = true);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut k = 0;
    while k < chars.len() {
        if hide[k] {
            while k < chars.len() && hide[k] {
                k += 1;
            }
            out.push_str("***");
        } else {
            out.push(chars[k]);
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod scrub_tests {
    use super::scrub_contacts;

    #[test]
    fn phones_and_emails_are_hidden_other_numbers_stay() {
        assert_eq!(scrub_contacts("张三 13905912345"), "张三 ***");
        assert_eq!(scrub_contacts("电话 0591-8765 4321。"), "电话 ***。");
        assert_eq!(scrub_contacts("+86 139 0591 2345"), "***");
        assert_eq!(scrub_contacts("邮箱 zhang.san@fzu.edu.cn 欢迎"), "邮箱 *** 欢迎");
        assert_eq!(scrub_contacts("2019 年，产能 10000 吨，@某人"), "2019 年，产能 10000 吨，@某人");
    }
}
