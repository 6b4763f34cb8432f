//! Text encodings of report files: detected from the first bytes (BOMs, the NUL pattern of UTF-16, UTF-8
//! validity, then letter statistics to tell Windows-1251 Cyrillic from Windows-1250 Central European),
//! and a streaming decoder that turns any of them into UTF-8 for the CSV reader without holding the file.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use crate::error::{Error, Result};

/// How much of the start of a file is read to detect its encoding, delimiter and format.
pub(crate) const SNIFF: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
    Windows1251,
    Windows1250,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 BOM",
            Encoding::Utf16Le { .. } => "UTF-16LE",
            Encoding::Utf16Be { .. } => "UTF-16BE",
            Encoding::Windows1251 => "windows-1251",
            Encoding::Windows1250 => "windows-1250",
        }
    }

    fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le { bom: true } | Encoding::Utf16Be { bom: true } => 2,
            _ => 0,
        }
    }

    /// The encoding_rs decoder, or None when the bytes are UTF-8 already.
    fn codec(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => None,
            Encoding::Utf16Le { .. } => Some(encoding_rs::UTF_16LE),
            Encoding::Utf16Be { .. } => Some(encoding_rs::UTF_16BE),
            Encoding::Windows1251 => Some(encoding_rs::WINDOWS_1251),
            Encoding::Windows1250 => Some(encoding_rs::WINDOWS_1250),
        }
    }
}

/// The detected encoding and the sniffed start of the file as text, cut after its last complete line
/// when the file is longer than the sniff.
pub(crate) struct Sniffed {
    pub encoding: Encoding,
    pub text: String,
}

/// Detects the encoding of `head` (the first bytes of the file; `complete` when that is the whole file)
/// and refuses empty and binary files.
pub(crate) fn sniff(file: &str, head: &[u8], complete: bool) -> Result<Sniffed> {
    let encoding = detect(file, head)?;
    let body = &head[encoding.bom_len()..];
    let mut text = match encoding.codec() {
        None => {
            let valid = match std::str::from_utf8(body) {
                Ok(s) => s.len(),
                Err(e) => e.valid_up_to(),
            };
            String::from_utf8_lossy(&body[..valid]).into_owned()
        }
        Some(codec) => codec.decode_without_bom_handling(body).0.into_owned(),
    };
    if !complete {
        // The last line may be cut in the middle; detection only looks at whole lines.
        if let Some(end) = text.rfind('\n') {
            text.truncate(end + 1);
        }
    }
    if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}' || c == ',' || c == ';' || c == '\t').is_empty()
    {
        return Err(Error::parse(file, None, None, "the file is empty"));
    }
    let controls = text.chars().filter(|&c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0C}')).count();
    if controls * 100 > text.chars().count() {
        return Err(Error::parse(
            file,
            None,
            None,
            "this is not a text file (it contains binary data); choose the CSV report",
        ));
    }
    Ok(Sniffed { encoding, text })
}

fn detect(file: &str, head: &[u8]) -> Result<Encoding> {
    if head.is_empty() {
        return Err(Error::parse(file, None, None, "the file is empty"));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8Bom);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16Le { bom: true });
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16Be { bom: true });
    }
    for (magic, what) in [
        (
            &b"PK\x03\x04"[..],
            "this is an Excel workbook or another zip file; open it in Excel and save it as CSV, then import the CSV",
        ),
        (
            &b"\xD0\xCF\x11\xE0"[..],
            "this is an old Excel (.xls) or Word file; open it and save it as CSV, then import the CSV",
        ),
        (&b"%PDF"[..], "this is a PDF document, not a CSV report"),
    ] {
        if head.starts_with(magic) {
            return Err(Error::parse(file, None, None, what));
        }
    }
    // UTF-16 without a BOM: text in Latin or Cyrillic script has a NUL in every other byte.
    let sample = &head[..head.len().min(4096)];
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Scripts outside Latin-1 have no NULs, but tabs, digits and emails always do.
    let pairs = sample.len() / 2;
    if pairs > 0 && odd * 10 >= pairs && even * 20 <= odd {
        return Ok(Encoding::Utf16Le { bom: false });
    }
    if pairs > 0 && even * 10 >= pairs && odd * 20 <= even {
        return Ok(Encoding::Utf16Be { bom: false });
    }
    if even + odd > 0 {
        return Err(Error::parse(
            file,
            None,
            None,
            "this is not a text file (it contains binary data); choose the CSV report",
        ));
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok(Encoding::Utf8),
        // Cut in the middle of a character at the end of the sniff: still UTF-8.
        Err(e) if e.error_len().is_none() => return Ok(Encoding::Utf8),
        Err(_) => {}
    }
    Ok(legacy(head))
}

