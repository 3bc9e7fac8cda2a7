//! The engine: gazetteers and rules compiled once, then used for any number of documents.

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::events::{self, Event, Modality, TriggerTrace};
use crate::gazetteer::{self, Gazetteer, SourceFile};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{normalize, Normalized};
use crate::record::{
    EntityRecord, EventRecord, Evidence, MentionRecord, Participant, Plover, Record, TimeRecord,
    Topic, Trigger,
};
use crate::resolve::{self, Mentions};
use crate::rules::{self, Kind, RuleSet};
use crate::segment;
use chrono::NaiveDate;
use include_dir::{include_dir, Dir};
use std::path::Path;

static GAZETTEERS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/gazetteers");
static RULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Default limit on the size of one document: 16 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 16 << 20;

/// The largest limit an engine takes, 256 MiB: offsets into a document's normalised text are
/// kept in 32 bits, and normalisation can make a text longer (one ligature becomes up to eleven
/// times its bytes), so no larger document can be read.
pub const MAX_DOCUMENT_BYTES_CEILING: usize = 256 << 20;

/// A document to read.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// Its id, used in event ids and messages.
    pub id: &'a str,
    /// Its date, which resolves role titles and time expressions.
    pub date: Option<NaiveDate>,
    /// The text.
    pub text: &'a str,
}

impl<'a> Document<'a> {
    /// A document without a date.
    pub fn new(id: &'a str, text: &'a str) -> Self {
        Self {
            id,
            date: None,
            text,
        }
    }

    /// The same document with a date.
    pub fn with_date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }
}

/// Configures and builds an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    gazetteers: Vec<SourceFile>,
    rules: Vec<SourceFile>,
    max_document_bytes: usize,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        Self::new()
    }
}

fn embedded(dir: &Dir<'_>, prefix: &str) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = dir
        .files()
        .filter(|f| {
            f.path()
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
        })
        .filter_map(|f| {
            Some(SourceFile {
                name: format!("{prefix}/{}", f.path().display()),
                text: f.contents_utf8()?.to_string(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no .yaml files in this directory",
        )));
    }
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                id: p.display().to_string(),
                offset: e.utf8_error().valid_up_to(),
            })?;
            Ok(SourceFile {
                name: p.display().to_string(),
                text,
            })
        })
        .collect()
}

impl EngineBuilder {
    /// A builder with the gazetteers and rules embedded in the library.
    pub fn new() -> Self {
        Self {
            gazetteers: embedded(&GAZETTEERS, "gazetteers"),
            rules: embedded(&RULES, "rules"),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }

    /// Replaces the gazetteers with the `.yaml` files of `dir`.
    pub fn gazetteer_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, Error> {
        self.gazetteers = read_dir(dir.as_ref())?;
        Ok(self)
    }

    /// Replaces the rules with the `.yaml` files of `dir`.
    pub fn rules_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, Error> {
        self.rules = read_dir(dir.as_ref())?;
        Ok(self)
    }

    /// Replaces the gazetteers with these files.
    pub fn gazetteer_files(mut self, files: Vec<SourceFile>) -> Self {
        self.gazetteers = files;
        self
    }

    /// Replaces the rules with these files.
    pub fn rule_files(mut self, files: Vec<SourceFile>) -> Self {
        self.rules = files;
        self
    }

    /// Only reads the rule files among the current ones whose name ends with one of `names`.
    pub fn only_rule_files(mut self, names: &[String]) -> Self {
        self.rules
            .retain(|f| names.iter().any(|n| f.name.ends_with(n.as_str())));
        self
    }

    /// Documents larger than this are refused with [`Error::TooLarge`]. A limit above
    /// [`MAX_DOCUMENT_BYTES_CEILING`] is lowered to it.
    pub fn max_document_bytes(mut self, n: usize) -> Self {
        self.max_document_bytes = n.min(MAX_DOCUMENT_BYTES_CEILING);
        self
    }

    fn load(&self) -> (Gazetteer, RuleSet, Vec<Diagnostic>) {
        // The rules' regular expressions (and the time expressions') compile while the
        // gazetteers load; the rules are then checked against the gazetteer.
        let ((g, mut diags), pre) = rayon::join(
            || gazetteer::load(&self.gazetteers),
            || {
                crate::time::compile();
                rules::precompile(&self.rules)
            },
        );
        let names: std::collections::HashSet<String> = g
            .entities
            .iter()
            .flat_map(|e| [e.id.to_lowercase(), e.name.to_lowercase()])
            .collect();
        let known = |s: &str| names.contains(&s.to_lowercase());
        let (r, rd) = rules::load_precompiled(&self.rules, &known, &pre);
        diags.extend(rd);
        (g, r, diags)
    }

    /// Every problem in the data, errors and warnings, without building the automaton.
    pub fn check(&self) -> Vec<Diagnostic> {
        self.load().2
    }

    /// Builds the engine. Fails with [`Error::Data`] when the data has errors (warnings pass).
    pub fn build(self) -> Result<Engine, Error> {
        let (g, rules, diags) = self.load();
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error::Data(diags));
        }
        let matcher = Matcher::new(&g)?;
        Ok(Engine {
            g,
            rules,
            matcher,
            max_document_bytes: self.max_document_bytes,
        })
    }
}

