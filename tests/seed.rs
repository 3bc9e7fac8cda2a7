//! The seed article end to end, in Arabic and in its English translation: every required entity
//! at every place it occurs, every role mention, every required event once, no forbidden event.
//! Expectations come from `tests/data/expected.yaml`, the analyst's reading of the article.

use majlis::record::{EventRecord, Record};
use majlis::{Document, Engine};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Expected {
    entities: Entities,
    events: Events,
}

#[derive(Deserialize)]
struct Entities {
    required: Vec<EntitySpec>,
    role_mentions: Vec<RoleMention>,
}

#[derive(Deserialize)]
struct EntitySpec {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    surfaces: Vec<String>,
}

#[derive(Deserialize)]
struct RoleMention {
    text: String,
    refers_to: String,
}

#[derive(Deserialize)]
struct Events {
    required: Vec<EventSpec>,
    forbidden: Vec<Forbidden>,
}

#[derive(Deserialize)]
struct EventSpec {
    id: String,
    kind: String,
    participants: Vec<String>,
    #[serde(default)]
    location: Option<String>,
    modality: String,
    #[serde(default)]
    time: Option<TimeSpec>,
    #[serde(default)]
    topic: Option<String>,
}

#[derive(Deserialize)]
struct TimeSpec {
    start: String,
    end: String,
}

#[derive(Deserialize)]
struct Forbidden {
    kind: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    participants: Vec<String>,
}

/// The gazetteer may carry the fuller form of a name (Washington, D.C.).
fn same_name(have: &str, want: &str) -> bool {
    have == want
        || have
            .strip_prefix(want)
            .is_some_and(|rest| rest.starts_with(','))
}

fn expected() -> Expected {
    let text = include_str!("data/expected.yaml");
    serde_saphyr::from_str(text).expect("expected.yaml parses")
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builder().build().expect("embedded data builds"))
}

fn extract(text: &str) -> Record {
    let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).unwrap();
    engine()
        .extract(&Document::new("seed", text).with_date(date))
        .expect("extraction succeeds")
}

const AR: &str = include_str!("data/kerry-lavrov-asean-2016.ar.txt");
const EN: &str = include_str!("data/kerry-lavrov-asean-2016.en.txt");

/// English surfaces of the required entities in the translation (expected.yaml lists Arabic).
fn english_surfaces(name: &str) -> &'static [&'static str] {
    match name {
        "John Kerry" => &["John Kerry", "Kerry"],
        "Sergey Lavrov" => &["Sergey Lavrov", "Lavrov"],
        "Vladimir Putin" => &["Vladimir Putin"],
        "Barack Obama" => &["Barack Obama"],
        "Syria" => &["Syria", "Syrian"],
        "Laos" => &["Laos"],
        "United States" => &["United States", "US"],
        "Russia" => &["Russia", "Russian"],
        "Austria" => &["Austrian"],
        "Vientiane" => &["Vientiane"],
        "Vienna" => &["Vienna"],
        "Moscow" => &["Moscow"],
        "Washington" => &["Washington"],
        "Geneva" => &["Geneva"],
        "ASEAN" => &["ASEAN", "Association of Southeast Asian Nations"],
        "Islamic State" => &["Islamic State"],
        "al-Nusra Front" => &["Nusra Front"],
        "al-Qaeda" => &["al-Qaeda"],
        _ => &[],
    }
}

/// Byte ranges of every occurrence of `needle` as a whole word (proclitics allowed before an
/// Arabic surface, nothing glued after a Latin one).
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let s = from + i;
        let e = s + needle.len();
        let after_ok = needle
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            || !text[e..].chars().next().is_some_and(char::is_alphanumeric);
        let before_ok = needle
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            || !text[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if after_ok && before_ok {
            out.push((s, e));
        }
        from = e;
    }
    out
}