/// Tells Windows-1251 (Cyrillic) from Windows-1250 (Polish, Romanian, Czech...) by decoding with both
/// and scoring the words: Cyrillic words are runs of Cyrillic letters, while Central European words mix
/// ASCII letters with a few accented ones. A word that mixes scripts, or is all accented Latin letters,
/// is a sign of the wrong code page.
fn legacy(head: &[u8]) -> Encoding {
    let score = |codec: &'static encoding_rs::Encoding, cyrillic: bool| -> i64 {
        let (text, _, _) = codec.decode(head);
        let mut score = 0i64;
        for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_ascii()) {
            let cyr = word.chars().filter(|c| ('\u{0400}'..='\u{04FF}').contains(c)).count();
            let ascii = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let other = word.chars().count() - cyr - ascii;
            score += if cyrillic {
                if ascii == 0 && other == 0 {
                    1
                } else {
                    -1
                }
            } else if ascii > 0 && cyr == 0 {
                1
            } else {
                -1
            };
        }
        score
    };
    if score(encoding_rs::WINDOWS_1250, false) > score(encoding_rs::WINDOWS_1251, true) {
        Encoding::Windows1250
    } else {
        Encoding::Windows1251
    }
}

/// A shared count of the raw bytes read from a file, for progress reports.
pub(crate) type ByteCount = Rc<Cell<u64>>;

/// Opens `path` as a stream of UTF-8 bytes (the BOM removed) and a counter of the raw bytes read, for
/// progress reports.
pub(crate) fn open(path: &Path, encoding: Encoding) -> io::Result<(Box<dyn Read>, ByteCount)> {
    let count = Rc::new(Cell::new(0));
    let mut raw = BufReader::with_capacity(1 << 16, Counting { inner: File::open(path)?, count: count.clone() });
    let mut bom = vec![0; encoding.bom_len()];
    raw.read_exact(&mut bom)?;
    let reader: Box<dyn Read> = match encoding.codec() {
        None => Box::new(raw),
        Some(codec) => Box::new(Decoder::new(raw, codec)),
    };
    Ok((reader, count))
}

/// Line numbers for the CSV reader's records. The csv crate's own line numbers lag behind after CRLF
/// line ends and blank lines (its position is the first terminator byte it has not consumed yet), so the
/// stream under it records where the line breaks are, and a record's line is counted from them.
#[derive(Default)]
pub(crate) struct Lines {
    /// Offsets and bytes (CR or LF) of line breaks read but not yet counted.
    breaks: VecDeque<(u64, u8)>,
    counted: u64,
}

impl Lines {
    fn count(&mut self, at: u64, byte: u8) {
        // CR LF is one break; a lone CR (old Mac files) is one too.
        let crlf = byte == b'\r' && self.breaks.front() == Some(&(at + 1, b'\n'));
        if !crlf {
            self.counted += 1;
        }
    }

    /// The 1-based line of the record whose csv position is `byte`: breaks before it, plus the run of
    /// breaks starting at it (terminators of the previous record and blank lines).
    pub fn line_at(&mut self, byte: u64) -> u64 {
        let mut next = byte;
        while let Some(&(at, b)) = self.breaks.front() {
            if at < byte || at == next {
                self.breaks.pop_front();
                self.count(at, b);
                if at == next {
                    next += 1;
                }
            } else {
                break;
            }
        }
        self.counted + 1
    }
}

