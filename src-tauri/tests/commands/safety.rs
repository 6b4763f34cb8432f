//! Safety and privacy commands through IPC: check, backups and restore, encryption with unlock after a
//! restart, a person's data and erasure, retention.

use serde_json::json;

use crate::support::Shell;

#[test]
fn check_backup_and_restore() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let check = shell.ok("safety_check", json!({"job": 1}));
    assert_eq!(check["ok"], true, "{check}");

    let backup = shell.ok("backup_now", json!({"job": 2}));
    let listed = shell.ok("backup_list", json!({}));
    assert!(listed.as_array().unwrap().iter().any(|b| b["path"] == backup["path"]), "{listed}");

    // A change after the backup goes away when the backup is restored; the window's connection is
    // reopened on the restored file.
    shell.ok("project_create", json!({"input": {"name": "Made after the backup"}}));
    let before = shell.ok("project_list", json!({})).as_array().unwrap().len();
    shell.ok("backup_restore", json!({"path": backup["path"], "passphrase": null}));
    let after = shell.ok("project_list", json!({})).as_array().unwrap().len();
    assert_eq!(after, before - 1);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.sqlite3");
    shell.ok("backup_save", json!({"job": 3, "path": out.to_str().unwrap()}));
    assert!(out.is_file());
    let e = shell.err("backup_restore", json!({"path": "/no/such/backup.sqlite3"}));
    assert_eq!(e["field"], "path");
}

#[test]
fn encrypt_then_unlock_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rollcall.sqlite3");
    {
        let shell = Shell::at(&db);
        shell.ok("sample_data_load", json!({}));
        let short = shell.err("db_encrypt", json!({"job": 41, "passphrase": "short"}));
        assert_eq!(short["field"], "passphrase", "{short}");
        shell.ok("db_encrypt", json!({"job": 42, "passphrase": "correct horse battery"}));
        // Still usable right after, through the reopened connection.
        assert!(!shell.ok("project_list", json!({})).as_array().unwrap().is_empty());
        let status = shell.ok("app_status", json!({}));
        assert_eq!(status["database"]["encrypted"], true, "{status}");
        // Changing the passphrase and back exercises the re-key path with the window's connection open.
        shell.ok(
            "db_change_passphrase",
            json!({"job": 43, "old": "correct horse battery", "new": "another long passphrase"}),
        );
        shell.ok(
            "db_change_passphrase",
            json!({"job": 43, "old": "another long passphrase", "new": "correct horse battery"}),
        );
    }
    // (The mock app keeps its state alive after the block, so the restarted shell below is not alone
    // with the file; decrypting, which needs the file to itself, is tested in its own test.)
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "an encrypted file has no readable header");

    let shell = Shell::at(&db);
    let status = shell.ok("app_status", json!({}));
    assert_eq!(status["locked"], true, "{status}");
    assert_eq!(shell.err("project_list", json!({}))["kind"], "passphrase_required");
    assert_eq!(shell.err("db_unlock", json!({"passphrase": "wrong passphrase"}))["kind"], "wrong_passphrase");
    shell.ok("db_unlock", json!({"passphrase": "correct horse battery"}));
    assert_eq!(shell.ok("app_status", json!({}))["locked"], false);
    // Background jobs open their own connection with the same passphrase.
    assert_eq!(shell.ok("safety_check", json!({"job": 1}))["ok"], true);
}

#[test]
fn decrypt_brings_back_a_plain_file() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let db = shell.ok("app_status", json!({}))["database_path"].as_str().unwrap().to_string();
    shell.ok("db_encrypt", json!({"job": 42, "passphrase": "correct horse battery"}));
    assert_eq!(
        shell.err("db_decrypt", json!({"job": 44, "passphrase": "not the passphrase"}))["kind"],
        "wrong_passphrase"
    );
    assert!(!shell.ok("project_list", json!({})).as_array().unwrap().is_empty(), "still open after a failed decrypt");
    shell.ok("db_decrypt", json!({"job": 45, "passphrase": "correct horse battery"}));
    assert!(std::fs::read(&db).unwrap().starts_with(b"SQLite format 3"));
    assert_eq!(shell.ok("app_status", json!({}))["database"]["encrypted"], false);
}

#[test]
fn a_persons_data_erasure_and_retention() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let people = shell.ok("person_list", json!({"query": {"search": null, "limit": 5, "offset": 0}}));
    let id = people["items"][0]["id"].as_i64().unwrap();
    let name = people["items"][0]["full_name"].as_str().unwrap().to_string();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("person.json");
    shell.ok("person_export", json!({"id": id, "path": out.to_str().unwrap(), "format": "json"}));
    assert!(std::fs::read_to_string(&out).unwrap().contains(&name));

    let erased = shell.ok("person_erase", json!({"id": id}));
    assert_eq!(erased["people"], 1, "{erased}");
    assert_eq!(shell.err("person_get", json!({"id": id}))["kind"], "not_found");

    let candidates = shell.ok("retention_candidates", json!({"before": "2030-01-01"}));
    assert!(!candidates.as_array().unwrap().is_empty());
    assert_eq!(shell.err("retention_candidates", json!({"before": "last year"}))["field"], "before");
    assert_eq!(shell.err("retention_erase", json!({"ids": []}))["field"], "ids");
    let ids: Vec<i64> = candidates.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    let erased = shell.ok("retention_erase", json!({"ids": ids}));
    assert_eq!(erased["people"].as_u64().unwrap() as usize, ids.len());
}
