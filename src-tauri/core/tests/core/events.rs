//! Events: local start times in IANA zones, validation and listing.

use rollcall_core::events::{self, EventInput};

use crate::support::{invalid_field, new_db, project};

fn input(project_id: i64, starts_at: &str, tz: &str) -> EventInput {
    EventInput {
        project_id,
        title: "Webinar".into(),
        starts_at: starts_at.into(),
        timezone: Some(tz.into()),
        ..Default::default()
    }
}

#[test]
fn local_start_and_zone_give_the_utc_instant() {
    let t = new_db();
    let p = project(&t.conn, "P");
    // Announced as "18:00-23:30 MSK (UTC+3)".
    let e = events::create(
        &t.conn,
        &EventInput { duration_minutes: Some(330), ..input(p, "2021-02-06T18:00", "Europe/Moscow") },
    )
    .unwrap();
    assert_eq!(e.starts_at, "2021-02-06T18:00");
    assert_eq!(e.starts_utc, "2021-02-06T15:00:00Z");
    assert_eq!(e.utc_offset, "+03:00");
    // Kyiv in summer is UTC+3, in winter UTC+2; the old spelling of the zone is accepted.
    let summer = events::create(&t.conn, &input(p, "2022-06-28 15:00", "Europe/Kyiv")).unwrap();
    assert_eq!(summer.starts_utc, "2022-06-28T12:00:00Z");
    let winter = events::create(&t.conn, &input(p, "2022-12-01T15:00", "Europe/Kiev")).unwrap();
    assert_eq!(winter.starts_utc, "2022-12-01T13:00:00Z");
    let listed: Vec<i64> = events::list(&t.conn, Some(p)).unwrap().iter().map(|e| e.id).collect();
    assert_eq!(listed, vec![winter.id, summer.id, e.id], "newest first");
}

#[test]
fn bad_times_and_zones_are_refused_with_the_field() {
    let t = new_db();
    let p = project(&t.conn, "P");
    assert_eq!(invalid_field(events::create(&t.conn, &input(p, "28/06/2022 15:00", "Europe/Kyiv"))), "starts_at");
    assert_eq!(invalid_field(events::create(&t.conn, &input(p, "2022-06-28T15:00", "MSK"))), "timezone");
    // 02:30 on the last Sunday of March does not exist in Kyiv.
    assert_eq!(invalid_field(events::create(&t.conn, &input(p, "2022-03-27T03:30", "Europe/Kyiv"))), "starts_at");
    assert_eq!(invalid_field(events::create(&t.conn, &input(999, "2022-06-28T15:00", "Europe/Kyiv"))), "project_id");
    let mut long = input(p, "2022-06-28T15:00", "UTC");
    long.duration_minutes = Some(0);
    assert_eq!(invalid_field(events::create(&t.conn, &long)), "duration_minutes");
}

#[test]
fn issue15_in_person_events_keep_their_city_and_country() {
    let t = new_db();
    let p = project(&t.conn, "P");
    let e = events::create(
        &t.conn,
        &EventInput {
            kind: Some("training".into()),
            city: Some(" Chișinău ".into()),
            country: Some("md".into()),
            ..input(p, "2024-05-10T10:00", "Europe/Chisinau")
        },
    )
    .unwrap();
    assert_eq!((e.city.as_deref(), e.country.as_deref()), (Some("Chișinău"), Some("MD")));
    let mut change = events::input_of(&e);
    change.city = None;
    change.country = None;
    let e = events::update(&t.conn, e.id, &change).unwrap();
    assert_eq!((e.city, e.country), (None, None));
    let bad = EventInput { country: Some("Moldova".into()), ..input(p, "2024-05-10T10:00", "UTC") };
    assert_eq!(invalid_field(events::create(&t.conn, &bad)), "country");
}
