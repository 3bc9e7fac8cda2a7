//! Event rules: YAML files that turn sentences into meeting and agreement events.
//!
//! The format is documented in `rules/README.md`. In short: a file may define shared word sets
//! (`words`), per-language settings (`languages`: modality cues, location prepositions, topic and
//! actor nouns) and `rules`. A rule names a trigger regex over normalised text (word sets are
//! inserted with `{NAME}`), the kind, subtype and CAMEO code of its events, how to find the
//! participants around the trigger, and inline examples that `majlis test` runs.

use crate::diagnostic::{parse_yaml, Diagnostic, Severity, Sink};
use crate::gazetteer::{EntityType, SourceFile};
use crate::normalize::normalize_key;
use rayon::prelude::*;
use regex::{Regex, RegexSet};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, OnceLock};

/// Event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Meetings, talks, visits, receptions, calls, summits.
    Meeting,
    /// Agreements reached or signed.
    Agreement,
}

impl Kind {
    /// The record's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Agreement => "agreement",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "meeting" => Some(Kind::Meeting),
            "agreement" => Some(Kind::Agreement),
            _ => None,
        }
    }
}

/// How participants relate to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Everyone meets everyone.
    Symmetric,
    /// The subject visits the place after the trigger; its state is the host.
    Visit,
    /// The subject receives the object: the object is the visitor, the subject the host.
    Reception,
}

/// Where the event's location comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationMode {
    /// The nearest place after a location preposition (في, ب, in, at).
    Near,
    /// The place right after the trigger (زار موسكو, visited Moscow).
    Visited,
}

/// Language of a rule or a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Arabic.
    Ar,
    /// English.
    En,
}

impl Lang {
    /// `ar` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
    /// Parses `ar` / `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// An expected event of an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedEvent {
    /// meeting or agreement; defaults to the rule's kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Subtype, when the example cares.
    #[serde(default)]
    pub subtype: Option<String>,
    /// Participants by id or English name (any order).
    #[serde(default)]
    pub participants: Vec<String>,
    /// occurred, planned or negated, when the example cares.
    #[serde(default)]
    pub modality: Option<String>,
    /// Location by id or English name, when the example cares.
    #[serde(default)]
    pub location: Option<String>,
}

/// An inline example of a rule.
#[derive(Debug, Clone)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// The document date, if the example needs one.
    pub date: Option<chrono::NaiveDate>,
    /// Events the text must produce; empty means the text must produce no event at all.
    pub events: Vec<ExpectedEvent>,
    /// Events the text must not produce.
    pub forbid: Vec<ExpectedEvent>,
    /// `file:line` of the example.
    pub source: String,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id (`meeting.ar.talks-verb`).
    pub id: String,
    /// Event kind.
    pub kind: Kind,
    /// Subtype (talks, visit, reception, call, summit, reached, signed).
    pub subtype: Option<String>,
    /// CAMEO code for events that happened.
    pub cameo: String,
    /// CAMEO code for planned events.
    pub cameo_planned: String,
    /// Language of the sentences it reads.
    pub lang: Lang,
    /// Trigger over normalised text.
    pub trigger: Bounded,
    /// The trigger as written (for `explain`).
    pub trigger_source: String,
    /// Another pattern that must occur within `requires_within` tokens after the trigger.
    pub requires: Option<Bounded>,
    /// See `requires`.
    pub requires_within: usize,
    /// Largest gap in tokens between a subject group and the trigger (0: no subject before).
    pub before: usize,
    /// Largest gap in tokens between the trigger and groups after it (0: none).
    pub after: usize,
    /// A word right before a partner group (مع, with).
    pub marker: Option<Regex>,
    /// Largest gap in tokens between the trigger and a marked partner.
    pub marker_gap: usize,
    /// Whether a group right after the trigger can be a partner (التقى X Y) or only the
    /// subject of a verb-first sentence, its object being the topic (بحث X القضية مع Y).
    pub partner_after: bool,
    /// Entity types that may take part.
    pub types: Vec<EntityType>,
    /// Capitals may stand for their state.
    pub capitals: bool,
    /// Where the location comes from.
    pub location: LocationMode,
    /// How participants relate.
    pub direction: Direction,
    /// Confidence of its events.
    pub confidence: f32,
    /// Inline examples.
    pub examples: Vec<Example>,
    /// `file:line`.
    pub source: String,
}

