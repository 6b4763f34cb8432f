//! The sample data offered on first run: a real project of a Ukrainian, a Georgian and a Moldovan NGO,
//! its partners and a webinar with 57 people, plus a second project's conference. People are invented.

use rusqlite::Connection;
use serde::Serialize;

use crate::attendance::{self, AttendanceInput};
use crate::db;
use crate::error::{Error, Result};
use crate::events::{self, EventInput};
use crate::organisations::{self, OrganisationInput};
use crate::partners::{self, PartnerInput};
use crate::people::{self, ConsentInput, PersonInput};
use crate::projects::{self, ProjectInput};

pub const PROJECT_NAME: &str = "In Search of Solidarity";

#[derive(Debug, Clone, Serialize)]
pub struct SampleSummary {
    pub projects: usize,
    pub organisations: usize,
    pub events: usize,
    pub people: usize,
    pub attendances: usize,
}

/// Ukrainian participants: (name, email user, gender).
const UA: &[(&str, &str, &str)] = &[
    ("Олена Коваленко", "olena.kovalenko", "female"),
    ("Андрій Шевчук", "a.shevchuk", "male"),
    ("Ірина Бондаренко", "iryna.b", "female"),
    ("Мар’яна Ткачук", "maryana.tkachuk", "female"),
    ("Тарас Мельник", "taras.melnyk", "male"),
    ("Оксана Кравченко", "", "female"),
    ("Юлія Олійник", "yulia.oliinyk", "female"),
    ("Дмитро Савченко", "d.savchenko", "male"),
    ("Наталія Руденко", "n.rudenko", "female"),
    ("Богдан Лисенко", "bohdan.lysenko", "male"),
    ("Софія Гнатюк", "", "not stated"),
    ("Олександр Поліщук", "o.polishchuk", "male"),
    ("Катерина Мороз", "kateryna.moroz", "female"),
    ("Євген Петренко", "yevhen.petrenko", "male"),
    ("Аліна Зайченко", "alina.z", "non-binary"),
    ("Віктор Гуменюк", "", "male"),
    ("Людмила Сидоренко", "l.sydorenko", "female"),
    ("Роман Ковальчук", "roman.kovalchuk", "male"),
    ("Олена Яремчук", "olena.yaremchuk", "female"),
    ("Василь Марченко", "v.marchenko", "male"),
];

/// Georgian participants.
const GE: &[(&str, &str, &str)] = &[
    ("ნინო ბერიძე", "nino.beridze", "female"),
    ("გიორგი კაპანაძე", "giorgi.kapanadze", "male"),
    ("მარიამ გელაშვილი", "mariam.gelashvili", "female"),
    ("ლევან ლომიძე", "", "male"),
    ("თამარ ჯავახიშვილი", "tamar.j", "female"),
    ("დავით მაისურაძე", "davit.m", "male"),
    ("ანა ხუციშვილი", "ana.khutsishvili", "female"),
    ("ირაკლი წიკლაური", "irakli.ts", "male"),
    ("ეკა ნოზაძე", "", "female"),
    ("ლაშა ბაქრაძე", "lasha.bakradze", "male"),
    ("სალომე ტაბიძე", "salome.tabidze", "not stated"),
    ("ნიკა ჩხეიძე", "nika.chkheidze", "male"),
    ("ქეთევან დოლიძე", "ketevan.dolidze", "female"),
    ("ზურაბ ღლონტი", "zurab.ghlonti", "male"),
    ("ნათია მამულაშვილი", "natia.m", "female"),
    ("თორნიკე აბაშიძე", "", "male"),
    ("ხათუნა ქავთარაძე", "khatuna.k", "female"),
];

