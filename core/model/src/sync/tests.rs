//! Tests of the sync wire types.

use super::*;
use crate::seal::DeviceKey;

#[test]
fn receipt_signs_and_verifies() {
    let key = DeviceKey::from_secret([7; 32]);
    let heads = vec!["b".repeat(64), "a".repeat(64)];
    let t = "2026-03-02T02:00:00Z";
    let sig = key.sign_hex(&Receipt::message("c1", &heads, t, "d1"));
    let r = Receipt {
        case_id: "c1".into(),
        heads: heads.clone(),
        server_time: t.into(),
        device_id: "d1".into(),
        signature: sig,
    };
    assert!(r.verify(&key.public_hex()).is_ok());
    let forged = Receipt {
        server_time: "2026-03-01T02:00:00Z".into(),
        ..r.clone()
    };
    assert!(forged.verify(&key.public_hex()).is_err());
    assert!(r
        .verify(&DeviceKey::from_secret([8; 32]).public_hex())
        .is_err());
}

#[test]
fn messages_round_trip_as_base64_json() {
    let req = SyncRequest {
        messages: vec![
            CaseMessage {
                case_id: "c1".into(),
                message: Some(vec![0x42, 0, 255]),
            },
            CaseMessage {
                case_id: "c2".into(),
                message: None,
            },
        ],
    };
    let json = serde_json::to_string(&req).unwrap();
    assert!(json.contains("\"QgD/\""), "{json}");
    assert_eq!(serde_json::from_str::<SyncRequest>(&json).unwrap(), req);
    let missing: CaseMessage = serde_json::from_str(r#"{"case_id":"c3"}"#).unwrap();
    assert_eq!(missing.message, None);
    assert!(serde_json::from_str::<CaseMessage>(r#"{"case_id":"c3","message":"!!"}"#).is_err());
}

#[test]
fn heads_hex_round_trip_and_reject_bad_hashes() {
    let h = ChangeHash([3; 32]);
    let hex = heads_to_hex(&[h]);
    assert_eq!(heads_from_hex(&hex).unwrap(), vec![h]);
    assert!(heads_from_hex(&["xyz".into()]).is_err());
    assert!(heads_from_hex(&["A".repeat(64)]).is_err());
}

#[test]
fn check_requests_are_compact_and_match_the_column_form() {
    let a = ChangeHash([3; 32]);
    let b = ChangeHash([9; 32]);
    let req =
        CheckRequest::from_heads([("c1".to_string(), vec![b, a]), ("c2".to_string(), vec![a])]);
    assert_eq!(req.cases.len(), 2);
    let d = &req.cases[0].digest;
    assert!(is_heads_digest(d), "{d}");
    // Order of heads does not matter; hex, hash and column forms agree.
    assert_eq!(*d, heads_digest(&[a, b]));
    assert_eq!(*d, heads_digest_hex(&heads_to_hex(&[b, a])));
    assert_eq!(*d, heads_digest_of_key(&heads_to_hex(&[a, b]).join(",")));
    assert_ne!(*d, req.cases[1].digest);
    let json = serde_json::to_string(&req).unwrap();
    assert_eq!(
        json,
        format!(
            r#"{{"cases":{{"c1":"{d}","c2":"{}"}}}}"#,
            req.cases[1].digest
        )
    );
    assert_eq!(serde_json::from_str::<CheckRequest>(&json).unwrap(), req);
    let hex = CheckRequest::from_hex_heads([("c1".to_string(), heads_to_hex(&[a, b]))]);
    assert_eq!(hex.cases[0], req.cases[0]);
    // Code written for the first protocol still builds the same request.
    let rows = vec![("c1".to_string(), heads_to_hex(&[b, a]))];
    let collected = CheckRequest {
        cases: rows
            .into_iter()
            .map(|(case_id, heads)| CaseHeads { case_id, heads })
            .collect(),
    };
    assert_eq!(collected.cases[0], req.cases[0]);
    // The first protocol's form is still understood.
    let legacy = format!(
        r#"{{"cases":[{{"case_id":"c1","heads":{}}}]}}"#,
        serde_json::to_string(&heads_to_hex(&[a, b])).unwrap()
    );
    assert_eq!(
        serde_json::from_str::<CheckRequest>(&legacy).unwrap().cases[0],
        req.cases[0]
    );
    // Malformed digests, heads and duplicates are refused.
    for bad in [
        r#"{"cases":{"c1":"short"}}"#,
        r#"{"cases":{"c1":"AAAAAAAAAAAAAAAA"}}"#,
        r#"{"cases":{"c1":"AAAAAAAAAAA=","c2":"AAAAAAAAAAAA"}}"#,
        r#"{"cases":{"c1":"AAAAAAAAAAAA","c1":"AAAAAAAAAAAB"}}"#,
        r#"{"cases":[{"case_id":"c1","heads":["xyz"]}]}"#,
        r#"{"cases":"c1"}"#,
    ] {
        assert!(serde_json::from_str::<CheckRequest>(bad).is_err(), "{bad}");
    }
}

#[test]
fn roles_parse_their_names() {
    for r in Role::ALL {
        assert_eq!(Role::parse(r.as_str()), Some(r));
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            format!("\"{}\"", r.as_str())
        );
    }
    assert_eq!(Role::parse("root"), None);
}

#[test]
fn calendar_package_round_trips_and_refuses_altered_data() {
    use crate::deadlines::Calendar;
    let y2027 =
        r#"{"2027": {"holidays": ["2027-01-01", "2027-10-01"], "workdays": ["2027-09-26"]}}"#;
    let cal = Calendar::embedded().merge_json(y2027).unwrap();
    let pkg = CalendarPackage::new(&cal, Some("2026-11-27T10:00:00+08:00".into()));
    assert_eq!(pkg.years.last(), Some(&2027));
    let wire = serde_json::to_string(&pkg).unwrap();
    let back: CalendarPackage = serde_json::from_str(&wire).unwrap();
    let got = back.calendar().unwrap();
    assert_eq!(got.version(), cal.version());
    assert!(got.covers_year(2027) && got.covers_year(2017));
    // One make-up day removed on the way: the version no longer matches.
    let mut altered = back.clone();
    altered.calendar["2027"]["workdays"] = serde_json::json!([]);
    let e = altered.calendar().unwrap_err().to_string();
    assert!(e.contains("版本不符"), "{e}");
    // Invalid data (a weekday as make-up day) is refused as such.
    altered.calendar["2027"]["workdays"] = serde_json::json!(["2027-09-27"]);
    assert!(altered
        .calendar()
        .unwrap_err()
        .to_string()
        .contains("节假日日历无效"));
}

#[test]
fn check_response_calendar_is_optional_on_the_wire() {
    let old = r#"{"server_time":"t","changed":[],"unknown":[],"forbidden":[],"available":[]}"#;
    let r: CheckResponse = serde_json::from_str(old).unwrap();
    assert_eq!(r.calendar, None);
    assert!(!serde_json::to_string(&r).unwrap().contains("calendar"));
    let r = CheckResponse {
        calendar: Some("abc".into()),
        ..r
    };
    assert!(serde_json::to_string(&r)
        .unwrap()
        .contains(r#""calendar":"abc""#));
}
