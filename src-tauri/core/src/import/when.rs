//! Times and durations as reports write them, in the exporting account's locale:
//! `06/28/2022 06:02:11 PM`, `28/06/2022 18:02:11`, `28.06.2022 18:02`, `2022-06-28 18:02:11`,
//! `6/28/22, 6:02:11 PM`, `"Mar 28, 2020 08:07:27"`, a bare `3:00 PM` (Google Meet, on the event's day);
//! durations `1h 13m 42s`, `56 min`, `1 hr 5 min`, `1:13:42`, plain minutes.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::text;

/// Which comes first in a date like `05/06/2022`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayOrder {
    MonthFirst,
    DayFirst,
}

/// Parses times with what is known of the file: the order of day and month (from dates in it that
/// settle it, such as 28/06) and the event's date for times without one. Also knows the event's planned
/// length, for telling durations that cannot be right.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    order: Option<DayOrder>,
    event_date: Option<NaiveDate>,
    event_minutes: Option<i64>,
}

/// The earliest year a report's time may have: online meeting reports do not go further back.
const FIRST_YEAR: i32 = 2000;

/// Whether a time read from a report can be right: from `FIRST_YEAR` to next year. A year like 9999 is a
/// typo or a hostile value; kept, it would be the "last leave" of every later import and skew reports.
pub(crate) fn plausible(t: NaiveDateTime) -> bool {
    (FIRST_YEAR..=chrono::Local::now().year() + 1).contains(&t.year())
}

/// The month a word names, if it is a month name or abbreviation (letters and dots only).
fn month_of(word: &str) -> Option<u32> {
    static FOLDED: OnceLock<Vec<(String, u32)>> = OnceLock::new();
    if !word.chars().all(|c| c.is_alphabetic() || c == '.') {
        return None;
    }
    let folded = FOLDED.get_or_init(|| super::words::MONTHS.iter().map(|(name, m)| (text::fold(name), *m)).collect());
    let word = text::fold(word);
    // The longest prefix wins ("juin" before "jun", so "juil" is not read as June).
    folded
        .iter()
        .filter(|(name, _)| word.starts_with(name.as_str()))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, m)| *m)
}

/// Votes of the slash or dash dates in `text` whose first or second number is above 12.
pub(crate) fn sniff_order(text: &str) -> Option<DayOrder> {
    let (mut day_first, mut month_first) = (0, 0);
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '-' || c == '.')) {
        let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
        if parts.len() != 3 || parts[0].len() > 2 || parts[1].len() > 2 {
            continue;
        }
        let (Ok(a), Ok(b)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>()) else { continue };
        if a > 12 && b <= 12 {
            day_first += 1;
        } else if b > 12 && a <= 12 {
            month_first += 1;
        }
    }
    match day_first.cmp(&month_first) {
        std::cmp::Ordering::Greater => Some(DayOrder::DayFirst),
        std::cmp::Ordering::Less => Some(DayOrder::MonthFirst),
        std::cmp::Ordering::Equal => None,
    }
}

fn year(n: u32, digits: usize) -> i32 {
    if digits <= 2 {
        2000 + n as i32
    } else {
        n as i32
    }
}

impl Clock {
    pub fn new(order: Option<DayOrder>, event_date: Option<NaiveDate>) -> Clock {
        Clock { order, event_date, event_minutes: None }
    }

    /// The same clock for an event planned to last `minutes`.
    pub fn with_event_minutes(self, minutes: Option<i64>) -> Clock {
        Clock { event_minutes: minutes.filter(|m| *m > 0), ..self }
    }

    pub fn event_minutes(&self) -> Option<i64> {
        self.event_minutes
    }

