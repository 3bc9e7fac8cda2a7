//! Accuracy on the shared evaluation data (`../shared/data`): the development event gold set
//! (articles of the news corpus by reference) and ANERcorp's test split. These need the shared
//! corpora, which are not part of the repository: without them each test prints a notice and
//! skips. CI has them.

use majlis::eval;
use majlis::Engine;
use std::path::Path;

const CORPUS: &str = "../shared/data/news/ar-news-2015.jsonl";
const ANERCORP_TEST: &str = "../shared/data/ner/anercorp-test.conll";

fn row<'a>(rows: &'a [eval::Score], label: &str) -> &'a eval::Score {
    rows.iter().find(|r| r.label == label).expect("row")
}

#[test]
fn development_event_gold_precision_and_recall() {
    if !Path::new(CORPUS).exists() {
        println!("notice: {CORPUS} not found; skipping the development gold evaluation");
        return;
    }
    let engine = Engine::builder().build().unwrap();
    let src = std::fs::read_to_string("tests/gold/dev-events.jsonl").unwrap();
    let lines = eval::parse_gold_events(&src, "tests/gold/dev-events.jsonl").unwrap();
    let gold =
        eval::resolve_sentences(lines, "tests/gold/dev-events.jsonl", Path::new(CORPUS)).unwrap();
    assert_eq!(gold.skipped, 0);
    assert!(gold.sentences.len() >= 80);
    let report = eval::events(&engine, &gold, false).unwrap();
    let all = row(&report.country_pairs, "all");
    println!(
        "dev gold (kind, country pair): P {:.3} R {:.3} F1 {:.3} ({} gold, {} predicted, {} correct)",
        all.precision, all.recall, all.f1, all.gold, all.predicted, all.correct
    );
    assert!(all.precision >= 0.8, "precision {:.3}", all.precision);
    assert!(all.recall >= 0.6, "recall {:.3}", all.recall);
}

#[test]
fn anercorp_test_split() {
    if !Path::new(ANERCORP_TEST).exists() {
        println!("notice: {ANERCORP_TEST} not found; skipping the NER evaluation");
        return;
    }
    let engine = Engine::builder().build().unwrap();
    let src = std::fs::read_to_string(ANERCORP_TEST).unwrap();
    let chunks = eval::parse_conll(&src, ANERCORP_TEST, 200).unwrap();
    let report = eval::ner(&engine, &chunks).unwrap();
    for r in &report.scores {
        println!(
            "{:<13} P {:.3} R {:.3} F1 {:.3}",
            r.label, r.precision, r.recall, r.f1
        );
    }
    let person = row(&report.scores, "person");
    let location = row(&report.scores, "location");
    let organisation = row(&report.scores, "organisation");
    // The targets: precision at least 0.85 for locations and 0.80 for people and organisations,
    // location recall at least 0.70 (measured: 0.860, 0.904, 0.811 and 0.793). The floors are
    // the targets, so that none slides back under its own.
    assert!(
        person.precision >= 0.80,
        "person precision {:.3}",
        person.precision
    );
    assert!(
        location.recall >= 0.70,
        "location recall {:.3}",
        location.recall
    );
    assert!(
        location.precision >= 0.85,
        "location precision {:.3}",
        location.precision
    );
    assert!(
        organisation.precision >= 0.80,
        "organisation precision {:.3}",
        organisation.precision
    );
}
