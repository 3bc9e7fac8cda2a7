//! The relationship graph: entities are nodes, events are edges, over any number of documents.
//!
//! A [`GraphBuilder`] takes [`Record`]s one at a time and folds their events into a petgraph
//! [`StableGraph`] with an id → node index map, so the same entity seen in many documents is one
//! node. [`GraphBuilder::finish`] gives a [`Graph`], which can be pruned
//! ([`Graph::retain_min_count`], [`Graph::retain_around`]) and written as GraphViz DOT, JSON
//! node-link data (what networkx's `node_link_graph` and D3 read) or GraphML (what Gephi and yEd
//! open).
//!
//! # Views
//!
//! * [`View::Full`] – one edge per event and pair of participants: the multigraph. Memory grows
//!   with the number of events.
//! * [`View::Aggregate`] – one edge per pair and kind, weighted by the number of events. Each edge
//!   keeps counts (per modality, subtype, CAMEO code and location), the first and last date, and a
//!   capped sample of document ids and evidence ([`GraphBuilder::samples`]), so memory grows with
//!   entities and pairs, not with mentions or events.
//! * [`View::Country`] – the aggregate view with every participant folded into the state (or
//!   international organisation) it acts for: CAMEO-style dyads. Countries fold to themselves,
//!   people and organisations to their `country` code; participants without one are left out, and
//!   pairs that fold into one state (two Russians meeting) make no edge.
//!
//! # Direction
//!
//! Meetings, talks, calls, summits and agreements are symmetric: an undirected edge for every pair
//! of participants. Visits and receptions are directed visitor → host; the record lists the
//! visitors first and the host last.
//!
//! # Dates
//!
//! An event's date is the date of its document, or, for a document without a date, the first day
//! of the event's own time expression. The `from`/`to` filter keeps events whose date is known and
//! in range.

use crate::gazetteer::Gazetteer;
use crate::record::{EventRecord, Participant, Record};
use chrono::NaiveDate;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Default number of document ids and pieces of evidence kept per edge.
pub const DEFAULT_SAMPLES: usize = 5;

/// Which graph to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum View {
    /// One edge per event and pair of participants.
    Full,
    /// One edge per pair and kind, weighted by the number of events.
    #[default]
    Aggregate,
    /// The aggregate view with people and organisations folded into the state they act for.
    Country,
}

impl View {
    /// The view's name: `full`, `aggregate` or `country`.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Full => "full",
            View::Aggregate => "aggregate",
            View::Country => "country",
        }
    }
}

/// The language of node and edge labels in the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Labels {
    /// English names.
    #[default]
    English,
    /// Arabic names where the gazetteer has them, English otherwise.
    Arabic,
}

impl Labels {
    /// `en` or `ar`.
    pub fn as_str(self) -> &'static str {
        match self {
            Labels::English => "en",
            Labels::Arabic => "ar",
        }
    }
}

/// Errors of the graph module.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// The entity asked for is not a node of the graph.
    #[error("`{id}` is not a node of the {view} graph (node ids are {hint})")]
    UnknownNode {
        /// The id asked for.
        id: String,
        /// The view.
        view: &'static str,
        /// What ids look like in this view.
        hint: &'static str,
    },
    /// A line of saved records is neither a record nor an error record.
    #[error("line {line}: not a record: {message}")]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// What the JSON parser said.
        message: String,
    },
}

/// Which events go into the graph. An empty list accepts everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Kinds or subtypes to keep (`meeting`, `agreement`, `visit`, ...).
    pub kinds: Vec<String>,
    /// Modalities to keep (`occurred`, `planned`, `negated`).
    pub modalities: Vec<String>,
    /// Keep events dated on or after this day.
    pub from: Option<NaiveDate>,
    /// Keep events dated on or before this day.
    pub to: Option<NaiveDate>,
}

impl EventFilter {
    /// True when `event` of `record` passes the filter.
    pub fn accepts(&self, record: &Record, event: &EventRecord) -> bool {
        if !self.kinds.is_empty()
            && !self
                .kinds
                .iter()
                .any(|k| *k == event.kind || event.subtype.as_deref() == Some(k.as_str()))
        {
            return false;
        }
        if !self.modalities.is_empty() && !self.modalities.contains(&event.modality) {
            return false;
        }
        if self.from.is_some() || self.to.is_some() {
            let Some(date) = event_date(record, event).and_then(parse_day) else {
                return false;
            };
            if self.from.is_some_and(|f| date < f) || self.to.is_some_and(|t| date > t) {
                return false;
            }
        }
        true
    }
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// The date an event is filed under: the first day of its own time when the text gives one
/// (the Moscow talks of a 23 July report happened on 15 July), else its document's date.
pub fn event_date<'a>(record: &'a Record, event: &'a EventRecord) -> Option<&'a str> {
    event
        .time
        .as_ref()
        .and_then(|t| t.start.as_deref())
        .or(record.date.as_deref())
}

/// A node: an entity, or in the country view a state or international organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Gazetteer id (country view: the ISO alpha-3 or organisation code).
    pub id: String,
    /// English name.
    pub name: String,
    /// Arabic name, when the gazetteer has one.
    pub name_ar: Option<String>,
    /// person, country, city or organisation.
    pub kind: String,
    /// The country code it acts for.
    pub country: Option<String>,
    /// Events it takes part in (that made at least one of its edges).
    pub events: u64,
}

impl Node {
    /// The label in the given language.
    pub fn label(&self, labels: Labels) -> &str {
        match labels {
            Labels::Arabic => self.name_ar.as_deref().unwrap_or(&self.name),
            Labels::English => &self.name,
        }
    }
}

/// One piece of evidence kept on an edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSample {
    /// Document id.
    pub document: String,
    /// Event id.
    pub event: String,
    /// The trigger's original text.
    pub trigger: String,
    /// Byte range of the sentence in the document.
    pub sentence: [usize; 2],
    /// The rule that coded it.
    pub rule: String,
}

