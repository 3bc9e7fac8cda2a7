//! Applying rules to the sentences of a document: triggers, slots, modality, merge.
//!
//! For every sentence, one `RegexSet` pass names the rules whose trigger occurs; each occurrence
//! of a fired trigger is then read as follows.
//!
//! * **Actors** are the sentence's mentions of the rule's entity types, less those inside a larger
//!   mention (the nisba inside a role title), those that are places (after في/ب/in/at, or the
//!   place a visit goes to), those that are topics (الملف السوري), and nisba adjectives unless
//!   an actor noun precedes them (الجانب الروسي) or they give a role title its country.
//!   Capitals count as their state where the rule allows it (واشنطن وموسكو اتفقتا).
//! * Actors joined by coordination (X وY, كل من X وY, X and Y) or in apposition (a title and its
//!   name) form **groups**. The subject is the nearest group before the trigger; a marked partner
//!   (مع X, with X) comes after it; when these give fewer than two participants, the groups right
//!   after the trigger fill in (Arabic verb-first sentences: استقبل X Y).
//! * **Modality**: negation cues before the trigger, future cues before it or in the trigger
//!   itself (سـ), or a time expression that lies ahead make the event negated or planned.
//! * **Merge**: the same kind with the same participants is one event when the accounts agree
//!   (same sentence, or no conflict of place, time and modality).

use crate::gazetteer::{EntityType, Gazetteer};
use crate::normalize::is_word_char;
use crate::resolve::{Mention, MentionVia, TitleMention};
use crate::rules::{Direction, Kind, Lang, LocationMode, Profile, Rule, RuleSet};
use crate::time::{self, TimeExpr};
use chrono::NaiveDate;
use std::cell::OnceCell;

/// The modality of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modality {
    /// It happened.
    Occurred,
    /// It is to happen.
    Planned,
    /// It did not or will not happen.
    Negated,
}

impl Modality {
    /// The record's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Occurred => "occurred",
            Modality::Planned => "planned",
            Modality::Negated => "negated",
        }
    }
}

/// One account of an event: a trigger in a sentence and the rule that read it.
#[derive(Debug, Clone)]
pub struct Account {
    /// Rule index.
    pub rule: usize,
    /// Sentence, normalised bytes.
    pub sentence: (usize, usize),
    /// Trigger, normalised bytes.
    pub trigger: (usize, usize),
}

/// An event found in a document, before serialisation.
#[derive(Debug, Clone)]
pub struct Event {
    /// Kind.
    pub kind: Kind,
    /// Subtype of the first account.
    pub subtype: Option<String>,
    /// Entity indices; for visits and receptions the visitors first, the host last.
    pub participants: Vec<usize>,
    /// Location entity.
    pub location: Option<usize>,
    /// Time expression and its resolution.
    pub time: Option<(TimeExpr, Option<(NaiveDate, NaiveDate)>)>,
    /// Topic phrase and its entities.
    pub topic: Option<((usize, usize), Vec<usize>)>,
    /// Modality.
    pub modality: Modality,
    /// Accounts, in text order.
    pub accounts: Vec<Account>,
    /// Confidence.
    pub confidence: f32,
    /// Rule of the first account (CAMEO and PLOVER come from it).
    pub rule: usize,
}

/// What happened to one trigger occurrence, for `explain`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriggerTrace {
    /// Rule id.
    pub rule: String,
    /// `file:line` of the rule.
    pub source: String,
    /// Normalised trigger text.
    pub trigger: String,
    /// Normalised byte range of the trigger.
    pub span: (usize, usize),
    /// Candidates considered, with the verdict.
    pub candidates: Vec<CandidateTrace>,
    /// The modality and the cue that decided it.
    pub modality: String,
    /// `event` or why not.
    pub outcome: String,
}

/// One candidate entity for a slot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CandidateTrace {
    /// Entity id.
    pub entity: String,
    /// Normalised text of the mention.
    pub text: String,
    /// accepted or rejected.
    pub accepted: bool,
    /// Slot or reason.
    pub reason: String,
}

/// What [`read`] notes about one trigger for `explain`: the trace when one is asked for, and
/// nothing otherwise (a batch builds no strings that nobody reads). Each note is made only when
/// it is kept.
struct Notes(Option<TriggerTrace>);

impl Notes {
    fn candidate(
        &mut self,
        entity: &str,
        text: &str,
        accepted: bool,
        reason: impl FnOnce() -> String,
    ) {
        if let Some(t) = &mut self.0 {
            t.candidates.push(CandidateTrace {
                entity: entity.to_string(),
                text: text.to_string(),
                accepted,
                reason: reason(),
            });
        }
    }

    fn outcome(&mut self, outcome: impl FnOnce() -> String) {
        if let Some(t) = &mut self.0 {
            t.outcome = outcome();
        }
    }

    fn modality(&mut self, modality: impl FnOnce() -> String) {
        if let Some(t) = &mut self.0 {
            t.modality = modality();
        }
    }
}

/// Everything the rules need about a document.
pub struct Context<'a> {
    /// Gazetteer.
    pub g: &'a Gazetteer,
    /// Rules.
    pub rules: &'a RuleSet,
    /// Normalised text.
    pub norm: &'a str,
    /// Sentences (normalised bytes).
    pub sentences: &'a [(usize, usize)],
    /// Mentions, sorted by start.
    pub mentions: &'a [Mention],
    /// Titles, in text order (by start, as resolution gives them).
    pub titles: &'a [TitleMention],
    /// Document date.
    pub date: Option<NaiveDate>,
}

