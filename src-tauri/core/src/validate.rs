//! Input validation shared by every domain: each check names the field it rejects, so the desktop app
//! can show the message next to that field and the CLI can say which flag was wrong.

use chrono::NaiveDate;

use crate::error::{Error, Result, Rule};

/// Longest text accepted in a short field (names, titles, codes).
pub const MAX_SHORT: usize = 300;
/// Longest text accepted in a long field (notes, descriptions).
pub const MAX_LONG: usize = 20_000;
/// The longest an event or one person's attendance can last, in minutes: 31 days.
pub const MAX_MINUTES: i64 = 60 * 24 * 31;

/// A required, trimmed, single-line text of at most MAX_SHORT characters.
pub fn required(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::rule(field, Rule::Required, format!("{} is required", label(field))));
    }
    short(field, v)
}

/// An optional short text: trimmed, empty becomes None.
pub fn optional(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => short(field, v).map(Some),
        None => Ok(None),
    }
}

fn short(field: &str, v: &str) -> Result<String> {
    if v.chars().count() > MAX_SHORT {
        return Err(Error::rule(
            field,
            Rule::TooLong { max: MAX_SHORT },
            format!("{} is longer than {MAX_SHORT} characters", label(field)),
        ));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(Error::rule(
            field,
            Rule::ControlCharacters,
            format!("{} contains control characters", label(field)),
        ));
    }
    Ok(v.to_string())
}

/// A long free text (notes); keeps line breaks, rejects other control characters.
pub fn long(field: &str, value: Option<&str>) -> Result<String> {
    let v = value.unwrap_or("").trim();
    if v.chars().count() > MAX_LONG {
        return Err(Error::rule(
            field,
            Rule::TooLong { max: MAX_LONG },
            format!("{} is longer than {MAX_LONG} characters", label(field)),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Error::rule(
            field,
            Rule::ControlCharacters,
            format!("{} contains control characters", label(field)),
        ));
    }
    Ok(v.to_string())
}

/// An optional ISO date (YYYY-MM-DD).
pub fn date(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map(|d| Some(d.format("%Y-%m-%d").to_string())).map_err(|_| {
                Error::rule(field, Rule::Date, format!("{} must be a date like 2022-06-28, not '{v}'", label(field)))
            })
        }
    }
}

/// An optional ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) => Ok(Some(v.to_ascii_uppercase())),
        Some(v) => Err(Error::rule(
            field,
            Rule::Country,
            format!("country must be a two-letter code like UA, GE or MD, not '{v}'"),
        )),
    }
}

/// An optional email address: trimmed, with one @ and something on both sides.
pub fn email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match optional(field, value)? {
        None => Ok(None),
        Some(v) => {
            let ok = match v.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !v.contains(char::is_whitespace)
                }
                None => false,
            };
            if ok {
                Ok(Some(v))
            } else {
                Err(Error::rule(field, Rule::Email, format!("'{v}' is not an email address")))
            }
        }
    }
}

/// An optional web link: must be http(s), so a stored link can never run script when opened.
pub fn url(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match optional(field, value)? {
        None => Ok(None),
        Some(v) => {
            let lower = v.to_ascii_lowercase();
            if lower.starts_with("https://") || lower.starts_with("http://") {
                Ok(Some(v))
            } else if !lower.contains(':') && v.contains('.') && !v.contains(char::is_whitespace) {
                Ok(Some(format!("https://{v}")))
            } else {
                Err(Error::rule(
                    field,
                    Rule::Url,
                    format!("{} must be a web address starting with https://", label(field)),
                ))
            }
        }
    }
}

/// One of a fixed set of values (kinds, roles, statuses), compared case-insensitively.
pub fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String> {
    let v = value.trim().to_lowercase().replace([' ', '-'], "_");
    if allowed.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(Error::rule(
            field,
            Rule::OneOf,
            format!("{} must be one of {}, not '{}'", label(field), allowed.join(", "), value.trim()),
        ))
    }
}

/// A whole number from `min` to `max`; `message` says it in the field's own words.
pub fn range(field: &str, value: i64, min: i64, max: i64, message: &str) -> Result<i64> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Error::rule(field, Rule::Range { min, max }, message))
    }
}

/// The human name of a field for messages ("start_date" -> "start date").
fn label(field: &str) -> String {
    field.replace('_', " ")
}