/// An edge: one event (full view) or every event of one kind between a pair (other views).
///
/// Undirected edges are stored from the smaller node id to the larger one.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// meeting or agreement.
    pub kind: String,
    /// True for visits and receptions (visitor → host).
    pub directed: bool,
    /// Number of events.
    pub count: u64,
    /// Events that occurred.
    pub occurred: u64,
    /// Events that were planned.
    pub planned: u64,
    /// Events that were negated.
    pub negated: u64,
    /// Events per subtype.
    pub subtypes: BTreeMap<String, u64>,
    /// Events per CAMEO code.
    pub cameo: BTreeMap<String, u64>,
    /// Events per location id.
    pub locations: BTreeMap<String, u64>,
    /// Earliest event date.
    pub first_date: Option<String>,
    /// Latest event date.
    pub last_date: Option<String>,
    /// Number of distinct documents that told of these events.
    pub documents: u64,
    /// The first document ids, up to the sample size.
    pub document_ids: Vec<String>,
    /// The first pieces of evidence, up to the sample size.
    pub evidence: Vec<EvidenceSample>,
    /// Full view: the event id.
    pub event: Option<String>,
    /// Full view: the first day of the event's time expression.
    pub start: Option<String>,
    /// Full view: the last day of the event's time expression.
    pub end: Option<String>,
    /// Full view: the event's confidence.
    pub confidence: Option<f32>,
    last_document: u64,
}

fn most_common(m: &BTreeMap<String, u64>) -> Option<&str> {
    // Ties go to the alphabetically first, so the output is stable.
    m.iter()
        .fold(None::<(&String, u64)>, |best, (k, &n)| match best {
            Some((_, b)) if b >= n => best,
            _ => Some((k, n)),
        })
        .map(|(k, _)| k.as_str())
}

fn by_count(m: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = m.iter().map(|(k, &n)| (k.as_str(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

impl Edge {
    fn new(kind: &str, directed: bool) -> Self {
        Self {
            kind: kind.to_string(),
            directed,
            count: 0,
            occurred: 0,
            planned: 0,
            negated: 0,
            subtypes: BTreeMap::new(),
            cameo: BTreeMap::new(),
            locations: BTreeMap::new(),
            first_date: None,
            last_date: None,
            documents: 0,
            document_ids: Vec::new(),
            evidence: Vec::new(),
            event: None,
            start: None,
            end: None,
            confidence: None,
            last_document: 0,
        }
    }

    /// The modality that decides the edge's style: `occurred` if any event occurred, else
    /// `planned` if any was planned, else `negated`.
    pub fn modality(&self) -> &'static str {
        if self.occurred > 0 {
            "occurred"
        } else if self.planned > 0 {
            "planned"
        } else if self.negated > 0 {
            "negated"
        } else {
            "occurred"
        }
    }

    /// The most common subtype.
    pub fn subtype(&self) -> Option<&str> {
        most_common(&self.subtypes)
    }

    /// The most common CAMEO code.
    pub fn cameo_code(&self) -> Option<&str> {
        most_common(&self.cameo)
    }

    /// Location ids, the most frequent first.
    pub fn location_ids(&self) -> Vec<&str> {
        by_count(&self.locations)
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    fn add(&mut self, doc: &DocCtx<'_>, event: &EventRecord, samples: usize) {
        self.count += 1;
        match event.modality.as_str() {
            "planned" => self.planned += 1,
            "negated" => self.negated += 1,
            _ => self.occurred += 1,
        }
        if let Some(s) = &event.subtype {
            bump(&mut self.subtypes, s);
        }
        bump(&mut self.cameo, &event.cameo);
        if let Some(l) = &event.location {
            bump(&mut self.locations, &l.id);
        }
        if let Some(d) = doc.date_of(event) {
            if self.first_date.as_deref().is_none_or(|f| d < f) {
                self.first_date = Some(d.to_string());
            }
            if self.last_date.as_deref().is_none_or(|l| d > l) {
                self.last_date = Some(d.to_string());
            }
        }
        if self.last_document != doc.serial {
            self.last_document = doc.serial;
            self.documents += 1;
            if self.document_ids.len() < samples {
                self.document_ids.push(doc.record.id.clone());
            }
        }
        for ev in &event.evidence {
            if self.evidence.len() >= samples {
                break;
            }
            self.evidence.push(EvidenceSample {
                document: doc.record.id.clone(),
                event: event.id.clone(),
                trigger: ev.trigger.text.clone(),
                sentence: ev.sentence,
                rule: ev.rule.clone(),
            });
        }
    }
}

fn bump(m: &mut BTreeMap<String, u64>, k: &str) {
    match m.get_mut(k) {
        Some(n) => *n += 1,
        None => {
            m.insert(k.to_string(), 1);
        }
    }
}

struct DocCtx<'r> {
    record: &'r Record,
    serial: u64,
}

impl DocCtx<'_> {
    fn date_of<'a>(&'a self, event: &'a EventRecord) -> Option<&'a str> {
        event_date(self.record, event)
    }
}

/// Names of a place used as an event location.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    name: String,
    name_ar: Option<String>,
}

/// Counts of what went into a graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphStats {
    /// Records added.
    pub documents: u64,
    /// Events read.
    pub events: u64,
    /// Events that passed the filter and made at least one edge.
    pub events_used: u64,
    /// Participants left out of the country view because they have no country code.
    pub unfolded: u64,
}

/// Builds a [`Graph`] from records, one at a time.
///
/// ```
/// use majlis::graph::{GraphBuilder, Labels, View};
/// use majlis::{Document, Engine};
///
/// let engine = Engine::builder().build()?;
/// let mut builder = GraphBuilder::new(View::Aggregate).gazetteer(engine.gazetteer());
/// let texts = [
///     ("d1", "John Kerry and Sergey Lavrov met in Geneva."),
///     ("d2", "John Kerry met Sergey Lavrov in Vienna."),
/// ];
/// for (id, text) in texts {
///     builder.add(&engine.extract(&Document::new(id, text))?);
/// }
/// let graph = builder.finish();
/// let edge = graph.edges_between("john-kerry", "sergey-lavrov");
/// assert_eq!(edge[0].count, 2);
///
/// let mut dot = Vec::new();
/// graph.write_dot(&mut dot, Labels::Arabic)?;
/// assert!(String::from_utf8(dot)?.contains("جون كيري"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct GraphBuilder<'g> {
    view: View,
    filter: EventFilter,
    samples: usize,
    gazetteer: Option<&'g Gazetteer>,
    by_code: HashMap<&'g str, usize>,
    graph: StableGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    pairs: HashMap<(NodeIndex, NodeIndex, u16, bool), EdgeIndex>,
    kinds: Vec<String>,
    places: HashMap<String, Place>,
    stats: GraphStats,
}

