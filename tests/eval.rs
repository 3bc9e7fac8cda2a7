//! `majlis eval` from the command line: it reads the gold formats and prints its tables.

use std::process::Command;

fn majlis(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_majlis"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("majlis runs")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const HEADER: &str = "type           gold  pred  correct  precision  recall     f1";

#[test]
fn events_on_the_seed_gold_print_tables() {
    let o = majlis(&["eval", "--events", "tests/gold/seed-events.jsonl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(
        out.contains("events: 11 sentences (0 skipped), 8 gold events"),
        "{out}"
    );
    assert!(out.contains("(kind, unordered country pair)"), "{out}");
    assert_eq!(out.matches(HEADER).count(), 2, "{out}");
    // Gold tuples are fixed by the file: 6 meeting and 1 agreement country pairs.
    assert!(
        out.lines()
            .any(|l| l.starts_with("all") && l.split_whitespace().nth(1) == Some("7")),
        "{out}"
    );
    assert!(out.contains("modality  accuracy"), "{out}");
}

#[test]
fn events_json_has_the_same_figures() {
    let o = majlis(&[
        "eval",
        "--events",
        "tests/gold/seed-events.jsonl",
        "--json",
        "-v",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let e = &v["events"];
    assert_eq!(e["sentences"], 11);
    assert_eq!(e["gold_events"], 8);
    let all = e["country_pairs"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["label"] == "all"))
        .expect("an `all` row");
    assert_eq!(all["gold"], 7);
    assert!(all["precision"].is_f64());
}

#[test]
fn ner_on_the_fixture_prints_a_table() {
    let o = majlis(&["eval", "--ner", "tests/fixtures/eval-ner.conll", "-v"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("entities: 40 tokens in 1 chunks"), "{out}");
    assert!(out.contains(HEADER), "{out}");
    for label in ["person", "location", "organisation", "all"] {
        assert!(out.lines().any(|l| l.starts_with(label)), "{label}: {out}");
    }
    // Gold counts come from the fixture alone: 3 persons, 5 locations, 4 organisations.
    let gold: Vec<&str> = out
        .lines()
        .filter(|l| {
            ["person ", "location ", "organisation ", "all "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(gold, vec!["3", "5", "4", "12"], "{out}");
}

#[test]
fn missing_corpus_skips_the_lines_that_need_it_with_a_notice() {
    let o = majlis(&[
        "eval",
        "--events",
        "tests/fixtures/eval-events-ref.gold.jsonl",
        "--corpus",
        "tests/fixtures/no-such-corpus.jsonl",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not found: skipped 2 gold line(s)"), "{err}");
    assert!(stdout(&o).contains("events: 1 sentences (2 skipped)"));
}

#[test]
fn eval_without_gold_is_a_usage_error() {
    let o = majlis(&["eval"]);
    assert_eq!(o.status.code(), Some(2));
    let o = majlis(&["eval", "--ner", "tests/fixtures/no-such-file.conll"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-file.conll"));
}