/// The language of a sentence: Arabic when it has more Arabic letters than Latin ones.
pub fn sentence_lang(text: &str) -> Lang {
    // Bytes, not chars: the lead bytes D8..DB start the Arabic block U+0600..U+06FF.
    // Counted without branches into byte counters, so that the loop runs on vectors.
    let (mut ar, mut la) = (0usize, 0usize);
    for chunk in text.as_bytes().chunks(255) {
        let (mut a, mut l) = (0u8, 0u8);
        for &b in chunk {
            a += u8::from(b & 0xFC == 0xD8);
            l += u8::from((b | 0x20).wrapping_sub(b'a') < 26);
        }
        ar += usize::from(a);
        la += usize::from(l);
    }
    if ar >= la && ar > 0 {
        Lang::Ar
    } else {
        Lang::En
    }
}

/// The words between `a` and `b` (none when `b` is not after `a`): the white-space separated
/// pieces that hold a letter or a digit.
fn words_between(norm: &str, a: usize, b: usize) -> impl Iterator<Item = &str> {
    norm[a..b.max(a)]
        .split(|c: char| c.is_whitespace())
        .filter(|w| w.chars().any(is_word_char))
}

fn tokens_between(norm: &str, a: usize, b: usize) -> usize {
    words_between(norm, a, b).count()
}

/// Whether at most `limit` words between `a` and `b` count as distance: words not inside a
/// title, time or place (or one of the `extra` spans: the names of the participants themselves),
/// and not fillers (honorifics, prepositions of place: صاحب السمو الملكي, في قصر سموه).
fn gap_within(
    sent: &Sentence,
    profile: &Profile,
    (a, b): (usize, usize),
    extra: &[(usize, usize)],
    limit: usize,
) -> bool {
    // A stretch of at most `limit` words in all (an empty one too) asks for no spans, and so
    // for no time expressions: what is skipped below can only lower the count. (Most stretches
    // are short: the sentence's time expressions are then never looked for.)
    if words_between(sent.norm, a, b).nth(limit).is_none() {
        return true;
    }
    let skip = sent.transparent();
    let mut n = 0;
    let mut at = a;
    for w in sent.norm[a..b].split(|c: char| c.is_whitespace()) {
        let start = at;
        at += w.len() + 1;
        if !w.chars().any(is_word_char) {
            continue;
        }
        if skip
            .iter()
            .chain(extra)
            .any(|&(s, e)| s <= start && start < e)
        {
            continue;
        }
        let bare = w.trim_matches(|c: char| !is_word_char(c));
        if profile.fillers.iter().any(|f| f == bare) {
            continue;
        }
        n += 1;
        // Past the limit: the rest of the stretch cannot bring the count back under it.
        if n > limit {
            return false;
        }
    }
    true
}

/// An actor candidate: a mention standing for an entity (capitals already turned into states).
#[derive(Debug, Clone, Copy)]
struct Actor {
    entity: usize,
    start: usize,
    end: usize,
    token_start: usize,
    mention: usize,
}

/// Runs every rule over the document.
pub fn extract(cx: &Context<'_>, mut trace: Option<&mut Vec<TriggerTrace>>) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let titles_at: OnceCell<TitlesAt> = OnceCell::new();
    // Mentions are sorted by start: walk them along with the sentences.
    let mut first_mention = 0;
    for &(ss, se) in cx.sentences {
        while first_mention < cx.mentions.len() && cx.mentions[first_mention].start < ss {
            first_mention += 1;
        }
        // Every event needs two participants (a visit: a visitor and a place), so a sentence
        // that names fewer than two entities cannot code. `explain` still shows its triggers.
        let mut in_sentence = cx.mentions[first_mention..]
            .iter()
            .take_while(|m| m.start < se);
        let two = in_sentence
            .next()
            .is_some_and(|first| in_sentence.any(|m| m.entity != first.entity));
        if !two && trace.is_none() {
            continue;
        }
        let text = &cx.norm[ss..se];
        let lang = sentence_lang(text);
        let fired = cx.rules.fired(lang, text);
        if fired.is_empty() {
            continue;
        }
        let Some(profile) = cx.rules.profiles.get(&lang) else {
            continue;
        };
        let sent = Sentence::new(cx, profile, &titles_at, (ss, se));
        for ri in fired {
            let rule = &cx.rules.rules[ri];
            for (ms, me) in rule.trigger.find_all(text) {
                let trig = (ss + ms, ss + me);
                let mut t = Notes(trace.is_some().then(|| TriggerTrace {
                    rule: rule.id.clone(),
                    source: rule.source.clone(),
                    trigger: text[ms..me].to_string(),
                    span: trig,
                    candidates: Vec::new(),
                    modality: String::new(),
                    outcome: String::new(),
                }));
                if let Some(ev) = read(cx, &sent, profile, ri, rule, trig, &mut t) {
                    t.outcome(|| "event".into());
                    events.push(ev);
                }
                if let (Some(tr), Some(t)) = (trace.as_deref_mut(), t.0) {
                    tr.push(t);
                }
            }
        }
    }
    merge(events)
}

/// Per-sentence facts shared by every trigger in it.
struct Sentence<'a> {
    span: (usize, usize),
    norm: &'a str,
    actors: Vec<Actor>,
    /// Actors that were left out, with the reason (for `explain`).
    excluded: Vec<(usize, &'static str)>,
    places: Vec<(usize, bool)>, // (mention index, after a location preposition)
    topics: Vec<((usize, usize), usize)>,
    /// The time expressions, found when first asked for: nearly half the sentences where a
    /// rule fires never ask (see [`Sentence::times`]).
    times: OnceCell<Vec<TimeExpr>>,
    /// The role titles of the sentence, and its places after a location preposition: what
    /// [`Sentence::transparent`] is without the time expressions.
    title_spans: Vec<(usize, usize)>,
    place_spans: Vec<(usize, usize)>,
    /// Spans that do not count as distance between a trigger and its participants: role
    /// titles, time expressions and places (Saudi news puts a chain of titles, a palace and a
    /// time between استقبل, the host and the guest). Made with the times.
    transparent: OnceCell<Vec<(usize, usize)>>,
}

