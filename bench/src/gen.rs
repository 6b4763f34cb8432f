//! Seeded generators of realistic benchmark input: Zoom participant reports with Unicode names
//! (Ukrainian, Georgian, Polish, Romanian), repeat attendees, rejoins, messy emails and guests.

use std::io::Write;
use std::path::Path;

/// A small, fast, seeded PRNG (SplitMix64): the same seed gives the same files on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `p` percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// (native spelling, Latin spelling for the email address)
type Name = (&'static str, &'static str);

const UA_FIRST: &[Name] = &[
    ("Олена", "olena"),
    ("Андрій", "andrii"),
    ("Оксана", "oksana"),
    ("Тарас", "taras"),
    ("Ірина", "iryna"),
    ("Юлія", "yuliia"),
    ("Богдан", "bohdan"),
    ("Наталія", "nataliia"),
    ("Євген", "yevhen"),
    ("Галина", "halyna"),
    ("Марʼяна", "mariana"),
    ("Їржі", "yirzhi"),
];
const UA_LAST: &[Name] = &[
    ("Коваленко", "kovalenko"),
    ("Шевчук", "shevchuk"),
    ("Бондаренко", "bondarenko"),
    ("Ткаченко", "tkachenko"),
    ("Кравчук", "kravchuk"),
    ("Олійник", "oliinyk"),
    ("Мельник", "melnyk"),
    ("Гнатюк", "hnatiuk"),
    ("Яремчук", "yaremchuk"),
    ("Лисенко", "lysenko"),
];
const GE_FIRST: &[Name] = &[
    ("ნინო", "nino"),
    ("გიორგი", "giorgi"),
    ("თამარ", "tamar"),
    ("დავით", "davit"),
    ("ანა", "ana"),
    ("ლევან", "levan"),
    ("მარიამ", "mariam"),
    ("ირაკლი", "irakli"),
];
const GE_LAST: &[Name] = &[
    ("ბერიძე", "beridze"),
    ("კაპანაძე", "kapanadze"),
    ("გელაშვილი", "gelashvili"),
    ("მაისურაძე", "maisuradze"),
    ("ლომიძე", "lomidze"),
    ("წიკლაური", "tsiklauri"),
];
const PL_FIRST: &[Name] = &[
    ("Łukasz", "lukasz"),
    ("Małgorzata", "malgorzata"),
    ("Paweł", "pawel"),
    ("Zofia", "zofia"),
    ("Grzegorz", "grzegorz"),
    ("Agnieszka", "agnieszka"),
    ("Wojciech", "wojciech"),
];
const PL_LAST: &[Name] = &[
    ("Wiśniewski", "wisniewski"),
    ("Wójcik", "wojcik"),
    ("Kowalczyk", "kowalczyk"),
    ("Zieliński", "zielinski"),
    ("Szymańska", "szymanska"),
    ("Dąbrowski", "dabrowski"),
];
const MD_FIRST: &[Name] = &[
    ("Ana", "ana"),
    ("Ion", "ion"),
    ("Mihaela", "mihaela"),
    ("Ștefan", "stefan"),
    ("Doina", "doina"),
    ("Vasile", "vasile"),
];
const MD_LAST: &[Name] = &[
    ("Rusu", "rusu"),
    ("Ceban", "ceban"),
    ("Țurcanu", "turcanu"),
    ("Lungu", "lungu"),
    ("Munteanu", "munteanu"),
    ("Rotaru", "rotaru"),
];
const DOMAINS: &[&str] = &["gmail.com", "ukr.net", "example.org", "outlook.com", "gov.ge", "promolex.md"];

/// One synthetic participant: the name Zoom shows and the email they typed (None for guests).
#[derive(Clone)]
pub struct Participant {
    pub name: String,
    pub email: Option<String>,
}

/// A new participant from one of the four countries, with a unique email (the number makes it unique).
pub fn participant(rng: &mut Rng, n: u64) -> Participant {
    let (first, last) = match rng.below(4) {
        0 => (UA_FIRST, UA_LAST),
        1 => (GE_FIRST, GE_LAST),
        2 => (PL_FIRST, PL_LAST),
        _ => (MD_FIRST, MD_LAST),
    };
    let (f, fl) = *rng.pick(first);
    let (l, ll) = *rng.pick(last);
    let email = (!rng.chance(8)).then(|| format!("{fl}.{ll}{n}@{}", rng.pick(DOMAINS)));
    Participant { name: format!("{f} {l}"), email }
}

/// What a Zoom meeting participants report should contain.
pub struct ZoomSpec {
    pub seed: u64,
    pub rows: u64,
    /// Percent of the report's people taken from `existing` (people already in the database).
    pub repeat_percent: u64,
    /// Percent of extra rows that are rejoins of someone already in the report.
    pub rejoin_percent: u64,
}

/// Writes a Zoom meeting participants report (meeting header block, CRLF, UTF-8 BOM) with `spec.rows`
/// data rows. Returns the number of distinct people in it.
pub fn zoom_report(path: &Path, spec: &ZoomSpec, existing: &[Participant]) -> std::io::Result<u64> {
    let mut rng = Rng::new(spec.seed);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    write!(out, "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\r\n")?;
    write!(out, "812 3456 7890,Human Rights: Examples of International Solidarity,06/28/2022 02:55:12 PM,06/28/2022 05:10:40 PM,host@vector.org.ua,136,{}\r\n\r\n", spec.rows)?;
    write!(out, "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n")?;
    let mut people: Vec<Participant> = Vec::new();
    let mut written = 0;
    while written < spec.rows {
        let person = if !people.is_empty() && rng.chance(spec.rejoin_percent) {
            people[rng.below(people.len() as u64) as usize].clone()
        } else {
            let p = if !existing.is_empty() && rng.chance(spec.repeat_percent) {
                existing[rng.below(existing.len() as u64) as usize].clone()
            } else {
                participant(
                    &mut rng,
                    spec.seed.wrapping_mul(1_000_003).wrapping_add(people.len() as u64) % 10_000_000_000,
                )
            };
            people.push(p.clone());
            p
        };
        // Zoom shows a renamed participant as "Display (Original Name)"; emails come in any case, padded.
        let shown = if rng.chance(4) {
            format!("{} ({})", person.name.split(' ').next().unwrap_or("Guest"), person.name)
        } else {
            person.name.clone()
        };
        let email = match &person.email {
            Some(e) if rng.chance(10) => format!(" {} ", e.to_uppercase()),
            Some(e) => e.clone(),
            None => String::new(),
        };
        let join = rng.below(40);
        let minutes = 1 + rng.below(120);
        let (jh, jm) = (15 + join / 60, join % 60);
        let leave = join + minutes;
        let (lh, lm) = (15 + leave / 60, leave % 60);
        let twelve = |h: u64| if h > 12 { h - 12 } else { h };
        write!(
            out,
            "{},{},06/28/2022 {:02}:{:02}:{:02} PM,06/28/2022 {:02}:{:02}:{:02} PM,{},{}\r\n",
            quote(&shown),
            email,
            twelve(jh),
            jm,
            rng.below(60),
            twelve(lh),
            lm,
            rng.below(60),
            minutes,
            if person.email.is_none() { "Yes" } else { "No" }
        )?;
        written += 1;
    }
    out.flush()?;
    Ok(people.len() as u64)
}

fn quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
