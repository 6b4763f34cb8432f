//! Opening, pragmas, migrations and the refusal of newer or foreign database files.

use rollcall_core::db;
use rollcall_core::rusqlite::types::Value;
use rollcall_core::Error;

use crate::support::new_db;
use rollcall_core::open;

#[test]
fn a_new_database_is_at_the_latest_version_with_safe_pragmas() {
    let t = new_db();
    assert_eq!(db::schema_version(&t.conn).unwrap(), db::latest_version());
    let get = |p: &str| -> String {
        let v: Value = t.conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0)).unwrap();
        match v {
            Value::Integer(i) => i.to_string(),
            Value::Text(s) => s,
            other => format!("{other:?}"),
        }
    };
    assert_eq!(get("journal_mode"), "wal");
    assert_eq!(get("foreign_keys"), "1");
    assert_eq!(get("synchronous"), "2", "synchronous=FULL");
    assert_eq!(get("secure_delete"), "1");
    assert_eq!(get("application_id"), db::APPLICATION_ID.to_string());
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_again() {
    let t = new_db();
    crate::support::project(&t.conn, "Kept");
    drop(t.conn);
    let conn = open::open(&t.path).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM projects", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let t = new_db();
    t.conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(t.conn);
    let before = std::fs::read(&t.path).unwrap();
    match open::open(&t.path) {
        Err(Error::NewerDatabase { found: 99, supported }) => assert_eq!(supported, db::latest_version()),
        other => panic!("expected NewerDatabase, got {other:?}"),
    }
    assert_eq!(std::fs::read(&t.path).unwrap(), before, "the file must not change");
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    {
        let c = db::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hello');").unwrap();
    }
    let err = open::open(&path).unwrap_err();
    assert_eq!(err.kind(), "bad_database", "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    std::fs::write(&path, "this is a text file, not a database ".repeat(200)).unwrap();
    let err = open::open(&path).unwrap_err();
    assert_eq!(err.kind(), "bad_database", "{err}");
    assert!(err.to_string().contains("notes.sqlite3"), "{err}");
}

#[test]
fn a_failed_write_transaction_leaves_nothing_behind() {
    let mut t = new_db();
    let result: rollcall_core::Result<()> = db::write(&mut t.conn, |tx| {
        crate::support::project(tx, "Half");
        Err(Error::conflict("stop"))
    });
    assert!(result.is_err());
    let n: i64 = t.conn.query_row("SELECT count(*) FROM projects", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

#[test]
fn ids_resolve_by_number_and_by_uid() {
    let t = new_db();
    let id = crate::support::project(&t.conn, "P");
    let uid: String = t.conn.query_row("SELECT uid FROM projects WHERE id = ?1", [id], |r| r.get(0)).unwrap();
    assert_eq!(db::resolve_id(&t.conn, db::Table::Projects, &id.to_string()).unwrap(), id);
    assert_eq!(db::resolve_id(&t.conn, db::Table::Projects, &uid.to_uppercase()).unwrap(), id);
    assert_eq!(db::resolve_id(&t.conn, db::Table::Projects, "999").unwrap_err().kind(), "not_found");
    assert_eq!(db::resolve_id(&t.conn, db::Table::Projects, "abc").unwrap_err().kind(), "invalid");
}
