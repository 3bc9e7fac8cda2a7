//! The record schema: what one document yields, as serialised to JSON.
//!
//! Field names and shapes are a contract (ARCHITECTURE.md, "Record schema"); change them only on
//! purpose. Spans are byte ranges of the original UTF-8 text; `char_span` is the same range in
//! Unicode scalar values.
//!
//! Every type takes the type of its strings as a parameter, `String` unless said otherwise:
//! the records a program keeps own their strings. A record that is only written out may borrow
//! them from the document and the engine instead (`Record<Cow<str>>`, as `majlis extract
//! --jsonl` writes them); both serialise to the same JSON.

use serde::{Deserialize, Serialize};

/// Everything found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<S = String> {
    /// The document id.
    pub id: S,
    /// The document date (YYYY-MM-DD), when known.
    pub date: Option<S>,
    /// Entities in order of first mention.
    pub entities: Vec<EntityRecord<S>>,
    /// Events in order of first evidence.
    pub events: Vec<EventRecord<S>>,
}

/// An entity and all its mentions in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord<S = String> {
    /// Gazetteer id.
    pub id: S,
    /// person, country, city or organisation.
    #[serde(rename = "type")]
    pub kind: S,
    /// English name.
    pub name: S,
    /// ISO alpha-3 code of the country it belongs to or acts for (organisations: their code).
    pub country: Option<S>,
    /// Wikidata QID.
    pub wikidata: Option<S>,
    /// Every place it is mentioned, in text order.
    pub mentions: Vec<MentionRecord<S>>,
}

/// One place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord<S = String> {
    /// The original text of the mention (`text == original[span]`).
    pub text: S,
    /// Byte range in the original text.
    pub span: [usize; 2],
    /// The same range in Unicode scalar values.
    pub char_span: [usize; 2],
    /// How the mention names the entity: name, alias, clitic, adjective, partial, role,
    /// counterpart, metonym, description (a state institution named by its kind and its
    /// country: الجيش اللبناني).
    pub via: S,
}

/// An entity taking part in an event, or its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant<S = String> {
    /// Gazetteer id.
    pub id: S,
    /// English name.
    pub name: S,
    /// person, country, city or organisation.
    #[serde(rename = "type")]
    pub kind: S,
    /// Country (or organisation code) it acts for.
    pub country: Option<S>,
}

/// PLOVER coding of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plover<S = String> {
    /// CONSULT or AGREE.
    pub event: S,
    /// visit, host, meet, phone (CONSULT); null otherwise.
    pub mode: Option<S>,
    /// `future` for planned events.
    pub context: Vec<S>,
}

/// When the event happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRecord<S = String> {
    /// The original text of the time expression.
    pub text: S,
    /// First day (YYYY-MM-DD), when it can be worked out.
    pub start: Option<S>,
    /// Last day (YYYY-MM-DD), when it can be worked out.
    pub end: Option<S>,
}

/// What the event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic<S = String> {
    /// The original text of the topic phrase.
    pub text: S,
    /// Ids of the entities the topic is about.
    pub entities: Vec<S>,
}

/// The trigger words of a piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger<S = String> {
    /// Original text.
    pub text: S,
    /// Byte range in the original text.
    pub span: [usize; 2],
}

/// Where an event was said, and which rule coded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence<S = String> {
    /// Byte range of the sentence in the original text.
    pub sentence: [usize; 2],
    /// The trigger.
    pub trigger: Trigger<S>,
    /// Rule id.
    pub rule: S,
    /// `file:line` of the rule.
    pub source: S,
}

/// A meeting or an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord<S = String> {
    /// `<document id>/e<n>`.
    pub id: S,
    /// meeting or agreement.
    pub kind: S,
    /// talks, visit, reception, call, summit, reached, signed.
    pub subtype: Option<S>,
    /// CAMEO event code.
    pub cameo: S,
    /// PLOVER coding.
    pub plover: Plover<S>,
    /// Who takes part (for visits: visitor first, host second).
    pub participants: Vec<Participant<S>>,
    /// Where, if the text says.
    pub location: Option<Participant<S>>,
    /// When, if the text says.
    pub time: Option<TimeRecord<S>>,
    /// About what, if the text says.
    pub topic: Option<Topic<S>>,
    /// occurred, planned or negated.
    pub modality: S,
    /// Every place the event is told.
    pub evidence: Vec<Evidence<S>>,
    /// 0..1, from the rule and how its slots were filled.
    pub confidence: f32,
}
