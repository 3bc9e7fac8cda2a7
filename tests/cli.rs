//! The `majlis` binary: bad input gets a clear error and never a panic, `check` reports every
//! problem with its place, `test` shows a readable diff, `explain` names rules and rejections.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn majlis(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_majlis"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("majlis starts");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn assert_no_panic(o: &Output) {
    let err = text(&o.stderr);
    assert!(!err.contains("panicked"), "panic: {err}");
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.txt");
    std::fs::write(&f, b"caf\xe9 in Moscow").unwrap();
    let o = majlis(&["extract", f.to_str().unwrap()], None);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not valid UTF-8 (first bad byte at offset 3)"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn empty_file_gives_an_empty_record() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("empty.txt");
    std::fs::write(&f, b"").unwrap();
    let o = majlis(&["extract", f.to_str().unwrap()], None);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["entities"], serde_json::json!([]));
    assert_eq!(v["events"], serde_json::json!([]));
}

#[test]
fn a_50_mb_file_is_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.txt");
    let line = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف.\n";
    let big = line.repeat(50_000_000 / line.len() + 1);
    std::fs::write(&f, big.as_bytes()).unwrap();
    let o = majlis(&["extract", f.to_str().unwrap()], None);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("over the limit of 16777216 bytes") && err.contains("--max-bytes"),
        "{err}"
    );
}

