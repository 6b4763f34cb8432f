//! Zoom meeting participants report: an optional meeting block (`Meeting ID,Topic,...,User Email,...`,
//! one data line, a blank line), then `Name (Original Name),User Email,Join Time,Leave Time,Duration
//! (Minutes),Guest[,Recording Consent][,In Waiting Room]` with one row per join. The meeting block's
//! User Email is the host, who is recorded as organiser. The "unique users" export (one row per person,
//! `Total Duration (Minutes)`) reads the same way.

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::guess;
use crate::import::options::Format;
use crate::import::report::Reason;
use crate::import::row::{self, clean_email, from_cells, Item, Parser, Role, Spec, Status};
use crate::import::sniff::{first_cell, Rec};
use crate::import::when::Clock;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("zoom");

pub(crate) struct Zoom;

impl ReportFormat for Zoom {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, c)| is_meeting_header(c) || is_participants_header(c)) || is_block_structure(recs)
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(ZoomParser::new(cx.file, cx.clock))
    }
}

/// Zoom's meeting block in any language, by its shape: a header line, one data line, a blank line, then
/// a table of four columns or more whose first row has a time (a join).
fn is_block_structure(recs: &[Rec]) -> bool {
    let clock = Clock::new(None, None);
    recs.windows(4).take(10).any(|w| {
        let [(_, h), (data_line, d), (table_line, t), (_, first)] = w else { return false };
        guess::header_like(&refs(h), &clock)
            && guess::data_like(&refs(d), &clock)
            && *table_line > data_line + 1
            && guess::header_like(&refs(t), &clock)
            && t.iter().filter(|c| !c.trim().is_empty()).count() >= 4
            && first.iter().any(|c| clock.parse(c.trim()).is_some())
    })
}

/// The meeting block's header (`Meeting ID,Topic,...`).
fn is_meeting_header(cells: &[String]) -> bool {
    first_cell(cells) == "meeting id" && cells.iter().any(|c| columns::header_has(c, "topic"))
}

/// A Zoom participants header: a name column in Zoom's "Name (Original Name)" form (in any language
/// Zoom translates to) or a "User Email" column, next to join, leave or duration columns.
fn is_participants_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    let zoomish = cells.iter().any(|h| {
        let name = columns::classify(h) == Some(Field::Name) && h.contains('(');
        name || columns::header_has(h, "user email")
    });
    zoomish && (c.has(Field::Join) || c.has(Field::Leave) || c.has(Field::Minutes))
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// How many data rows are read before the columns are settled against their values.
const SAMPLE: usize = 20;

struct ZoomParser {
    file: String,
    clock: Clock,
    /// The first records with content, until the table's header is known (at most three).
    head: Vec<(u64, StringRecord)>,
    /// The header found, waiting for its sample rows.
    header: Option<(u64, Vec<String>)>,
    /// Data rows read before the columns are settled.
    sample: Vec<(u64, StringRecord)>,
    columns: Option<Columns>,
    /// The host's email: from the meeting block, or a meeting column of the flat export.
    host: Option<String>,
}

impl ZoomParser {
    fn new(file: &str, clock: Clock) -> ZoomParser {
        ZoomParser {
            file: file.to_string(),
            clock,
            head: Vec::new(),
            header: None,
            sample: Vec::new(),
            columns: None,
            host: None,
        }
    }

    fn refuse(&self, line: u64) -> Error {
        Error::parse(
            &self.file,
            Some(line),
            None,
            "expected the header of a Zoom participants report (Name (Original Name), User Email, Join Time, Leave Time, Duration (Minutes))",
        )
    }

    /// Whether a header fits a participants table: who (a name or an email) and when (times or minutes).
    fn participants(cells: &[&str]) -> bool {
        let c = Columns::from_header(cells.iter().copied());
        c.identifies_people() && (c.has(Field::Join) || c.has(Field::Leave) || c.has(Field::Minutes))
    }

