//! The record schema of ARCHITECTURE.md, field by field, as JSON: what users depend on.

use majlis::{Document, Engine};
use serde_json::Value;

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[test]
fn record_json_has_exactly_the_documented_fields() {
    let engine = Engine::builder().build().unwrap();
    let text = "أعلن وزير الخارجية الأمريكي جون كيري أنه سيبحث الملف السوري مع نظيره الروسي سيرغي لافروف يومي الاثنين والثلاثاء المقبلين في فيينتيان.";
    let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).unwrap();
    let record = engine
        .extract(&Document::new("doc-1", text).with_date(date))
        .unwrap();
    let v = serde_json::to_value(&record).unwrap();

    assert_eq!(keys(&v), ["date", "entities", "events", "id"]);
    assert_eq!(v["id"], "doc-1");
    assert_eq!(v["date"], "2016-07-23");

    let kerry = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "john-kerry")
        .unwrap();
    assert_eq!(
        keys(kerry),
        ["country", "id", "mentions", "name", "type", "wikidata"]
    );
    assert_eq!(kerry["type"], "person");
    assert_eq!(kerry["country"], "USA");
    assert_eq!(kerry["wikidata"], "Q22316");
    let m = &kerry["mentions"][0];
    assert_eq!(keys(m), ["char_span", "span", "text", "via"]);
    assert_eq!(m["text"], "وزير الخارجية الأمريكي");
    assert_eq!(m["via"], "role");
    let span: Vec<usize> = serde_json::from_value(m["span"].clone()).unwrap();
    let chars: Vec<usize> = serde_json::from_value(m["char_span"].clone()).unwrap();
    assert_eq!(&text[span[0]..span[1]], "وزير الخارجية الأمريكي");
    assert_eq!(chars, [5, 27]);

    let e = &v["events"][0];
    assert_eq!(
        keys(e),
        [
            "cameo",
            "confidence",
            "evidence",
            "id",
            "kind",
            "location",
            "modality",
            "participants",
            "plover",
            "subtype",
            "time",
            "topic"
        ]
    );
    assert_eq!(e["id"], "doc-1/e1");
    assert_eq!(e["kind"], "meeting");
    assert_eq!(e["subtype"], "talks");
    assert_eq!(e["cameo"], "036");
    assert_eq!(e["modality"], "planned");
    assert_eq!(keys(&e["plover"]), ["context", "event", "mode"]);
    assert_eq!(e["plover"]["event"], "CONSULT");
    assert_eq!(e["plover"]["mode"], "meet");
    assert_eq!(e["plover"]["context"], serde_json::json!(["future"]));
    assert_eq!(
        keys(&e["participants"][0]),
        ["country", "id", "name", "type"]
    );
    assert_eq!(e["location"]["id"], "vientiane");
    assert_eq!(e["location"]["country"], "LAO");
    assert_eq!(keys(&e["time"]), ["end", "start", "text"]);
    assert_eq!(e["time"]["start"], "2016-07-25");
    assert_eq!(e["time"]["end"], "2016-07-26");
    assert_eq!(e["topic"]["entities"], serde_json::json!(["SYR"]));
    assert_eq!(e["topic"]["text"], "الملف السوري");
    let ev = &e["evidence"][0];
    assert_eq!(keys(ev), ["rule", "sentence", "source", "trigger"]);
    assert_eq!(keys(&ev["trigger"]), ["span", "text"]);
    assert_eq!(ev["trigger"]["text"], "سيبحث");
    assert!(ev["source"]
        .as_str()
        .unwrap()
        .starts_with("rules/meeting.ar.yaml:"));
    assert!(e["confidence"].as_f64().unwrap() > 0.0);

    // A record reads back as it was written.
    let back: majlis::Record = serde_json::from_value(v).unwrap();
    assert_eq!(back, record);
}

#[test]
fn absent_fields_are_null_not_missing() {
    let engine = Engine::builder().build().unwrap();
    let record = engine
        .extract(&Document::new("d", "Egypt and Russia signed an agreement."))
        .unwrap();
    let v = serde_json::to_value(&record).unwrap();
    assert_eq!(v["date"], Value::Null);
    let e = &v["events"][0];
    assert_eq!(e["kind"], "agreement");
    assert_eq!(e["plover"]["event"], "AGREE");
    assert_eq!(e["plover"]["mode"], Value::Null);
    assert_eq!(e["location"], Value::Null);
    assert_eq!(e["time"], Value::Null);
    assert_eq!(e["topic"], Value::Null);
}
