//! Every inline example of every rule file passes (what `majlis test` runs).

use majlis::Engine;

#[test]
fn every_rule_example_passes() {
    let engine = Engine::builder().build().expect("embedded data builds");
    let outcomes = majlis::examples::run(&engine, |_| true);
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "{} ({}): {}\n  problems: {:?}\n  expected: {:?}\n  actual: {:?}",
                o.rule, o.source, o.text, o.problems, o.expected, o.actual
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} failing examples:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(outcomes.len() >= 60, "only {} examples", outcomes.len());
    let arabic = outcomes.iter().filter(|o| o.rule.contains(".ar.")).count();
    let english = outcomes.iter().filter(|o| o.rule.contains(".en.")).count();
    assert!(arabic >= 25 && english >= 25, "ar {arabic}, en {english}");
}

#[test]
fn examples_cover_negated_planned_and_no_event() {
    let engine = Engine::builder().build().expect("embedded data builds");
    let rules = &engine.rules().rules;
    let all = || rules.iter().flat_map(|r| r.examples.iter());
    let modality = |m: &str| {
        all()
            .filter(|e| e.events.iter().any(|x| x.modality.as_deref() == Some(m)))
            .count()
    };
    assert!(modality("negated") >= 6, "negated: {}", modality("negated"));
    assert!(modality("planned") >= 8, "planned: {}", modality("planned"));
    assert!(all().filter(|e| e.events.is_empty()).count() >= 15);
}

#[test]
fn a_wrong_example_fails_with_a_readable_diff() {
    let rules = "rules:\n  - id: meeting.en.test\n    kind: meeting\n    subtype: talks\n    cameo: \"040\"\n    lang: en\n    trigger: 'met'\n    examples:\n      - text: John Kerry met Sergey Lavrov in Geneva.\n        date: 2016-07-23\n        events:\n          - {participants: [john-kerry, vladimir-putin]}\n";
    let mut files = vec![majlis::gazetteer::SourceFile {
        name: "rules/test.yaml".into(),
        text: rules.into(),
    }];
    files.push(majlis::gazetteer::SourceFile {
        name: "rules/language.yaml".into(),
        text: include_str!("../rules/language.yaml").into(),
    });
    let engine = Engine::builder().rule_files(files).build().expect("builds");
    let outcomes = majlis::examples::run(&engine, |_| true);
    assert_eq!(outcomes.len(), 1);
    let o = &outcomes[0];
    assert!(!o.passed);
    assert_eq!(o.source, "rules/test.yaml:9");
    assert_eq!(o.expected, vec!["meeting/* [john-kerry, vladimir-putin] *"]);
    assert_eq!(
        o.actual,
        vec!["meeting/talks [john-kerry, sergey-lavrov] occurred @geneva"]
    );
}