/// Per-language settings shared by the rules of that language.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Cues before the trigger that make an event planned.
    pub planned: Cues,
    /// Cues before the trigger that make an event negated.
    pub negated: Cues,
    /// A trigger whose own text matches this is future (Arabic سـ).
    pub planned_trigger: Option<Regex>,
    /// Cues right after the trigger that make it planned (الزيارة المرتقبة).
    pub planned_after: Cues,
    /// A trigger in the present tense; with "today" it is planned (يلتقي اليوم).
    pub present_trigger: Option<Regex>,
    /// Cues before a present-tense trigger that make it possible, not yet real (قد يلتقي):
    /// coded as planned. Before a past tense they assert it (قد التقى, كان ... قد زار).
    pub hedged: Cues,
    /// How many tokens before the trigger modality cues are looked for.
    pub window: usize,
    /// Text right before a place that makes it a location (في, ب, in, at).
    pub location_prep: Option<Regex>,
    /// Nouns whose following (Arabic) or preceding (English) country is a topic (الملف السوري).
    pub topic_nouns: Vec<String>,
    /// Nouns after which a nisba adjective is an actor (الجانب الروسي).
    pub actor_nouns: Vec<String>,
    /// Text between two mentions that joins them (و، and).
    pub coordination: Option<Regex>,
    /// Words that do not count as distance between a trigger and its participants
    /// (honorifics: صاحب السمو الملكي، معالي، His Excellency).
    pub fillers: Vec<String>,
}

/// All rules, compiled.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Rules in file order.
    pub rules: Vec<Rule>,
    /// Per language: one set over every trigger.
    sets: HashMap<Lang, TriggerSet>,
    /// Per-language settings.
    pub profiles: HashMap<Lang, Profile>,
}