/// Compiled gazetteers and rules. Immutable, `Send + Sync`: share one across threads.
///
/// ```
/// use majlis::{Document, Engine};
/// let engine = Engine::builder().build()?;
/// let text = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف.";
/// let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).unwrap();
/// let record = engine.extract(&Document::new("doc-1", text).with_date(date))?;
/// let kerry = record.entities.iter().find(|e| e.id == "john-kerry").unwrap();
/// let [s, e] = kerry.mentions[0].span;
/// assert_eq!(&text[s..e], kerry.mentions[0].text);
/// assert_eq!(record.events[0].kind, "meeting");
/// # Ok::<(), majlis::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    g: Gazetteer,
    rules: RuleSet,
    matcher: Matcher,
    max_document_bytes: usize,
}

/// Everything the engine worked out about a document, step by step (what `explain` shows).
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The normalised text and its offset map.
    pub normalized: Normalized,
    /// Sentences, normalised byte ranges.
    pub sentences: Vec<(usize, usize)>,
    /// Raw automaton hits that passed the boundary checks.
    pub hits: Vec<Hit>,
    /// Mentions and titles.
    pub mentions: Mentions,
    /// Events after merging.
    pub events: Vec<Event>,
    /// What every fired trigger did.
    pub traces: Vec<TriggerTrace>,
}

