//! Folding text for matching and search: case- and accent-insensitive in every script, because SQLite's
//! own `lower()` and `LIKE` only fold ASCII.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds `s` to the key used for search and name matching: compatibility-decomposed, accents and other
/// combining marks dropped, lower-cased, apostrophe variants unified, whitespace collapsed.
///
/// "Олена", "ОЛЕНА" and "олена" fold alike; so do "Łukasz" and "lukasz", "Yevhéniia" and "yevheniia",
/// "Мар’яна" and "Мар'яна". Georgian Mkhedruli has no case; Mtavruli capitals fold to it.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) || is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{0060}' | '\u{00B4}' => out.push('\''),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ø' | 'Ø' => out.push('o'),
            'ß' => out.push_str("ss"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Characters that change nothing a person sees but would defeat matching: zero-width spaces and joiners,
/// bidi controls, the BOM, soft hyphens.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// The key for matching emails: trimmed and lower-cased; `None` when there is no email.
pub fn email_key(email: Option<&str>) -> Option<String> {
    email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty())
}

/// Trims a value and turns an empty one into `None`.
pub fn clean(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Bytes as lower-case hexadecimal (file hashes, settings keys).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
