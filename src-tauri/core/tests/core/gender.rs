//! Gender as categories (issue #15): the spelling table, the forms' input, the "needs review" list and the
//! one-call mapping, and the migration that converts stored values and loses none.

use rollcall_core::db;
use rollcall_core::gender;
use rollcall_core::people::{self, PersonInput};

use crate::support::new_db;

/// (as written, category): English, Ukrainian, Russian, Georgian, Romanian, Polish, German; any case,
/// accents or none, trailing dots.
const SPELLINGS: &[(&str, &str)] = &[
    ("F", "woman"),
    ("f", "woman"),
    ("Female", "woman"),
    ("FEMALE ", "woman"),
    ("woman", "woman"),
    ("Жінка", "woman"),
    ("жін.", "woman"),
    ("ЖІН", "woman"),
    ("Ж", "woman"),
    ("Женщина", "woman"),
    ("жен.", "woman"),
    ("ქალი", "woman"),
    ("femeie", "woman"),
    ("Femeie", "woman"),
    ("kobieta", "woman"),
    ("Kobieta", "woman"),
    ("weiblich", "woman"),
    ("Weiblich", "woman"),
    ("M", "man"),
    ("male", "man"),
    ("Man", "man"),
    ("Чоловік", "man"),
    ("чол.", "man"),
    ("мужчина", "man"),
    ("Муж.", "man"),
    ("კაცი", "man"),
    ("მამაკაცი", "man"),
    ("bărbat", "man"),
    ("barbat", "man"),
    ("mężczyzna", "man"),
    ("mezczyzna", "man"),
    ("männlich", "man"),
    ("mannlich", "man"),
    ("Non-binary", "non_binary"),
    ("nonbinary", "non_binary"),
    ("небінарна особа", "non_binary"),
    ("небинарный", "non_binary"),
    ("არაბინარული", "non_binary"),
    ("niebinarna", "non_binary"),
    ("nichtbinär", "non_binary"),
    ("divers", "non_binary"),
    ("Prefer not to say", "prefers_not_to_say"),
    ("не хочу вказувати", "prefers_not_to_say"),
    ("keine Angabe", "prefers_not_to_say"),
    ("wolę nie podawać", "prefers_not_to_say"),
    ("", "not_stated"),
    ("  ", "not_stated"),
    ("n/a", "not_stated"),
    ("не вказано", "not_stated"),
    ("agender", "self_described"),
    ("two-spirit", "self_described"),
    ("genderfluid person", "self_described"),
];

#[test]
fn issue15_spellings_map_to_categories_case_and_accent_blind() {
    assert!(SPELLINGS.len() >= 40);
    let t = new_db();
    for (written, category) in SPELLINGS {
        let g = gender::parse(&t.conn, Some(written)).unwrap();
        assert_eq!(g.category.as_deref().unwrap_or("not_stated"), *category, "{written:?}");
        // The words are kept as given (trimmed), except where there were none.
        if !written.trim().is_empty() && *category == "self_described" {
            assert_eq!(g.text.as_deref(), Some(written.trim()));
        }
        // Forms and the CLI map the same way.
        let p = people::create(
            &t.conn,
            &PersonInput { full_name: "X".into(), gender: Some(written.to_string()), ..Default::default() },
        )
        .unwrap();
        assert_eq!(p.gender.as_deref().unwrap_or("not_stated"), *category, "{written:?}");
    }
    // A category with a text: self-described needs one.
    let field = crate::support::invalid_field(gender::resolve(&t.conn, Some("self_described"), None));
    assert_eq!(field, "gender_text");
}

#[test]
fn issue15_needs_review_lists_spellings_and_one_call_maps_them_for_everyone() {
    let mut t = new_db();
    for (name, g) in [("A", "Femeie?"), ("B", "femeie?"), ("C", "FÉMEIE?"), ("D", "agender"), ("E", "F")] {
        people::create(&t.conn, &PersonInput { full_name: name.into(), gender: Some(g.into()), ..Default::default() })
            .unwrap();
    }
    let review = gender::review(&t.conn).unwrap();
    let got: Vec<(&str, i64)> = review.iter().map(|r| (r.key.as_str(), r.people)).collect();
    assert_eq!(got, [("femeie?", 3), ("agender", 1)]);
    let m = gender::map_spelling(&mut t.conn, "femeie?", "woman").unwrap();
    assert_eq!((m.category.as_str(), m.people), ("woman", 3));
    assert_eq!(gender::review(&t.conn).unwrap().len(), 1);
    // Remembered: the next person written that way is a woman at once, the words kept.
    let p = people::create(
        &t.conn,
        &PersonInput { full_name: "F".into(), gender: Some("Femeie?".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!((p.gender.as_deref(), p.gender_text.as_deref()), (Some("woman"), Some("Femeie?")));
    assert_eq!(crate::support::invalid_field(gender::map_spelling(&mut t.conn, "x", "female-ish")), "gender");
}

#[test]
fn issue15_migration_converts_every_stored_gender_and_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollcall.sqlite3");
    // A database at schema version 5, as the previous release left it.
    {
        let conn = db::Connection::open(&path).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for file in ["0001_init.sql", "0002_import.sql", "0003_safety.sql", "0004_reports.sql", "0005_consortium.sql"] {
            conn.execute_batch(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
        }
        conn.execute_batch(&format!("PRAGMA user_version = 5; PRAGMA application_id = {};", db::APPLICATION_ID))
            .unwrap();
        for (i, (written, _)) in SPELLINGS.iter().enumerate() {
            conn.execute(
                "INSERT INTO people (uid, full_name, gender, name_key, search_key, created_at, updated_at)
                 VALUES (?1, 'P', ?2, 'p', 'p', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
                rusqlite::params![format!("0190a0a0-0000-7000-8000-{i:012}"), written],
            )
            .unwrap();
        }
    }
    let conn = rollcall_core::open::open(&path).unwrap();
    assert_eq!(db::schema_version(&conn).unwrap(), db::latest_version());
    let mut stmt = conn.prepare("SELECT gender, gender_text FROM people ORDER BY uid").unwrap();
    let rows: Vec<(Option<String>, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), SPELLINGS.len());
    for ((category, text), (written, expected)) in rows.iter().zip(SPELLINGS) {
        assert_eq!(category.as_deref().unwrap_or("not_stated"), *expected, "{written:?}");
        // Every value that said anything is still there, word for word.
        let kept = if written.trim().is_empty() { None } else { Some(written.trim()) };
        assert_eq!(text.as_deref(), kept, "{written:?}");
    }
}
