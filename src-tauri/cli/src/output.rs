//! How the CLI prints results: JSON for machines (`--json`), aligned plain-text tables for people.

use serde::Serialize;
use serde_json::Value;

/// A command's result, ready for either kind of output.
pub struct Output {
    pub json: Value,
    pub text: String,
}

impl Output {
    /// An object or list printed as JSON, or as the text produced by `text`.
    pub fn new<T: Serialize>(value: &T, text: impl FnOnce() -> String) -> rollcall_core::Result<Output> {
        let json = serde_json::to_value(value).map_err(|e| rollcall_core::Error::conflict(e.to_string()))?;
        Ok(Output { json, text: text() })
    }
}

/// Formats rows under headers with columns padded to the widest cell (counted in characters, so
/// Cyrillic and Georgian line up too).
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out.pop();
    out
}

/// An optional value for a table cell.
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// Key/value lines for one object.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs.iter().map(|(k, v)| format!("{k:width$}  {v}")).collect::<Vec<_>>().join("\n")
}
