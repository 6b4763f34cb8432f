//! Organisations and partners: validation, search, partnership rules and delete behaviour.

use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::partners::{self, PartnerInput};
use rollcall_core::people::{self, PersonInput};

use crate::support::{invalid_field, new_db, project};

fn org(conn: &rollcall_core::db::Connection, name: &str, country: &str) -> i64 {
    organisations::create(
        conn,
        &OrganisationInput { name: name.into(), country: Some(country.into()), ..Default::default() },
    )
    .unwrap()
    .id
}

#[test]
fn validation_of_country_kind_and_website() {
    let t = new_db();
    let bad = [
        (OrganisationInput { name: "A".into(), country: Some("Ukraine".into()), ..Default::default() }, "country"),
        (OrganisationInput { name: "A".into(), kind: Some("company".into()), ..Default::default() }, "kind"),
        (
            OrganisationInput { name: "A".into(), website: Some("javascript:alert(1)".into()), ..Default::default() },
            "website",
        ),
    ];
    for (input, field) in bad {
        assert_eq!(invalid_field(organisations::create(&t.conn, &input)), field);
    }
    let o = organisations::create(
        &t.conn,
        &OrganisationInput {
            name: "Promo-LEX".into(),
            country: Some("md".into()),
            kind: Some("Informal group".into()),
            website: Some("promolex.md".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(o.country.as_deref(), Some("MD"));
    assert_eq!(o.kind, "informal_group");
    assert_eq!(o.website.as_deref(), Some("https://promolex.md"));
}

#[test]
fn search_finds_organisations_in_any_case_and_script() {
    let t = new_db();
    org(&t.conn, "Human Rights Vector", "UA");
    org(&t.conn, "Правозахисний Вектор", "UA");
    org(&t.conn, "მსოფლიო ტოლერანტობა", "GE");
    assert_eq!(organisations::list(&t.conn, Some("VECTOR")).unwrap().len(), 1);
    assert_eq!(organisations::list(&t.conn, Some("вектор")).unwrap().len(), 1);
    assert_eq!(organisations::list(&t.conn, Some("ტოლერ")).unwrap().len(), 1);
    assert_eq!(organisations::list(&t.conn, None).unwrap().len(), 3);
}

#[test]
fn a_partner_is_added_once_and_its_role_can_change() {
    let t = new_db();
    let p = project(&t.conn, "P");
    let o = org(&t.conn, "Human Rights Vector", "UA");
    let partner =
        partners::add(&t.conn, &PartnerInput { project_id: p, organisation_id: o, role: "Lead".into() }).unwrap();
    assert_eq!(partner.role, "lead");
    let again = partners::add(&t.conn, &PartnerInput { project_id: p, organisation_id: o, role: "partner".into() });
    assert_eq!(again.unwrap_err().kind(), "conflict");
    assert_eq!(partners::set_role(&t.conn, partner.id, "funder").unwrap().role, "funder");
    let bad = partners::add(&t.conn, &PartnerInput { project_id: p, organisation_id: 999, role: "lead".into() });
    assert_eq!(bad.unwrap_err().kind(), "not_found");
}

#[test]
fn deleting_an_organisation_asks_first_and_keeps_its_people() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let o = org(&t.conn, "World of Tolerance", "GE");
    partners::add(&t.conn, &PartnerInput { project_id: p, organisation_id: o, role: "partner".into() }).unwrap();
    let person = people::create(
        &t.conn,
        &PersonInput { full_name: "ნინო".into(), organisation_id: Some(o), ..Default::default() },
    )
    .unwrap();
    assert_eq!(organisations::delete(&mut t.conn, o, false).unwrap_err().kind(), "conflict");
    organisations::delete(&mut t.conn, o, true).unwrap();
    assert!(partners::for_project(&t.conn, p).unwrap().is_empty());
    assert_eq!(people::get(&t.conn, person.id).unwrap().organisation_id, None);
}