impl Engine {
    /// A builder with the embedded data.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// The engine's gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.g
    }

    /// The engine's rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The engine's gazetteer automaton.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Runs the pipeline up to the events; `trace` also records what each trigger did.
    pub fn analyse(&self, doc: &Document<'_>, trace: bool) -> Result<Analysis, Error> {
        let mut a = self.mentions(doc)?;
        let cx = events::Context {
            g: &self.g,
            rules: &self.rules,
            norm: a.normalized.as_str(),
            sentences: &a.sentences,
            mentions: &a.mentions.mentions,
            titles: &a.mentions.titles,
            date: doc.date,
        };
        let mut traces = Vec::new();
        a.events = events::extract(&cx, trace.then_some(&mut traces));
        a.traces = traces;
        Ok(a)
    }

    /// Runs the pipeline up to the mentions, without the rules: normalisation, sentences,
    /// matching and resolution (the returned analysis has no events).
    pub fn mentions(&self, doc: &Document<'_>) -> Result<Analysis, Error> {
        if doc.text.len() > self.max_document_bytes {
            return Err(Error::TooLarge {
                id: doc.id.to_string(),
                size: doc.text.len(),
                limit: self.max_document_bytes,
            });
        }
        let normalized = normalize(doc.text);
        let norm = normalized.as_str();
        let sentences = segment::sentences_of(&normalized);
        let hits = self.matcher.hits(&self.g, &normalized, doc.text);
        let mentions = resolve::resolve(&self.g, norm, &hits, &sentences, doc.date);
        Ok(Analysis {
            normalized,
            sentences,
            hits,
            mentions,
            events: Vec::new(),
            traces: Vec::new(),
        })
    }

    /// Finds the entities and events of one document.
    pub fn extract(&self, doc: &Document<'_>) -> Result<Record, Error> {
        let a = self.analyse(doc, false)?;
        Ok(self.record(doc, &a))
    }

    /// Serialisable record of an analysis.
    pub fn record(&self, doc: &Document<'_>, a: &Analysis) -> Record {
        self.record_as(doc, a)
    }

    /// [`record`](Self::record) with strings of type `S`: `String` to keep the record, or
    /// `Cow<str>` to write it out without copying what it can borrow from the document, the
    /// analysis and the engine. The JSON is the same.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let engine = majlis::EngineBuilder::new().build()?;
    /// let doc = majlis::Document::new("d1", "التقى كيري لافروف في جنيف.");
    /// let a = engine.analyse(&doc, false)?;
    /// let borrowed: majlis::Record<Cow<str>> = engine.record_as(&doc, &a);
    /// assert_eq!(
    ///     serde_json::to_string(&borrowed)?,
    ///     serde_json::to_string(&engine.record(&doc, &a))?
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_as<'a, S>(&'a self, doc: &Document<'a>, a: &'a Analysis) -> Record<S>
    where
        S: From<&'a str> + From<String>,
    {
        let g = &self.g;
        let text = doc.text;
        let span = |s: usize, e: usize| a.normalized.original_span(text, s, e);
        let mut chars = CharIndex::new(text);

        // Entities in order of first mention.
        let mut order: Vec<usize> = Vec::new();
        let mut by_entity: Vec<Vec<MentionRecord<S>>> = Vec::new();
        let mut slot: rustc_hash::FxHashMap<usize, usize> = Default::default();
        // One span is one mention of an entity. Original starts grow with normalised ones, so
        // the mentions that start at one place follow each other: (entity slot, end) of those
        // kept at the current start, not a search of the entity's list (which made a long
        // document quadratic).
        let (mut run_start, mut kept) = (usize::MAX, Vec::<(usize, usize)>::new());
        let mut mentions: Vec<&resolve::Mention> = a.mentions.mentions.iter().collect();
        resolve::sort_by_span(&mut mentions);
        for m in mentions {
            let (s, e) = span(m.start, m.end);
            let at = *slot.entry(m.entity).or_insert_with(|| {
                order.push(m.entity);
                by_entity.push(Vec::new());
                by_entity.len() - 1
            });
            if s != run_start {
                run_start = s;
                kept.clear();
            }
            if kept.contains(&(at, e)) {
                continue;
            }
            kept.push((at, e));
            let list = &mut by_entity[at];
            list.push(MentionRecord {
                text: S::from(&text[s..e]),
                span: [s, e],
                char_span: [chars.at(s), chars.at(e)],
                via: S::from(m.via.as_str()),
            });
        }
        let entities = order
            .iter()
            .zip(by_entity)
            .map(|(&i, mentions)| {
                let e = &g.entities[i];
                EntityRecord {
                    id: S::from(e.id.as_str()),
                    kind: S::from(e.kind.as_str()),
                    name: S::from(e.name.as_str()),
                    country: e.dyad_code().map(S::from),
                    wikidata: e.wikidata.as_deref().map(S::from),
                    mentions,
                }
            })
            .collect();

        let participant = |i: usize| {
            let e = &g.entities[i];
            Participant {
                id: S::from(e.id.as_str()),
                name: S::from(e.name.as_str()),
                kind: S::from(e.kind.as_str()),
                country: acts_for(g, i, doc.date).map(S::from),
            }
        };
        let events = a
            .events
            .iter()
            .enumerate()
            .map(|(n, ev)| {
                let rule = &self.rules.rules[ev.rule];
                let planned = ev.modality == Modality::Planned;
                let mode = match (ev.kind, ev.subtype.as_deref()) {
                    (Kind::Agreement, _) => None,
                    (_, Some("visit")) => Some("visit"),
                    (_, Some("reception")) => Some("host"),
                    (_, Some("call")) => Some("phone"),
                    _ => Some("meet"),
                };
                EventRecord {
                    id: S::from(format!("{}/e{}", doc.id, n + 1)),
                    kind: S::from(ev.kind.as_str()),
                    subtype: ev.subtype.as_deref().map(S::from),
                    cameo: S::from(if planned {
                        rule.cameo_planned.as_str()
                    } else {
                        rule.cameo.as_str()
                    }),
                    plover: Plover {
                        event: S::from(match ev.kind {
                            Kind::Meeting => "CONSULT",
                            Kind::Agreement => "AGREE",
                        }),
                        mode: mode.map(S::from),
                        context: if planned {
                            vec![S::from("future")]
                        } else {
                            vec![]
                        },
                    },
                    participants: ev.participants.iter().map(|&p| participant(p)).collect(),
                    location: ev.location.map(participant),
                    time: ev.time.as_ref().map(|(x, r)| {
                        let (s, e) = span(x.start, x.end);
                        TimeRecord {
                            text: S::from(&text[s..e]),
                            start: r.map(|r| S::from(r.0.to_string())),
                            end: r.map(|r| S::from(r.1.to_string())),
                        }
                    }),
                    topic: ev.topic.as_ref().map(|((s, e), ents)| {
                        let (s, e) = span(*s, *e);
                        Topic {
                            text: S::from(&text[s..e]),
                            entities: ents
                                .iter()
                                .map(|&i| S::from(g.entities[i].id.as_str()))
                                .collect(),
                        }
                    }),
                    modality: S::from(ev.modality.as_str()),
                    evidence: ev
                        .accounts
                        .iter()
                        .map(|acc| {
                            let r = &self.rules.rules[acc.rule];
                            let (ss, se) = span(acc.sentence.0, acc.sentence.1);
                            let (ts, te) = span(acc.trigger.0, acc.trigger.1);
                            Evidence {
                                sentence: [ss, se],
                                trigger: Trigger {
                                    text: S::from(&text[ts..te]),
                                    span: [ts, te],
                                },
                                rule: S::from(r.id.as_str()),
                                source: S::from(r.source.as_str()),
                            }
                        })
                        .collect(),
                    confidence: ev.confidence,
                }
            })
            .collect();
        Record {
            id: S::from(doc.id),
            date: doc.date.map(|d| S::from(d.to_string())),
            entities,
            events,
        }
    }
}

