//! Events: webinars, conferences, trainings and other gatherings of a project, each with its local start
//! time and IANA time zone as announced ("18:00 MSK" is 18:00 in Europe/Moscow).

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result, Rule};
use crate::validate;

pub const KINDS: &[&str] = &["webinar", "conference", "training", "meeting", "contest", "other"];
pub const DEFAULT_TIMEZONE: &str = "Europe/Kyiv";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub uid: String,
    pub project_id: i64,
    pub project_name: String,
    pub title: String,
    pub kind: String,
    /// Local start as announced, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub timezone: String,
    /// The same instant in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub starts_utc: String,
    /// Offset of the zone at the start, like `+03:00`, for display ("18:00 (UTC+03:00)").
    pub utc_offset: String,
    pub duration_minutes: Option<i64>,
    pub platform: Option<String>,
    pub link: Option<String>,
    pub recording_link: Option<String>,
    pub language: Option<String>,
    pub notes: String,
    /// The partner organisation that ran the event (None: not recorded).
    pub organiser_id: Option<i64>,
    pub organiser_name: Option<String>,
    /// Where an in-person event took place (None for online ones, or not recorded).
    pub city: Option<String>,
    /// ISO 3166 two-letter code of the country of an in-person event.
    pub country: Option<String>,
    /// The partner installation (site uid) that owns the event, when it came in a bundle; None when this
    /// installation recorded it. Such an event changes only through that partner's bundles.
    pub origin_site: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// People recorded as attended (computed).
    pub attended: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    pub project_id: i64,
    pub title: String,
    pub kind: Option<String>,
    pub starts_at: String,
    pub timezone: Option<String>,
    pub duration_minutes: Option<i64>,
    pub platform: Option<String>,
    pub link: Option<String>,
    pub recording_link: Option<String>,
    pub language: Option<String>,
    pub notes: Option<String>,
    /// The partner organisation that ran the event.
    pub organiser_id: Option<i64>,
    /// City and country (two-letter code) of an in-person event.
    pub city: Option<String>,
    pub country: Option<String>,
}

/// Parses a local date-time as typed (`2022-06-28T18:00`, `2022-06-28 18:00`, seconds optional).
pub fn parse_local(value: &str) -> Option<NaiveDateTime> {
    let v = value.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
}

/// Checks an IANA zone name ("Europe/Kyiv"); the old spelling "Europe/Kiev" is accepted too.
pub fn parse_timezone(value: &str) -> Result<Tz> {
    value.trim().parse::<Tz>().map_err(|_| {
        Error::rule("timezone", Rule::TimeZone, format!("'{}' is not a time zone name like Europe/Kyiv", value.trim()))
    })
}

/// The UTC instant of a local time in a zone. In the hour a clock goes back, the earlier instant is taken;
/// a time that does not exist (the hour skipped in spring) is refused.
pub fn to_utc(local: NaiveDateTime, tz: Tz) -> Result<chrono::DateTime<chrono::Utc>> {
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&chrono::Utc)).ok_or_else(|| {
        Error::rule("starts_at", Rule::ClockGap, format!("{local} does not exist in {tz} (the clocks go forward then)"))
    })
}

struct Valid {
    title: String,
    kind: String,
    starts_at: String,
    timezone: String,
    starts_utc: String,
    duration: Option<i64>,
    platform: Option<String>,
    link: Option<String>,
    recording_link: Option<String>,
    language: Option<String>,
    notes: String,
    city: Option<String>,
    country: Option<String>,
}

fn validate(input: &EventInput) -> Result<Valid> {
    let local = parse_local(&input.starts_at).ok_or_else(|| {
        Error::rule(
            "starts_at",
            Rule::DateTime,
            format!("start must be a date and time like 2022-06-28T18:00, not '{}'", input.starts_at.trim()),
        )
    })?;
    let tz = parse_timezone(input.timezone.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(DEFAULT_TIMEZONE))?;
    if let Some(d) = input.duration_minutes {
        validate::range(
            "duration_minutes",
            d,
            1,
            validate::MAX_MINUTES,
            "duration must be between 1 minute and 31 days",
        )?;
    }
    Ok(Valid {
        title: validate::required("title", &input.title)?,
        kind: validate::one_of("kind", input.kind.as_deref().unwrap_or("webinar"), KINDS)?,
        starts_at: local.format("%Y-%m-%dT%H:%M").to_string(),
        timezone: tz.name().to_string(),
        starts_utc: to_utc(local, tz)?.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        duration: input.duration_minutes,
        platform: validate::optional("platform", input.platform.as_deref())?,
        link: validate::url("link", input.link.as_deref())?,
        recording_link: validate::url("recording_link", input.recording_link.as_deref())?,
        language: validate::optional("language", input.language.as_deref())?,
        notes: validate::long("notes", input.notes.as_deref())?,
        city: validate::optional("city", input.city.as_deref())?,
        country: validate::country("country", input.country.as_deref())?,
    })
}

const SELECT: &str = "SELECT e.id, e.uid, e.project_id, p.name, e.title, e.kind, e.starts_at, e.timezone, e.starts_utc,
       e.duration_minutes, e.platform, e.link, e.recording_link, e.language, e.notes, e.created_at, e.updated_at,
       (SELECT count(*) FROM attendance a WHERE a.event_id = e.id AND a.status = 'attended'),
       e.organiser_id, (SELECT name FROM organisations o WHERE o.id = e.organiser_id), e.origin_site,
       e.city, e.country
  FROM events e JOIN projects p ON p.id = e.project_id";