    /// A date-time as written in a report, or None when it is empty, a placeholder (`--`) or unreadable.
    pub fn parse(&self, value: &str) -> Option<NaiveDateTime> {
        let s: String = value
            .chars()
            .map(|c| if c.is_whitespace() || c == '\u{202F}' || c == '\u{00A0}' { ' ' } else { c.to_ascii_lowercase() })
            .collect();
        let s = s.trim().trim_matches('"').trim();
        if s.is_empty() || s.chars().all(|c| c == '-' || c == ' ') {
            return None;
        }
        // ISO 8601, with T or a space, optional seconds, fraction and zone suffix.
        let iso = s.replacen('t', " ", 1);
        if iso.len() >= 10 && iso.as_bytes()[4] == b'-' {
            let date = NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
            let rest = iso.get(10..)?.trim();
            let time = if rest.is_empty() { NaiveTime::MIN } else { time_of(rest.trim_end_matches('z'), None)? };
            return Some(date.and_time(time));
        }
        // Spanish locales write "p. m." with a space.
        let pm = s.contains("pm") || s.contains("p.m.") || s.contains("p. m.");
        let am = s.contains("am") || s.contains("a.m.") || s.contains("a. m.");
        let meridiem = if pm {
            Some(true)
        } else if am {
            Some(false)
        } else {
            None
        };
        let mut time = None;
        let mut numbers: Vec<(u32, usize)> = Vec::new();
        let mut separator = None;
        let mut month = None;
        for word in s.split([' ', ',']).filter(|w| !w.is_empty()) {
            if word.contains(':') {
                if time.is_none() {
                    time = Some(time_of(word, meridiem)?);
                }
            } else if let Some(m) = month_of(word) {
                month = Some(m);
            } else if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                let sep = word.chars().find(|c| matches!(c, '/' | '.' | '-'));
                if sep.is_some() {
                    separator = sep;
                }
                for part in word.split(['/', '.', '-']).filter(|p| !p.is_empty()) {
                    numbers.push((part.parse().ok()?, part.len()));
                }
            }
        }
        let date = match (month, numbers.as_slice()) {
            // "Mar 28, 2020" or "28 Mar 2020".
            (Some(m), [(d, _), (y, yl)]) => NaiveDate::from_ymd_opt(year(*y, *yl), m, *d),
            (None, [(a, al), (b, _), (c, cl)]) if *al == 4 => NaiveDate::from_ymd_opt(year(*a, *al), *b, *c),
            (None, [(a, _), (b, _), (y, yl)]) => {
                let order = if separator == Some('.') || *a > 12 {
                    DayOrder::DayFirst
                } else if *b > 12 {
                    DayOrder::MonthFirst
                } else if let Some(o) = self.order {
                    o
                } else if meridiem.is_some() {
                    // 12-hour clocks go with month-first dates (US English); 24-hour ones with day-first.
                    DayOrder::MonthFirst
                } else {
                    DayOrder::DayFirst
                };
                let (d, m) = if order == DayOrder::DayFirst { (*a, *b) } else { (*b, *a) };
                NaiveDate::from_ymd_opt(year(*y, *yl), m, d)
            }
            // A bare time ("3:00 PM") is on the event's day.
            (None, []) if time.is_some() => self.event_date,
            _ => None,
        }?;
        Some(date.and_time(time.unwrap_or(NaiveTime::MIN)))
    }
}