/// The country (or organisation code) an entity acts for on `date`: a person holding a post in
/// an international organisation acts for it (the UN envoy for Syria acts for the UN, not for
/// his country of birth); everyone else for their own country.
fn acts_for(g: &Gazetteer, i: usize, date: Option<NaiveDate>) -> Option<&str> {
    let e = &g.entities[i];
    if let Some(d) = date {
        let is_iso = |c: &str| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase());
        if let Some(r) = g.roles_on(i, d).find(|r| !is_iso(&r.country)) {
            return Some(&r.country);
        }
    }
    e.dyad_code()
}

/// Byte offset → char offset, for offsets asked in any order. Offsets asked before are
/// checkpoints (kept in order as long as the offsets asked grow, as they mostly do); a new offset
/// counts characters from the nearest checkpoint before it.
struct CharIndex<'a> {
    text: &'a str,
    /// (byte, char) pairs, increasing.
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            checkpoints: vec![(0, 0)],
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        // Offsets asked in order (mentions by start) count on from the last checkpoint and
        // become the next one; an earlier offset counts from the nearest checkpoint before it.
        let last = self.checkpoints.len() - 1;
        let i = if self.checkpoints[last].0 <= byte {
            last
        } else {
            self.checkpoints
                .partition_point(|&(b, _)| b <= byte)
                .saturating_sub(1)
        };
        let (b0, c0) = self.checkpoints[i];
        let c = c0 + self.text[b0..byte].chars().count();
        if i == last && b0 < byte {
            self.checkpoints.push((byte, c));
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::CharIndex;
    use super::{Document, EngineBuilder, MAX_DOCUMENT_BYTES_CEILING};
    use crate::Error;

    /// A limit past what offsets can hold is lowered to the ceiling: a document over it is
    /// refused, not read with offsets that wrap around.
    #[test]
    fn no_limit_goes_past_the_ceiling() -> Result<(), Error> {
        let engine = EngineBuilder::new()
            .max_document_bytes(usize::MAX)
            .build()?;
        let text = " ".repeat(MAX_DOCUMENT_BYTES_CEILING + 1);
        match engine.analyse(&Document::new("huge", &text), false) {
            Err(Error::TooLarge { size, limit, .. }) => {
                assert_eq!((size, limit), (text.len(), MAX_DOCUMENT_BYTES_CEILING));
            }
            other => panic!("expected TooLarge, got {:?}", other.map(|a| a.events.len())),
        }
        Ok(())
    }

    /// The index answers as counting from the start would, whatever the order of the offsets
    /// and the width of the characters.
    #[test]
    fn char_offsets_in_any_order() {
        let text = "التقى John كيري é 😀 لافروف في جنيف.\nx ✓ abcdefghijklmnop سلام";
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut index = CharIndex::new(text);
        for &b in bounds.iter().rev().chain(&bounds).step_by(3) {
            assert_eq!(index.at(b), text[..b].chars().count(), "{b}");
        }
    }
}