impl<'g> GraphBuilder<'g> {
    /// An empty builder for `view`.
    pub fn new(view: View) -> Self {
        Self {
            view,
            filter: EventFilter::default(),
            samples: DEFAULT_SAMPLES,
            gazetteer: None,
            by_code: HashMap::new(),
            graph: StableGraph::new(),
            index: HashMap::new(),
            pairs: HashMap::new(),
            kinds: Vec::new(),
            places: HashMap::new(),
            stats: GraphStats::default(),
        }
    }

    /// Takes Arabic names, and the names of states and organisations in the country view, from
    /// this gazetteer.
    pub fn gazetteer(mut self, g: &'g Gazetteer) -> Self {
        self.by_code.clear();
        for (i, e) in g.entities.iter().enumerate() {
            if let Some(c) = e.code.as_deref() {
                self.by_code.entry(c).or_insert(i);
            }
        }
        self.gazetteer = Some(g);
        self
    }

    /// Only events that pass `filter` make edges.
    pub fn filter(mut self, filter: EventFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Keeps up to `n` document ids and `n` pieces of evidence per edge (default
    /// [`DEFAULT_SAMPLES`]).
    pub fn samples(mut self, n: usize) -> Self {
        self.samples = n;
        self
    }

    /// What has been added so far.
    pub fn stats(&self) -> &GraphStats {
        &self.stats
    }

    /// Adds the events of one record.
    pub fn add(&mut self, record: &Record) {
        self.stats.documents += 1;
        let doc = DocCtx {
            record,
            serial: self.stats.documents,
        };
        for event in &record.events {
            self.stats.events += 1;
            if !self.filter.accepts(record, event) {
                continue;
            }
            let ends = self.ends(event);
            if ends.is_empty() {
                continue;
            }
            self.stats.events_used += 1;
            if let Some(l) = &event.location {
                if !self.places.contains_key(&l.id) {
                    let name_ar = self.arabic(&l.id);
                    self.places.insert(
                        l.id.clone(),
                        Place {
                            name: l.name.clone(),
                            name_ar,
                        },
                    );
                }
            }
            let mut touched: Vec<NodeIndex> = Vec::new();
            for (a, b, directed) in ends {
                let ia = self.node(&a);
                let ib = self.node(&b);
                for i in [ia, ib] {
                    if !touched.contains(&i) {
                        touched.push(i);
                    }
                }
                let e = if self.view == View::Full {
                    let mut e = Edge::new(&event.kind, directed);
                    e.event = Some(event.id.clone());
                    e.start = event.time.as_ref().and_then(|t| t.start.clone());
                    e.end = event.time.as_ref().and_then(|t| t.end.clone());
                    e.confidence = Some(event.confidence);
                    self.graph.add_edge(ia, ib, e)
                } else {
                    let k = self.kind_id(&event.kind);
                    match self.pairs.get(&(ia, ib, k, directed)) {
                        Some(&e) => e,
                        None => {
                            let e = self
                                .graph
                                .add_edge(ia, ib, Edge::new(&event.kind, directed));
                            self.pairs.insert((ia, ib, k, directed), e);
                            e
                        }
                    }
                };
                if let Some(w) = self.graph.edge_weight_mut(e) {
                    w.add(&doc, event, self.samples);
                }
            }
            for i in touched {
                if let Some(n) = self.graph.node_weight_mut(i) {
                    n.events += 1;
                }
            }
        }
    }

    /// Reads one line of saved records (`majlis extract --jsonl` output): a record is added; an
    /// error record (`{"error": ...}`) is returned so the caller can report it; a blank line is
    /// skipped.
    pub fn add_json_line(&mut self, line: &str, line_no: usize) -> Result<LineOutcome, GraphError> {
        let line = line.trim();
        if line.is_empty() {
            return Ok(LineOutcome::Blank);
        }
        match serde_json::from_str::<Record>(line) {
            Ok(r) => {
                self.add(&r);
                Ok(LineOutcome::Record)
            }
            Err(e) => match serde_json::from_str::<ErrorLine>(line) {
                Ok(x) => Ok(LineOutcome::Error(x)),
                Err(_) => Err(GraphError::BadLine {
                    line: line_no,
                    message: e.to_string(),
                }),
            },
        }
    }

    /// The finished graph.
    pub fn finish(self) -> Graph {
        Graph {
            view: self.view,
            graph: self.graph,
            index: self.index,
            places: self.places,
            stats: self.stats,
        }
    }

    fn kind_id(&mut self, kind: &str) -> u16 {
        match self.kinds.iter().position(|k| k == kind) {
            Some(i) => i as u16,
            None => {
                self.kinds.push(kind.to_string());
                (self.kinds.len() - 1) as u16
            }
        }
    }

    fn arabic(&self, id: &str) -> Option<String> {
        self.gazetteer
            .and_then(|g| g.get(id))
            .and_then(|e| e.name_ar.clone())
    }

    /// The node for an endpoint, created on first sight.
    fn node(&mut self, end: &End) -> NodeIndex {
        if let Some(&i) = self.index.get(&end.id) {
            return i;
        }
        let node = match self.view {
            View::Country => self.country_node(end),
            _ => Node {
                id: end.id.clone(),
                name: end.name.clone(),
                name_ar: self.arabic(&end.id),
                kind: end.kind.clone(),
                country: end.country.clone(),
                events: 0,
            },
        };
        let i = self.graph.add_node(node);
        self.index.insert(end.id.clone(), i);
        i
    }

    fn country_node(&self, end: &End) -> Node {
        let code = &end.id;
        let entity = self.gazetteer.and_then(|g| {
            g.get(code)
                .filter(|e| e.kind == crate::gazetteer::EntityType::Country)
                .or_else(|| self.by_code.get(code.as_str()).map(|&i| &g.entities[i]))
        });
        match entity {
            Some(e) => Node {
                id: code.clone(),
                name: e.name.clone(),
                name_ar: e.name_ar.clone(),
                kind: e.kind.as_str().to_string(),
                country: Some(code.clone()),
                events: 0,
            },
            None => Node {
                id: code.clone(),
                name: end.name.clone(),
                name_ar: None,
                kind: end.kind.clone(),
                country: Some(code.clone()),
                events: 0,
            },
        }
    }

    /// The endpoints of an event's edges in this view: (a, b, directed), undirected pairs in id
    /// order, no self-loops, no repeats.
    fn ends(&mut self, event: &EventRecord) -> Vec<(End, End, bool)> {
        let directed = matches!(event.subtype.as_deref(), Some("visit" | "reception"));
        let mut people: Vec<End> = Vec::with_capacity(event.participants.len());
        for p in &event.participants {
            let end = match self.view {
                View::Country => match End::folded(p) {
                    Some(e) => e,
                    None => {
                        self.stats.unfolded += 1;
                        continue;
                    }
                },
                _ => End::of(p),
            };
            people.push(end);
        }
        let mut out: Vec<(End, End, bool)> = Vec::new();
        let mut push = |a: &End, b: &End, directed: bool| {
            if a.id == b.id {
                return;
            }
            let (a, b) = if directed || a.id < b.id {
                (a, b)
            } else {
                (b, a)
            };
            if !out.iter().any(|(x, y, _)| x.id == a.id && y.id == b.id) {
                out.push((a.clone(), b.clone(), directed));
            }
        };
        if directed && event.participants.len() >= 2 {
            // The host is the last participant; when folding dropped it there is no host.
            let host_kept = match self.view {
                View::Country => event.participants.last().and_then(End::folded).is_some(),
                _ => true,
            };
            if let (true, Some((host, visitors))) = (host_kept, people.split_last()) {
                for v in visitors {
                    push(v, host, true);
                }
            }
        } else {
            for i in 0..people.len() {
                for j in i + 1..people.len() {
                    push(&people[i], &people[j], false);
                }
            }
        }
        out
    }
}

/// An endpoint before it becomes a node.
#[derive(Debug, Clone)]
struct End {
    id: String,
    name: String,
    kind: String,
    country: Option<String>,
}

impl End {
    fn of(p: &Participant) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: p.kind.clone(),
            country: p.country.clone(),
        }
    }

