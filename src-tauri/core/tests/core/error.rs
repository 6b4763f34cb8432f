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
