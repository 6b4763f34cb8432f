//! The shape of the CSV text under the csv crate: where quoted cells open and close, how many cells a
//! record has and how long it is. The csv crate reads anything: a quote that is never closed swallows the
//! rest of the file into one cell without an error, and a record of millions of cells is read whole into
//! memory. This follows the same bytes with the csv crate's own rules (RFC 4180 quoting, `""` inside a
//! quoted cell, CR, LF or CRLF line ends) so the importer can refuse such files with their place.

use crate::error::Error;

/// Most cells in one record. Platform reports have a few dozen columns and sign-in sheets with many
/// questions a few hundred; a header of thousands of cells is a broken or hostile file, and every cell is
/// classified, stored in the mapping and shown in the window.
pub(crate) const MAX_FIELDS: u64 = 1_000;

/// Most bytes in one record (1 MiB). A real row is well under 10 KiB (names are at most 300 characters,
/// notes 20,000); the csv crate holds a whole record in memory, so this bounds memory and time per record.
pub(crate) const MAX_RECORD_BYTES: u64 = 1 << 20;

/// What is wrong with the shape of the text. Lines and columns are 1-based; a column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A quoted cell opened at this place and the text ended before its closing quote.
    Unterminated { line: u64, column: u64 },
    /// A record starting at `line` has more than `MAX_FIELDS` cells.
    TooManyFields { line: u64 },
    /// A record starting at `line` is longer than `MAX_RECORD_BYTES`; `quote` is where a quoted cell that
    /// was still open then had opened (the usual cause: a quote that is never closed).
    TooLong { line: u64, quote: Option<(u64, u64)> },
}

impl Problem {
    pub fn line(self) -> u64 {
        match self {
            Problem::Unterminated { line, .. } | Problem::TooManyFields { line } => line,
            Problem::TooLong { line, quote } => quote.map_or(line, |(l, _)| l),
        }
    }

    pub fn column(self) -> Option<u64> {
        match self {
            Problem::Unterminated { column, .. } => Some(column),
            Problem::TooLong { quote, .. } => quote.map(|(_, c)| c),
            Problem::TooManyFields { .. } => None,
        }
    }

    /// The message of the Parse error.
    pub fn message(self) -> String {
        match self {
            Problem::Unterminated { .. } => {
                "a quoted cell opens here (with \") and the file ends before its closing quote, \
                 so the rest of the file would be read as one cell; close the quote (or remove it) and retry"
                    .into()
            }
            Problem::TooManyFields { .. } => format!(
                "this row has more than {MAX_FIELDS} cells; Rollcall reads at most {MAX_FIELDS} columns. \
                 Is this the right file? Remove the extra columns and retry"
            ),
            Problem::TooLong { quote: Some(_), .. } => format!(
                "a quoted cell opens here (with \") and is still open after {} MiB: its closing quote is probably \
                 missing, so the rows after it would be read as one cell; close the quote (or remove it) and retry",
                MAX_RECORD_BYTES >> 20
            ),
            Problem::TooLong { quote: None, .. } => format!(
                "this row is longer than {} MiB; Rollcall reads rows of at most {} MiB. Is this the right file?",
                MAX_RECORD_BYTES >> 20,
                MAX_RECORD_BYTES >> 20
            ),
        }
    }
}

/// The Parse error for a problem in `file`.
pub(crate) fn error(file: &str, p: Problem) -> Error {
    Error::parse(file, Some(p.line()), p.column(), p.message())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line ends here are blank lines, skipped as the csv crate skips them.
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted cell: the closing quote, or the first of `""`.
    QuoteInQuoted,
}

/// Follows UTF-8 CSV text byte by byte (see the module documentation).
pub(crate) struct Shape {
    delimiter: u8,
    state: State,
    /// Where the next byte is: line, and characters read on the line.
    line: u64,
    column: u64,
    after_cr: bool,
    record_line: u64,
    record_bytes: u64,
    fields: u64,
    quote: (u64, u64),
    problem: Option<Problem>,
}

impl Shape {
    pub fn new(delimiter: u8) -> Shape {
        Shape {
            delimiter,
            state: State::StartRecord,
            line: 1,
            column: 0,
            after_cr: false,
            record_line: 1,
            record_bytes: 0,
            fields: 0,
            quote: (1, 1),
            problem: None,
        }
    }