impl RuleSet {
    /// Rules of `lang` whose trigger occurs in `text`, in one pass.
    pub fn fired(&self, lang: Lang, text: &str) -> Vec<usize> {
        let Some(set) = self.sets.get(&lang) else {
            return Vec::new();
        };
        let matches = if narrow_text(text) {
            set.narrow.matches(text)
        } else {
            // The set is built from the exact patterns' text: compiling each trigger alone
            // first would be work the set does again.
            let exact = set.exact.get_or_init(|| {
                let patterns: Option<Vec<String>> = set
                    .rules
                    .iter()
                    .map(|&i| self.rules[i].trigger.exact_pattern())
                    .collect();
                RegexSet::new(patterns?).ok()
            });
            match exact {
                Some(exact) => exact.matches(text),
                None => set.narrow.matches(text),
            }
        };
        matches.into_iter().map(|i| set.rules[i]).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// YAML shapes

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    words: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    languages: BTreeMap<String, RawProfile>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    #[serde(default)]
    planned: Vec<Spanned<String>>,
    #[serde(default)]
    negated: Vec<Spanned<String>>,
    #[serde(default)]
    planned_trigger: Option<Spanned<String>>,
    #[serde(default)]
    planned_after: Vec<Spanned<String>>,
    #[serde(default)]
    present_trigger: Option<Spanned<String>>,
    #[serde(default)]
    hedged: Vec<Spanned<String>>,
    #[serde(default)]
    window: Option<usize>,
    #[serde(default)]
    location_prep: Option<Spanned<String>>,
    #[serde(default)]
    topic_nouns: Vec<String>,
    #[serde(default)]
    actor_nouns: Vec<String>,
    #[serde(default)]
    coordination: Option<Spanned<String>>,
    #[serde(default)]
    fillers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParticipants {
    #[serde(default)]
    before: Option<usize>,
    #[serde(default)]
    after: Option<usize>,
    #[serde(default)]
    marker: Option<Spanned<String>>,
    #[serde(default)]
    marker_gap: Option<usize>,
    #[serde(default)]
    partner_after: Option<bool>,
    #[serde(default)]
    types: Vec<Spanned<String>>,
    #[serde(default)]
    capitals: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    text: Spanned<String>,
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    events: Vec<ExpectedEvent>,
    #[serde(default)]
    forbid: Vec<ExpectedEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    subtype: Option<String>,
    cameo: Spanned<String>,
    #[serde(default)]
    cameo_planned: Option<String>,
    lang: Spanned<String>,
    trigger: Spanned<String>,
    #[serde(default)]
    requires: Option<Spanned<String>>,
    #[serde(default)]
    requires_within: Option<usize>,
    #[serde(default)]
    participants: Option<Spanned<RawParticipants>>,
    #[serde(default)]
    location: Option<Spanned<String>>,
    #[serde(default)]
    direction: Option<Spanned<String>>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    examples: Vec<Spanned<RawExample>>,
}

/// Wraps a pattern so that it matches whole words only. Unicode `\b` would do, but it keeps the
/// regex crate off its DFAs on non-ASCII text (about 30× slower on Arabic); an explicit letter
/// or digit class around a named group keeps the fast engines.
pub fn bounded(pattern: &str) -> String {
    format!(r"(?:^|[^\p{{L}}\p{{N}}])(?P<{WORD}>{pattern})(?:$|[^\p{{L}}\p{{N}}])")
}

const WORD: &str = "majlis_word";

/// The characters of ASCII and of the Arabic block (U+0600..U+06FF) that are neither a letter
/// nor a digit, as a regex class: over a text with no other character it is exactly
/// `[^\p{L}\p{N}]`, and it compiles in a twentieth of the time (the full class spans all of
/// Unicode, and every rule pattern has it twice). Read off the Unicode tables of `regex-syntax`.
static NARROW_BOUNDARY: LazyLock<String> = LazyLock::new(|| {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind};
    let mut boundary = match regex_syntax::parse(r"[^\p{L}\p{N}]").map(|h| h.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(c))) => c,
        // A constant pattern; were it ever refused, the narrow class would be empty and every
        // text would take the exact patterns: slower to build, still right.
        _ => ClassUnicode::empty(),
    };
    boundary.intersect(&ClassUnicode::new([
        ClassUnicodeRange::new('\0', '\x7f'),
        ClassUnicodeRange::new('\u{0600}', '\u{06ff}'),
    ]));
    let mut class = String::from("[");
    for r in boundary.iter() {
        class.push_str(&format!(
            r"\x{{{:x}}}-\x{{{:x}}}",
            r.start() as u32,
            r.end() as u32
        ));
    }
    class.push(']');
    class
});

/// [`bounded`] with the narrow boundary class.
fn bounded_narrow(pattern: &str) -> String {
    let b = &*NARROW_BOUNDARY;
    format!(r"(?:^|{b})(?P<{WORD}>{pattern})(?:$|{b})")
}

/// The pattern inside a [`bounded_narrow`] one.
fn inner_of_narrow(narrow: &str) -> Option<&str> {
    let b = &*NARROW_BOUNDARY;
    narrow
        .strip_prefix(&format!(r"(?:^|{b})(?P<{WORD}>"))?
        .strip_suffix(&format!(r")(?:$|{b})"))
}

/// Whether `text` has no character outside ASCII and the Arabic block, so that the narrow
/// boundary class is exact over it. (Lead bytes C0..D7 and DC..FF start other characters.)
fn narrow_text(text: &str) -> bool {
    // In blocks, without a branch per byte, so that the test runs on vectors.
    text.as_bytes().chunks(64).all(|chunk| {
        chunk
            .iter()
            .fold(true, |ok, &b| ok & ((b < 0xC0) | (b & 0xFC == 0xD8)))
    })
}

/// A pattern that matches whole words only (see [`bounded`]). It is compiled with a letter class
/// limited to ASCII and the Arabic block, which is exact over the texts that have no other
/// character (nearly all Arabic and English news) and quick to build; a text with any other
/// character is read with the pattern as [`bounded`] writes it, compiled the first time one
/// comes.
#[derive(Debug, Clone)]
pub struct Bounded {
    narrow: Regex,
    exact: std::sync::Arc<OnceLock<Regex>>,
}

