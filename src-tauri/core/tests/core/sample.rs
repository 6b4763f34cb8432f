//! The sample data: the real project's shape, loaded once.

use rollcall_core::people::{self, PeopleQuery};
use rollcall_core::{attendance, events, partners, projects, sample};

use crate::support::new_db;

#[test]
fn sample_data_matches_the_real_project() {
    let mut t = new_db();
    let summary = sample::load(&mut t.conn).unwrap();
    assert_eq!(summary.projects, 2);
    let all = projects::list(&t.conn).unwrap();
    let iss = all.iter().find(|p| p.name == "In Search of Solidarity").unwrap();
    assert_eq!(iss.donor.as_deref(), Some("European Union"));
    let partner_roles: Vec<(String, String)> =
        partners::for_project(&t.conn, iss.id).unwrap().into_iter().map(|p| (p.organisation_name, p.role)).collect();
    assert!(partner_roles.contains(&("Human Rights Vector".into(), "lead".into())));
    assert!(partner_roles.contains(&("World of Tolerance".into(), "partner".into())));
    assert!(partner_roles.contains(&("Promo-LEX".into(), "partner".into())));
    assert!(partner_roles.contains(&("Human Rights House Foundation".into(), "supporter".into())));

    let webinar = &events::list(&t.conn, Some(iss.id)).unwrap()[0];
    assert_eq!(webinar.title, "Human Rights: Examples of International Solidarity");
    assert_eq!(webinar.timezone, "Europe/Kyiv");
    let list = attendance::for_event(&t.conn, webinar.id).unwrap();
    assert_eq!(list.len(), 57);
    let role_of = |name: &str| list.iter().find(|a| a.name == name).map(|a| a.role.clone());
    assert_eq!(role_of("Sasha Delemenchuk").as_deref(), Some("speaker"));
    assert_eq!(role_of("Nazarii Boiarskyi").as_deref(), Some("moderator"));

    let conference = all.iter().find(|p| p.name == "Solidarity Conference With the Belarusian People").unwrap();
    let conf_event = &events::list(&t.conn, Some(conference.id)).unwrap()[0];
    assert_eq!((conf_event.starts_at.as_str(), conf_event.timezone.as_str()), ("2021-02-06T18:00", "Europe/Moscow"));
    assert_eq!(conf_event.duration_minutes, Some(330));

    let olena = people::list(&t.conn, &PeopleQuery { search: Some("олена".into()), ..Default::default() }).unwrap();
    assert!(olena.total >= 1);
    // Loading twice is refused rather than duplicating everything.
    assert_eq!(sample::load(&mut t.conn).unwrap_err().kind(), "conflict");
}