    /// Follows `bytes`; the first problem found stops it and is returned again for every later call.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), Problem> {
        if let Some(p) = self.problem {
            return Err(p);
        }
        for &b in bytes {
            let newline = b == b'\n' || b == b'\r';
            match self.state {
                State::StartRecord if newline => {}
                State::StartRecord | State::StartField => {
                    if self.state == State::StartRecord {
                        self.record_line = self.line;
                        self.record_bytes = 0;
                        self.fields = 1;
                    }
                    self.state = if b == b'"' {
                        self.quote = (self.line, self.column + 1);
                        State::InQuoted
                    } else if b == self.delimiter {
                        self.next_field()?;
                        State::StartField
                    } else if newline {
                        State::StartRecord
                    } else {
                        State::InField
                    };
                }
                State::InField => {
                    if b == self.delimiter {
                        self.next_field()?;
                        self.state = State::StartField;
                    } else if newline {
                        self.state = State::StartRecord;
                    }
                }
                State::InQuoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    }
                }
                State::QuoteInQuoted => {
                    // `""` is a quote inside the cell; anything after the closing quote is kept in the cell
                    // up to the next delimiter, as the csv crate does.
                    self.state = if b == b'"' {
                        State::InQuoted
                    } else if b == self.delimiter {
                        self.next_field()?;
                        State::StartField
                    } else if newline {
                        State::StartRecord
                    } else {
                        State::InField
                    };
                }
            }
            if self.state != State::StartRecord {
                self.record_bytes += 1;
                if self.record_bytes > MAX_RECORD_BYTES {
                    let quote = matches!(self.state, State::InQuoted | State::QuoteInQuoted).then_some(self.quote);
                    return Err(self.stop(Problem::TooLong { line: self.record_line, quote }));
                }
            }
            // Line ends count as the reader's line numbers do: CR LF is one, a lone CR or LF is one.
            if b == b'\n' {
                if !self.after_cr {
                    self.line += 1;
                }
                self.column = 0;
            } else if b == b'\r' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                self.column += 1;
            }
            self.after_cr = b == b'\r';
        }
        Ok(())
    }

    fn next_field(&mut self) -> Result<(), Problem> {
        self.fields += 1;
        if self.fields > MAX_FIELDS {
            return Err(self.stop(Problem::TooManyFields { line: self.record_line }));
        }
        Ok(())
    }

    fn stop(&mut self, p: Problem) -> Problem {
        self.problem = Some(p);
        p
    }

    /// At the end of the text: the quoted cell still open, if any (a closing quote as the last byte
    /// closes it).
    pub fn finish(&self) -> Result<(), Problem> {
        match self.problem {
            Some(p) => Err(p),
            None if self.state == State::InQuoted => {
                Err(Problem::Unterminated { line: self.quote.0, column: self.quote.1 })
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str, delimiter: u8, chunk: usize) -> Result<(), Problem> {
        let mut s = Shape::new(delimiter);
        for piece in text.as_bytes().chunks(chunk.max(1)) {
            s.feed(piece)?;
        }
        s.finish()
    }

    #[test]
    fn quotes_are_followed_as_the_csv_crate_reads_them() {
        for (text, expected) in [
            ("a,b\n\"x\r\ny\",d\n\n\ne,f", Ok(())),
            ("a,\"b \"\"c\"\" d\"\n", Ok(())),
            ("a,\"closed at the end\"", Ok(())),
            ("a,b\"c\nd,e\n", Ok(())),
            ("a,\"b\"x,c\n", Ok(())),
            (
                "Name,Email\nOlena,o@x.ua\n\"Taras,t@x.ua\nNino,n@x.ge\n",
                Err(Problem::Unterminated { line: 3, column: 1 }),
            ),
            ("a,b\r\nc,\"d\r\ne,f\r\n", Err(Problem::Unterminated { line: 2, column: 3 })),
            ("Ім'я,\"Олена\n", Err(Problem::Unterminated { line: 1, column: 6 })),
            ("a;\"b\";\"c\"\"\n", Err(Problem::Unterminated { line: 1, column: 7 })),
        ] {
            for chunk in [1, 3, 1 << 16] {
                assert_eq!(shape(text, if text.contains(';') { b';' } else { b',' }, chunk), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn wide_and_long_records_are_stopped_at_their_line() {
        let wide = format!("a,b\n\n{}\n", ",".repeat(MAX_FIELDS as usize));
        assert_eq!(shape(&wide, b',', 4096), Err(Problem::TooManyFields { line: 3 }));
        let ok = format!("a,b\n{}\n", ",".repeat(MAX_FIELDS as usize - 1));
        assert_eq!(shape(&ok, b',', 4096), Ok(()));
        // Commas are not cells in a tab-separated file.
        assert_eq!(shape(&wide, b'\t', 4096), Ok(()));
        let long = format!("a,b\n{}\n", "x".repeat(MAX_RECORD_BYTES as usize + 1));
        assert_eq!(shape(&long, b',', 4096), Err(Problem::TooLong { line: 2, quote: None }));
        let open = format!("a,b\nc,\"d\n{}", "e,f\n".repeat(MAX_RECORD_BYTES as usize / 4 + 1));
        assert_eq!(shape(&open, b',', 4096), Err(Problem::TooLong { line: 2, quote: Some((2, 3)) }));
    }
}
