//! Partners' exchange commands through IPC: the identity and card, trusting a partner's card, a bundle
//! sent by one installation and applied by another (preview, then apply), and merging two people.

use serde_json::json;

use crate::support::Shell;

#[test]
fn two_installations_trust_each_other_and_a_bundle_travels() {
    let lead = Shell::new();
    let partner = Shell::new();
    lead.ok("sample_data_load", json!({}));
    let lead_id = lead.ok("identity_show", json!({}));
    assert!(lead_id["card"].as_str().unwrap().starts_with("rollcall-card-1 "), "{lead_id}");
    assert_eq!(lead.ok("identity_show", json!({}))["fingerprint"], lead_id["fingerprint"], "made once");

    let org = partner.ok("organisation_create", json!({"input": {"name": "World of Tolerance", "country": "GE"}}));
    let lead_org =
        partner.ok("organisation_create", json!({"input": {"name": "Human Rights Vector", "country": "UA"}}));
    partner.ok("identity_set_organisation", json!({"organisationId": org["id"]}));
    let card = partner.ok("identity_show", json!({}))["card"].as_str().unwrap().to_string();
    partner.ok("contact_add", json!({"card": lead_id["card"], "organisationId": lead_org["id"]}));
    let project = partner.ok("project_create", json!({"input": {"name": "In Search of Solidarity"}}));
    let event = partner.ok(
        "event_create",
        json!({"input": {"project_id": project["id"], "title": "Tbilisi", "starts_at": "2022-07-05T18:00", "timezone": "Asia/Tbilisi"}}),
    );
    let person =
        partner.ok("person_create", json!({"input": {"full_name": "Nino Beridze", "email": "nino@example.ge"}}));
    partner.ok("attendance_set", json!({"input": {"event_id": event["id"], "person_id": person["id"]}}));
    // Someone the lead knows by name, with another email: the lead must decide.
    let nazarii = partner
        .ok("person_create", json!({"input": {"full_name": "Nazarii Boiarskyi", "email": "nazarii@partner.ge"}}));
    partner.ok("attendance_set", json!({"input": {"event_id": event["id"], "person_id": nazarii["id"]}}));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ge.rollcall");
    let sent = partner.ok(
        "bundle_export",
        json!({"job": 1, "projectId": project["id"], "to": [lead_id["fingerprint"]], "path": file.to_str().unwrap(),
               "full": false, "pseudonymous": false}),
    );
    assert_eq!(sent["events"], 1, "{sent}");

    // Not trusted yet: refused.
    let request = json!({"path": file.to_str().unwrap(), "dry_run": true});
    let err = lead.err("bundle_apply", json!({"job": 2, "request": request}));
    assert_eq!(err["kind"], "invalid", "{err}");
    let orgs = lead.ok("organisation_list", json!({"search": "World of Tolerance"}));
    lead.ok("contact_add", json!({"card": card, "organisationId": orgs[0]["id"]}));
    assert_eq!(lead.err("contact_add", json!({"card": "hello", "organisationId": orgs[0]["id"]}))["kind"], "invalid");
    let preview = lead.ok("bundle_apply", json!({"job": 3, "request": request}));
    assert_eq!((preview["dry_run"].as_bool(), preview["events_new"].as_u64()), (Some(true), Some(1)), "{preview}");
    let ambiguous = &preview["ambiguous"][0];
    assert_eq!(ambiguous["name"], "Nazarii Boiarskyi", "{preview}");
    let undecided = lead.err("bundle_apply", json!({"job": 30, "request": {"path": file.to_str().unwrap()}}));
    assert_eq!(undecided["field"], "resolutions", "{undecided}");
    let ours = ambiguous["candidates"][0]["id"].clone();
    let decision = json!([{"key": ambiguous["key"], "action": "person", "person_id": ours}]);
    assert!(lead
        .ok("event_list", json!({"projectId": null}))
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["title"] != "Tbilisi"));
    let applied = lead
        .ok("bundle_apply", json!({"job": 4, "request": {"path": file.to_str().unwrap(), "resolutions": decision}}));
    assert_eq!((applied["people_new"].as_u64(), applied["people_matched"].as_u64()), (Some(1), Some(1)), "{applied}");
    assert!(lead
        .ok("event_list", json!({"projectId": null}))
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["title"] == "Tbilisi"));
    let history = lead.ok("bundle_list", json!({}));
    assert_eq!(history[0]["direction"], "applied");
    let again = lead.ok("bundle_apply", json!({"job": 5, "request": {"path": file.to_str().unwrap()}}));
    assert_eq!(again["already_applied"], true);
}

#[test]
fn two_people_are_merged_into_one() {
    let shell = Shell::new();
    let a =
        shell.ok("person_create", json!({"input": {"full_name": "Mariam Gelashvili", "email": "mariam@example.ge"}}));
    let b = shell.ok("person_create", json!({"input": {"full_name": "Mariam Gelaschwili", "country": "GE"}}));
    let merged = shell.ok("person_merge", json!({"keep": a["id"], "drop": b["id"]}));
    assert_eq!(merged["dropped_id"], b["id"], "{merged}");
    assert_eq!(shell.ok("person_get", json!({"id": a["id"]}))["country"], "GE", "missing fields are filled");
    assert_eq!(shell.err("person_get", json!({"id": b["id"]}))["kind"], "not_found");
    assert_eq!(shell.err("person_merge", json!({"keep": a["id"], "drop": a["id"]}))["kind"], "invalid");
}