fn check_entities(text: &str, record: &Record, arabic: bool) {
    let exp = expected();
    for spec in &exp.entities.required {
        let entity = record
            .entities
            .iter()
            .find(|e| same_name(&e.name, &spec.name) && e.kind == spec.kind)
            .unwrap_or_else(|| panic!("entity {} ({}) not found", spec.name, spec.kind));
        let surfaces: Vec<String> = if arabic {
            spec.surfaces.clone()
        } else {
            english_surfaces(&spec.name)
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        assert!(!surfaces.is_empty(), "no surfaces for {}", spec.name);
        for surface in &surfaces {
            let places = occurrences(text, surface);
            assert!(
                !places.is_empty(),
                "surface {surface} does not occur in the text"
            );
            for (s, e) in places {
                let covered = entity
                    .mentions
                    .iter()
                    .any(|m| m.span[0] < e && s < m.span[1]);
                assert!(
                    covered,
                    "{} not found at {s}..{e} ({surface}); mentions: {:?}",
                    spec.name,
                    entity
                        .mentions
                        .iter()
                        .map(|m| (&m.text, m.span))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn arabic_entities_at_every_place() {
    check_entities(AR, &extract(AR), true);
}

#[test]
fn english_entities_at_every_place() {
    check_entities(EN, &extract(EN), false);
}

#[test]
fn arabic_role_mentions_resolve_with_the_date() {
    let record = extract(AR);
    for rm in expected().entities.role_mentions {
        let person = record
            .entities
            .iter()
            .find(|e| e.name == rm.refers_to)
            .unwrap_or_else(|| panic!("{} missing", rm.refers_to));
        assert!(
            person
                .mentions
                .iter()
                .any(|m| m.text == rm.text && (m.via == "role" || m.via == "counterpart")),
            "role mention {} of {} missing",
            rm.text,
            rm.refers_to
        );
    }
}

#[test]
fn spans_slice_the_original_text() {
    for text in [AR, EN] {
        let record = extract(text);
        for e in &record.entities {
            for m in &e.mentions {
                assert_eq!(&text[m.span[0]..m.span[1]], m.text);
                let chars: Vec<char> = text.chars().collect();
                let by_char: String = chars[m.char_span[0]..m.char_span[1]].iter().collect();
                assert_eq!(by_char, m.text);
            }
        }
        for ev in &record.events {
            for x in &ev.evidence {
                assert_eq!(&text[x.trigger.span[0]..x.trigger.span[1]], x.trigger.text);
                assert!(x.sentence[0] <= x.trigger.span[0] && x.trigger.span[1] <= x.sentence[1]);
            }
        }
    }
}

fn names(record: &Record, ev: &EventRecord) -> Vec<String> {
    let _ = record;
    let mut v: Vec<String> = ev.participants.iter().map(|p| p.name.clone()).collect();
    v.sort();
    v
}

fn check_events(record: &Record) {
    let exp = expected();
    for spec in &exp.events.required {
        let mut want = spec.participants.clone();
        want.sort();
        let found: Vec<&EventRecord> = record
            .events
            .iter()
            .filter(|e| e.kind == spec.kind && names(record, e) == want)
            .filter(|e| {
                spec.location
                    .as_ref()
                    .is_none_or(|l| e.location.as_ref().is_some_and(|x| &x.name == l))
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}: expected once, found {} among {:#?}",
            spec.id,
            found.len(),
            record
                .events
                .iter()
                .map(|e| (names(record, e), &e.location, &e.modality))
                .collect::<Vec<_>>()
        );
        let e = found[0];
        assert_eq!(e.modality, spec.modality, "{}", spec.id);
        if let Some(t) = &spec.time {
            let got = e
                .time
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no time", spec.id));
            assert_eq!(got.start.as_deref(), Some(t.start.as_str()), "{}", spec.id);
            assert_eq!(got.end.as_deref(), Some(t.end.as_str()), "{}", spec.id);
        }
        if let Some(topic) = &spec.topic {
            let t = e
                .topic
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no topic", spec.id));
            let ids: Vec<&str> = t.entities.iter().map(String::as_str).collect();
            let want_id = record
                .entities
                .iter()
                .find(|x| &x.name == topic)
                .map(|x| x.id.as_str())
                .unwrap_or("?");
            assert!(ids.contains(&want_id), "{}: topic {ids:?}", spec.id);
        }
    }
    for f in &exp.events.forbidden {
        for e in record.events.iter().filter(|e| e.kind == f.kind) {
            if let Some(l) = &f.location {
                assert!(
                    e.location.as_ref().is_none_or(|x| &x.name != l),
                    "forbidden {} at {l}",
                    f.kind
                );
            }
            if !f.participants.is_empty() {
                let have = names(record, e);
                assert!(
                    !f.participants.iter().all(|p| have.contains(p)),
                    "forbidden {} between {:?}",
                    f.kind,
                    f.participants
                );
            }
        }
    }
}

#[test]
fn arabic_events() {
    check_events(&extract(AR));
}

#[test]
fn english_events() {
    check_events(&extract(EN));
}

#[test]
fn the_vientiane_talks_are_one_event_with_headline_teaser_and_body() {
    for text in [AR, EN] {
        let record = extract(text);
        let talks = record
            .events
            .iter()
            .find(|e| e.location.as_ref().is_some_and(|l| l.id == "vientiane"))
            .expect("Vientiane talks");
        let lines: std::collections::BTreeSet<usize> = talks
            .evidence
            .iter()
            .map(|x| text[..x.sentence[0]].matches('\n').count())
            .collect();
        // Headline (line 0), teaser (line 2) and first body paragraph (line 6).
        assert!(lines.len() >= 3, "evidence on lines {lines:?}");
        assert_eq!(talks.cameo, "036");
        assert_eq!(talks.plover.context, vec!["future".to_string()]);
    }
}