impl Bounded {
    /// Compiles `pattern` (not yet bounded).
    ///
    /// ```
    /// let b = majlis::rules::Bounded::new("زار|visited").unwrap();
    /// assert_eq!(b.find_all("زار موسكو وزارة"), [(0, 6)]);
    /// assert_eq!(b.first("he visited Moscow"), Some("visited"));
    /// assert!(!b.is_match("revisited"));
    /// assert!(b.is_match("Иван visited")); // another script: the exact pattern reads it
    /// ```
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        Ok(Self::from_narrow(Regex::new(&bounded_narrow(pattern))?))
    }

    fn from_narrow(narrow: Regex) -> Self {
        Self {
            narrow,
            exact: Default::default(),
        }
    }

    /// The regex for `text`: the narrow one when it is exact there.
    fn regex(&self, text: &str) -> &Regex {
        if narrow_text(text) {
            &self.narrow
        } else {
            self.exact()
        }
    }

    /// The pattern with the full letter class, compiled on first use. (Should it not compile
    /// where the narrow one did, which no size limit makes likely, the narrow one serves.)
    pub fn exact(&self) -> &Regex {
        self.exact.get_or_init(|| {
            self.exact_pattern()
                .and_then(|p| Regex::new(&p).ok())
                .unwrap_or_else(|| self.narrow.clone())
        })
    }

    /// The pattern with the full letter class, as [`bounded`] writes it.
    fn exact_pattern(&self) -> Option<String> {
        inner_of_narrow(self.narrow.as_str()).map(bounded)
    }

    /// The pattern as compiled for ASCII and Arabic text.
    pub fn as_str(&self) -> &str {
        self.narrow.as_str()
    }

    /// Whether a whole-word match occurs in `hay`.
    pub fn is_match(&self, hay: &str) -> bool {
        self.regex(hay).is_match(hay)
    }

    /// Every whole-word match, as byte ranges of `hay`. Matches may share the separator between
    /// them.
    pub fn find_all(&self, hay: &str) -> Vec<(usize, usize)> {
        let re = self.regex(hay);
        let mut out = Vec::new();
        let mut at = 0;
        while at <= hay.len() {
            let Some(whole) = re.find_at(hay, at) else {
                break;
            };
            // Inside the text, each boundary is one character on either side of the word
            // (`^` and `$` cannot match there): the word needs no capture search. At either
            // end of the text only the capture search tells which alternative matched.
            let (start, end) = if whole.start() > 0 && whole.end() < hay.len() {
                let m = whole.as_str();
                let first = m.chars().next().map_or(0, char::len_utf8);
                let last = m.chars().next_back().map_or(0, char::len_utf8);
                (whole.start() + first, whole.end() - last)
            } else {
                match re.captures_at(hay, at).and_then(|c| c.name(WORD)) {
                    Some(m) => (m.start(), m.end()),
                    None => break,
                }
            };
            out.push((start, end));
            // Continue at the end of the word, so that its trailing separator can open the next.
            at = if end > at {
                end
            } else {
                at + hay[at..].chars().next().map_or(1, char::len_utf8)
            };
        }
        out
    }

    /// The first whole-word match.
    pub fn first<'h>(&self, hay: &'h str) -> Option<&'h str> {
        let re = self.regex(hay);
        // Most cues are absent: a plain match test costs less than a capture search.
        if !re.is_match(hay) {
            return None;
        }
        re.captures(hay)
            .and_then(|c| c.name(WORD))
            .map(|m| m.as_str())
    }
}

/// A list of whole-word cues, looked for in order. One pattern made of them all answers first
/// whether any occurs, so that a text with none (nearly every one) costs one search, not one per
/// cue.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    /// The cues, in the order they are tried.
    pub each: Vec<Bounded>,
    any: Option<Bounded>,
}

impl Cues {
    fn new(each: Vec<Bounded>) -> Self {
        let joined: Vec<String> = each
            .iter()
            .filter_map(|b| inner_of_narrow(b.as_str()))
            .map(|p| format!("(?:{p})"))
            .collect();
        // Every cue compiled alone, so they compile together; were they ever refused (a size
        // limit), each is tried in turn.
        let any = (joined.len() == each.len() && each.len() > 1)
            .then(|| Bounded::new(&joined.join("|")).ok())
            .flatten();
        Self { each, any }
    }

