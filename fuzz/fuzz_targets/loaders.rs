//! Random bytes as gazetteer and rule files: loading reports problems and never panics, and
//! whatever loads without errors builds an engine that can extract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use majlis::gazetteer::SourceFile;
use majlis::{Document, Engine};

/// A small valid base, so that mutations reach past the first parse error. (The embedded
/// `language.yaml` compiles large regexes: a few runs a second. A small one keeps the fuzzer on
/// the loaders.)
const TITLES: &str = "- role: president\n  names: {ar: [الرئيس], en: [president]}\n";
const LANGUAGE: &str =
    "words:\n  MEET: [met, التقى]\nlanguages:\n  en: {window: 4}\n  ar: {window: 4}\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first byte picks which file the input stands for; the rest is its text.
    let (which, body) = match text.char_indices().nth(1) {
        Some((i, _)) => (text.as_bytes()[0] % 4, &text[i..]),
        None => (0, &text[..]),
    };
    let file = |name: &str, t: &str| SourceFile {
        name: name.into(),
        text: t.into(),
    };
    let people = "- id: a\n  type: person\n  name: A\n  names: {en: [Alice Aardvark]}\n";
    let (gazetteers, rules) = match which {
        0 => (
            vec![file("titles.yaml", TITLES), file("people.yaml", body)],
            vec![file("language.yaml", LANGUAGE)],
        ),
        1 => (
            vec![file("titles.yaml", body), file("people.yaml", people)],
            vec![file("language.yaml", LANGUAGE)],
        ),
        2 => (
            vec![file("cues.yaml", body), file("people.yaml", people)],
            vec![file("language.yaml", LANGUAGE)],
        ),
        _ => (
            vec![file("titles.yaml", TITLES), file("people.yaml", people)],
            vec![file("language.yaml", LANGUAGE), file("rules.yaml", body)],
        ),
    };
    let builder = Engine::builder()
        .gazetteer_files(gazetteers)
        .rule_files(rules);
    let _ = builder.check();
    if let Ok(engine) = builder.build() {
        let doc = Document::new(
            "fuzz",
            "Alice Aardvark met the president in Geneva. التقى الرئيس",
        );
        let _ = engine.extract(&doc);
        let _ = majlis::examples::run(&engine, |_| true);
    }
});
