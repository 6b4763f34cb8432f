//! Pasted lists: lines copied from a spreadsheet (tab-separated, with or without a header row),
//! `Name <email>`, `name, email`, a bare email or a bare name, each read as a person who attended.
//! Only the reading is here; `import::paste` matches and writes them like any import.

use csv::StringRecord;

use crate::import::columns::Columns;
use crate::import::report::Reason;
use crate::import::row::{self, clean_email, clean_name, from_cells, Item, Row, Spec, Status};
use crate::import::when::Clock;

/// The rows of pasted text, and how many lines had content.
pub(crate) fn parse(text: &str) -> (u64, Vec<Item>) {
    let lines: Vec<(u64, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_matches(|c: char| c == '\u{FEFF}' || c == '\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let mut items = Vec::new();
    let mut header: Option<(Columns, char)> = None;
    if let Some((_, first)) = lines.first() {
        let separator = ['\t', ';', ','].into_iter().find(|s| first.contains(*s)).unwrap_or('\t');
        let cells: Vec<&str> = first.split(separator).map(str::trim).collect();
        let columns = Columns::from_header(cells.iter().copied());
        if !first.contains('@') && columns.identifies_people() && (cells.len() > 1 || first.chars().count() < 30) {
            header = Some((columns, separator));
        }
    }
    let clock = Clock::new(None, None);
    let spec = Spec { original_names: false, status: Status::Attended, role: None };
    for (i, &(number, line)) in lines.iter().enumerate() {
        match &header {
            Some(_) if i == 0 => {}
            Some((columns, separator)) => {
                let record = StringRecord::from(line.split(*separator).collect::<Vec<_>>());
                if let Some(r) = from_cells(number, &record, columns, &clock, &spec, &mut items) {
                    items.push(Item::Row(r));
                }
            }
            None => items.extend(free_line(number, line)),
        }
    }
    (lines.len() as u64, items)
}

/// A line without a header: find the email cell, the name is what comes before it (or after it).
fn free_line(number: u64, line: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let cells: Vec<String> = if line.contains('\t') {
        line.split('\t').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
    } else if let (Some(open), Some(close)) = (line.rfind('<'), line.rfind('>')) {
        // "Name <email>"
        let name = line[..open].trim().trim_matches(['"', '\'', ',']).trim().to_string();
        vec![name, line[open + 1..close.max(open + 1)].to_string()]
    } else {
        let split: Vec<String> =
            line.split([',', ';']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        // A comma without an email in the line is part of a name ("Koval, Olena").
        if split.iter().any(|c| c.contains('@')) {
            split
        } else {
            vec![line.trim().to_string()]
        }
    };
    let at = cells.iter().position(|c| c.contains('@'));
    let name = match at {
        Some(0) => cells.get(1).cloned().unwrap_or_default(),
        Some(i) => cells[..i.min(3)].join(" "),
        None => cells.first().cloned().unwrap_or_default(),
    };
    let email = match at.map(|i| clean_email(&cells[i])) {
        Some(Ok(e)) => e,
        Some(Err(())) => {
            out.push(row::warn(number, Reason::EmailInvalid));
            None
        }
        None => None,
    };
    let (mut name, _) = clean_name(&name, false);
    if name.is_empty() {
        match &email {
            Some(e) => name = e.clone(),
            None => {
                out.push(row::skip(number, Reason::NoNameOrEmail));
                return out;
            }
        }
    }
    out.push(Item::Row(Row::new(number, name, email, Status::Attended)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<(String, Option<String>)> {
        parse(text)
            .1
            .into_iter()
            .filter_map(|i| match i {
                Item::Row(r) => Some((r.name, r.email)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn pasted_lines_in_every_shape() {
        let got = people(
            "Олена Коваленко\tolena@ukr.net\tГО Вектор\n\
             Nino Beridze <NINO@gov.ge>\n\
             Łukasz Wiśniewski, lukasz@example.org\n\
             ana.rusu@promolex.md\n\
             Тарас Шевчук\n\
             Koval, Olena\n\
             \n\
             Olena\tKoval\tkoval@x.ua\n",
        );
        let e = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            vec![
                ("Олена Коваленко".into(), e("olena@ukr.net")),
                ("Nino Beridze".into(), e("nino@gov.ge")),
                ("Łukasz Wiśniewski".into(), e("lukasz@example.org")),
                ("ana.rusu@promolex.md".into(), e("ana.rusu@promolex.md")),
                ("Тарас Шевчук".into(), None),
                ("Koval, Olena".into(), None),
                ("Olena Koval".into(), e("koval@x.ua")),
            ]
        );
        // A header row copied along with the cells says which column is which.
        assert_eq!(
            people("Email\tПІБ\nolena@ukr.net\tОлена Коваленко\n"),
            vec![("Олена Коваленко".to_string(), e("olena@ukr.net"))]
        );
    }
}