    /// The state (or organisation code) a participant acts for.
    fn folded(p: &Participant) -> Option<Self> {
        if p.kind == "country" {
            return Some(Self::of(p));
        }
        let code = p.country.clone()?;
        Some(Self {
            id: code.clone(),
            name: code.clone(),
            kind: if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                "country".into()
            } else {
                "organisation".into()
            },
            country: Some(code),
        })
    }
}

/// What a line of saved records held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// A record, now added.
    Record,
    /// A blank line.
    Blank,
    /// An error record: a document that failed when the records were made.
    Error(ErrorLine),
}

/// An error record as `majlis extract --jsonl` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorLine {
    /// The document id, when it was known.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// Line of the document in its input.
    #[serde(default)]
    pub line: Option<usize>,
    /// Name of the input.
    #[serde(default)]
    pub source: Option<String>,
    /// What went wrong.
    pub error: String,
}

impl std::fmt::Display for ErrorLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(s) = &self.source {
            write!(f, "{s}:")?;
        }
        if let Some(l) = self.line {
            write!(f, "{l}:")?;
        }
        match &self.id {
            Some(serde_json::Value::String(s)) => write!(f, " document `{s}`:")?,
            Some(v) if !v.is_null() => write!(f, " document {v}:")?,
            _ => {}
        }
        write!(f, " {}", self.error)
    }
}

/// Feeds the JSON Lines written to it (records and error records, as
/// [`batch::run`](crate::batch::run) writes them) into a [`GraphBuilder`]. Error records and
/// unreadable lines go to `report` and are counted.
pub struct RecordSink<'b, 'g, F: FnMut(&str)> {
    builder: &'b mut GraphBuilder<'g>,
    pending: Vec<u8>,
    line: usize,
    counts: SinkCounts,
    report: F,
}

/// What a [`RecordSink`] could not use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinkCounts {
    /// Records read and added.
    pub records: usize,
    /// Error records: documents that failed to be read.
    pub error_records: usize,
    /// Lines that are neither records nor error records.
    pub bad_lines: usize,
}

impl<'b, 'g, F: FnMut(&str)> RecordSink<'b, 'g, F> {
    /// A sink into `builder`; `report` gets a message for every failed document or bad line.
    pub fn new(builder: &'b mut GraphBuilder<'g>, report: F) -> Self {
        Self {
            builder,
            pending: Vec::new(),
            line: 0,
            counts: SinkCounts::default(),
            report,
        }
    }

    /// What was read so far.
    pub fn counts(&self) -> SinkCounts {
        self.counts
    }

    fn take_line(&mut self, bytes: &[u8]) {
        self.line += 1;
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                self.counts.bad_lines += 1;
                (self.report)(&format!(
                    "line {}: invalid UTF-8 at byte {}",
                    self.line,
                    e.valid_up_to()
                ));
                return;
            }
        };
        match self.builder.add_json_line(text, self.line) {
            Ok(LineOutcome::Record) => self.counts.records += 1,
            Ok(LineOutcome::Blank) => {}
            Ok(LineOutcome::Error(x)) => {
                self.counts.error_records += 1;
                (self.report)(&x.to_string());
            }
            Err(e) => {
                self.counts.bad_lines += 1;
                (self.report)(&e.to_string());
            }
        }
    }

    /// Reads the last line if it has no newline, and gives the counts.
    pub fn finish(mut self) -> SinkCounts {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.take_line(&rest);
        }
        self.counts
    }
}

impl<F: FnMut(&str)> Write for RecordSink<'_, '_, F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            if self.pending.is_empty() {
                self.take_line(&rest[..i]);
            } else {
                self.pending.extend_from_slice(&rest[..i]);
                let line = std::mem::take(&mut self.pending);
                self.take_line(&line);
            }
            rest = &rest[i + 1..];
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The relationship graph of a set of documents.
#[derive(Debug, Clone)]
pub struct Graph {
    view: View,
    graph: StableGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    places: HashMap<String, Place>,
    stats: GraphStats,
}

