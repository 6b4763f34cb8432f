//! Choosing columns by their values where header words are not enough: telling a header from a data
//! line, settling fields that several columns claim (Zoom's flat export repeats `User Email` and
//! `Duration (Minutes)` for the meeting and for each participant), rejecting a column whose values do
//! not fit its field (a `Department` read as a leave time), and, for a header in a language Rollcall
//! does not know, finding the columns from the shapes of the values (emails, times, durations).

use std::collections::{BTreeMap, BTreeSet};

use csv::StringRecord;

use super::columns::{classify, Columns, Field};
use super::row::clean_email;
use super::when::{self, Clock};

/// Whether a value is a number (an id, a count, plain minutes).
fn numeric(v: &str) -> bool {
    let digits: String = v.chars().filter(|c| !matches!(c, ' ' | '.' | ',' | '-')).collect();
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn email_like(v: &str) -> bool {
    v.contains('@') && matches!(clean_email(v), Ok(Some(_)))
}

/// Whether a line reads as data rather than a header: a time, an email or a number in it.
pub(crate) fn data_like(cells: &[&str], clock: &Clock) -> bool {
    cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .any(|c| clock.parse(c).is_some() || email_like(c) || numeric(c))
}

/// Whether a line reads as a header: two cells or more, and nothing in it reads as data.
pub(crate) fn header_like(cells: &[&str], clock: &Clock) -> bool {
    cells.iter().filter(|c| !c.trim().is_empty()).count() >= 2 && !data_like(cells, clock)
}

/// Whether most of the values given fit the field (empty ones and "--" aside).
fn fits(field: Field, values: &[&str], clock: &Clock) -> bool {
    let filled: Vec<&str> =
        values.iter().map(|v| v.trim()).filter(|v| !v.is_empty() && !v.chars().all(|c| c == '-')).collect();
    if filled.is_empty() {
        return true;
    }
    let good = filled
        .iter()
        .filter(|v| match field {
            Field::Join | Field::Leave => clock.parse(v).is_some(),
            Field::Email => email_like(v),
            Field::Minutes => when::duration_secs(v).is_some(),
            Field::Name | Field::FirstName | Field::LastName => !numeric(v) && !email_like(v),
            _ => true,
        })
        .count();
    good * 2 >= filled.len()
}

/// The columns of a header, settled against sample rows.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    pub columns: Columns,
    /// A column that means the same as the one chosen but holds one value for every row (the meeting's
    /// host email in Zoom's flat export): that value.
    pub constant_email: Option<String>,
    /// Headers of columns dropped because their values do not fit the field their words say.
    pub rejected: Vec<(String, Field)>,
}

/// The columns of `header` (first of each meaning, as `Columns::from_header`), except where values say
/// otherwise: a column whose values do not fit its field is dropped; where several columns claim a
/// field, the one whose values fit and vary from row to row wins (else the last that fits: Zoom puts
/// the participant's columns after the meeting's).
pub(crate) fn settle(header: &[&str], sample: &[StringRecord], clock: &Clock) -> Settled {
    let mut columns = Columns::from_header(header.iter().copied());
    let mut claims: BTreeMap<Field, Vec<usize>> = BTreeMap::new();
    for (i, cell) in header.iter().enumerate() {
        if let Some(f) = classify(cell) {
            claims.entry(f).or_default().push(i);
        }
    }
    let values = |i: usize| -> Vec<&str> { sample.iter().map(|r| r.get(i).unwrap_or("").trim()).collect() };
    let varies = |i: usize| values(i).iter().filter(|v| !v.is_empty()).collect::<BTreeSet<_>>().len() > 1;
    let mut settled = Settled::default();
    let fields: Vec<(Field, usize)> = columns.index.iter().map(|(f, i)| (*f, *i)).collect();
    for (field, first) in fields {
        // `from_header` may have moved a column to another field (a bare "Nom" beside "Prénom"): its
        // own claims stand for it then.
        let candidates = match claims.get(&field) {
            Some(c) if c.contains(&first) => c.clone(),
            _ => vec![first],
        };
        let fitting: Vec<usize> = candidates.iter().copied().filter(|&i| fits(field, &values(i), clock)).collect();
        for &i in candidates.iter().filter(|i| !fitting.contains(i)) {
            settled.rejected.push((header.get(i).unwrap_or(&"").to_string(), field));
        }
        let chosen = fitting.iter().copied().find(|&i| varies(i)).or(fitting.last().copied());
        match chosen {
            Some(i) => {
                columns.index.insert(field, i);
                if field == Field::Email && sample.len() > 1 {
                    settled.constant_email = fitting
                        .iter()
                        .filter(|&&c| c != i && !varies(c))
                        .find_map(|&c| clean_email(values(c).first().copied().unwrap_or("")).ok().flatten());
                }
            }
            None => {
                columns.index.remove(&field);
            }
        }
    }
    settled.columns = columns;
    settled
}

/// Columns found from the shapes of values alone, for a header in a language Rollcall does not know:
/// the column of emails, the first and second columns of times (join, leave), the last column of
/// numbers or durations after them (minutes), and the first column of text before the times (the name).
pub(crate) fn by_values(width: usize, sample: &[StringRecord], clock: &Clock) -> Option<Columns> {
    let values = |i: usize| -> Vec<&str> { sample.iter().map(|r| r.get(i).unwrap_or("").trim()).collect() };
    let filled = |i: usize| values(i).iter().any(|v| !v.is_empty());
    let shaped = |i: usize, f: Field| filled(i) && fits(f, &values(i), clock);
    let mut index = BTreeMap::new();
    let times: Vec<usize> = (0..width).filter(|&i| shaped(i, Field::Join)).collect();
    if let Some(&j) = times.first() {
        index.insert(Field::Join, j);
    }
    if let Some(&l) = times.get(1) {
        index.insert(Field::Leave, l);
    }
    if let Some(e) =
        (0..width).find(|&i| filled(i) && values(i).iter().filter(|v| !v.is_empty()).all(|v| email_like(v)))
    {
        index.insert(Field::Email, e);
    }
    let after = times.last().map_or(0, |t| t + 1);
    if let Some(m) = (after..width)
        .find(|&i| !times.contains(&i) && filled(i) && values(i).iter().filter(|v| !v.is_empty()).all(|v| numeric(v)))
    {
        index.insert(Field::Minutes, m);
    }
    let taken: Vec<usize> = index.values().copied().collect();
    // The name comes before the times, as in every report: a "No" in a guest column after them is no name.
    let before = times.first().copied().unwrap_or(width);
    if let Some(n) = (0..before).find(|&i| {
        !taken.contains(&i) && shaped(i, Field::Name) && values(i).iter().any(|v| v.chars().any(char::is_alphabetic))
    }) {
        index.insert(Field::Name, n);
    }
    let columns = Columns { index };
    (columns.identifies_people() && (columns.has(Field::Join) || columns.has(Field::Minutes))).then_some(columns)
}

/// Whether the header cell at `i` names a field (a column the settling looked at, chosen or not: a
/// repeated meeting column is read for the host, not left unread).
pub(crate) fn claimed(header: &[&str], i: usize) -> bool {
    header.get(i).and_then(|h| classify(h)).is_some()
}