/// `15:01`, `3:01:05`, `03:01:05.123` with an optional 12-hour `meridiem` (true = PM).
fn time_of(s: &str, meridiem: Option<bool>) -> Option<NaiveTime> {
    let s = s.trim_end_matches(|c: char| c.is_alphabetic() || c == '.');
    let s = s.split(['+']).next()?.trim();
    let mut parts = s.split(':');
    let mut h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    let sec: u32 = match parts.next() {
        Some(p) => p.split('.').next()?.trim().parse().ok()?,
        None => 0,
    };
    match meridiem {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// A duration in seconds: plain minutes (`56`, `45.5`, `45,5`), `H:MM:SS` or `H:MM`, or amounts with
/// units (`1h 13m 42s`, `56 min`, `1 hr 5 min`, `2 год 5 хв`, `1 godz. 5 min`).
pub(crate) fn duration_secs(value: &str) -> Option<u32> {
    let s = value.trim().to_lowercase().replace(['\u{202F}', '\u{00A0}'], " ");
    let s = s.trim();
    if s.is_empty() || s.chars().all(|c| c == '-') {
        return None;
    }
    if let Ok(minutes) = s.replace(',', ".").parse::<f64>() {
        return (0.0..1e7).contains(&minutes).then(|| (minutes * 60.0).round() as u32);
    }
    if s.contains(':') {
        let parts: Vec<u32> = s.split(':').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
        return match parts.as_slice() {
            [h, m, sec] => Some(h * 3600 + m * 60 + sec),
            [h, m] => Some(h * 3600 + m * 60),
            _ => None,
        };
    }
    // Amounts with units: a number, then a unit word (a number without a unit is minutes).
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut total = 0f64;
    while i < chars.len() {
        if chars[i].is_whitespace() || chars[i] == ',' {
            i += 1;
            continue;
        }
        let mut number = String::new();
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], '.' | ',')
                    && !number.is_empty()
                    && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            number.push(if chars[i] == ',' { '.' } else { chars[i] });
            i += 1;
        }
        let n: f64 = number.parse().ok()?;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut unit = String::new();
        while i < chars.len() && (chars[i].is_alphabetic() || (chars[i] == '.' && !unit.is_empty())) {
            unit.push(chars[i]);
            i += 1;
        }
        total += n * unit_seconds(&text::fold(unit.trim_end_matches('.')))?;
    }
    (total < 1e9).then(|| total.round() as u32)
}

/// Seconds in one of a duration unit, in the spellings reports use (folded: "Sek." is "sek", "secundă"
/// is "secunda"), in English, German, French, Spanish, Italian, Portuguese, Polish, Romanian,
/// Ukrainian, Russian and Georgian.
fn unit_seconds(unit: &str) -> Option<f64> {
    const HOURS: &[&str] = &[
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "год",
        "година",
        "години",
        "годин",
        "ч",
        "час",
        "часа",
        "часов",
        "godz",
        "godzina",
        "godziny",
        "godzin",
        "ore",
        "ora",
        "std",
        "stunde",
        "stunden",
        "heure",
        "heures",
        "hora",
        "horas",
        "სთ",
        "საათი",
    ];
    const MINUTES: &[&str] = &[
        "",
        "m",
        "min",
        "mins",
        "minute",
        "minutes",
        "мин",
        "минут",
        "минуты",
        "минута",
        "хв",
        "хвилин",
        "хвилини",
        "хвилина",
        "minut",
        "minuty",
        "minuta",
        "minuten",
        "mn",
        "minuti",
        "minutos",
        "minuto",
        "хвил",
        "წთ",
        "წუთი",
    ];
    const SECONDS: &[&str] = &[
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "с",
        "сек",
        "секунд",
        "секунды",
        "секунди",
        "sek",
        "sekund",
        "sekundy",
        "secunde",
        "secunda",
        "sekunde",
        "sekunden",
        "seconde",
        "secondes",
        "secondi",
        "segundos",
        "seg",
        "წმ",
        "წამი",
    ];
    if HOURS.contains(&unit) {
        Some(3600.0)
    } else if MINUTES.contains(&unit) {
        Some(60.0)
    } else if SECONDS.contains(&unit) {
        Some(1.0)
    } else {
        None
    }
}