#[test]
fn jsonl_batch_accounts_for_every_line() {
    let input = concat!(
        "{\"id\": \"a\", \"date\": \"2016-07-23\", \"text\": \"John Kerry met Sergey Lavrov in Geneva.\"}\n",
        "not json\n",
        "{\"id\": \"c\"}\n",
        "\n",
        "{\"id\": \"d\", \"date\": \"yesterday\", \"text\": \"x\"}\n",
        "{\"id\": 5, \"text\": \"موسكو\"}\n",
    );
    let mut bytes = input.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"id\": \"e\", \"text\": \"\xff\"}\n");
    let o = majlis(&["extract", "--jsonl"], Some(&bytes));
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "failures make the exit code 1");
    let lines: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 6, "one line per non-blank input line");
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["events"][0]["kind"], "meeting");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("invalid JSON"));
    assert_eq!(lines[2]["id"], "c");
    assert!(lines[2]["error"].as_str().unwrap().contains("no `text`"));
    assert!(lines[3]["error"].as_str().unwrap().contains("not a date"));
    assert_eq!(lines[4]["id"], "5");
    assert_eq!(lines[5]["line"], 7);
    assert!(lines[5]["error"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert!(
        text(&o.stderr).contains("6 documents (4 failed)"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn jsonl_fail_fast_stops_at_the_first_failure() {
    let input =
        "{\"id\": \"a\", \"text\": \"Moscow\"}\nbroken\n{\"id\": \"c\", \"text\": \"Moscow\"}\n";
    let o = majlis(
        &["extract", "--jsonl", "--fail-fast"],
        Some(input.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout).lines().count(), 2);
}

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

#[test]
fn check_reports_every_problem_with_its_place() {
    let g = tempfile::tempdir().unwrap();
    let r = tempfile::tempdir().unwrap();
    write(
        g.path(),
        "titles.yaml",
        "- role: president\n  names: {en: [president]}\n",
    );
    write(
        g.path(),
        "people.yaml",
        concat!(
            "- id: a\n  type: person\n  name: A\n  names: {en: [Alice Aardvark]}\n",
            "- id: a\n  type: person\n  name: A again\n  names: {en: [Alice Again]}\n",
            "- id: b\n  type: citty\n  name: B\n",
            "- id: c\n  type: person\n  name: C\n  names: {en: [X]}\n",
            "- id: d\n  type: person\n  name: D\n  names: {en: [Dan Dee]}\n  roles:\n",
            "    - {title: president, country: USA, from: 2010-01-01, to: 2009-01-01}\n",
        ),
    );
    write(
        r.path(),
        "rules.yaml",
        concat!(
            "languages:\n  en: {window: 4}\n",
            "rules:\n",
            "  - id: r1\n    kind: meeting\n    cameo: \"040\"\n    lang: en\n    trigger: 'met('\n",
            "  - id: r2\n    kind: meeting\n    cameo: \"040\"\n    lang: en\n    trigger: '{NOPE}'\n",
            "  - id: r3\n    kind: meeting\n    cameo: \"040\"\n    lang: ar\n    trigger: 'التقى|قمة'\n",
            "    participants: {types: [person, planet]}\n",
            "    examples:\n      - text: x\n        events: [{participants: [nobody-at-all]}]\n",
            "  - id: r1\n    kind: meeting\n    cameo: \"040\"\n    lang: en\n    trigger: 'x'\n",
        ),
    );
    let o = majlis(
        &[
            "check",
            "--gazetteers",
            g.path().to_str().unwrap(),
            "--rules",
            r.path().to_str().unwrap(),
        ],
        None,
    );
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    let g_file = g.path().join("people.yaml").display().to_string();
    let r_file = r.path().join("rules.yaml").display().to_string();
    let has = |needle: &str| assert!(out.contains(needle), "missing `{needle}` in:\n{out}");
    has(&format!("{g_file}:5:7: error: duplicate id `a`"));
    has(&format!(
        "{g_file}:10:9: error: unknown entity type `citty`"
    ));
    has(&format!(
        "{g_file}:15:16: error: name `X` is shorter than 2 letters"
    ));
    has(&format!(
        "{g_file}:21:46: error: role `president` starts (2010-01-01) after it ends (2009-01-01)"
    ));
    has(&format!(
        "{r_file}:8:14: error: trigger does not compile: regex parse error"
    ));
    has(&format!(
        "{r_file}:13:14: error: unknown word set `{{NOPE}}`"
    ));
    has(&format!(
        "{r_file}:18:14: warning: trigger is written with characters that normalisation folds away"
    ));
    has("ى (U+0649)");
    has("ة (U+0629)");
    has(&format!(
        "{r_file}:19:36: error: unknown entity type `planet`"
    ));
    has(&format!(
        "{r_file}:21:15: error: example refers to unknown entity `nobody-at-all`"
    ));
    has(&format!("{r_file}:23:9: error: duplicate rule id `r1`"));
}

#[test]
fn malformed_yaml_is_located() {
    let g = tempfile::tempdir().unwrap();
    write(
        g.path(),
        "bad.yaml",
        "- id: x\n  type: city\n  names: {en: [unclosed\n",
    );
    let o = majlis(&["check", "--gazetteers", g.path().to_str().unwrap()], None);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    let f = g.path().join("bad.yaml").display().to_string();
    assert!(out.starts_with(&format!("{f}:")), "{out}");
    let line: u64 = out[f.len() + 1..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(line >= 3, "{out}");
    // The extractor refuses to start on bad data, with the same message.
    let o = majlis(
        &["extract", "--gazetteers", g.path().to_str().unwrap()],
        Some(b"x"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains(&f));
}

#[test]
fn embedded_data_checks_clean() {
    let o = majlis(&["check"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("0 error(s)"));
}

#[test]
fn test_command_shows_a_readable_diff() {
    let r = tempfile::tempdir().unwrap();
    write(
        r.path(),
        "language.yaml",
        include_str!("../rules/language.yaml"),
    );
    write(
        r.path(),
        "wrong.yaml",
        "rules:\n  - id: meeting.en.wrong\n    kind: meeting\n    subtype: talks\n    cameo: \"040\"\n    lang: en\n    trigger: 'met'\n    examples:\n      - text: John Kerry met Sergey Lavrov in Geneva.\n        date: 2016-07-23\n        events:\n          - {participants: [john-kerry, vladimir-putin], modality: planned}\n",
    );
    let o = majlis(&["test", "--rules", r.path().to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains("FAIL meeting.en.wrong (") && out.contains("wrong.yaml:9)"),
        "{out}"
    );
    assert!(
        out.contains("expected: meeting/* [john-kerry, vladimir-putin] planned"),
        "{out}"
    );
    assert!(
        out.contains("actual: meeting/talks [john-kerry, sergey-lavrov] occurred @geneva"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("0 passed, 1 failed"), "{out}");
}

#[test]
fn test_command_passes_on_the_embedded_rules() {
    let o = majlis(&["test"], None);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.trim_end().ends_with(" passed, 0 failed"), "{out}");
}

#[test]
fn explain_names_the_rule_and_the_rejected_candidates() {
    let o = majlis(
        &[
            "explain",
            "--date",
            "2016-07-23",
            "زار وزير الخارجية الأمريكي جون كيري موسكو حيث التقى الرئيس الروسي فلاديمير بوتين.",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.contains("meeting.ar.talks-verb (rules/meeting.ar.yaml:"),
        "{out}"
    );
    assert!(out.contains("- moscow"), "{out}");
    assert!(
        out.contains("- USA") && out.contains("inside a larger mention"),
        "{out}"
    );
    assert!(out.contains("+ vladimir-putin"), "{out}");
    assert!(
        out.contains("\"وزير الخارجيه الامريكي\" (foreign-minister of USA) → john-kerry"),
        "{out}"
    );
    let o = majlis(&["explain", "--json", "Kerry met Lavrov."], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["reason"].as_str().unwrap().contains("partial name")));
}

#[test]
fn usage_errors_exit_2() {
    let o = majlis(&["extract", "--format", "xml"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = majlis(&["frobnicate"], None);
    assert_eq!(o.status.code(), Some(2));
}
