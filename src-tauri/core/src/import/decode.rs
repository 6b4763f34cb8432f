//! Text encodings of report files: detected from the first bytes (BOMs, the NUL pattern of UTF-16, UTF-8
//! validity, then letter statistics to tell Windows-1251 Cyrillic from Windows-1250 Central European),
//! and a streaming decoder that turns any of them into UTF-8 for the CSV reader without holding the file.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use super::shape::{Problem, Shape};
use crate::error::{Error, Result};

/// How much of the start of a file is read to detect its encoding, delimiter and format.
pub(crate) const SNIFF: usize = 64 * 1024;

/// A file's text encoding, as detected. In JSON its name: `UTF-8`, `UTF-8 BOM`, `UTF-16LE`, `UTF-16BE`,
/// `windows-1251` or `windows-1250`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
    Windows1251,
    Windows1250,
}

impl serde::Serialize for Encoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Encoding, D::Error> {
        let name = String::deserialize(d)?;
        [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le { bom: true },
            Encoding::Utf16Be { bom: true },
            Encoding::Windows1251,
            Encoding::Windows1250,
        ]
        .into_iter()
        .find(|e| e.name() == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown encoding '{name}'")))
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Encoding {
    /// The name, as in JSON.
    pub fn as_str(self) -> &'static str {
        self.name()
    }

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

    /// Whether the file may be UTF-8 (or is a legacy code page that `settle` may find to be UTF-8).
    pub(crate) fn may_be_utf8(self) -> bool {
        !matches!(self, Encoding::Utf16Le { .. } | Encoding::Utf16Be { .. })
    }

    pub(crate) fn bom_len(self) -> usize {
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

/// Decodes `head` (the first bytes of the file; `complete` when that is the whole file) in the file's
/// `encoding` (from `detect`, settled by `settle`) and refuses empty and binary files.
pub(crate) fn sniff(file: &str, head: &[u8], encoding: Encoding, complete: bool) -> Result<Sniffed> {
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

/// The encoding the start of the file shows (BOMs, the NUL pattern of UTF-16, UTF-8 validity of the
/// head), refusing empty files, binary files and documents that are not CSV. A guess of UTF-8 or of a
/// legacy code page is only final once `settle` has seen the whole file.
pub(crate) fn detect(file: &str, head: &[u8]) -> Result<Encoding> {
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
    // Workbooks (zip and OLE files) never get here: `workbook::kind` takes them first.
    if head.starts_with(b"%PDF") {
        return Err(Error::parse(file, None, None, "this is a PDF document, not a CSV report or a workbook"));
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

/// How the bytes of a whole file (after any BOM) fare as UTF-8, gathered a buffer at a time while the file
/// is hashed: valid multi-byte characters, invalid sequences, and where the first invalid one is.
pub(crate) struct Utf8Scan {
    /// Bytes of a character cut at the end of the last buffer.
    carry: Vec<u8>,
    /// Valid characters of two or more bytes, and those of them right after another one.
    multibyte: u64,
    paired: u64,
    last_multibyte: bool,
    /// Invalid sequences (each as the UTF-8 decoder counts them).
    invalid: u64,
    /// Line and column (characters, 1-based) of the first invalid byte, while it is not yet found: the
    /// position of the next byte.
    line: u64,
    column: u64,
    after_cr: bool,
    first_invalid: Option<(u64, u64)>,
}

impl Default for Utf8Scan {
    fn default() -> Self {
        Utf8Scan {
            carry: Vec::new(),
            multibyte: 0,
            paired: 0,
            last_multibyte: false,
            invalid: 0,
            line: 1,
            column: 0,
            after_cr: false,
            first_invalid: None,
        }
    }
}

/// Valid UTF-8 letters that follow another count this many times more as evidence of UTF-8 (see
/// `Utf8Scan::utf8_evidence`).
const RUN_WEIGHT: u64 = 3;

impl Utf8Scan {
    /// Scans the next bytes of the file; `last` when they are the end of it.
    pub fn feed(&mut self, bytes: &[u8], last: bool) {
        let joined;
        let mut rest: &[u8] = if self.carry.is_empty() {
            bytes
        } else {
            joined = [std::mem::take(&mut self.carry).as_slice(), bytes].concat();
            &joined
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(_) => {
                    self.valid(rest);
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    self.valid(good);
                    match e.error_len() {
                        Some(n) => {
                            self.invalid += 1;
                            self.last_multibyte = false;
                            self.first_invalid.get_or_insert((self.line, self.column + 1));
                            rest = &bad[n..];
                        }
                        // A character cut at the end of the buffer: finished by the next one, or, at the end
                        // of the file, invalid.
                        None if last => {
                            self.invalid += 1;
                            self.first_invalid.get_or_insert((self.line, self.column + 1));
                            break;
                        }
                        None => {
                            self.carry = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
    }

    /// How strongly the file looks like UTF-8, against `invalid`. In Windows-1251 and -1250 text a
    /// capital letter followed by "і", "ї" or "є" (common in Ukrainian names: "Віктор", "Сірко") now and
    /// then forms a valid two-byte character by chance, but always alone: the next letter is an invalid
    /// byte. In UTF-8 text every letter outside ASCII is a valid character and they come in runs (words),
    /// so a character right after another weighs more. Ukrainian, Russian, Polish, Romanian and Czech
    /// samples in those code pages score under 40% of their invalid sequences; a UTF-8 file with a few
    /// stray bytes scores many times more.
    fn utf8_evidence(&self) -> u64 {
        self.multibyte + RUN_WEIGHT * self.paired
    }

    fn valid(&mut self, text: &[u8]) {
        for &b in text {
            if b >= 0xC0 {
                self.multibyte += 1;
                self.paired += u64::from(self.last_multibyte);
                self.last_multibyte = true;
            } else if b < 0x80 {
                self.last_multibyte = false;
            }
        }
        if self.first_invalid.is_some() {
            return;
        }
        // Line ends count as the CSV reader's line numbers do: CR LF is one, a lone CR or LF is one.
        for &b in text {
            if b == b'\n' {
                if !self.after_cr {
                    self.line += 1;
                }
                self.column = 0;
            } else if b == b'\r' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.after_cr = b == b'\r';
        }
    }
}

/// The final encoding of a file whose start looked like `guess`, now that `scan` has seen all of it. A
/// file whose start is UTF-8 (with a BOM, or valid) is refused at its first invalid byte, wherever it is;
/// a file whose start has invalid bytes is read in the legacy code page only when the whole file does not
/// look more like UTF-8 (`Utf8Scan::utf8_evidence`): one stray byte in a UTF-8 file would otherwise garble
/// every name in it, silently.
pub(crate) fn settle(file: &str, guess: Encoding, scan: &Utf8Scan) -> Result<Encoding> {
    let mixed = |(line, column): (u64, u64)| {
        Error::parse(
            file,
            Some(line),
            Some(column),
            "the file mixes encodings: it is UTF-8 text, but here is a byte that is not valid UTF-8 \
             (text from another program or code page pasted in?); save the whole file again as UTF-8 and retry",
        )
    };
    match (guess, scan.first_invalid) {
        (Encoding::Utf16Le { .. } | Encoding::Utf16Be { .. }, _) | (_, None) => Ok(guess),
        // The start is UTF-8 (it says so with a BOM, or is valid): bytes further on that are not are
        // refused, as they always were, rather than read in a code page the start does not support.
        (Encoding::Utf8 | Encoding::Utf8Bom, Some(at)) => Err(mixed(at)),
        // The start has invalid bytes: a legacy code page, unless the whole file is mostly UTF-8.
        (Encoding::Windows1251 | Encoding::Windows1250, Some(at)) if scan.utf8_evidence() > scan.invalid => {
            Err(mixed(at))
        }
        (Encoding::Windows1251 | Encoding::Windows1250, Some(_)) => Ok(guess),
    }
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

/// Opens a report file and gives its size. Only regular files are read: a named pipe (FIFO) would block
/// the open until some program writes to it, and a pipe or device (`/dev/stdin`, `<(...)`, `/dev/null`)
/// can be read only once, while an import reads the file twice (to sniff and hash it, then to import it),
/// so the second reading would find nothing and the rows would be lost without a word.
pub(crate) fn open_file(file: &str, path: &Path) -> Result<(File, u64)> {
    let not_a_file = |t: std::fs::FileType| {
        #[cfg(unix)]
        let what = {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                "a pipe (FIFO)"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else if t.is_socket() {
                "a socket"
            } else if t.is_dir() {
                "a folder"
            } else {
                "not a regular file"
            }
        };
        #[cfg(not(unix))]
        let what = if t.is_dir() { "a folder" } else { "not a regular file" };
        Error::parse(
            file,
            None,
            None,
            format!("this is {what}, not a file; save the report as a file and import that file"),
        )
    };
    // `metadata` does not open the file, so it cannot block on a pipe.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(meta.file_type()));
    }
    let handle = File::open(path).map_err(|e| Error::io(path, e))?;
    // What was opened, in case the name was replaced in between.
    let meta = handle.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(meta.file_type()));
    }
    Ok((handle, meta.len()))
}

/// Opens `path` as a stream of UTF-8 bytes (the BOM removed) and a counter of the raw bytes read, for
/// progress reports.
pub(crate) fn open(file: &str, path: &Path, encoding: Encoding) -> Result<(Box<dyn Read>, ByteCount)> {
    let count = Rc::new(Cell::new(0));
    let (handle, _) = open_file(file, path)?;
    let mut raw = BufReader::with_capacity(1 << 16, Counting { inner: handle, count: count.clone() });
    let mut bom = vec![0; encoding.bom_len()];
    raw.read_exact(&mut bom).map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn Read> = match encoding.codec() {
        None => Box::new(raw),
        Some(codec) => Box::new(Decoder::new(raw, codec)),
    };
    Ok((reader, count))
}

/// Line numbers for the CSV reader's records. The csv crate's own line numbers lag behind after CRLF
/// line ends and blank lines (its position is the first terminator byte it has not consumed yet), so the
/// stream under it records where the line breaks are, and a record's line is counted from them. The same
/// stream follows the shape of the records (`shape`): quotes, cells per record, record length.
pub(crate) struct Lines {
    /// Offsets and bytes (CR or LF) of line breaks read but not yet counted.
    breaks: VecDeque<(u64, u8)>,
    counted: u64,
    pub shape: Shape,
    /// The problem that stopped the stream (the reader then fails with an I/O error).
    pub problem: Option<Problem>,
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
    /// `delimiter` is the CSV delimiter, for following the shape of the records.
    pub fn new(inner: R, delimiter: u8) -> (Tracking<R>, Rc<RefCell<Lines>>) {
        let lines = Rc::new(RefCell::new(Lines {
            breaks: VecDeque::new(),
            counted: 0,
            shape: Shape::new(delimiter),
            problem: None,
        }));
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
        // A record too wide or too long stops the stream before the csv crate buffers it; the caller
        // reads the problem from `Lines` to say where.
        if let Err(p) = lines.shape.feed(&buf[..n]) {
            lines.problem = Some(p);
            return Err(io::Error::other(p.message()));
        }
        Ok(n)
    }
}

pub(crate) struct Counting<R> {
    pub inner: R,
    pub count: Rc<Cell<u64>>,
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
            let (reader, lines) = Tracking::new(text.as_bytes(), b',');
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

    fn scan(bytes: &[u8], chunk: usize) -> Utf8Scan {
        let mut scan = Utf8Scan::default();
        for piece in bytes.chunks(chunk) {
            scan.feed(piece, false);
        }
        scan.feed(&[], true);
        scan
    }

    #[test]
    fn the_whole_file_settles_utf8_against_legacy_code_pages() {
        // Ukrainian names in Windows-1251 where a capital and "і" form valid UTF-8 by chance ("Ві", "Сі").
        let names = "ПІБ;Email\r\nВіктор Сірко;v@x.ua\r\nЛіна Кіт;l@x.ua\r\nМілана Ніколенко;m@x.ua\r\n";
        let cp1251 = encoding_rs::WINDOWS_1251.encode(names).0.into_owned();
        let mut utf8 = names.as_bytes().to_vec();
        // A stray byte on line 3, after "Ліна " (column 6).
        let at = utf8.windows(5).position(|w| w == "Кіт".as_bytes().get(..5).unwrap()).unwrap();
        utf8.insert(at, 0xA0);
        for chunk in [1, 2, 3, 7, 1 << 16] {
            assert_eq!(settle("f", Encoding::Windows1251, &scan(&cp1251, chunk)).unwrap(), Encoding::Windows1251);
            let err = settle("f", Encoding::Windows1251, &scan(&utf8, chunk)).unwrap_err();
            assert!(
                matches!(&err, Error::Parse { line: Some(3), column: Some(6), message, .. } if message.contains("mixes encodings")),
                "{chunk}: {err:?}"
            );
            assert_eq!(settle("f", Encoding::Utf8, &scan(names.as_bytes(), chunk)).unwrap(), Encoding::Utf8);
        }
        // A character cut by the end of the file is invalid too (after "m@x.u" on line 4).
        let cut = &names.as_bytes()[..names.len() - 3];
        assert_eq!(scan(&[cut, "О".as_bytes().get(..1).unwrap()].concat(), 5).first_invalid, Some((4, 23)));
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