    /// The text of the first cue of the list that occurs in `hay` (as a whole word).
    pub fn first<'h>(&self, hay: &'h str) -> Option<&'h str> {
        if self.any.as_ref().is_some_and(|a| !a.is_match(hay)) {
            return None;
        }
        self.each.iter().find_map(|b| b.first(hay))
    }
}

/// The triggers of one language in one set, narrow and (when a text needs it) exact.
#[derive(Debug, Clone)]
struct TriggerSet {
    narrow: RegexSet,
    exact: OnceLock<Option<RegexSet>>,
    /// The rule of each pattern.
    rules: Vec<usize>,
}

/// Characters the normaliser changes: a trigger written with them can never match.
fn folded_chars(s: &str) -> Vec<char> {
    let mut out: Vec<char> = s
        .chars()
        .filter(|&c| {
            !c.is_ascii() && !c.is_whitespace() && {
                let mut b = [0u8; 4];
                normalize_key(c.encode_utf8(&mut b)) != c.to_string()
            }
        })
        .collect();
    out.dedup();
    out
}

/// Loads rule files. `known_entity` tells whether an example's participant names an entity of
/// the gazetteer (by id or English name). Returns the rules and every problem found.
pub fn load(
    files: &[SourceFile],
    known_entity: &dyn Fn(&str) -> bool,
) -> (RuleSet, Vec<Diagnostic>) {
    load_with(files, known_entity, &Regexes::Compile(None))
}

/// The regular expressions of rule files, compiled ahead: [`precompile`] can run while the
/// gazetteers load, and [`load_precompiled`] then only looks them up.
#[derive(Debug, Default)]
pub struct Precompiled(HashMap<String, Regex>);

/// Compiles every regular expression of the rule files, in parallel. Patterns that do not
/// compile are left out: [`load_precompiled`] compiles them again and reports the error where
/// it is written.
pub fn precompile(files: &[SourceFile]) -> Precompiled {
    let collected = std::sync::Mutex::new(Vec::new());
    load_with(files, &|_| true, &Regexes::Collect(&collected));
    let mut patterns = collected.into_inner().unwrap_or_default();
    patterns.sort_unstable();
    patterns.dedup();
    Precompiled(
        patterns
            .into_par_iter()
            .filter_map(|p| Regex::new(&p).ok().map(|r| (p, r)))
            .collect(),
    )
}

/// [`load`], with the regular expressions taken from `pre` where it has them.
pub fn load_precompiled(
    files: &[SourceFile],
    known_entity: &dyn Fn(&str) -> bool,
    pre: &Precompiled,
) -> (RuleSet, Vec<Diagnostic>) {
    load_with(files, known_entity, &Regexes::Compile(Some(pre)))
}

