//! A CAMEO-style event table: one row per event and pair of participants.

use crate::record::Record;

/// Column names.
pub const HEADER: &str = "doc\tdate\tevent\tkind\tsubtype\tcameo\tmodality\tsource\tsource_country\ttarget\ttarget_country\tlocation\tstart\tend\trule\tconfidence";

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// The rows of one record (without the header).
pub fn rows(r: &Record) -> Vec<String> {
    let mut out = Vec::new();
    for e in &r.events {
        let p = &e.participants;
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                out.push(
                    [
                        clean(&r.id),
                        r.date.clone().unwrap_or_default(),
                        clean(&e.id),
                        e.kind.clone(),
                        e.subtype.clone().unwrap_or_default(),
                        e.cameo.clone(),
                        e.modality.clone(),
                        p[i].id.clone(),
                        p[i].country.clone().unwrap_or_default(),
                        p[j].id.clone(),
                        p[j].country.clone().unwrap_or_default(),
                        e.location
                            .as_ref()
                            .map(|l| l.id.clone())
                            .unwrap_or_default(),
                        e.time
                            .as_ref()
                            .and_then(|t| t.start.clone())
                            .unwrap_or_default(),
                        e.time
                            .as_ref()
                            .and_then(|t| t.end.clone())
                            .unwrap_or_default(),
                        e.evidence
                            .first()
                            .map(|x| x.rule.clone())
                            .unwrap_or_default(),
                        format!("{:.2}", e.confidence),
                    ]
                    .join("\t"),
                );
            }
        }
    }
    out
}
