//! Registration against attendance, per event and for a project: registered, attended, no-shows (registered
//! but did not attend), walk-ins (attended without registering) and the attendance rate of those who
//! registered.
//!
//! Registrations are the `registrations` table (migration 6), kept apart from the attendance status, which
//! an attendance report moves on from `registered` to `attended`. Erased people left anonymous counts by
//! status only: an erased attendee counts as attended (whether they had registered is gone, so they are
//! neither a walk-in nor a registered attendee), and an erased record still `registered` counts as a
//! registration and a no-show. The project figures are sums over its events (a person registered for two
//! events is two registrations).

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::{date_range, local_date};
use crate::db::{self, Table};
use crate::error::{Error, Result};

/// Which events the report covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationOptions {
    /// Only this event (it must belong to the project).
    pub event_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The figures of one event, or of the project (`event_id` None).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRegistration {
    pub event_id: Option<i64>,
    pub title: String,
    /// Local start date `YYYY-MM-DD` (empty for the project line).
    pub date: String,
    pub registered: i64,
    /// People recorded as attended (erased ones included).
    pub attended: i64,
    /// Registered people who attended.
    pub registered_attended: i64,
    /// Registered and did not attend (absent, cancelled or never recorded as attended).
    pub no_shows: i64,
    /// Attended without registering.
    pub walk_ins: i64,
    /// Registered people who attended, as a percentage of those registered, to one decimal (None without
    /// registrations).
    pub attendance_rate: Option<f64>,
    /// No-shows as a percentage of those registered, to one decimal.
    pub no_show_rate: Option<f64>,
}

/// Registration and attendance of a project's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationReport {
    pub project_id: i64,
    pub project_name: String,
    pub options: RegistrationOptions,
    /// One line per event, oldest first.
    pub events: Vec<EventRegistration>,
    /// The sums over those events.
    pub total: EventRegistration,
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 1000.0).round() / 10.0)
}

/// Registered, attended, no-shows and walk-ins per event of a project and in all.
pub fn registration_report(
    conn: &Connection,
    project_id: i64,
    opts: &RegistrationOptions,
) -> Result<RegistrationReport> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let (from, to) = date_range(opts.from.as_deref(), opts.to.as_deref())?;
    if let Some(e) = opts.event_id {
        let project: Option<i64> =
            conn.query_row("SELECT project_id FROM events WHERE id = ?1", [e], |r| r.get(0)).ok();
        match project {
            None => return Err(Error::not_found("event", e)),
            Some(p) if p != project_id => {
                return Err(Error::invalid("event_id", format!("event {e} is not an event of project {project_id}")))
            }
            Some(_) => {}
        }
    }
    let project_name: String = conn.query_row("SELECT name FROM projects WHERE id = ?1", [project_id], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.title, e.starts_at,
                (SELECT count(*) FROM registrations r WHERE r.event_id = e.id),
                (SELECT count(*) FROM attendance a WHERE a.event_id = e.id AND a.status = 'attended'),
                (SELECT count(*) FROM registrations r JOIN attendance a ON a.event_id = r.event_id AND a.person_id = r.person_id
                  WHERE r.event_id = e.id AND a.status = 'attended'),
                (SELECT coalesce(sum(count), 0) FROM event_anonymous_counts c WHERE c.event_id = e.id AND c.status = 'attended'),
                (SELECT coalesce(sum(count), 0) FROM event_anonymous_counts c WHERE c.event_id = e.id AND c.status = 'registered')
           FROM events e
          WHERE e.project_id = ?1 AND (?2 IS NULL OR e.id = ?2)
            AND (?3 IS NULL OR substr(e.starts_at, 1, 10) >= ?3) AND (?4 IS NULL OR substr(e.starts_at, 1, 10) <= ?4)
          ORDER BY e.starts_utc, e.id",
    )?;
    let events: Vec<EventRegistration> = stmt
        .query_map(params![project_id, opts.event_id, from, to], |r| {
            let (registered, attended, registered_attended, erased_attended, erased_registered): (
                i64,
                i64,
                i64,
                i64,
                i64,
            ) = (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            let registered_all = registered + erased_registered;
            let no_shows = registered - registered_attended + erased_registered;
            Ok(EventRegistration {
                event_id: Some(r.get(0)?),
                title: r.get(1)?,
                date: local_date(&r.get::<_, String>(2)?),
                registered: registered_all,
                attended: attended + erased_attended,
                registered_attended,
                no_shows,
                walk_ins: attended - registered_attended,
                attendance_rate: rate(registered_attended, registered_all),
                no_show_rate: rate(no_shows, registered_all),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut total = EventRegistration { title: project_name.clone(), ..Default::default() };
    for e in &events {
        total.registered += e.registered;
        total.attended += e.attended;
        total.registered_attended += e.registered_attended;
        total.no_shows += e.no_shows;
        total.walk_ins += e.walk_ins;
    }
    total.attendance_rate = rate(total.registered_attended, total.registered);
    total.no_show_rate = rate(total.no_shows, total.registered);
    log::info!("registration report of project {project_id}: {} events", events.len());
    Ok(RegistrationReport {
        project_id,
        project_name,
        options: RegistrationOptions { event_id: opts.event_id, from, to },
        events,
        total,
    })
}
