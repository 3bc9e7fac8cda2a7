//! Runs the rules' inline examples: what `majlis test` and `cargo test` check.

use crate::engine::{Document, Engine};
use crate::record::{EventRecord, Record};
use crate::rules::{ExpectedEvent, Rule};

/// The result of one example.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// Rule id.
    pub rule: String,
    /// `file:line` of the example.
    pub source: String,
    /// The example's text.
    pub text: String,
    /// True when every expectation held.
    pub passed: bool,
    /// What went wrong.
    pub problems: Vec<String>,
    /// The expected events, described.
    pub expected: Vec<String>,
    /// The events produced, described.
    pub actual: Vec<String>,
}

/// One line describing an event: `meeting/talks [a, b] planned @geneva`.
pub fn describe(e: &EventRecord) -> String {
    let mut ids: Vec<&str> = e.participants.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    format!(
        "{}/{} [{}] {}{}",
        e.kind,
        e.subtype.as_deref().unwrap_or("-"),
        ids.join(", "),
        e.modality,
        e.location
            .as_ref()
            .map(|l| format!(" @{}", l.id))
            .unwrap_or_default()
    )
}

fn describe_expected(e: &ExpectedEvent, rule: &Rule) -> String {
    let mut p: Vec<&str> = e.participants.iter().map(String::as_str).collect();
    p.sort_unstable();
    format!(
        "{}/{} [{}] {}{}",
        e.kind.as_deref().unwrap_or(rule.kind.as_str()),
        e.subtype.as_deref().unwrap_or("*"),
        p.join(", "),
        e.modality.as_deref().unwrap_or("*"),
        e.location
            .as_ref()
            .map(|l| format!(" @{l}"))
            .unwrap_or_default()
    )
}

fn resolve_id(engine: &Engine, name: &str) -> String {
    let g = engine.gazetteer();
    if g.get(name).is_some() {
        return name.to_string();
    }
    g.entities
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |e| e.id.clone())
}

fn matches(engine: &Engine, want: &ExpectedEvent, rule: &Rule, got: &EventRecord) -> bool {
    let kind = want.kind.as_deref().unwrap_or(rule.kind.as_str());
    if got.kind != kind {
        return false;
    }
    if want
        .subtype
        .as_ref()
        .is_some_and(|s| got.subtype.as_deref() != Some(s))
    {
        return false;
    }
    if want.modality.as_ref().is_some_and(|m| &got.modality != m) {
        return false;
    }
    if let Some(l) = &want.location {
        let id = resolve_id(engine, l);
        if got.location.as_ref().is_none_or(|x| x.id != id) {
            return false;
        }
    }
    if !want.participants.is_empty() {
        let mut a: Vec<String> = want
            .participants
            .iter()
            .map(|p| resolve_id(engine, p))
            .collect();
        let mut b: Vec<String> = got.participants.iter().map(|p| p.id.clone()).collect();
        a.sort();
        a.dedup();
        b.sort();
        b.dedup();
        if a != b {
            return false;
        }
    }
    true
}

/// Runs the examples of every rule that `select` accepts.
pub fn run(engine: &Engine, select: impl Fn(&Rule) -> bool) -> Vec<Outcome> {
    let mut out = Vec::new();
    for rule in engine.rules().rules.iter().filter(|r| select(r)) {
        for ex in &rule.examples {
            let mut doc = Document::new("example", &ex.text);
            doc.date = ex.date;
            let mut problems = Vec::new();
            let record: Record = match engine.extract(&doc) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(e.to_string());
                    Record {
                        id: "example".into(),
                        date: None,
                        entities: vec![],
                        events: vec![],
                    }
                }
            };
            if ex.events.is_empty() && !record.events.is_empty() {
                problems.push("expected no event".into());
            }
            for want in &ex.events {
                if !record
                    .events
                    .iter()
                    .any(|got| matches(engine, want, rule, got))
                {
                    problems.push(format!("missing {}", describe_expected(want, rule)));
                }
            }
            for bad in &ex.forbid {
                if record
                    .events
                    .iter()
                    .any(|got| matches(engine, bad, rule, got))
                {
                    problems.push(format!("forbidden {}", describe_expected(bad, rule)));
                }
            }
            out.push(Outcome {
                rule: rule.id.clone(),
                source: ex.source.clone(),
                text: ex.text.clone(),
                passed: problems.is_empty(),
                problems,
                expected: ex
                    .events
                    .iter()
                    .map(|e| describe_expected(e, rule))
                    .collect(),
                actual: record.events.iter().map(describe).collect(),
            });
        }
    }
    out
}