/// Whole minutes from seconds, rounded to the nearest minute.
pub(crate) fn minutes(secs: u32) -> i64 {
    (i64::from(secs) + 30) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn report_times_in_their_locales() {
        let clock = Clock::new(None, NaiveDate::from_ymd_opt(2022, 6, 28));
        let cases = [
            ("06/28/2022 06:02:11 PM", "2022-06-28 18:02:11"),
            ("06/28/2022 12:02:11 AM", "2022-06-28 00:02:11"),
            ("28/06/2022 18:02:11", "2022-06-28 18:02:11"),
            ("28.06.2022 18:02", "2022-06-28 18:02:00"),
            ("2022-06-28 18:02:11", "2022-06-28 18:02:11"),
            ("2022-06-28T18:02:11Z", "2022-06-28 18:02:11"),
            ("6/28/22, 6:02:11 PM", "2022-06-28 18:02:11"),
            ("20.07.2023, 16:16:29", "2023-07-20 16:16:29"),
            ("Mar 28, 2020 08:07:27", "2020-03-28 08:07:27"),
            ("Apr 09, 2020 8:50 PM", "2020-04-09 20:50:00"),
            ("3:00\u{202F}PM", "2022-06-28 15:00:00"),
            // Localized reports: German Teams (two-digit year), Spanish 12-hour clocks, month names.
            ("05.03.24, 15:00:01", "2024-03-05 15:00:01"),
            ("12.03.2024, 10:00:00", "2024-03-12 10:00:00"),
            ("15/3/2024, 3:00:01 p. m.", "2024-03-15 15:00:01"),
            ("Mär 05, 2024 14:55:00", "2024-03-05 14:55:00"),
            ("05 мар. 2024 14:55:00", "2024-03-05 14:55:00"),
            ("5 березня 2024 14:55", "2024-03-05 14:55:00"),
            ("juil. 05, 2024 14:55:00", "2024-07-05 14:55:00"),
            ("5 paź 2024 09:00", "2024-10-05 09:00:00"),
            ("15:45", "2022-06-28 15:45:00"),
        ];
        for (text, expected) in cases {
            assert_eq!(clock.parse(text), Some(at(expected)), "{text}");
        }
        for bad in ["", "--", "soon", "13/13/2022 10:00", "2022-02-30 10:00"] {
            assert_eq!(clock.parse(bad), None, "{bad}");
        }
        // An ambiguous date follows the order the rest of the file settles.
        assert_eq!(
            Clock::new(Some(DayOrder::DayFirst), None).parse("05/06/2022 10:00"),
            Some(at("2022-06-05 10:00:00"))
        );
        assert_eq!(
            Clock::new(Some(DayOrder::MonthFirst), None).parse("05/06/2022 10:00"),
            Some(at("2022-05-06 10:00:00"))
        );
        assert_eq!(sniff_order("a,05/06/2022 10:00\nb,28/06/2022 11:00\n"), Some(DayOrder::DayFirst));
        assert_eq!(sniff_order("a,06/28/2022 10:00 AM\n"), Some(DayOrder::MonthFirst));
    }

    #[test]
    fn durations_in_their_spellings() {
        let cases = [
            ("56", Some(56 * 60)),
            ("45.5", Some(2730)),
            ("45,5", Some(2730)),
            ("1h 13m 42s", Some(4422)),
            ("45m 30s", Some(2730)),
            ("1h", Some(3600)),
            ("56 min", Some(3360)),
            ("1 hr 5 min", Some(3900)),
            ("1:13:42", Some(4422)),
            ("1:13", Some(4380)),
            ("2 год 5 хв", Some(7500)),
            ("1 godz. 5 min", Some(3900)),
            ("30 sec", Some(30)),
            // Localized reports.
            ("59 Min. 59 Sek.", Some(3599)),
            ("1 Std. 2 Min.", Some(3720)),
            ("1 год 2 хв 3 с", Some(3723)),
            ("1 ч 2 мин", Some(3720)),
            ("1 ч. 2 мин. 3 сек.", Some(3723)),
            ("1 godz. 2 min", Some(3720)),
            ("1 h 2 min 3 s", Some(3723)),
            ("1 ore 2 min", Some(3720)),
            ("2 horas 5 minutos", Some(7500)),
            ("3 secunde", Some(3)),
            ("1 სთ 5 წთ", Some(3900)),
            ("--", None),
            ("", None),
            ("about an hour", None),
            ("5 parsecs", None),
        ];
        for (text, expected) in cases {
            assert_eq!(duration_secs(text), expected, "{text}");
        }
        assert_eq!((minutes(4422), minutes(89), minutes(90)), (74, 1, 2));
    }
}
