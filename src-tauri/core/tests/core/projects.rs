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

#[test]
fn issue15_age_bands_and_participant_types_per_project() {
    let mut t = new_db();
    let p = crate::support::project(&t.conn, "P");
    let labels = |bands: Vec<projects::AgeBand>| bands.iter().map(|b| b.label()).collect::<Vec<_>>();
    assert_eq!(labels(projects::age_bands(&t.conn, p).unwrap()), ["0-17", "18-24", "25-34", "35-49", "50-64", "65+"]);
    let youth = ["15-24", "0-14", "25+"].map(|b| projects::AgeBand::parse(b).unwrap());
    assert_eq!(labels(projects::set_age_bands(&mut t.conn, p, &youth).unwrap()), ["0-14", "15-24", "25+"]);
    let overlap = ["15-24", "20-29"].map(|b| projects::AgeBand::parse(b).unwrap());
    assert_eq!(invalid_field(projects::set_age_bands(&mut t.conn, p, &overlap)), "age_bands");
    assert_eq!(labels(projects::set_age_bands(&mut t.conn, p, &[]).unwrap()).len(), 6, "back to the defaults");

    let keys = |conn: &rollcall_core::db::Connection| {
        projects::participant_types(conn, p).unwrap().into_iter().map(|t| t.key).collect::<Vec<_>>()
    };
    assert_eq!(keys(&t.conn)[..3], ["civil_society", "human_rights_defender", "journalist"]);
    let set = ["Journalist", "Blogger", "Lawyer"].map(String::from);
    projects::set_participant_types(&mut t.conn, p, &set).unwrap();
    assert_eq!(keys(&t.conn), ["journalist", "blogger", "lawyer"]);
    let twice = ["Blogger", "blogger"].map(String::from);
    assert_eq!(invalid_field(projects::set_participant_types(&mut t.conn, p, &twice)), "participant_types");
}