impl Graph {
    /// The view it was built as.
    pub fn view(&self) -> View {
        self.view
    }

    /// What went into it.
    pub fn stats(&self) -> &GraphStats {
        &self.stats
    }

    /// The petgraph graph, for algorithms (centrality, components, shortest paths).
    pub fn petgraph(&self) -> &StableGraph<Node, Edge> {
        &self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).and_then(|&i| self.graph.node_weight(i))
    }

    /// Every node, in the order first seen.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.graph.node_indices().map(move |i| &self.graph[i])
    }

    /// Every edge with its source and target, in the order first seen.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> + '_ {
        self.graph
            .edge_references()
            .map(move |e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    /// The edges between two nodes, in either direction.
    pub fn edges_between(&self, a: &str, b: &str) -> Vec<&Edge> {
        let (Some(&ia), Some(&ib)) = (self.index.get(a), self.index.get(b)) else {
            return Vec::new();
        };
        self.graph
            .edges_connecting(ia, ib)
            .chain(self.graph.edges_connecting(ib, ia))
            .map(|e| e.weight())
            .collect()
    }

    /// The English and Arabic names of a location id, as seen in the events.
    pub fn place_name(&self, id: &str, labels: Labels) -> Option<&str> {
        let p = self.places.get(id)?;
        Some(match labels {
            Labels::Arabic => p.name_ar.as_deref().unwrap_or(&p.name),
            Labels::English => &p.name,
        })
    }

    /// Removes edges whose pair and kind have fewer than `n` events, then nodes left without
    /// edges. In the full view, the events of a pair and kind are counted over its edges.
    pub fn retain_min_count(&mut self, n: u64) {
        if n <= 1 {
            return;
        }
        let weak: Vec<EdgeIndex> = if self.view == View::Full {
            let mut totals: HashMap<(NodeIndex, NodeIndex, &str, bool), u64> = HashMap::new();
            fn key<'a>(
                e: &petgraph::stable_graph::EdgeReference<'a, Edge>,
            ) -> (NodeIndex, NodeIndex, &'a str, bool) {
                let (s, t) = (e.source(), e.target());
                let w: &'a Edge = e.weight();
                let (s, t) = if w.directed || s < t { (s, t) } else { (t, s) };
                (s, t, w.kind.as_str(), w.directed)
            }
            for e in self.graph.edge_references() {
                *totals.entry(key(&e)).or_default() += e.weight().count;
            }
            self.graph
                .edge_references()
                .filter(|e| totals.get(&key(e)).copied().unwrap_or(0) < n)
                .map(|e| e.id())
                .collect()
        } else {
            self.graph
                .edge_references()
                .filter(|e| e.weight().count < n)
                .map(|e| e.id())
                .collect()
        };
        for e in weak {
            self.graph.remove_edge(e);
        }
        self.drop_isolated();
    }

    /// Keeps only the nodes within `depth` edges of `id` (in either direction) and the edges
    /// between them.
    pub fn retain_around(&mut self, id: &str, depth: usize) -> Result<(), GraphError> {
        let Some(&start) = self.index.get(id) else {
            return Err(GraphError::UnknownNode {
                id: id.to_string(),
                view: self.view.as_str(),
                hint: match self.view {
                    View::Country => "country codes such as USA, or organisation codes such as UN",
                    _ => "gazetteer ids such as john-kerry or USA",
                },
            });
        };
        let mut seen: HashSet<NodeIndex> = HashSet::from([start]);
        let mut queue = VecDeque::from([(start, 0usize)]);
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for m in self.graph.neighbors_undirected(n) {
                if seen.insert(m) {
                    queue.push_back((m, d + 1));
                }
            }
        }
        let far: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|i| !seen.contains(i))
            .collect();
        for i in far {
            self.remove_node(i);
        }
        Ok(())
    }

    fn remove_node(&mut self, i: NodeIndex) {
        if let Some(n) = self.graph.remove_node(i) {
            self.index.remove(&n.id);
        }
    }

    fn drop_isolated(&mut self) {
        let lonely: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&i| self.graph.neighbors_undirected(i).next().is_none())
            .collect();
        for i in lonely {
            self.remove_node(i);
        }
    }

    /// True when some edge is directed.
    pub fn has_directed_edges(&self) -> bool {
        self.graph.edge_weights().any(|e| e.directed)
    }

    fn locations_text(&self, e: &Edge, labels: Labels, max: usize) -> String {
        let ids = e.location_ids();
        let mut names: Vec<&str> = ids
            .iter()
            .take(max)
            .map(|id| self.place_name(id, labels).unwrap_or(id))
            .collect();
        if ids.len() > max {
            names.push("…");
        }
        names.join(", ")
    }

    // ---------------------------------------------------------------- DOT

    /// Writes GraphViz DOT (`dot -Tsvg` renders it). Node and edge labels are in the language of
    /// `labels`; meetings are blue, agreements green and bold, planned events dashed, negated
    /// ones dotted, visits carry an arrow to the host, and the pen width grows with the count.
    pub fn write_dot<W: Write>(&self, out: &mut W, labels: Labels) -> io::Result<()> {
        let mut s = String::new();
        self.dot_into(&mut s, labels);
        out.write_all(s.as_bytes())
    }

    fn dot_into(&self, s: &mut String, labels: Labels) {
        let title = format!(
            "majlis: {} view, {}, {}",
            self.view.as_str(),
            counted(self.stats.documents, "document"),
            counted(self.stats.events_used, "event")
        );
        let _ = writeln!(s, "digraph \"majlis\" {{");
        let _ = writeln!(
            s,
            "  graph [charset=\"UTF-8\", label={}, labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", rankdir=LR, nodesep=0.4, ranksep=1.2];",
            dot_str(&title)
        );
        let _ = writeln!(
            s,
            "  node [fontname=\"Helvetica,Arial,sans-serif\", style=filled, penwidth=1.2];"
        );
        let _ = writeln!(
            s,
            "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10];"
        );
        for i in self.graph.node_indices() {
            let n = &self.graph[i];
            let (shape, fill) = match n.kind.as_str() {
                "person" => ("ellipse", "#fdf6e3"),
                "country" => ("box", "#dceefb"),
                "organisation" => ("hexagon", "#e8f5e9"),
                _ => ("octagon", "#eeeeee"),
            };
            let mut tip = format!("{} ({})", n.id, n.kind);
            if let Some(c) = n.country.as_deref().filter(|c| *c != n.id) {
                let _ = write!(tip, ", {c}");
            }
            let _ = write!(tip, ", {}", counted(n.events, "event"));
            let _ = writeln!(
                s,
                "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
                dot_str(&n.id),
                dot_str(n.label(labels)),
                dot_str(&tip)
            );
        }
        for e in self.graph.edge_references() {
            let w = e.weight();
            let (a, b) = (&self.graph[e.source()], &self.graph[e.target()]);
            let mut attrs: Vec<String> = Vec::new();
            if !w.directed {
                attrs.push("dir=none".into());
            }
            attrs.push(format!("label={}", dot_str(&self.edge_label(w, labels))));
            let agreement = w.kind == "agreement";
            let mut style: Vec<&str> = Vec::new();
            match w.modality() {
                "planned" => style.push("dashed"),
                "negated" => style.push("dotted"),
                _ => style.push("solid"),
            }
            if agreement {
                style.push("bold");
            }
            attrs.push(format!("style=\"{}\"", style.join(",")));
            let colour = match (w.kind.as_str(), w.directed) {
                ("agreement", _) => "#2e7d32",
                ("meeting", true) => "#6a1b9a",
                ("meeting", false) => "#1565c0",
                _ => "#555555",
            };
            attrs.push(format!("color=\"{colour}\", fontcolor=\"{colour}\""));
            let pen: f64 = 1.0 + 1.5 * (w.count.max(1) as f64).ln();
            let pen = if agreement { pen + 1.0 } else { pen };
            attrs.push(format!("penwidth={:.2}", pen.min(12.0)));
            attrs.push(format!("weight={}", w.count.clamp(1, 1000)));
            attrs.push(format!("tooltip={}", dot_str(&self.edge_tooltip(a, b, w))));
            let _ = writeln!(
                s,
                "  {} -> {} [{}];",
                dot_str(&a.id),
                dot_str(&b.id),
                attrs.join(", ")
            );
        }
        s.push_str("}\n");
    }

    fn edge_label(&self, w: &Edge, labels: Labels) -> String {
        let word = |x: &str| match labels {
            Labels::English => x.to_string(),
            Labels::Arabic => arabic_word(x).unwrap_or(x).to_string(),
        };
        // Meetings say what kind of meeting; agreements are agreements, reached or signed.
        let what = if w.subtypes.len() == 1 && w.kind != "agreement" {
            w.subtype().unwrap_or(&w.kind)
        } else {
            &w.kind
        };
        let mut label = if w.count > 1 {
            format!("{} × {}", w.count, word(what))
        } else {
            word(what)
        };
        let modality = w.modality();
        if modality != "occurred" {
            let _ = write!(label, " ({})", word(modality));
        }
        let places = self.locations_text(w, labels, 3);
        if !places.is_empty() {
            label.push('\n');
            label.push_str(&places);
        }
        label
    }

    fn edge_tooltip(&self, a: &Node, b: &Node, w: &Edge) -> String {
        let arrow = if w.directed { "→" } else { "–" };
        let mut t = format!("{} {arrow} {}: {} × {}", a.name, b.name, w.count, w.kind);
        let _ = write!(
            t,
            "; occurred {}, planned {}, negated {}",
            w.occurred, w.planned, w.negated
        );
        if let (Some(f), Some(l)) = (&w.first_date, &w.last_date) {
            let _ = write!(t, "; {f} .. {l}");
        }
        if !w.document_ids.is_empty() {
            let _ = write!(t, "; documents: {}", w.document_ids.join(", "));
        }
        t
    }

    // ---------------------------------------------------------------- JSON

    /// The node-link data: the shape networkx's `node_link_graph(data, edges="links")` and D3's
    /// force layout read. `directed` is true when some edge is; each link also says whether it
    /// is directed.
    pub fn node_link(&self, labels: Labels) -> NodeLink {
        let nodes = self
            .graph
            .node_indices()
            .map(|i| {
                let n = &self.graph[i];
                NodeLinkNode {
                    id: n.id.clone(),
                    label: n.label(labels).to_string(),
                    name: n.name.clone(),
                    name_ar: n.name_ar.clone(),
                    kind: n.kind.clone(),
                    country: n.country.clone(),
                    events: n.events,
                }
            })
            .collect();
        let links = self
            .graph
            .edge_references()
            .enumerate()
            .map(|(key, e)| {
                let w = e.weight();
                NodeLinkLink {
                    source: self.graph[e.source()].id.clone(),
                    target: self.graph[e.target()].id.clone(),
                    key,
                    kind: w.kind.clone(),
                    subtype: w.subtype().map(str::to_string),
                    cameo: w.cameo_code().map(str::to_string),
                    modality: w.modality().to_string(),
                    directed: w.directed,
                    label: self.edge_label(w, labels),
                    count: w.count,
                    weight: w.count as f64,
                    occurred: w.occurred,
                    planned: w.planned,
                    negated: w.negated,
                    subtypes: w.subtypes.clone(),
                    cameo_codes: w.cameo.clone(),
                    locations: by_count(&w.locations)
                        .into_iter()
                        .map(|(id, count)| LocationCount {
                            id: id.to_string(),
                            name: self.place_name(id, labels).unwrap_or(id).to_string(),
                            count,
                        })
                        .collect(),
                    first_date: w.first_date.clone(),
                    last_date: w.last_date.clone(),
                    documents: w.documents,
                    document_ids: w.document_ids.clone(),
                    evidence: w.evidence.clone(),
                    event: w.event.clone(),
                    start: w.start.clone(),
                    end: w.end.clone(),
                    confidence: w.confidence,
                }
            })
            .collect();
        NodeLink {
            directed: self.has_directed_edges(),
            multigraph: true,
            graph: NodeLinkMeta {
                name: "majlis".into(),
                view: self.view.as_str().into(),
                labels: labels.as_str().into(),
                documents: self.stats.documents,
                events: self.stats.events_used,
            },
            nodes,
            links,
        }
    }

    /// Writes the node-link data as JSON.
    pub fn write_json<W: Write>(&self, out: &mut W, labels: Labels) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.node_link(labels))?;
        out.write_all(b"\n")
    }

    // ---------------------------------------------------------------- GraphML

    /// Writes GraphML (Gephi, yEd, networkx `read_graphml`). Every attribute has its `<key>`.
    /// Since most readers refuse mixed graphs, the graph is directed when some edge is (a visit),
    /// and every edge's `directed` data says whether it is one-way.
    pub fn write_graphml<W: Write>(&self, out: &mut W, labels: Labels) -> io::Result<()> {
        let mut s = String::new();
        self.graphml_into(&mut s, labels);
        out.write_all(s.as_bytes())
    }

    fn graphml_into(&self, s: &mut String, labels: Labels) {
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str(
            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        );
        for (id, name, ty) in GRAPH_KEYS {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"graph\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        for (id, name, ty) in NODE_KEYS {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        for (id, name, ty) in EDGE_KEYS {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        // Most readers (networkx among them) refuse mixed graphs, so direction is set for the
        // whole graph and each edge says in its `directed` data whether it is symmetric.
        let _ = writeln!(
            s,
            "  <graph id=\"majlis\" edgedefault=\"{}\">",
            if self.has_directed_edges() {
                "directed"
            } else {
                "undirected"
            }
        );
        let data = |s: &mut String, key: &str, value: &str| {
            let _ = writeln!(s, "      <data key=\"{key}\">{}</data>", xml_escape(value));
        };
        data(s, "g_view", self.view.as_str());
        data(s, "g_labels", labels.as_str());
        data(s, "g_documents", &self.stats.documents.to_string());
        data(s, "g_events", &self.stats.events_used.to_string());
        for i in self.graph.node_indices() {
            let n = &self.graph[i];
            let _ = writeln!(s, "    <node id=\"{}\">", xml_escape(&n.id));
            data(s, "n_label", n.label(labels));
            data(s, "n_name", &n.name);
            if let Some(a) = &n.name_ar {
                data(s, "n_name_ar", a);
            }
            data(s, "n_type", &n.kind);
            if let Some(c) = &n.country {
                data(s, "n_country", c);
            }
            data(s, "n_events", &n.events.to_string());
            s.push_str("    </node>\n");
        }
        for (k, e) in self.graph.edge_references().enumerate() {
            let w = e.weight();
            let _ = writeln!(
                s,
                "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\">",
                xml_escape(&self.graph[e.source()].id),
                xml_escape(&self.graph[e.target()].id),
            );
            data(s, "e_label", &self.edge_label(w, labels));
            data(s, "e_kind", &w.kind);
            if let Some(x) = w.subtype() {
                data(s, "e_subtype", x);
            }
            if let Some(x) = w.cameo_code() {
                data(s, "e_cameo", x);
            }
            data(s, "e_modality", w.modality());
            data(s, "e_directed", if w.directed { "true" } else { "false" });
            data(s, "e_count", &w.count.to_string());
            data(s, "e_weight", &(w.count as f64).to_string());
            data(s, "e_occurred", &w.occurred.to_string());
            data(s, "e_planned", &w.planned.to_string());
            data(s, "e_negated", &w.negated.to_string());
            let locs = self.locations_text(w, Labels::English, usize::MAX);
            if !locs.is_empty() {
                data(s, "e_locations", &locs);
            }
            if let Some(x) = &w.first_date {
                data(s, "e_first_date", x);
            }
            if let Some(x) = &w.last_date {
                data(s, "e_last_date", x);
            }
            data(s, "e_documents", &w.documents.to_string());
            if !w.document_ids.is_empty() {
                data(s, "e_document_ids", &w.document_ids.join(" "));
            }
            if !w.evidence.is_empty() {
                let ev: Vec<String> = w
                    .evidence
                    .iter()
                    .map(|x| format!("{} [{}]: {}", x.document, x.rule, x.trigger))
                    .collect();
                data(s, "e_evidence", &ev.join(" | "));
            }
            if let Some(x) = &w.event {
                data(s, "e_event", x);
            }
            if let Some(x) = &w.start {
                data(s, "e_start", x);
            }
            if let Some(x) = &w.end {
                data(s, "e_end", x);
            }
            if let Some(x) = w.confidence {
                data(s, "e_confidence", &x.to_string());
            }
            s.push_str("    </edge>\n");
        }
        s.push_str("  </graph>\n</graphml>\n");
    }
}

