//! The record schema: what one document yields, as serialised to JSON.
//!
//! Field names and shapes are a contract (ARCHITECTURE.md, "Record schema"); change them only on
//! purpose. Spans are byte ranges of the original UTF-8 text; `char_span` is the same range in
//! Unicode scalar values.

use serde::{Deserialize, Serialize};

/// Everything found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The document id.
    pub id: String,
    /// The document date (YYYY-MM-DD), when known.
    pub date: Option<String>,
    /// Entities in order of first mention.
    pub entities: Vec<EntityRecord>,
    /// Events in order of first evidence.
    pub events: Vec<EventRecord>,
}

/// An entity and all its mentions in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// Gazetteer id.
    pub id: String,
    /// person, country, city or organisation.
    #[serde(rename = "type")]
    pub kind: String,
    /// English name.
    pub name: String,
    /// ISO alpha-3 code of the country it belongs to or acts for (organisations: their code).
    pub country: Option<String>,
    /// Wikidata QID.
    pub wikidata: Option<String>,
    /// Every place it is mentioned, in text order.
    pub mentions: Vec<MentionRecord>,
}

/// One place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    /// The original text of the mention (`text == original[span]`).
    pub text: String,
    /// Byte range in the original text.
    pub span: [usize; 2],
    /// The same range in Unicode scalar values.
    pub char_span: [usize; 2],
    /// How the mention names the entity: name, alias, clitic, adjective, partial, role,
    /// counterpart, metonym, description (a state institution named by its kind and its
    /// country: الجيش اللبناني).
    pub via: String,
}

/// An entity taking part in an event, or its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Gazetteer id.
    pub id: String,
    /// English name.
    pub name: String,
    /// person, country, city or organisation.
    #[serde(rename = "type")]
    pub kind: String,
    /// Country (or organisation code) it acts for.
    pub country: Option<String>,
}

/// PLOVER coding of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plover {
    /// CONSULT or AGREE.
    pub event: String,
    /// visit, host, meet, phone (CONSULT); null otherwise.
    pub mode: Option<String>,
    /// `future` for planned events.
    pub context: Vec<String>,
}

/// When the event happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRecord {
    /// The original text of the time expression.
    pub text: String,
    /// First day (YYYY-MM-DD), when it can be worked out.
    pub start: Option<String>,
    /// Last day (YYYY-MM-DD), when it can be worked out.
    pub end: Option<String>,
}

/// What the event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// The original text of the topic phrase.
    pub text: String,
    /// Ids of the entities the topic is about.
    pub entities: Vec<String>,
}

/// The trigger words of a piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// Original text.
    pub text: String,
    /// Byte range in the original text.
    pub span: [usize; 2],
}

/// Where an event was said, and which rule coded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Byte range of the sentence in the original text.
    pub sentence: [usize; 2],
    /// The trigger.
    pub trigger: Trigger,
    /// Rule id.
    pub rule: String,
    /// `file:line` of the rule.
    pub source: String,
}

/// A meeting or an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// `<document id>/e<n>`.
    pub id: String,
    /// meeting or agreement.
    pub kind: String,
    /// talks, visit, reception, call, summit, reached, signed.
    pub subtype: Option<String>,
    /// CAMEO event code.
    pub cameo: String,
    /// PLOVER coding.
    pub plover: Plover,
    /// Who takes part (for visits: visitor first, host second).
    pub participants: Vec<Participant>,
    /// Where, if the text says.
    pub location: Option<Participant>,
    /// When, if the text says.
    pub time: Option<TimeRecord>,
    /// About what, if the text says.
    pub topic: Option<Topic>,
    /// occurred, planned or negated.
    pub modality: String,
    /// Every place the event is told.
    pub evidence: Vec<Evidence>,
    /// 0..1, from the rule and how its slots were filled.
    pub confidence: f32,
}
