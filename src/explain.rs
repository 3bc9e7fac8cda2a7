//! `explain`: a readable trace of why a text did or did not produce events.

use crate::engine::{Analysis, Document, Engine};
use crate::gazetteer::Target;
use serde_json::{json, Value};
use std::fmt::Write;

/// The trace as data: normalised text, sentences, mentions, dropped hits, titles, fired
/// triggers with their candidates, and the final record.
pub fn to_json(engine: &Engine, doc: &Document<'_>, a: &Analysis) -> Value {
    let g = engine.gazetteer();
    let norm = a.normalized.as_str();
    let mentions: Vec<Value> = a
        .mentions
        .mentions
        .iter()
        .map(|m| {
            json!({
                "entity": g.entities[m.entity].id,
                "type": g.entities[m.entity].kind.as_str(),
                "text": &norm[m.start..m.end],
                "normalized_span": [m.start, m.end],
                "via": m.via.as_str(),
            })
        })
        .collect();
    let dropped: Vec<Value> = a
        .mentions
        .dropped
        .iter()
        .map(|(h, why)| {
            let s = g.patterns[h.pattern as usize].1[h.surface as usize];
            let id = match s.target {
                Target::Entity(e) => g.entities[e as usize].id.clone(),
                Target::Title(t) => format!("title:{}", g.titles[t as usize].role),
            };
            json!({"entity": id, "text": &norm[h.start..h.end], "reason": why})
        })
        .collect();
    let titles: Vec<Value> = a
        .mentions
        .titles
        .iter()
        .map(|t| {
            json!({
                "role": g.titles[t.title as usize].role,
                "text": &norm[t.phrase.0..t.phrase.1],
                "country": t.country,
                "person": t.person.map(|p| g.entities[p].id.clone()),
                "note": t.note,
            })
        })
        .collect();
    let sentences: Vec<&str> = a.sentences.iter().map(|&(s, e)| &norm[s..e]).collect();
    json!({
        "normalized": norm,
        "sentences": sentences,
        "mentions": mentions,
        "dropped": dropped,
        "titles": titles,
        "triggers": a.traces,
        "record": engine.record(doc, a),
    })
}

/// The trace as text for people.
pub fn to_text(engine: &Engine, doc: &Document<'_>, a: &Analysis) -> String {
    let v = to_json(engine, doc, a);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "normalised text:\n  {}\n",
        v["normalized"].as_str().unwrap_or("")
    );
    let _ = writeln!(s, "sentences:");
    for (i, t) in v["sentences"].as_array().into_iter().flatten().enumerate() {
        let _ = writeln!(s, "  [{}] {}", i + 1, t.as_str().unwrap_or(""));
    }
    let _ = writeln!(s, "\nmentions:");
    for m in v["mentions"].as_array().into_iter().flatten() {
        let _ = writeln!(
            s,
            "  {:<28} {:<13} via {:<11} \"{}\"",
            m["entity"].as_str().unwrap_or(""),
            m["type"].as_str().unwrap_or(""),
            m["via"].as_str().unwrap_or(""),
            m["text"].as_str().unwrap_or("")
        );
    }
    let dropped = v["dropped"].as_array().cloned().unwrap_or_default();
    if !dropped.is_empty() {
        let _ = writeln!(s, "\ndropped names:");
        for d in &dropped {
            let _ = writeln!(
                s,
                "  {:<28} \"{}\": {}",
                d["entity"].as_str().unwrap_or(""),
                d["text"].as_str().unwrap_or(""),
                d["reason"].as_str().unwrap_or("")
            );
        }
    }
    let titles = v["titles"].as_array().cloned().unwrap_or_default();
    if !titles.is_empty() {
        let _ = writeln!(s, "\nrole titles:");
        for t in &titles {
            let who = t["person"].as_str().map_or_else(
                || format!("unresolved: {}", t["note"].as_str().unwrap_or("")),
                |p| format!("→ {p}"),
            );
            let _ = writeln!(
                s,
                "  \"{}\" ({} of {}) {}",
                t["text"].as_str().unwrap_or(""),
                t["role"].as_str().unwrap_or(""),
                t["country"].as_str().unwrap_or("?"),
                who
            );
        }
    }
    let _ = writeln!(s, "\nrules whose trigger fired:");
    if a.traces.is_empty() {
        let _ = writeln!(s, "  none: no trigger of any rule occurs in the text");
    }
    for t in &a.traces {
        let _ = writeln!(s, "  {} ({}) trigger \"{}\"", t.rule, t.source, t.trigger);
        for c in &t.candidates {
            let _ = writeln!(
                s,
                "    {} {:<26} \"{}\": {}",
                if c.accepted { "+" } else { "-" },
                c.entity,
                c.text,
                c.reason
            );
        }
        if !t.modality.is_empty() {
            let _ = writeln!(s, "    modality: {}", t.modality);
        }
        let _ = writeln!(
            s,
            "    => {}",
            if t.outcome.is_empty() {
                "no event"
            } else {
                &t.outcome
            }
        );
    }
    let record = engine.record(doc, a);
    let _ = writeln!(s, "\nevents:");
    if record.events.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for e in &record.events {
        let _ = writeln!(s, "  {}  cameo {}", crate::examples::describe(e), e.cameo);
        if let Some(t) = &e.time {
            let _ = writeln!(
                s,
                "    time \"{}\" {}..{}",
                t.text,
                t.start.as_deref().unwrap_or("?"),
                t.end.as_deref().unwrap_or("?")
            );
        }
        if let Some(t) = &e.topic {
            let _ = writeln!(s, "    topic \"{}\" {:?}", t.text, t.entities);
        }
        for ev in &e.evidence {
            let _ = writeln!(
                s,
                "    evidence {} \"{}\" ({})",
                ev.rule, ev.trigger.text, ev.source
            );
        }
    }
    s
}