/// GraphML keys of the graph: (id, name, type).
pub const GRAPH_KEYS: &[(&str, &str, &str)] = &[
    ("g_view", "view", "string"),
    ("g_labels", "labels", "string"),
    ("g_documents", "documents", "long"),
    ("g_events", "events", "long"),
];

/// GraphML keys of nodes: (id, name, type).
pub const NODE_KEYS: &[(&str, &str, &str)] = &[
    ("n_label", "label", "string"),
    ("n_name", "name", "string"),
    ("n_name_ar", "name_ar", "string"),
    ("n_type", "type", "string"),
    ("n_country", "country", "string"),
    ("n_events", "events", "long"),
];

/// GraphML keys of edges: (id, name, type).
pub const EDGE_KEYS: &[(&str, &str, &str)] = &[
    ("e_label", "label", "string"),
    ("e_kind", "kind", "string"),
    ("e_subtype", "subtype", "string"),
    ("e_cameo", "cameo", "string"),
    ("e_modality", "modality", "string"),
    ("e_directed", "directed", "boolean"),
    ("e_count", "count", "long"),
    ("e_weight", "weight", "double"),
    ("e_occurred", "occurred", "long"),
    ("e_planned", "planned", "long"),
    ("e_negated", "negated", "long"),
    ("e_locations", "locations", "string"),
    ("e_first_date", "first_date", "string"),
    ("e_last_date", "last_date", "string"),
    ("e_documents", "documents", "long"),
    ("e_document_ids", "document_ids", "string"),
    ("e_evidence", "evidence", "string"),
    ("e_event", "event", "string"),
    ("e_start", "start", "string"),
    ("e_end", "end", "string"),
    ("e_confidence", "confidence", "double"),
];

