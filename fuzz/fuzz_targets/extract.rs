//! Random bytes as a document: extraction never panics, and every span it reports lies on
//! character boundaries of the text and slices it to the mention's text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use majlis::{Document, Engine};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builder().build().expect("the embedded data builds"))
}

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is refused before the engine; the rest of the bytes still make a text.
    let text = String::from_utf8_lossy(data);
    let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23);
    let mut doc = Document::new("fuzz", &text);
    doc.date = date;
    let record = engine()
        .extract(&doc)
        .expect("a document under the size limit extracts");
    let check = |[s, e]: [usize; 2], what: &str| {
        assert!(
            s <= e && e <= text.len(),
            "{what} span {s}..{e} out of the text"
        );
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{what} span {s}..{e} splits a character"
        );
    };
    for ent in &record.entities {
        for m in &ent.mentions {
            check(m.span, "mention");
            assert_eq!(&text[m.span[0]..m.span[1]], m.text);
            assert_eq!(text[..m.span[0]].chars().count(), m.char_span[0]);
        }
    }
    for ev in &record.events {
        for x in &ev.evidence {
            check(x.sentence, "sentence");
            check(x.trigger.span, "trigger");
        }
    }
    serde_json::to_string(&record).expect("records serialise");
});