/// What [`load_with`] does with a regular expression: note it (a dry run that only collects
/// the patterns), or compile it (looking it up first among those compiled ahead).
enum Regexes<'a> {
    Collect(&'a std::sync::Mutex<Vec<String>>),
    Compile(Option<&'a Precompiled>),
}

fn load_with(
    files: &[SourceFile],
    known_entity: &dyn Fn(&str) -> bool,
    regexes: &Regexes<'_>,
) -> (RuleSet, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parsed: Vec<(usize, RawFile)> = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        match parse_yaml::<Option<RawFile>>(&f.name, &f.text) {
            Ok(v) => parsed.push((fi, v.unwrap_or_default())),
            Err(d) => diags.push(d),
        }
    }

    // Word sets, shared by every file.
    let mut words: HashMap<String, (String, String)> = HashMap::new();
    for (fi, raw) in &parsed {
        for (name, list) in &raw.words {
            if words.contains_key(name) {
                diags.push(Diagnostic {
                    file: files[*fi].name.clone(),
                    line: 0,
                    column: 0,
                    severity: Severity::Error,
                    message: format!("word set `{name}` is defined twice"),
                });
                continue;
            }
            let mut norm: Vec<String> = list
                .iter()
                .map(|w| normalize_key(w))
                .filter(|w| !w.is_empty())
                .collect();
            norm.sort_by_key(|w| std::cmp::Reverse(w.len()));
            norm.dedup();
            let alt = format!(
                "(?:{})",
                norm.iter()
                    .map(|w| regex::escape(w).replace(' ', r"\s+"))
                    .collect::<Vec<_>>()
                    .join("|")
            );
            words.insert(name.clone(), (alt, files[*fi].name.clone()));
        }
    }

    let expand = |sink: &mut Sink<'_>, s: &Spanned<String>| -> Option<String> {
        let mut out = String::new();
        let mut rest = s.value.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}');
            let name = close.map(|c| &after[..c]).unwrap_or("");
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            {
                match words.get(name) {
                    Some((alt, _)) => {
                        out.push_str(&rest[..open]);
                        out.push_str(alt);
                        rest = &after[name.len() + 1..];
                        continue;
                    }
                    None => {
                        sink.error(s, format!("unknown word set `{{{name}}}`"));
                        return None;
                    }
                }
            }
            out.push_str(&rest[..=open]);
            rest = after;
        }
        out.push_str(rest);
        Some(out)
    };
    let compile = |sink: &mut Sink<'_>,
                   s: &Spanned<String>,
                   what: &str,
                   wrap: bool|
     -> Option<Regex> {
        let pattern = expand(sink, s)?;
        let folded = folded_chars(&s.value);
        if !folded.is_empty() {
            let list: String = folded
                .iter()
                .map(|c| format!("{c} (U+{:04X}) ", *c as u32))
                .collect();
            sink.warning(
                s,
                format!("{what} is written with characters that normalisation folds away, so those parts can never match: {}", list.trim()),
            );
        }
        let full = if wrap {
            bounded_narrow(&pattern)
        } else {
            pattern
        };
        let compiled = match regexes {
            Regexes::Collect(list) => {
                if let Ok(mut list) = list.lock() {
                    list.push(full);
                }
                return None;
            }
            Regexes::Compile(Some(pre)) => match pre.0.get(&full) {
                Some(r) => Ok(r.clone()),
                None => Regex::new(&full),
            },
            Regexes::Compile(None) => Regex::new(&full),
        };
        match compiled {
            Ok(r) => Some(r),
            Err(e) => {
                let msg = e.to_string().replace('\n', " ");
                sink.error(
                    s,
                    format!(
                        "{what} does not compile: {}",
                        msg.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                );
                None
            }
        }
    };

    let mut profiles: HashMap<Lang, Profile> = HashMap::new();
    for (fi, raw) in &parsed {
        let mut sink = Sink {
            file: &files[*fi].name,
            out: &mut diags,
        };
        for (lang, p) in &raw.languages {
            let Some(l) = Lang::parse(lang) else {
                sink.at(
                    serde_saphyr::Location::UNKNOWN,
                    Severity::Error,
                    format!("unknown language `{lang}` (expected ar or en)"),
                );
                continue;
            };
            // A list of whole-word cues, each compiled (and its errors reported) on its own.
            let cues = |sink: &mut Sink<'_>, list: &[Spanned<String>], what: &str| {
                Cues::new(
                    list.iter()
                        .filter_map(|r| compile(sink, r, what, true))
                        .map(Bounded::from_narrow)
                        .collect(),
                )
            };
            let profile = Profile {
                planned: cues(&mut sink, &p.planned, "planned cue"),
                negated: cues(&mut sink, &p.negated, "negation cue"),
                planned_trigger: p
                    .planned_trigger
                    .as_ref()
                    .and_then(|r| compile(&mut sink, r, "planned_trigger", false)),
                planned_after: cues(&mut sink, &p.planned_after, "planned_after cue"),
                present_trigger: p
                    .present_trigger
                    .as_ref()
                    .and_then(|r| compile(&mut sink, r, "present_trigger", false)),
                hedged: cues(&mut sink, &p.hedged, "hedged cue"),
                window: p.window.unwrap_or(4),
                location_prep: p
                    .location_prep
                    .as_ref()
                    .and_then(|r| compile(&mut sink, r, "location_prep", false)),
                topic_nouns: p.topic_nouns.iter().map(|w| normalize_key(w)).collect(),
                actor_nouns: p.actor_nouns.iter().map(|w| normalize_key(w)).collect(),
                coordination: p
                    .coordination
                    .as_ref()
                    .and_then(|r| compile(&mut sink, r, "coordination", false)),
                fillers: p.fillers.iter().map(|w| normalize_key(w)).collect(),
            };
            profiles.insert(l, profile);
        }
    }

    let mut rules: Vec<Rule> = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (fi, raw) in &parsed {
        let file = &files[*fi].name;
        let mut sink = Sink {
            file,
            out: &mut diags,
        };
        for r in &raw.rules {
            let source = format!("{file}:{}", r.id.referenced.line());
            if let Some(prev) = ids.get(&r.id.value) {
                sink.error(
                    &r.id,
                    format!(
                        "duplicate rule id `{}` (first defined at {prev})",
                        r.id.value
                    ),
                );
                continue;
            }
            ids.insert(r.id.value.clone(), source.clone());
            let kind = Kind::parse(&r.kind.value);
            if kind.is_none() {
                sink.error(
                    &r.kind,
                    format!(
                        "unknown event kind `{}` (expected meeting or agreement)",
                        r.kind.value
                    ),
                );
            }
            let lang = Lang::parse(&r.lang.value);
            if lang.is_none() {
                sink.error(
                    &r.lang,
                    format!("unknown language `{}` (expected ar or en)", r.lang.value),
                );
            }
            if !(r.cameo.value.len() == 3 && r.cameo.value.bytes().all(|b| b.is_ascii_digit())) {
                sink.error(
                    &r.cameo,
                    format!(
                        "CAMEO code `{}` must be three digits, quoted (\"040\")",
                        r.cameo.value
                    ),
                );
            }
            let trigger = compile(&mut sink, &r.trigger, "trigger", true).map(Bounded::from_narrow);
            let requires = r
                .requires
                .as_ref()
                .and_then(|q| compile(&mut sink, q, "requires", true))
                .map(Bounded::from_narrow);
            let mut types = Vec::new();
            let partner_after = r
                .participants
                .as_ref()
                .and_then(|p| p.value.partner_after)
                .unwrap_or(true);
            let (before, after, marker, marker_gap, capitals) = match &r.participants {
                Some(p) => {
                    for t in &p.value.types {
                        match EntityType::parse(&t.value) {
                            Some(et) => types.push(et),
                            None => sink.error(
                                t,
                                format!("unknown entity type `{}` (expected person, country, city or organisation)", t.value),
                            ),
                        }
                    }
                    (
                        p.value.before.unwrap_or(10),
                        p.value.after.unwrap_or(3),
                        p.value
                            .marker
                            .as_ref()
                            .and_then(|m| compile(&mut sink, m, "marker", false)),
                        p.value.marker_gap.unwrap_or(12),
                        p.value.capitals.unwrap_or(false),
                    )
                }
                None => (10, 3, None, 12, false),
            };
            if types.is_empty() {
                types = vec![
                    EntityType::Person,
                    EntityType::Country,
                    EntityType::Organisation,
                ];
            }
            let location = match r.location.as_ref().map(|l| l.value.as_str()) {
                None | Some("near") => LocationMode::Near,
                Some("visited") => LocationMode::Visited,
                Some(other) => {
                    if let Some(l) = &r.location {
                        sink.error(
                            l,
                            format!("unknown location mode `{other}` (expected near or visited)"),
                        );
                    }
                    LocationMode::Near
                }
            };
            let direction = match r.direction.as_ref().map(|l| l.value.as_str()) {
                None | Some("symmetric") => Direction::Symmetric,
                Some("visit") => Direction::Visit,
                Some("reception") => Direction::Reception,
                Some(other) => {
                    if let Some(l) = &r.direction {
                        sink.error(l, format!("unknown direction `{other}` (expected symmetric, visit or reception)"));
                    }
                    Direction::Symmetric
                }
            };
            let mut examples = Vec::new();
            for ex in &r.examples {
                let date = ex.value.date.as_ref().and_then(|d| {
                    match chrono::NaiveDate::parse_from_str(d.value.trim(), "%Y-%m-%d") {
                        Ok(x) => Some(x),
                        Err(_) => {
                            sink.error(d, format!("`{}` is not a date (YYYY-MM-DD)", d.value));
                            None
                        }
                    }
                });
                for e in ex.value.events.iter().chain(&ex.value.forbid) {
                    for p in e.participants.iter().chain(e.location.iter()) {
                        if !known_entity(p) {
                            sink.error(
                                &ex.value.text,
                                format!("example refers to unknown entity `{p}` (use a gazetteer id or English name)"),
                            );
                        }
                    }
                }
                examples.push(Example {
                    text: ex.value.text.value.clone(),
                    date,
                    events: ex.value.events.clone(),
                    forbid: ex.value.forbid.clone(),
                    source: format!("{file}:{}", ex.value.text.referenced.line()),
                });
            }
            let (Some(kind), Some(lang), Some(trigger)) = (kind, lang, trigger) else {
                continue;
            };
            let cameo_planned = r.cameo_planned.clone().unwrap_or_else(|| {
                match kind {
                    Kind::Meeting => "036",
                    Kind::Agreement => "030",
                }
                .to_string()
            });
            rules.push(Rule {
                id: r.id.value.clone(),
                kind,
                subtype: r.subtype.clone(),
                cameo: r.cameo.value.clone(),
                cameo_planned,
                lang,
                trigger_source: r.trigger.value.clone(),
                trigger,
                requires,
                requires_within: r.requires_within.unwrap_or(4),
                before,
                after,
                marker,
                marker_gap,
                partner_after,
                types,
                capitals,
                location,
                direction,
                confidence: r.confidence.unwrap_or(0.8),
                examples,
                source,
            });
        }
    }

    let mut sets = HashMap::new();
    if matches!(regexes, Regexes::Collect(_)) {
        // A dry run: no rule has a trigger.
        return (RuleSet::default(), diags);
    }
    for lang in [Lang::Ar, Lang::En] {
        let idx: Vec<usize> = (0..rules.len())
            .filter(|&i| rules[i].lang == lang)
            .collect();
        if idx.is_empty() {
            continue;
        }
        match RegexSet::new(idx.iter().map(|&i| rules[i].trigger.as_str())) {
            Ok(narrow) => {
                sets.insert(
                    lang,
                    TriggerSet {
                        narrow,
                        exact: OnceLock::new(),
                        rules: idx,
                    },
                );
            }
            Err(e) => diags.push(Diagnostic {
                file: "rules".into(),
                line: 0,
                column: 0,
                severity: Severity::Error,
                message: format!(
                    "the {} triggers do not compile together: {e}",
                    lang.as_str()
                ),
            }),
        }
        if !profiles.contains_key(&lang) {
            diags.push(Diagnostic {
                file: "rules".into(),
                line: 0,
                column: 0,
                severity: Severity::Warning,
                message: format!(
                    "rules for `{}` but no `languages: {{{}: ...}}` settings: no modality cues, locations or topics",
                    lang.as_str(),
                    lang.as_str()
                ),
            });
        }
    }
    (
        RuleSet {
            rules,
            sets,
            profiles,
        },
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_answer_in_list_order_and_only_whole_words() {
        let each = ["will", "to meet", "is set to"]
            .iter()
            .map(|p| Bounded::new(p).unwrap())
            .collect();
        let cues = Cues::new(each);
        assert!(cues.any.is_some());
        // Both "to meet" and "will" occur: the list's order decides, not the text's.
        assert_eq!(cues.first("he is to meet and will"), Some("will"));
        assert_eq!(cues.first("he is set to go"), Some("is set to"));
        assert_eq!(cues.first("goodwill"), None);
        assert_eq!(cues.first(""), None);
        // With another script the exact patterns answer the same.
        assert_eq!(cues.first("Иван will"), Some("will"));
        assert_eq!(Cues::new(Vec::new()).first("will"), None);
    }
}
