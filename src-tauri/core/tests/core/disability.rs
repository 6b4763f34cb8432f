//! Disability answers (issue #15): only under a recorded consent, gone when it is withdrawn, in the
//! person's data download, never in the logs, and gone byte for byte when the person is erased.

use std::sync::Mutex;

use rollcall_core::disability::{self, DisabilityInput};
use rollcall_core::people::{self, ConsentInput, PersonInput};
use rollcall_core::privacy;

use crate::support::{invalid_field, new_db};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        LINES.lock().unwrap().push(record.args().to_string());
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn issue15_disability_needs_consent_is_downloadable_unlogged_and_erased() {
    let _ = log::set_logger(&CAPTURE);
    log::set_max_level(log::LevelFilter::Trace);
    let mut t = new_db();
    let id = people::create(&t.conn, &PersonInput { full_name: "Olena".into(), ..Default::default() }).unwrap().id;
    let answers = DisabilityInput::from_short_set("1,2,1,1,2,cannot do at all").unwrap();
    // No consent, nothing stored.
    assert_eq!(invalid_field(disability::set(&t.conn, id, &answers)), "disability");
    people::add_consent(
        &t.conn,
        id,
        &ConsentInput { purpose: disability::CONSENT_PURPOSE.into(), ..Default::default() },
    )
    .unwrap();
    let d = disability::set(&t.conn, id, &answers).unwrap();
    assert_eq!((d.status.as_str(), d.communicating.as_deref()), ("yes", Some("cannot_do_at_all")));

    // In the data download, JSON and CSV.
    let data = privacy::person_data(&t.conn, id).unwrap();
    assert_eq!(data.disability.as_ref().map(|d| d.status.as_str()), Some("yes"));
    let rows = privacy::person_data_rows(&data);
    assert!(rows.iter().any(|r| r[0] == "disability" && r[2] == "communicating" && r[3] == "cannot_do_at_all"));

    // Withdrawing the consent deletes the answers; recording it again allows them again.
    people::withdraw_consent(&t.conn, id, Some(disability::CONSENT_PURPOSE)).unwrap();
    assert_eq!(disability::get(&t.conn, id).unwrap(), None);
    people::add_consent(
        &t.conn,
        id,
        &ConsentInput { purpose: disability::CONSENT_PURPOSE.into(), ..Default::default() },
    )
    .unwrap();
    disability::set(&t.conn, id, &answers).unwrap();

    // The answers are in the file once per domain CHECK of the schema, plus in the person's row.
    let schema: String =
        t.conn.query_row("SELECT group_concat(sql, ' ') FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    let needle = b"cannot_do_at_all";
    let in_schema = occurrences(schema.as_bytes(), needle);
    rollcall_core::db::checkpoint(&t.conn).unwrap();
    assert!(occurrences(&std::fs::read(&t.path).unwrap(), needle) > in_schema);

    privacy::erase_person(&mut t.conn, id).unwrap();
    drop(t.conn);
    let mut after = 0;
    for suffix in ["", "-wal"] {
        after += occurrences(&std::fs::read(format!("{}{suffix}", t.path.display())).unwrap_or_default(), needle);
    }
    assert_eq!(after, in_schema, "the erased answers left bytes behind");

    // Never logged.
    for line in LINES.lock().unwrap().iter() {
        for word in ["cannot_do_at_all", "some_difficulty", "cannot do at all", "Olena"] {
            assert!(!line.contains(word), "logged: {line}");
        }
    }
}