/// A reader that notes the line breaks passing through it, for `Lines::line_at`.
pub(crate) struct Tracking<R> {
    inner: R,
    offset: u64,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Tracking<R> {
    pub fn new(inner: R) -> (Tracking<R>, Rc<RefCell<Lines>>) {
        let lines = Rc::new(RefCell::new(Lines::default()));
        (Tracking { inner, offset: 0, lines: lines.clone() }, lines)
    }
}

impl<R: Read> Read for Tracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                lines.breaks.push_back((self.offset + i as u64, b));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Decodes a byte stream in a legacy encoding or UTF-16 into UTF-8, a buffer at a time. Malformed
/// sequences become U+FFFD, as a text editor would show them.
pub(crate) struct Decoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Decoder<R> {
    pub fn new(inner: R, codec: &'static encoding_rs::Encoding) -> Self {
        Decoder {
            inner,
            decoder: codec.new_decoder_without_bom_handling(),
            input: vec![0; 1 << 15],
            in_start: 0,
            in_end: 0,
            output: vec![0; 1 << 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = self.inner.read(&mut self.input)?;
                if self.in_end == 0 {
                    self.eof = true;
                }
            }
            let (result, read, written, _) =
                self.decoder.decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_decoder_matches_one_shot_decoding_across_buffer_boundaries() {
        let text = "Олена Коваленко;Łukasz Wiśniewski;ნინო ბერიძე\r\n".repeat(5000);
        for codec in [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE, encoding_rs::WINDOWS_1251] {
            let (bytes, _, _) = codec.encode(&text);
            let bytes = bytes.into_owned();
            let mut out = String::new();
            // A reader that hands out odd-sized pieces, to split characters between reads.
            struct Chunks<'a>(&'a [u8]);
            impl Read for Chunks<'_> {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let n = self.0.len().min(buf.len()).min(7777);
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            Decoder::new(Chunks(&bytes), codec).read_to_string(&mut out).unwrap();
            let expected = codec.decode_without_bom_handling(&bytes).0;
            assert_eq!(out, expected, "{}", codec.name());
        }
    }

    #[test]
    fn record_lines_count_crlf_blank_lines_and_quoted_line_breaks() {
        for (text, expected) in [
            ("a,b\r\nc,d\r\n\r\ne,f\r\ng,h\r\n", vec![1, 2, 4, 5]),
            ("a,b\nc,d\n\ne,f\ng,h\n", vec![1, 2, 4, 5]),
            ("a,b\n\"x\r\ny\",d\n\n\ne,f", vec![1, 2, 6]),
            ("\r\n\r\na\rb\rc", vec![3, 4, 5]),
        ] {
            let (reader, lines) = Tracking::new(text.as_bytes());
            let mut csv =
                csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(3).from_reader(reader);
            let mut record = csv::StringRecord::new();
            let mut got = Vec::new();
            while csv.read_record(&mut record).unwrap() {
                got.push(lines.borrow_mut().line_at(record.position().unwrap().byte()));
            }
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn legacy_code_pages_are_told_apart_by_their_words() {
        let cyr =
            encoding_rs::WINDOWS_1251.encode("ПІБ;Організація\r\nОлена Коваленко;ГО Вектор\r\nТарас Шевчук;Їжак\r\n").0;
        assert_eq!(legacy(&cyr), Encoding::Windows1251);
        let pl = encoding_rs::WINDOWS_1250
            .encode("Imię i nazwisko;Organizacja\r\nŁukasz Wiśniewski;Fundacja Dąb\r\nZofia Wójcik;Stowarzyszenie\r\n")
            .0;
        assert_eq!(legacy(&pl), Encoding::Windows1250);
        // Windows-1250 has the cedilla forms ş and ţ, which Romanian files in it use.
        let ro = encoding_rs::WINDOWS_1250
            .encode("Nume şi prenume;Ţara\r\nŞtefan Ţurcanu;Moldova\r\nMihaela Rusu;România\r\n")
            .0;
        assert_eq!(legacy(&ro), Encoding::Windows1250);
    }
}