impl<'a> Sentence<'a> {
    /// `titles` is the document's [`TitlesAt`], made at the first person mention that asks.
    fn new(
        cx: &Context<'a>,
        profile: &Profile,
        titles: &OnceCell<TitlesAt>,
        span: (usize, usize),
    ) -> Self {
        let (ss, se) = span;
        let norm = cx.norm;
        // Mentions are sorted by start.
        let first = cx.mentions.partition_point(|m| m.start < ss);
        let in_sentence: Vec<usize> = (first..cx.mentions.len())
            .take_while(|&i| cx.mentions[i].start < se)
            .filter(|&i| cx.mentions[i].end <= se)
            .collect();
        let contained = |i: usize| {
            let m = &cx.mentions[i];
            in_sentence.iter().any(|&j| {
                let o = &cx.mentions[j];
                j != i
                    && o.start <= m.start
                    && m.end <= o.end
                    && (o.end - o.start) > (m.end - m.start)
            })
        };
        // Topics: a country right after (Arabic) or before (English) a topic noun.
        let mut topics = Vec::new();
        for &i in &in_sentence {
            let m = &cx.mentions[i];
            if cx.g.entities[m.entity].kind != EntityType::Country {
                continue;
            }
            let before = norm[ss..m.token_start].trim_end();
            let before = [
                "شرق", "غرب", "شمال", "جنوب", "وسط", "east", "west", "north", "south", "eastern",
                "western", "northern", "southern",
            ]
            .iter()
            .find_map(|d| {
                before
                    .strip_suffix(d)
                    .filter(|b| b.ends_with(' '))
                    .map(str::trim_end)
            })
            .unwrap_or(before);
            let before = before
                .strip_suffix(" في")
                .or_else(|| before.strip_suffix(" in"))
                .or_else(|| before.strip_suffix(" of"))
                .unwrap_or(before)
                .trim_end();
            let after = norm[m.end..se].trim_start();
            let noun_before = profile
                .topic_nouns
                .iter()
                .find(|n| ends_with_word(before, n));
            let noun_after = profile
                .topic_nouns
                .iter()
                .find(|n| starts_with_word(after, n));
            if let Some(n) = noun_before {
                // `before` is a prefix of the sentence: the noun ends where it ends.
                topics.push(((ss + before.len() - n.len(), m.end), i));
            } else if let Some(n) = noun_after {
                let end = m.end + (norm[m.end..se].len() - after.len()) + n.len();
                topics.push(((m.start, end), i));
            }
        }
        // Places.
        let mut places = Vec::new();
        for &i in &in_sentence {
            let m = &cx.mentions[i];
            let kind = cx.g.entities[m.entity].kind;
            if !matches!(kind, EntityType::City | EntityType::Country)
                || m.via == MentionVia::Adjective
                || topics.iter().any(|t| t.1 == i)
            {
                continue;
            }
            let prep = location_prep(profile, norm, ss, m);
            places.push((i, prep));
        }
        let mut actors = Vec::new();
        let mut excluded = Vec::new();
        for &i in &in_sentence {
            let m = &cx.mentions[i];
            if contained(i) {
                // A country that gives an unresolved title its country is an actor; any other
                // mention inside a larger one is part of it.
                excluded.push((i, "inside a larger mention"));
                continue;
            }
            if serves_the_title_holder(cx, titles, m) {
                // نائب المستشارة الألمانية أنجيلا ميركل: the deputy acts, not Merkel.
                excluded.push((i, "named as the one whose deputy, aide or envoy acts"));
                continue;
            }
            if owner_of_previous(cx, &in_sentence, i) {
                // الجمعية العامة للأمم المتحدة: the United Nations is the body the assembly
                // belongs to, not a second party.
                excluded.push((i, "the body the organisation before it belongs to"));
                continue;
            }
            if topics.iter().any(|t| t.1 == i) {
                excluded.push((i, "topic"));
                continue;
            }
            if places.iter().any(|&(p, prep)| p == i && prep) {
                excluded.push((i, "place after a location preposition"));
                continue;
            }
            let mut token_start = m.token_start;
            if m.via == MentionVia::Adjective {
                let before = norm[ss..m.token_start].trim_end();
                let actor_noun = profile
                    .actor_nouns
                    .iter()
                    .find(|n| ends_with_word(before, n));
                let title_country = cx
                    .titles
                    .iter()
                    .any(|t| t.person.is_none() && t.country.is_some() && t.phrase.1 == m.end);
                match actor_noun {
                    // الحكومة الأفغانية: the actor starts at its noun, where a marker (بين)
                    // or a conjunction stands before it.
                    Some(n) => token_start = ss + before.len() - n.len(),
                    None if title_country => {}
                    None => {
                        excluded.push((i, "adjective without an actor noun or title"));
                        continue;
                    }
                }
            }
            // Actors do not overlap (the slot filling reads the text between them): one whose
            // span, stretched back to its actor noun, reaches into the actor before it gives way
            // (his Russian counterpart السوري: "counterpart" belongs to the counterpart).
            if actors.iter().any(|p: &Actor| p.end > token_start) {
                excluded.push((i, "overlaps the actor before it"));
                continue;
            }
            actors.push(Actor {
                entity: m.entity,
                start: m.start,
                end: m.end,
                token_start,
                mention: i,
            });
        }
        // Titles come in text order: those of the sentence are a run of them.
        let first_title = cx.titles.partition_point(|t| t.start < ss);
        let title_spans = cx.titles[first_title..]
            .iter()
            .take_while(|t| t.start < se)
            .filter(|t| t.end <= se)
            .map(|t| t.phrase)
            .collect();
        let place_spans = places
            .iter()
            .filter(|&&(_, prep)| prep)
            .map(|&(i, _)| (cx.mentions[i].token_start, cx.mentions[i].end))
            .collect();
        Sentence {
            span,
            norm,
            actors,
            excluded,
            places,
            topics,
            times: OnceCell::new(),
            title_spans,
            place_spans,
            transparent: OnceCell::new(),
        }
    }