    /// Settles which of the first records is the participants header, by structure rather than by
    /// words: a header line, one data line, then another header line is Zoom's meeting block (in any
    /// language) followed by the participants header; otherwise the first line is the header. Called
    /// with three records, or fewer at the end of the file.
    fn find_header(&mut self, out: &mut Vec<Item>) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        let cells = |r: &StringRecord| -> Vec<String> {
            r.iter().map(|c| c.trim().trim_start_matches('\u{FEFF}').to_string()).collect()
        };
        let strs = |v: &[String]| -> Vec<String> { v.to_vec() };
        let c: Vec<Vec<String>> = head.iter().map(|(_, r)| cells(r)).collect();
        let block = c.len() == 3
            && (is_meeting_header(&c[0]) || guess::header_like(&refs(&c[0]), &self.clock))
            && guess::data_like(&refs(&c[1]), &self.clock)
            && guess::header_like(&refs(&c[2]), &self.clock);
        let rest: Vec<(u64, StringRecord)>;
        if block {
            let meeting = Columns::from_header(refs(&c[0]));
            // The host's email: the block's email column, or (its header in an unknown language) the one
            // email on the data line.
            self.host = clean_email(row::cell(&head[1].1, meeting.get(Field::Email)))
                .ok()
                .flatten()
                .or_else(|| c[1].iter().filter(|v| v.contains('@')).find_map(|v| clean_email(v).ok().flatten()));
            self.header = Some((head[2].0, strs(&c[2])));
            rest = Vec::new();
        } else {
            let Some((line, _)) = head.first() else { return Ok(()) };
            self.header = Some((*line, strs(&c[0])));
            rest = head[1..].to_vec();
        }
        for (line, record) in rest {
            self.data(line, &record, out)?;
        }
        Ok(())
    }

    /// A data record: sampled until the columns are settled, then read.
    fn data(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            self.sample.push((line, record.clone()));
            if self.sample.len() >= SAMPLE {
                self.settle(out)?;
            }
            return Ok(());
        }
        let columns = self.columns.as_ref().expect("settled");
        if let Some(mut r) = from_cells(line, record, columns, &self.clock, &SPEC, out) {
            if r.email.is_some() && r.email == self.host {
                r.role = r.role.max(Some(Role::Organiser));
            }
            out.push(Item::Row(r));
        }
        Ok(())
    }

    /// Settles the columns of the header against the sampled rows, then reads those rows.
    fn settle(&mut self, out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            let Some((line, header)) = self.header.clone() else { return Ok(()) };
            let refs: Vec<&str> = header.iter().map(String::as_str).collect();
            let sample: Vec<StringRecord> = self.sample.iter().map(|(_, r)| r.clone()).collect();
            if !Self::participants(&refs) || guess::data_like(&refs, &self.clock) {
                // A header in a language Rollcall does not know: the columns are found from the values
                // of the rows below it, if they have the shapes of a participants table.
                let Some(columns) = guess::by_values(header.len(), &sample, &self.clock) else {
                    return Err(self.refuse(line));
                };
                let said: Vec<String> = columns
                    .index
                    .iter()
                    .map(|(f, i)| format!("{} = '{}'", f.as_str(), header.get(*i).map(String::as_str).unwrap_or("")))
                    .collect();
                out.push(row::warn(line, Reason::ColumnsGuessed { columns: said.join(", ") }));
                row::header_items(line, &refs, &columns, &[], out);
                self.columns = Some(columns);
                return self.settle(out);
            }
            let settled = guess::settle(&refs, &sample, &self.clock);
            for (header, field) in settled.rejected {
                out.push(row::warn(line, Reason::ColumnRejected { header, field: field.as_str().to_string() }));
            }
            if !Self::participants_columns(&settled.columns) {
                return Err(self.refuse(line));
            }
            if self.host.is_none() {
                self.host = settled.constant_email;
            }
            // The meeting's own columns in the flat export are read for the host, not ignored.
            let used: Vec<usize> = (0..refs.len()).filter(|&i| guess::claimed(&refs, i)).collect();
            row::header_items(line, &refs, &settled.columns, &used, out);
            self.columns = Some(settled.columns);
        }
        for (line, record) in std::mem::take(&mut self.sample) {
            self.data(line, &record, out)?;
        }
        Ok(())
    }

    fn participants_columns(c: &Columns) -> bool {
        c.identifies_people() && (c.has(Field::Join) || c.has(Field::Leave) || c.has(Field::Minutes))
    }
}

const SPEC: Spec = Spec { original_names: true, status: Status::Attended, role: None };

impl Parser for ZoomParser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if self.header.is_some() {
            return self.data(line, record, out);
        }
        self.head.push((line, record.clone()));
        if self.head.len() == 3 {
            self.find_header(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<Item>) -> Result<()> {
        if self.header.is_none() {
            self.find_header(out)?;
        }
        self.settle(out)?;
        if self.columns.is_none() {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no participants header was found; this is not a Zoom participants report",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Zoom's participants header as accounts in these languages export it.
    pub(crate) const HEADERS: &[(&str, &str)] = &[
        ("en", "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"),
        ("de", "Name (ursprünglicher Name),E-Mail des Benutzers,Beitrittszeit,Zeitpunkt des Verlassens,Dauer (Minuten),Gast"),
        ("es", "Nombre (nombre original),Correo electrónico del usuario,Hora de ingreso,Hora de salida,Duración (minutos),Invitado"),
        ("fr", "Nom (nom d'origine),E-mail de l'utilisateur,Heure d'arrivée,Heure de départ,Durée (minutes),Invité"),
        ("pt", "Nome (nome original),E-mail do usuário,Horário de entrada,Horário de saída,Duração (minutos),Convidado"),
        ("pl", "Nazwa (oryginalna nazwa),E-mail użytkownika,Czas dołączenia,Czas opuszczenia,Czas trwania (minuty),Gość"),
        ("it", "Nome (nome originale),E-mail utente,Ora di ingresso,Ora di uscita,Durata (minuti),Ospite"),
        ("ru", "Имя (настоящее имя),Адрес электронной почты пользователя,Время входа,Время выхода,Продолжительность (минуты),Гость"),
        ("uk", "Ім'я (справжнє ім'я),Електронна пошта користувача,Час входу,Час виходу,Тривалість (хвилини),Гість"),
    ];

    #[test]
    fn translated_participants_headers_are_understood() {
        let mut wrong = Vec::new();
        for (lang, header) in HEADERS {
            let cells: Vec<&str> = header.split(',').collect();
            let c = Columns::from_header(cells.iter().copied());
            if c.index.len() != 5 || c.get(Field::Join) != Some(2) {
                wrong.push(format!("{lang}: {:?}", c.index));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        for (lang, header) in HEADERS {
            let cells: Vec<&str> = header.split(',').collect();
            let c = Columns::from_header(cells.iter().copied());
            let got: Vec<Option<usize>> = [Field::Name, Field::Email, Field::Join, Field::Leave, Field::Minutes]
                .iter()
                .map(|f| c.get(*f))
                .collect();
            assert_eq!(got, vec![Some(0), Some(1), Some(2), Some(3), Some(4)], "{lang}: {:?}", c.index);
            assert_eq!(c.index.len(), 5, "{lang}: the guest column is not a field: {:?}", c.index);
            assert!(is_participants_header(&cells.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "{lang}");
        }
    }
}