/// Moldovan participants.
const MD: &[(&str, &str, &str)] = &[
    ("Ion Ciobanu", "ion.ciobanu", "male"),
    ("Ana Rusu", "ana.rusu", "female"),
    ("Mihaela Ceban", "mihaela.ceban", "female"),
    ("Vasile Munteanu", "", "male"),
    ("Cristina Țurcanu", "cristina.turcanu", "female"),
    ("Andrei Lungu", "andrei.lungu", "male"),
    ("Doina Popescu", "doina.popescu", "female"),
    ("Sergiu Cojocaru", "s.cojocaru", "male"),
    ("Elena Sârbu", "elena.sarbu", "female"),
    ("Alexandru Rotaru", "", "male"),
    ("Natalia Guțu", "natalia.gutu", "female"),
    ("Victor Bălan", "victor.balan", "male"),
    ("Irina Moraru", "irina.moraru", "not stated"),
    ("Dumitru Ștefan", "dumitru.stefan", "male"),
    ("Tatiana Croitoru", "tatiana.croitoru", "female"),
    ("Radu Grosu", "radu.grosu", "male"),
    ("Maria Zgardan", "", "female"),
];

/// Loads the sample data in one transaction. Refused if the sample project is already there.
pub fn load(conn: &mut Connection) -> Result<SampleSummary> {
    let exists: i64 = conn.query_row("SELECT count(*) FROM projects WHERE name = ?1", [PROJECT_NAME], |r| r.get(0))?;
    if exists > 0 {
        return Err(Error::conflict("the sample data is already loaded"));
    }
    let summary = db::write(conn, |tx| {
        let org = |name: &str, short: &str, country: &str, kind: &str, website: &str| -> Result<i64> {
            Ok(organisations::create(
                tx,
                &OrganisationInput {
                    name: name.into(),
                    short_name: Some(short.into()).filter(|s: &String| !s.is_empty()),
                    country: Some(country.into()).filter(|s: &String| !s.is_empty()),
                    kind: Some(kind.into()),
                    website: Some(website.into()).filter(|s: &String| !s.is_empty()),
                    notes: None,
                },
            )?
            .id)
        };
        let hrv = org("Human Rights Vector", "HRV", "UA", "ngo", "")?;
        let wot = org("World of Tolerance", "WoT", "GE", "ngo", "")?;
        let promolex = org("Promo-LEX", "", "MD", "ngo", "https://promolex.md")?;
        let hrhf = org("Human Rights House Foundation", "HRHF", "NO", "foundation", "https://humanrightshouse.org")?;
        let eu = org("European Union", "EU", "BE", "donor", "")?;
        let cpd = org("Center for Participation and Development", "CPD", "GE", "ngo", "")?;
        let ba = org("Belarusians Abroad", "", "", "informal_group", "")?;
        let orgs = 7;

        let solidarity = projects::create(
            tx,
            &ProjectInput {
                name: PROJECT_NAME.into(),
                code: Some("ISS-2022".into()),
                donor: Some("European Union".into()),
                start_date: Some("2022-03-01".into()),
                end_date: Some("2023-02-28".into()),
                status: Some("active".into()),
                description: Some(
                    "Webinars, a contest and conferences on international solidarity, run by NGOs from Ukraine, \
                     Georgia and Moldova with the support of Human Rights House Foundation."
                        .into(),
                ),
            },
        )?
        .id;
        for (org_id, role) in
            [(hrv, "lead"), (wot, "partner"), (promolex, "partner"), (hrhf, "supporter"), (eu, "funder")]
        {
            partners::add(tx, &PartnerInput { project_id: solidarity, organisation_id: org_id, role: role.into() })?;
        }
        let webinar = events::create(
            tx,
            &EventInput {
                project_id: solidarity,
                title: "Human Rights: Examples of International Solidarity".into(),
                kind: Some("webinar".into()),
                starts_at: "2022-06-28T15:00".into(),
                timezone: Some("Europe/Kyiv".into()),
                duration_minutes: Some(120),
                platform: Some("Zoom".into()),
                language: Some("Ukrainian, English".into()),
                ..Default::default()
            },
        )?
        .id;

        let person = |name: &str, email: &str, org: Option<i64>, country: &str, gender: &str| -> Result<i64> {
            let id = people::create(
                tx,
                &PersonInput {
                    full_name: name.into(),
                    email: Some(email.into()).filter(|e: &String| !e.is_empty()),
                    organisation_id: org,
                    country: Some(country.into()),
                    gender: Some(gender.into()),
                    notes: None,
                    ..Default::default()
                },
            )?
            .id;
            people::add_consent(
                tx,
                id,
                &ConsentInput {
                    purpose: "Attendance records for donor reporting".into(),
                    given_on: Some("2022-06-20".into()),
                    method: Some("registration form".into()),
                },
            )?;
            Ok(id)
        };
        let attend = |event_id: i64, person_id: i64, role: &str, status: &str, minutes: Option<i64>| -> Result<()> {
            attendance::set(
                tx,
                &AttendanceInput { event_id, person_id, role: Some(role.into()), status: Some(status.into()), minutes },
            )?;
            Ok(())
        };

        let sasha = person("Sasha Delemenchuk", "sasha.delemenchuk@example.org", Some(cpd), "GE", "not stated")?;
        let nazarii = person("Nazarii Boiarskyi", "nazarii.boiarskyi@example.org", Some(hrv), "UA", "male")?;
        let organiser = person("Halyna Vovk", "halyna.vovk@example.org", Some(hrv), "UA", "female")?;
        attend(webinar, sasha, "speaker", "attended", Some(118))?;
        attend(webinar, nazarii, "moderator", "attended", Some(120))?;
        attend(webinar, organiser, "organiser", "attended", Some(125))?;
        let mut people_count = 3;
        let mut attendances = 3;
        // 54 participants make 57 people at the webinar; a few registered but did not come.
        type Group<'a> = (&'a [(&'a str, &'a str, &'a str)], Option<i64>, &'a str, &'a str);
        let groups: [Group; 3] = [
            (UA, Some(hrv), "UA", "vector.org.ua"),
            (GE, Some(wot), "GE", "tolerance.ge"),
            (MD, Some(promolex), "MD", "promolex.md"),
        ];
        let mut n = 0i64;
        for (list, org_id, country, domain) in groups {
            for (i, (name, user, gender)) in list.iter().enumerate() {
                let email = if user.is_empty() { String::new() } else { format!("{user}@{domain}") };
                // Every third person has no organisation recorded, as in real sign-up lists.
                let org_id = if i % 3 == 2 { None } else { org_id };
                let id = person(name, &email, org_id, country, gender)?;
                people_count += 1;
                n += 1;
                let (status, minutes) =
                    if n % 11 == 0 { ("absent", None) } else { ("attended", Some(30 + (n * 37) % 91)) };
                attend(webinar, id, "participant", status, minutes)?;
                attendances += 1;
            }
        }

        let conference_project = projects::create(
            tx,
            &ProjectInput {
                name: "Solidarity Conference With the Belarusian People".into(),
                donor: None,
                start_date: Some("2021-02-06".into()),
                end_date: Some("2021-02-06".into()),
                status: Some("closed".into()),
                description: Some("An online conference of solidarity with the people of Belarus.".into()),
                ..Default::default()
            },
        )?
        .id;
        partners::add(tx, &PartnerInput { project_id: conference_project, organisation_id: ba, role: "lead".into() })?;
        let conference = events::create(
            tx,
            &EventInput {
                project_id: conference_project,
                title: "Solidarity Conference With the Belarusian People".into(),
                kind: Some("conference".into()),
                starts_at: "2021-02-06T18:00".into(),
                timezone: Some("Europe/Moscow".into()),
                duration_minutes: Some(330),
                platform: Some("Zoom".into()),
                language: Some("Belarusian, Russian, English".into()),
                ..Default::default()
            },
        )?
        .id;
        let speaker = person("Алесь Кавалёў", "ales.kavaleu@example.org", Some(ba), "BY", "male")?;
        people_count += 1;
        attend(conference, speaker, "speaker", "attended", Some(300))?;
        attend(conference, nazarii, "participant", "attended", Some(240))?;
        attend(conference, sasha, "participant", "attended", Some(180))?;
        attendances += 3;

        Ok(SampleSummary { projects: 2, organisations: orgs, events: 2, people: people_count, attendances })
    })?;
    log::info!("sample data loaded: {} people, {} attendances", summary.people, summary.attendances);
    Ok(summary)
}