    /// The time expressions of the sentence.
    fn times(&self) -> &[TimeExpr] {
        self.times
            .get_or_init(|| time::find(self.norm, self.span.0, self.span.1))
    }

    /// The spans that do not count as distance: role titles, time expressions, places after a
    /// location preposition, in this order.
    fn transparent(&self) -> &[(usize, usize)] {
        self.transparent.get_or_init(|| {
            let times = self.times().iter().map(|t| (t.start, t.end));
            let mut all = self.title_spans.clone();
            all.extend(times);
            all.extend_from_slice(&self.place_spans);
            all
        })
    }
}

/// Words before a role title that make the title's holder someone the actor serves: نائب
/// المستشارة الألمانية (the chancellor's deputy), مبعوث الرئيس الروسي (the president's envoy).
const SERVES: &[&str] = &[
    "نائب",
    "نائبه",
    "مساعد",
    "مساعده",
    "مستشار",
    "مستشاره",
    "مبعوث",
    "مبعوثه",
    "ممثل",
    "ممثله",
    "باسم",
    "deputy",
    "aide",
    "adviser",
    "advisor",
    "envoy",
    "spokesman",
    "spokeswoman",
    "representative",
];

/// True when person mention `m` is a role title preceded by one of [`SERVES`], or the name in
/// apposition to such a title when that person holds the role on the document's date (نائب
/// رئيس الوزراء سيغمار غابريال names the deputy himself: Gabriel was never chancellor).
fn serves_the_title_holder(cx: &Context<'_>, titles: &OnceCell<TitlesAt>, m: &Mention) -> bool {
    if cx.g.entities[m.entity].kind != EntityType::Person {
        return false;
    }
    let titles = titles.get_or_init(|| TitlesAt::new(cx.titles));
    titles.near(cx.norm, m).any(|i| {
        let t = &cx.titles[i];
        let is_title = m.via == MentionVia::Role && (t.start == m.start || t.phrase.0 == m.start);
        let holds = |d: NaiveDate| {
            let role = &cx.g.titles[t.title as usize].role;
            cx.g.roles_on(m.entity, d)
                .any(|r| &r.title == role && t.country.as_ref().is_none_or(|c| *c == r.country))
        };
        let is_apposition = t.person == Some(m.entity)
            && m.via != MentionVia::Role
            && t.phrase.1 <= m.token_start
            && cx.norm[t.phrase.1..m.token_start].trim().is_empty()
            && cx.date.is_some_and(holds);
        (is_title || is_apposition)
            && cx.norm[..t.phrase.0.min(t.start)]
                .trim_end()
                .rsplit(' ')
                .next()
                .is_some_and(|w| SERVES.contains(&w))
    })
}

/// A document's titles by where the title or its phrase begins and by where its phrase ends:
/// a mention asks only for the titles it can be or stand in apposition to, not for all of them
/// (a long document named hundreds of titles for each of hundreds of mentions).
struct TitlesAt {
    /// Title indices by `start` and by `phrase.0`.
    by_start: rustc_hash::FxHashMap<usize, Vec<usize>>,
    /// Title indices by `phrase.1`.
    by_phrase_end: rustc_hash::FxHashMap<usize, Vec<usize>>,
}

impl TitlesAt {
    fn new(titles: &[TitleMention]) -> Self {
        let mut by_start: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
        let mut by_phrase_end: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
        for (i, t) in titles.iter().enumerate() {
            by_start.entry(t.start).or_default().push(i);
            if t.phrase.0 != t.start {
                by_start.entry(t.phrase.0).or_default().push(i);
            }
            by_phrase_end.entry(t.phrase.1).or_default().push(i);
        }
        Self {
            by_start,
            by_phrase_end,
        }
    }

    /// Every title that `m` can be (one beginning where `m` begins) or follow in apposition
    /// (one whose phrase ends at `m`'s token or before the white space in front of it).
    fn near<'s>(&'s self, norm: &'s str, m: &Mention) -> impl Iterator<Item = usize> + 's {
        let own = if m.via == MentionVia::Role {
            self.by_start.get(&m.start)
        } else {
            None
        };
        let token_start = m.token_start;
        let before = &norm[..token_start];
        let space = before.len() - before.trim_end().len();
        let ends = (0..=space)
            .map(move |k| token_start - k)
            .filter(move |&p| norm.is_char_boundary(p))
            .filter_map(move |p| self.by_phrase_end.get(&p));
        own.into_iter().chain(ends).flatten().copied()
    }
}