/// Node-link data of a graph (networkx `node_link_data` shape, with `links`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeLink {
    /// True when some edge is directed.
    pub directed: bool,
    /// Always true: a pair may have several edges (one per kind, or per event).
    pub multigraph: bool,
    /// Graph attributes.
    pub graph: NodeLinkMeta,
    /// Nodes.
    pub nodes: Vec<NodeLinkNode>,
    /// Edges.
    pub links: Vec<NodeLinkLink>,
}

/// Graph attributes of the node-link data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeLinkMeta {
    /// `majlis`.
    pub name: String,
    /// full, aggregate or country.
    pub view: String,
    /// en or ar.
    pub labels: String,
    /// Documents read.
    pub documents: u64,
    /// Events that made edges.
    pub events: u64,
}

/// A node of the node-link data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeLinkNode {
    /// Node id.
    pub id: String,
    /// Name in the chosen language.
    pub label: String,
    /// English name.
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// person, country, city or organisation.
    #[serde(rename = "type")]
    pub kind: String,
    /// Country code.
    pub country: Option<String>,
    /// Events it takes part in.
    pub events: u64,
}

/// A location of an edge and its number of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationCount {
    /// Gazetteer id.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// Events there.
    pub count: u64,
}

/// A link of the node-link data; see [`Edge`] for the fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct NodeLinkLink {
    pub source: String,
    pub target: String,
    /// Unique per link: tells parallel edges apart in a networkx multigraph.
    pub key: usize,
    pub kind: String,
    pub subtype: Option<String>,
    pub cameo: Option<String>,
    pub modality: String,
    pub directed: bool,
    /// Label in the chosen language.
    pub label: String,
    pub count: u64,
    /// The count, under the name graph algorithms look for.
    pub weight: f64,
    pub occurred: u64,
    pub planned: u64,
    pub negated: u64,
    pub subtypes: BTreeMap<String, u64>,
    pub cameo_codes: BTreeMap<String, u64>,
    pub locations: Vec<LocationCount>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub documents: u64,
    pub document_ids: Vec<String>,
    pub evidence: Vec<EvidenceSample>,
    pub event: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub confidence: Option<f32>,
}

/// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`, other control
/// characters dropped; everything else, Arabic included, stays as UTF-8.
pub fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// XML text and attribute escaping; characters XML 1.0 does not allow are dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn arabic_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "meeting" => "لقاء",
        "agreement" => "اتفاق",
        "talks" => "محادثات",
        "visit" => "زيارة",
        "reception" => "استقبال",
        "call" => "اتصال",
        "summit" => "قمة",
        "reached" => "اتفاق",
        "signed" => "توقيع",
        "planned" => "مرتقب",
        "negated" => "منفي",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Evidence, Plover, Trigger};

    fn p(id: &str, kind: &str, country: Option<&str>) -> Participant {
        Participant {
            id: id.into(),
            name: id.into(),
            kind: kind.into(),
            country: country.map(Into::into),
        }
    }

    fn ev(kind: &str, subtype: &str, modality: &str, parts: Vec<Participant>) -> EventRecord {
        EventRecord {
            id: "d/e1".into(),
            kind: kind.into(),
            subtype: Some(subtype.into()),
            cameo: "036".into(),
            plover: Plover {
                event: "CONSULT".into(),
                mode: None,
                context: vec![],
            },
            participants: parts,
            location: None,
            time: None,
            topic: None,
            modality: modality.into(),
            evidence: vec![Evidence {
                sentence: [0, 10],
                trigger: Trigger {
                    text: "met".into(),
                    span: [2, 5],
                },
                rule: "r".into(),
                source: "rules/x.yaml:1".into(),
            }],
            confidence: 0.9,
        }
    }

    fn rec(id: &str, date: &str, events: Vec<EventRecord>) -> Record {
        Record {
            id: id.into(),
            date: Some(date.into()),
            entities: vec![],
            events,
        }
    }

    #[test]
    fn three_way_meeting_makes_three_undirected_pairs() {
        let mut b = GraphBuilder::new(View::Aggregate);
        b.add(&rec(
            "d",
            "2016-07-15",
            vec![ev(
                "meeting",
                "talks",
                "occurred",
                vec![
                    p("c", "person", None),
                    p("a", "person", None),
                    p("b", "person", None),
                ],
            )],
        ));
        let g = b.finish();
        assert_eq!(g.edge_count(), 3);
        assert!(g.edges().all(|(a, b, e)| !e.directed && a.id < b.id));
    }

    #[test]
    fn most_common_breaks_ties_alphabetically() {
        let m: BTreeMap<String, u64> = [("visit".to_string(), 2), ("talks".to_string(), 2)].into();
        assert_eq!(most_common(&m), Some("talks"));
    }

    #[test]
    fn document_counted_once_per_edge() {
        let mut b = GraphBuilder::new(View::Aggregate).samples(1);
        let e = ev(
            "meeting",
            "talks",
            "occurred",
            vec![p("a", "person", None), p("b", "person", None)],
        );
        b.add(&rec("d1", "2016-01-02", vec![e.clone(), e.clone()]));
        b.add(&rec("d2", "2016-01-01", vec![e]));
        let g = b.finish();
        let edge = g.edges_between("a", "b")[0];
        assert_eq!((edge.count, edge.documents), (3, 2));
        assert_eq!(edge.document_ids, vec!["d1"]);
        assert_eq!(edge.evidence.len(), 1);
        assert_eq!(edge.first_date.as_deref(), Some("2016-01-01"));
        assert_eq!(edge.last_date.as_deref(), Some("2016-01-02"));
    }

    #[test]
    fn escaping() {
        assert_eq!(dot_str(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(dot_str("سيرغي \"لافروف\"\n"), "\"سيرغي \\\"لافروف\\\"\\n\"");
        assert_eq!(
            xml_escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;"
        );
    }
}
