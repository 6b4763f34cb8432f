//! The core's errors as front ends receive them: `{kind, message}` plus `field`, and, for issue 16, the
//! `code` of a broken rule or a known conflict and the `params` a message is made of, so the window can
//! word each error in its own language.

use rollcall_core::error::Rule;
use rollcall_core::people::{self, PersonInput};
use rollcall_core::Error;
use serde_json::{json, Value};

use crate::support::new_db;

fn wire(e: &Error) -> Value {
    serde_json::to_value(e).unwrap()
}

#[test]
fn issue16_errors_carry_their_code_and_params() {
    let t = new_db();
    // A rule broken by real input: the field, the rule's code and the English message as a fallback.
    let missing = people::create(&t.conn, &PersonInput { full_name: "  ".into(), ..Default::default() }).unwrap_err();
    let w = wire(&missing);
    assert_eq!(
        (w["kind"].as_str(), w["field"].as_str(), w["code"].as_str()),
        (Some("invalid"), Some("full_name"), Some("required")),
        "{w}"
    );
    assert!(w["message"].as_str().unwrap().contains("required"));

    let long =
        people::create(&t.conn, &PersonInput { full_name: "x".repeat(5_000), ..Default::default() }).unwrap_err();
    let w = wire(&long);
    assert_eq!(w["code"], "too_long", "{w}");
    assert!(w["params"]["max"].as_u64().unwrap() > 0, "{w}");

    let bad_email = people::create(
        &t.conn,
        &PersonInput { full_name: "Олена".into(), email: Some("not an address".into()), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(wire(&bad_email)["code"], "email");

    // Kinds whose message is made of values: those values travel as params.
    let gone = people::get(&t.conn, 987_654).unwrap_err();
    assert_eq!(wire(&gone)["params"], json!({ "entity": "person", "id": "987654" }));
    let parse = Error::parse("list.csv", Some(7), Some(3), "an unterminated quote");
    assert_eq!(
        wire(&parse)["params"],
        json!({ "file": "list.csv", "line": 7, "column": 3, "detail": "an unterminated quote" })
    );
    assert_eq!(wire(&Error::NewerDatabase { found: 9, supported: 8 })["params"], json!({ "found": 9, "supported": 8 }));

    // Errors without values keep the plain shape.
    let w = wire(&Error::Cancelled);
    assert_eq!(w.as_object().unwrap().len(), 2, "{w}");
    assert_eq!(Rule::TooLong { max: 3 }.code(), "too_long");
}

/// Issue 20: a file another program holds (Excel on Windows) is its own kind, with the file as a param,
/// so the window can say which file to close.
#[test]
fn issue20_a_file_in_use_says_which_file() {
    let e = Error::FileInUse { path: r"C:\Users\Олена\Документи\Звіт.csv".into() };
    let w = wire(&e);
    assert_eq!(w["kind"], "file_in_use", "{w}");
    assert_eq!(w["params"]["path"], r"C:\Users\Олена\Документи\Звіт.csv", "{w}");
    assert!(w["message"].as_str().unwrap().contains("open in another program"), "{w}");
}

/// Issue 19: what a coordinator can type wrong in the window breaks a named rule, with the numbers its
/// message is made of, so the window says it in the user's language (not the core's English).
#[test]
fn issue19_input_typed_in_the_window_breaks_a_named_rule() {
    use rollcall_core::attendance::{self, AttendanceInput};
    use rollcall_core::events::{self, EventInput};
    use rollcall_core::indicators::{self, IndicatorInput};

    let t = new_db();
    let project = crate::support::project(&t.conn, "Rules");
    let event = |starts_at: &str, timezone: &str, duration: i64| {
        events::create(
            &t.conn,
            &EventInput {
                project_id: project,
                title: "Webinar".into(),
                starts_at: starts_at.into(),
                timezone: Some(timezone.into()),
                duration_minutes: Some(duration),
                ..Default::default()
            },
        )
    };
    let webinar = event("2024-03-14T10:00", "Europe/Kyiv", 90).unwrap().id;
    let person =
        people::create(&t.conn, &PersonInput { full_name: "Олена Коваленко".into(), ..Default::default() }).unwrap().id;
    let indicator = |filter: Option<&str>, measure: Option<&str>, threshold: Option<i64>, share: bool, target: f64| {
        indicators::add(
            &t.conn,
            project,
            &IndicatorInput {
                name: "Women reached".into(),
                measure: measure.map(String::from),
                threshold,
                filter: filter.map(String::from),
                share,
                baseline: None,
                target: Some(target),
            },
        )
    };
    let db = t.path.clone();
    let cases: Vec<(&str, Error, &str, &str, Value)> = vec![
        (
            "minutes",
            attendance::set(
                &t.conn,
                &AttendanceInput { event_id: webinar, person_id: person, minutes: Some(99_999), ..Default::default() },
            )
            .unwrap_err(),
            "minutes",
            "range",
            json!({"min": 0, "max": 44_640}),
        ),
        (
            "duration",
            event("2024-03-14T10:00", "Europe/Kyiv", 0).unwrap_err(),
            "duration_minutes",
            "range",
            json!({"min": 1, "max": 44_640}),
        ),
        ("time zone", event("2024-03-14T10:00", "Kyiv", 60).unwrap_err(), "timezone", "time_zone", Value::Null),
        ("start", event("14 March", "Europe/Kyiv", 60).unwrap_err(), "starts_at", "date_time", Value::Null),
        (
            "clocks forward",
            event("2024-03-31T03:30", "Europe/Kyiv", 60).unwrap_err(),
            "starts_at",
            "clock_gap",
            Value::Null,
        ),
        (
            "filter",
            indicator(Some("women"), None, None, false, 10.0).unwrap_err(),
            "filter",
            "indicator_filter",
            Value::Null,
        ),
        (
            "filter value",
            indicator(Some("gender=lots"), None, None, false, 10.0).unwrap_err(),
            "filter",
            "indicator_filter",
            Value::Null,
        ),
        (
            "threshold",
            indicator(None, Some("people_min_events"), None, false, 10.0).unwrap_err(),
            "threshold",
            "threshold",
            Value::Null,
        ),
        ("share", indicator(None, None, None, true, 10.0).unwrap_err(), "share", "indicator_shape", Value::Null),
        ("target", indicator(None, None, None, false, -1.0).unwrap_err(), "target", "at_least", json!({"min": 0})),
        (
            "not a table",
            rollcall_core::export::check_table_extension(&t.dir.path().join("people.docx")).unwrap_err(),
            "path",
            "table_file",
            Value::Null,
        ),
        (
            "the database",
            rollcall_core::files::check_destination(&db, &db, "path").unwrap_err(),
            "path",
            "database_file",
            Value::Null,
        ),
        (
            "a folder",
            rollcall_core::files::check_destination(&db, t.dir.path(), "path").unwrap_err(),
            "path",
            "not_a_file",
            Value::Null,
        ),
        (
            "restore onto itself",
            rollcall_core::restore::restore(&db, &db, None).unwrap_err(),
            "backup",
            "database_file",
            Value::Null,
        ),
    ];
    for (what, e, field, code, params) in cases {
        let w = wire(&e);
        assert_eq!(
            (w["kind"].as_str(), w["field"].as_str(), w["code"].as_str()),
            (Some("invalid"), Some(field), Some(code)),
            "{what}: {w}"
        );
        assert_eq!(w.get("params").cloned().unwrap_or(Value::Null), params, "{what}: {w}");
        assert!(!w["message"].as_str().unwrap().is_empty(), "{what}: the English message stays for the CLI");
    }
}