/// True when mention `i` is an organisation joined by ل (or التابع لـ) to an organisation
/// mention that ends right before it: the body the first belongs to (مجلس الأمن التابع للأمم
/// المتحدة).
fn owner_of_previous(cx: &Context<'_>, in_sentence: &[usize], i: usize) -> bool {
    let m = &cx.mentions[i];
    let is_org = |e: usize| cx.g.entities[e].kind == EntityType::Organisation;
    if !is_org(m.entity) || !cx.norm[m.token_start..].starts_with('ل') {
        return false;
    }
    in_sentence.iter().any(|&j| {
        let o = &cx.mentions[j];
        j != i
            && is_org(o.entity)
            && o.end <= m.token_start
            && matches!(
                cx.norm[o.end..m.token_start].trim(),
                "" | "التابع" | "التابعه"
            )
    })
}

/// Words that may stand between a marker and its partner: "with his counterpart".
fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "his"
            | "her"
            | "its"
            | "their"
            | "the"
            | "a"
            | "both"
            | "leaders"
            | "officials"
            | "representatives"
            | "ministers"
            | "presidents"
            | "delegations"
            | "كل"
            | "كلا"
            | "من"
            | "زعيمي"
            | "زعماء"
            | "رئيسي"
            | "رؤساء"
            | "وزيري"
            | "وزراء"
            | "قاده"
            | "ممثلي"
            | "مسؤولي"
            | "وفدي"
            | "نظرائه"
            | "نظيريه"
    )
}

fn ends_with_word(s: &str, w: &str) -> bool {
    s.ends_with(w)
        && s[..s.len() - w.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c) || "وفبل".contains(c))
}