fn from_row(r: &Row) -> rusqlite::Result<Event> {
    let starts_at: String = r.get(6)?;
    let timezone: String = r.get(7)?;
    Ok(Event {
        id: r.get(0)?,
        uid: r.get(1)?,
        project_id: r.get(2)?,
        project_name: r.get(3)?,
        title: r.get(4)?,
        kind: r.get(5)?,
        utc_offset: utc_offset(&starts_at, &timezone),
        starts_at,
        timezone,
        starts_utc: r.get(8)?,
        duration_minutes: r.get(9)?,
        platform: r.get(10)?,
        link: r.get(11)?,
        recording_link: r.get(12)?,
        language: r.get(13)?,
        notes: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        attended: r.get(17)?,
        organiser_id: r.get(18)?,
        organiser_name: r.get(19)?,
        origin_site: r.get(20)?,
        city: r.get(21)?,
        country: r.get(22)?,
    })
}

fn utc_offset(starts_at: &str, timezone: &str) -> String {
    match (parse_local(starts_at), timezone.parse::<Tz>()) {
        (Some(local), Ok(tz)) => {
            tz.from_local_datetime(&local).earliest().map(|t| t.format("%:z").to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn check_organiser(conn: &Connection, organiser_id: Option<i64>) -> Result<()> {
    match organiser_id {
        Some(id) => db::ensure_exists(conn, Table::Organisations, id)
            .map_err(|_| Error::invalid("organiser_id", format!("organisation {id} does not exist"))),
        None => Ok(()),
    }
}

pub fn create(conn: &Connection, input: &EventInput) -> Result<Event> {
    db::ensure_exists(conn, Table::Projects, input.project_id)
        .map_err(|_| Error::invalid("project_id", format!("project {} does not exist", input.project_id)))?;
    let v = validate(input)?;
    check_organiser(conn, input.organiser_id)?;
    let now = db::now();
    conn.execute(
        "INSERT INTO events (uid, project_id, title, kind, starts_at, timezone, starts_utc, duration_minutes, platform,
                             link, recording_link, language, notes, created_at, updated_at, organiser_id, city, country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17)",
        params![
            db::new_uid(),
            input.project_id,
            v.title,
            v.kind,
            v.starts_at,
            v.timezone,
            v.starts_utc,
            v.duration,
            v.platform,
            v.link,
            v.recording_link,
            v.language,
            v.notes,
            now,
            input.organiser_id,
            v.city,
            v.country
        ],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, input: &EventInput) -> Result<Event> {
    db::ensure_exists(conn, Table::Projects, input.project_id)
        .map_err(|_| Error::invalid("project_id", format!("project {} does not exist", input.project_id)))?;
    let v = validate(input)?;
    check_organiser(conn, input.organiser_id)?;
    let origin: Option<Option<String>> =
        conn.query_row("SELECT origin_site FROM events WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if let Some(Some(_)) = origin {
        return Err(Error::conflict(format!(
            "event {id} was recorded by a partner; it changes only through that partner's bundles"
        )));
    }
    let n = conn.execute(
        "UPDATE events SET project_id = ?2, title = ?3, kind = ?4, starts_at = ?5, timezone = ?6, starts_utc = ?7,
                duration_minutes = ?8, platform = ?9, link = ?10, recording_link = ?11, language = ?12, notes = ?13,
                updated_at = ?14, organiser_id = ?15, city = ?16, country = ?17
          WHERE id = ?1",
        params![
            id,
            input.project_id,
            v.title,
            v.kind,
            v.starts_at,
            v.timezone,
            v.starts_utc,
            v.duration,
            v.platform,
            v.link,
            v.recording_link,
            v.language,
            v.notes,
            db::now(),
            input.organiser_id,
            v.city,
            v.country
        ],
    )?;
    if n == 0 {
        return Err(Error::not_found("event", id));
    }
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Event> {
    conn.query_row(&format!("{SELECT} WHERE e.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("event", id))
}

/// The input that recreates an event as it is, for changing a few fields of it.
pub fn input_of(e: &Event) -> EventInput {
    EventInput {
        project_id: e.project_id,
        title: e.title.clone(),
        kind: Some(e.kind.clone()),
        starts_at: e.starts_at.clone(),
        timezone: Some(e.timezone.clone()),
        duration_minutes: e.duration_minutes,
        platform: e.platform.clone(),
        link: e.link.clone(),
        recording_link: e.recording_link.clone(),
        language: e.language.clone(),
        notes: Some(e.notes.clone()),
        organiser_id: e.organiser_id,
        city: e.city.clone(),
        country: e.country.clone(),
    }
}

/// Events, newest first; only those of one project when `project_id` is given.
pub fn list(conn: &Connection, project_id: Option<i64>) -> Result<Vec<Event>> {
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE ?1 IS NULL OR e.project_id = ?1 ORDER BY e.starts_utc DESC, e.id DESC"))?;
    let rows = stmt.query_map([project_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes an event; its attendance goes with it, so unless `cascade` is set a Conflict asks first.
pub fn delete(conn: &mut Connection, id: i64, cascade: bool) -> Result<()> {
    db::ensure_exists(conn, Table::Events, id)?;
    let attendance: i64 = conn.query_row("SELECT count(*) FROM attendance WHERE event_id = ?1", [id], |r| r.get(0))?;
    if !cascade && attendance > 0 {
        return Err(Error::conflict(format!(
            "this event has {attendance} attendance record(s); deleting it deletes them too"
        )));
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
        Ok(())
    })
}
