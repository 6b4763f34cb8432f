//! Projects: validation, update, listing and the delete that asks first.

use rollcall_core::events::{self, EventInput};
use rollcall_core::projects::{self, ProjectInput};

use crate::support::{invalid_field, new_db};

#[test]
fn create_update_and_list() {
    let t = new_db();
    let p = projects::create(
        &t.conn,
        &ProjectInput {
            name: "  In Search of Solidarity ".into(),
            code: Some("ISS".into()),
            donor: Some("European Union".into()),
            start_date: Some("2022-03-01".into()),
            end_date: Some("2023-02-28".into()),
            status: Some("Active".into()),
            description: None,
        },
    )
    .unwrap();
    assert_eq!(p.name, "In Search of Solidarity");
    assert_eq!(p.status, "active");
    assert_eq!(p.uid.len(), 36);
    let updated = projects::update(
        &t.conn,
        p.id,
        &ProjectInput { name: "Renamed".into(), status: Some("closed".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.code, None);
    assert_eq!(projects::list(&t.conn).unwrap().len(), 1);
}

#[test]
fn invalid_input_names_the_field() {
    let t = new_db();
    let cases: Vec<(ProjectInput, &str)> = vec![
        (ProjectInput { name: " ".into(), ..Default::default() }, "name"),
        (ProjectInput { name: "x".into(), start_date: Some("28.06.2022".into()), ..Default::default() }, "start_date"),
        (
            ProjectInput {
                name: "x".into(),
                start_date: Some("2022-06-28".into()),
                end_date: Some("2022-01-01".into()),
                ..Default::default()
            },
            "end_date",
        ),
        (ProjectInput { name: "x".into(), status: Some("finished".into()), ..Default::default() }, "status"),
        (ProjectInput { name: "x".repeat(301), ..Default::default() }, "name"),
    ];
    for (input, field) in cases {
        assert_eq!(invalid_field(projects::create(&t.conn, &input)), field, "{input:?}");
    }
    assert!(projects::list(&t.conn).unwrap().is_empty());
}

#[test]
fn deleting_a_project_with_events_asks_first_and_then_leaves_no_orphans() {
    let mut t = new_db();
    let p = crate::support::project(&t.conn, "P");
    events::create(
        &t.conn,
        &EventInput { project_id: p, title: "W".into(), starts_at: "2022-06-28T15:00".into(), ..Default::default() },
    )
    .unwrap();
    let err = projects::delete(&mut t.conn, p, false).unwrap_err();
    assert_eq!(err.kind(), "conflict");
    assert!(err.to_string().contains("1 event"), "{err}");
    assert_eq!(events::list(&t.conn, None).unwrap().len(), 1);
    projects::delete(&mut t.conn, p, true).unwrap();
    assert!(events::list(&t.conn, None).unwrap().is_empty());
    assert_eq!(projects::get(&t.conn, p).unwrap_err().kind(), "not_found");
}