fn starts_with_word(s: &str, w: &str) -> bool {
    s.starts_with(w) && s[w.len()..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// True when a location preposition stands right before the mention (up to two words between:
/// في العاصمة النمساوية فيينا), or the mention carries ب as a proclitic.
fn location_prep(profile: &Profile, norm: &str, ss: usize, m: &Mention) -> bool {
    let prefix = &norm[m.token_start..m.start];
    if prefix.ends_with('ب') {
        return true;
    }
    // "Moscow, where he met ...": the place is where what follows happened.
    let after = norm[m.end..].trim_start_matches([' ', ',', '،']);
    if starts_with_word(after, "حيث") || starts_with_word(after, "where") {
        return true;
    }
    let Some(prep) = &profile.location_prep else {
        return false;
    };
    let before = norm[ss..m.token_start].trim_end();
    let words: Vec<&str> = before.rsplitn(4, ' ').collect();
    // words[0] is the last word, words[1] the one before, ...
    for n in 0..words.len().min(3) {
        let w = words[n];
        if prep
            .find(w)
            .is_some_and(|x| x.start() == 0 && x.end() == w.len())
        {
            // Words between must not be verbs of movement or actors: keep it to nouns and
            // adjectives of the place (العاصمة النمساوية, the Austrian capital).
            return n == 0
                || words[..n]
                    .iter()
                    .all(|x| !x.chars().any(|c| c.is_ascii_digit()));
        }
    }
    false
}

fn read(
    cx: &Context<'_>,
    sent: &Sentence,
    profile: &Profile,
    ri: usize,
    rule: &Rule,
    trig: (usize, usize),
    t: &mut Notes,
) -> Option<Event> {
    let norm = cx.norm;
    let g = cx.g;
    let (ss, se) = sent.span;
    if let Some(req) = &rule.requires {
        let window_end = next_tokens_end(norm, trig.1, se, rule.requires_within);
        if !req.is_match(&norm[trig.1..window_end]) {
            t.outcome(|| {
                format!(
                    "`requires` found nothing within {} tokens after the trigger",
                    rule.requires_within
                )
            });
            return None;
        }
    }
    for &(i, why) in &sent.excluded {
        let m = &cx.mentions[i];
        t.candidate(
            &g.entities[m.entity].id,
            &norm[m.start..m.end],
            false,
            || why.into(),
        );
    }
    // Actors usable by this rule; capitals become their state where allowed.
    let visited = if rule.location == LocationMode::Visited {
        sent.places.iter().map(|&(i, _)| i).find(|&i| {
            // The first place after the trigger: right after it (زار موسكو) or after the
            // subject in a verb-first sentence (زار الرئيس ... موسكو, وصل ... إلى القاهرة).
            let m = &cx.mentions[i];
            let names: Vec<(usize, usize)> =
                sent.actors.iter().map(|a| (a.token_start, a.end)).collect();
            m.token_start >= trig.1 && gap_within(sent, profile, (trig.1, m.token_start), &names, 6)
        })
    } else {
        None
    };
    let mut actors: Vec<Actor> = Vec::new();
    for a in &sent.actors {
        let e = &g.entities[a.entity];
        let mut reject =
            |reason: &dyn Fn() -> String| t.candidate(&e.id, &norm[a.start..a.end], false, reason);
        if a.start < trig.1 && a.end > trig.0 {
            reject(&|| "overlaps the trigger".into());
            continue;
        }
        if !e.actor {
            reject(&|| "not an actor (media outlet or sports club)".into());
            continue;
        }
        if Some(a.mention) == visited {
            reject(&|| "the place visited".into());
            continue;
        }
        let mut entity = a.entity;
        if e.kind == EntityType::City {
            let capital_of = e
                .country
                .as_deref()
                .and_then(|c| g.get(c))
                .filter(|c| c.capital.is_some_and(|cap| g.entities[cap].id == e.id));
            match capital_of {
                Some(c) if rule.capitals => entity = g.index[&c.id],
                Some(_) => {
                    reject(&|| "capital, but this rule does not let capitals act".into());
                    continue;
                }
                None => {
                    reject(&|| "city".into());
                    continue;
                }
            }
        } else if !rule.types.contains(&e.kind) {
            reject(&|| format!("type {} not allowed by the rule", e.kind));
            continue;
        }
        actors.push(Actor { entity, ..*a });
    }
    // Groups of coordinated or appositive actors.
    let mut groups: Vec<Vec<Actor>> = Vec::new();
    for a in actors {
        let joined = groups.last().and_then(|g| g.last()).is_some_and(|prev| {
            let gap = norm[prev.end..a.token_start].trim();
            let prefix = &norm[a.token_start..a.start];
            let coord = profile.coordination.as_ref().is_some_and(|c| {
                c.find(gap)
                    .is_some_and(|m| m.start() == 0 && m.end() == gap.len())
            });
            // ومتمردي حركة طالبان: a conjoined noun before the next name joins it too.
            // ووزراء خارجية دول مجلس التعاون: up to three words opened by و.
            let conjoined_noun = gap.split_whitespace().count() <= 3
                && gap.starts_with('و')
                && gap.chars().take_while(|c| !c.is_whitespace()).count() > 2;
            gap.is_empty() && (prefix.starts_with('و') || prefix.is_empty())
                || coord
                || conjoined_noun
        });
        if joined {
            if let Some(last) = groups.last_mut() {
                last.push(a);
            }
        } else {
            groups.push(vec![a]);
        }
    }
    let group_start = |g: &Vec<Actor>| g.first().map_or(0, |a| a.token_start);
    let group_end = |g: &Vec<Actor>| g.last().map_or(0, |a| a.end);
    let before_group = if rule.before > 0 {
        groups
            .iter()
            .rev()
            .find(|g| {
                group_end(g) <= trig.0
                    && gap_within(sent, profile, (group_end(g), trig.0), &[], rule.before)
            })
            .filter(|g| {
                // "قال الجبير إن ...", "said that ...": the speaker before a bare
                // complementiser is not the subject of what follows (أنه, "that he" are).
                let words: Vec<&str> = norm[group_end(g)..trig.0].split_whitespace().collect();
                !words.iter().enumerate().any(|(i, w)| {
                    matches!(*w, "ان" | "that" | "بان" | "وان")
                        && !matches!(
                            words.get(i + 1),
                            Some(&("he" | "she" | "they" | "it" | "we" | "i"))
                        )
                })
            })
    } else {
        None
    };
    let marked = rule.marker.as_ref().and_then(|mk| {
        groups.iter().find(|g| {
            let s = group_start(g);
            if s < trig.1 || !gap_within(sent, profile, (trig.1, s), &[], rule.marker_gap) {
                return false;
            }
            let first = g[0];
            let prefix = &norm[first.token_start..first.start];
            let is_marker = |w: &str| {
                mk.find(w)
                    .is_some_and(|m| m.start() == 0 && m.end() == w.len())
            };
            // The marker is the word before the group, or the one before that when a
            // determiner stands between (with his counterpart, with the president).
            // Words inside a title before the group (مع زعيمي روسيا وأوكرانيا) are skipped.
            let mut cut = s;
            while let Some(&(ts, _)) = sent
                .transparent()
                .iter()
                .find(|&&(ts, te)| ts < cut && te >= cut.saturating_sub(1) && te <= cut)
            {
                cut = ts;
            }
            // Walk back over determiners and fillers (مع صاحب السمو الملكي الأمير ...).
            let skippable = |w: &str| is_determiner(w) || profile.fillers.iter().any(|f| f == w);
            let found_marker = norm[ss..cut]
                .split_whitespace()
                .rev()
                .take(5)
                .try_for_each(|w| {
                    if is_marker(w) {
                        Err(true)
                    } else if skippable(w) {
                        Ok(())
                    } else {
                        Err(false)
                    }
                })
                .err()
                .unwrap_or(false);
            (!prefix.is_empty() && is_marker(prefix.trim_start_matches('و'))) || found_marker
        })
    });
    let after_groups: Vec<&Vec<Actor>> = if rule.after > 0 {
        let mut out = Vec::new();
        let mut from = trig.1;
        for g in groups.iter().filter(|g| group_start(g) >= trig.1) {
            if !gap_within(sent, profile, (from, group_start(g)), &[], rule.after) || out.len() == 2
            {
                break;
            }
            if marked.is_some_and(|m| std::ptr::eq(m, g)) {
                continue;
            }
            out.push(g);
            from = group_end(g);
        }
        out
    } else {
        Vec::new()
    };

    let distinct = |v: &[usize]| {
        let mut x = v.to_vec();
        x.sort_unstable();
        x.dedup();
        x.len()
    };
    let ids = |g: &Vec<Actor>| g.iter().map(|a| a.entity).collect::<Vec<_>>();
    let mut participants: Vec<usize>;
    let note_accept = |g: &Vec<Actor>, slot: &str, t: &mut Notes| {
        for a in g {
            t.candidate(
                &cx.g.entities[a.entity].id,
                &norm[a.start..a.end],
                true,
                || slot.into(),
            );
        }
    };
    match rule.direction {
        Direction::Symmetric => {
            participants = Vec::new();
            if let Some(b) = before_group {
                participants.extend(ids(b));
                note_accept(b, "subject (before the trigger)", t);
            }
            if let Some(m) = marked {
                participants.extend(ids(m));
                note_accept(m, "partner (after the marker)", t);
            }
            // "التقى كلا من X وY", "met both X and Y": كلا (accusative) and "both" after a verb
            // mark its object; without a subject there is no meeting between X and Y. (كل من,
            // nominative, is a subject: اتفقت كل من واشنطن وموسكو.)
            let object_only = before_group.is_none()
                && marked.is_none()
                && after_groups.first().is_some_and(|g| {
                    norm[trig.1..group_start(g)]
                        .split_whitespace()
                        .any(|w| w == "كلا" || w == "both")
                });
            if object_only {
                t.outcome(|| "the group after the trigger is its object (كلا من, both), and there is no subject".into());
                return None;
            }
            if rule.partner_after {
                for g in &after_groups {
                    if distinct(&participants) >= 2 {
                        break;
                    }
                    participants.extend(ids(g));
                    note_accept(g, "after the trigger", t);
                }
            } else if before_group.is_none() {
                // بحث X مع Y: after the verb comes its subject; its object is the topic.
                if let Some(g) = after_groups.first() {
                    participants.extend(ids(g));
                    note_accept(g, "subject (after the trigger)", t);
                }
            }
        }
        Direction::Visit => {
            let mut visitor: Vec<usize> = Vec::new();
            if let Some(b) = before_group {
                visitor.extend(ids(b));
                note_accept(b, "visitor (before the trigger)", t);
            } else if let Some(g) = after_groups.first() {
                visitor.extend(ids(g));
                note_accept(g, "visitor (after the trigger)", t);
            }
            let host = visited.and_then(|i| {
                let e = &g.entities[cx.mentions[i].entity];
                match e.kind {
                    EntityType::Country => Some(cx.mentions[i].entity),
                    _ => e.country.as_deref().and_then(|c| g.index.get(c).copied()),
                }
            });
            let Some(h) = host else {
                t.outcome(|| "no place visited after the trigger".into());
                return None;
            };
            // A visit inside one's own country is no diplomatic visit (وصل الملك إلى جدة).
            let home =
                |p: &usize| g.entities[*p].country.as_deref() == g.entities[h].country.as_deref();
            if !visitor.is_empty() && visitor.iter().all(home) {
                t.outcome(|| "the visitors are at home in the country visited".into());
                return None;
            }
            participants = visitor;
            participants.retain(|&p| p != h);
            participants.push(h);
        }
        Direction::Reception => {
            let mut host: Vec<usize> = Vec::new();
            let mut rest = after_groups.iter();
            if let Some(b) = before_group {
                host.extend(ids(b));
                note_accept(b, "host (before the trigger)", t);
            } else if let Some(g) = rest.next() {
                host.extend(ids(g));
                note_accept(g, "host (after the trigger)", t);
            }
            let guest: Vec<usize> = match marked.or(rest.next().copied()) {
                Some(g) => {
                    note_accept(g, "guest", t);
                    ids(g)
                }
                None => Vec::new(),
            };
            participants = guest;
            participants.extend(host);
        }
    }
    let mut seen = Vec::new();
    participants.retain(|p| {
        if seen.contains(p) {
            false
        } else {
            seen.push(*p);
            true
        }
    });
    if participants.len() < 2 {
        t.outcome(|| match participants.first() {
            Some(&p) => format!("only one participant ({})", g.entities[p].id),
            None => "no participants".into(),
        });
        return None;
    }

    // Mentions that took part (a capital acting for its state is no location).
    let used: Vec<usize> = groups
        .iter()
        .flatten()
        .filter(|a| participants.contains(&a.entity))
        .map(|a| a.mention)
        .collect();
    // Location.
    let location = visited
        .or_else(|| {
            let near: Vec<usize> = sent
                .places
                .iter()
                .filter(|&&(_, prep)| prep)
                .map(|&(i, _)| i)
                .filter(|&i| !participants.contains(&cx.mentions[i].entity))
                .collect();
            let after = near.iter().copied().find(|&i| {
                let m = &cx.mentions[i];
                m.token_start >= trig.1 && tokens_between(norm, trig.1, m.token_start) <= 20
            });
            after
                .or_else(|| {
                    near.iter().copied().rev().find(|&i| {
                        let m = &cx.mentions[i];
                        m.end <= trig.0 && tokens_between(norm, m.end, trig.0) <= 8
                    })
                })
                .or_else(|| {
                    // A city close before the trigger that is not taking part: زار موسكو ...
                    // حيث التقى, visited Moscow ... where he met.
                    sent.places.iter().map(|&(i, _)| i).rev().find(|&i| {
                        let m = &cx.mentions[i];
                        g.entities[m.entity].kind == EntityType::City
                            && m.end <= trig.0
                            && tokens_between(norm, m.end, trig.0) <= 8
                            && !participants.contains(&m.entity)
                            && !used.contains(&i)
                    })
                })
        })
        .map(|i| cx.mentions[i].entity);

    // Time: the nearest expression after the trigger, else before it.
    let time = sent
        .times()
        .iter()
        .filter(|x| x.start >= trig.1)
        .min_by_key(|x| x.start - trig.1)
        .or_else(|| {
            sent.times()
                .iter()
                .filter(|x| x.end <= trig.0)
                .max_by_key(|x| x.end)
        })
        .cloned();

    // Modality.
    let window_start = prev_tokens_start(norm, trig.0, ss, profile.window);
    let window = &norm[window_start..trig.0];
    let trig_text = &norm[trig.0..trig.1];
    let mut modality = Modality::Occurred;
    t.modality(|| "occurred (no cue)".into());
    let cue = |cues: &crate::rules::Cues| cues.first(window);
    if let Some(c) = cue(&profile.negated) {
        modality = Modality::Negated;
        t.modality(|| format!("negated (cue `{c}`)"));
    } else if let Some(c) = cue(&profile.planned) {
        modality = Modality::Planned;
        t.modality(|| format!("planned (cue `{c}`)"));
    } else if let Some(c) = cue(&profile.hedged).filter(|_| {
        profile
            .present_trigger
            .as_ref()
            .is_some_and(|r| r.is_match(trig_text))
    }) {
        modality = Modality::Planned;
        t.modality(|| format!("planned (`{c}` before a present verb: possible, not yet real)"));
    } else if profile
        .planned_trigger
        .as_ref()
        .is_some_and(|r| r.is_match(trig_text))
    {
        modality = Modality::Planned;
        t.modality(|| "planned (future form of the trigger)".into());
    } else if let Some(c) = {
        let after_end = next_tokens_end(norm, trig.1, se, 2);
        profile.planned_after.first(&norm[trig.1..after_end])
    } {
        modality = Modality::Planned;
        t.modality(|| format!("planned (cue `{c}` after the trigger)"));
    } else if let Some(x) = time.as_ref().filter(|x| x.is_future(cx.date)) {
        modality = Modality::Planned;
        t.modality(|| format!("planned (time `{}` lies ahead)", &norm[x.start..x.end]));
    } else if let Some(x) = time.as_ref().filter(|x| x.is_today()).filter(|_| {
        profile
            .present_trigger
            .as_ref()
            .is_some_and(|r| r.is_match(trig_text))
    }) {
        // News written for the morning: يغادر اليوم, يلتقي اليوم = is to leave, to meet today.
        modality = Modality::Planned;
        t.modality(|| format!("planned (present tense with `{}`)", &norm[x.start..x.end]));
    }
    let resolved = time.as_ref().map(|x| {
        let r = x.resolve(cx.date, modality == Modality::Planned);
        (x.clone(), r)
    });

    let topic = sent
        .topics
        .iter()
        .min_by_key(|(span, _)| span.0.abs_diff(trig.1))
        .map(|&(span, i)| (span, vec![cx.mentions[i].entity]));

    Some(Event {
        kind: rule.kind,
        subtype: rule.subtype.clone(),
        participants,
        location,
        time: resolved,
        topic,
        modality,
        accounts: vec![Account {
            rule: ri,
            sentence: sent.span,
            trigger: trig,
        }],
        confidence: rule.confidence,
        rule: ri,
    })
}

fn next_tokens_end(norm: &str, from: usize, limit: usize, n: usize) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in norm[from..limit].char_indices() {
        let w = !c.is_whitespace();
        if w && !in_word {
            count += 1;
            if count > n {
                return from + i;
            }
        }
        in_word = w;
    }
    limit
}

fn prev_tokens_start(norm: &str, at: usize, limit: usize, n: usize) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in norm[limit..at].char_indices().rev() {
        let w = !c.is_whitespace();
        if w && !in_word {
            count += 1;
            if count > n {
                return limit + i + c.len_utf8();
            }
        }
        in_word = w;
    }
    limit
}

fn same_set(a: &[usize], b: &[usize]) -> bool {
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// How much a subtype says: a call or a signing says more than talks or an agreement reached.
fn specificity(subtype: Option<&str>) -> u8 {
    match subtype {
        Some("call" | "signed") => 4,
        Some("reception" | "visit") => 3,
        Some("talks" | "reached") => 2,
        Some(_) => 1,
        None => 0,
    }
}

/// Whether event `o` is told in `sentence`. Its accounts are sorted by trigger, and a trigger
/// lies in its sentence: only the accounts with a trigger there are looked at.
fn told_in(o: &Event, sentence: (usize, usize)) -> bool {
    let from = o.accounts.partition_point(|a| a.trigger.0 < sentence.0);
    let to = o.accounts.partition_point(|a| a.trigger.0 < sentence.1);
    o.accounts[from..to].iter().any(|a| a.sentence == sentence)
}

/// Merges accounts of the same event.
fn merge(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for ev in events {
        let found = out.iter_mut().find(|o| {
            if o.kind != ev.kind || !same_set(&o.participants, &ev.participants) {
                return false;
            }
            if told_in(o, ev.accounts[0].sentence) {
                return true;
            }
            let loc_ok = o.location.is_none() || ev.location.is_none() || o.location == ev.location;
            let time_of = |e: &Event| e.time.as_ref().and_then(|t| t.1);
            let time_ok =
                time_of(o).is_none() || time_of(&ev).is_none() || time_of(o) == time_of(&ev);
            let vague = |e: &Event| e.location.is_none() && time_of(e).is_none();
            let negation_ok =
                (o.modality == Modality::Negated) == (ev.modality == Modality::Negated);
            let modality_ok =
                o.modality == ev.modality || (negation_ok && (vague(o) || vague(&ev)));
            loc_ok && time_ok && modality_ok
        });
        match found {
            Some(o) => {
                let time_of = |e: &Event| e.time.as_ref().and_then(|t| t.1);
                let specific = |e: &Event| e.location.is_some() as u8 + time_of(e).is_some() as u8;
                // The more specific account, or a second reading of the same sentence, tells
                // the modality.
                let same_sentence = told_in(o, ev.accounts[0].sentence);
                if specific(&ev) > specific(o)
                    || (same_sentence && o.modality == Modality::Occurred)
                {
                    o.modality = ev.modality;
                }
                if o.location.is_none() {
                    o.location = ev.location;
                }
                if time_of(o).is_none() && ev.time.is_some() {
                    o.time = ev.time;
                }
                if o.topic.is_none() {
                    o.topic = ev.topic;
                }
                if specificity(ev.subtype.as_deref()) > specificity(o.subtype.as_deref()) {
                    o.subtype = ev.subtype.clone();
                    o.rule = ev.rule;
                }
                o.confidence = o.confidence.max(ev.confidence);
                // Accounts stay sorted by trigger, one per trigger (the first told); they come
                // in text order, so each new one nearly always goes last.
                for a in ev.accounts {
                    if let Err(at) = o.accounts.binary_search_by_key(&a.trigger, |x| x.trigger) {
                        o.accounts.insert(at, a);
                    }
                }
            }
            None => out.push(ev),
        }
    }
    out
}
