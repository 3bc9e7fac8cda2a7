//! From raw automaton hits to mentions of entities.
//!
//! 1. Hits that need the document are checked: a partial name (كيري) counts only when the
//!    person's full name is in the document; a name that is also a common word (`context: true`)
//!    counts after a cue word (مدينة صور) or when its country is named: in the same sentence for
//!    a place, in the document for an organisation. A place name that is part of another name
//!    (اتحاد طنجة, جامعة القاهرة, أحمد أبو غزة), a city followed by a masculine nisba (ليون
//!    الفرنسي is the club: city names are feminine) and a common noun that is also an
//!    organisation's name (هذه القاعدة, القاعدة العسكرية) are left out.
//! 2. Overlaps resolve longest-first (the whole token, proclitics included), then exact before
//!    clitic, then name before alias before adjective before partial, then by type; a name that
//!    starts inside a role title and only adds a country to it yields to the title.
//! 3. A country named inside an organisation's name (وزارة الخارجية الروسية) is a mention too,
//!    and so is the organisation after ل at the end of another's (الجمعية العامة للأمم المتحدة).
//!    The mention is the name inside a descriptive one (نادي الأهلي, ريال مدريد الإسباني), and a
//!    state institution named by its kind and its country (الجيش اللبناني) is a description.
//! 4. Role titles resolve to people: with an appositive name (الرئيس الروسي فلاديمير بوتين) the
//!    title is a mention of that person; without one, the title and the country after it (Arabic
//!    nisba or construct: وزير الخارجية الأمريكي, الأمين العام للأمم المتحدة) or before it (English:
//!    the Russian foreign minister) resolve to the holder on the document's date; a counterpart
//!    (نظيره الروسي, his Russian counterpart) takes the role of the person it refers back to.

use crate::gazetteer::{EntityType, Gazetteer, Target, Via};
use crate::matcher::{Hit, PREFIXES};
use crate::normalize::{is_word_char, normalize_key};
use chrono::NaiveDate;
use fixedbitset::FixedBitSet;
use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// How a mention names its entity (the record's `via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionVia {
    /// Full name.
    Name,
    /// Short form or acronym.
    Alias,
    /// Name or alias behind an Arabic proclitic.
    Clitic,
    /// Nisba adjective or demonym.
    Adjective,
    /// Last name after the full name.
    Partial,
    /// Role title resolved with the document date.
    Role,
    /// Counterpart of another person.
    Counterpart,
    /// A capital standing for its state.
    Metonym,
    /// A state institution named by its kind and its country (الجيش اللبناني, وزارة الخارجية
    /// الألمانية, the Lebanese army): a description, not a name, as a role title is for a
    /// person.
    Description,
}

impl MentionVia {
    /// The record's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Alias => "alias",
            Self::Clitic => "clitic",
            Self::Adjective => "adjective",
            Self::Partial => "partial",
            Self::Role => "role",
            Self::Counterpart => "counterpart",
            Self::Metonym => "metonym",
            Self::Description => "description",
        }
    }
}

/// A place in the normalised text that refers to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Entity index in the gazetteer.
    pub entity: usize,
    /// Start in the normalised text (after any proclitic, except a fused لل).
    pub start: usize,
    /// End in the normalised text.
    pub end: usize,
    /// Start of the token, proclitics included.
    pub token_start: usize,
    /// How it names the entity.
    pub via: MentionVia,
    /// For role and counterpart mentions: the title index.
    pub title: Option<u32>,
    /// For role mentions: the country or organisation code of the role.
    pub role_country: Option<[u8; 12]>,
}

/// A title that was selected in the text, resolved or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMention {
    /// Index into the gazetteer's titles.
    pub title: u32,
    /// Start of the title words (normalised bytes).
    pub start: usize,
    /// End of the title words.
    pub end: usize,
    /// Span of the whole role phrase (title with its country).
    pub phrase: (usize, usize),
    /// The country or organisation code of the role, when the text gives one.
    pub country: Option<String>,
    /// The person it resolved to.
    pub person: Option<usize>,
    /// Why it did not resolve, for `explain`.
    pub note: Option<String>,
}

/// Mentions of one document, in text order.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    /// Entity mentions (including resolved titles), sorted by start.
    pub mentions: Vec<Mention>,
    /// Every title selected in the text, in text order (titles never overlap).
    pub titles: Vec<TitleMention>,
    /// Hits dropped because the document did not support them, with the reason (for `explain`).
    pub dropped: Vec<(Hit, &'static str)>,
}

fn via_rank(v: Via) -> u8 {
    match v {
        Via::Name => 0,
        Via::Alias => 1,
        Via::Adjective => 2,
        Via::Partial => 3,
    }
}

fn type_rank(t: EntityType) -> u8 {
    match t {
        EntityType::Country => 0,
        EntityType::Organisation => 1,
        EntityType::City => 2,
        EntityType::Person => 3,
    }
}

/// Turns hits into mentions. `hits` are in the order [`Matcher::hits`](crate::matcher::Matcher::hits)
/// gives them: by end, then start.
pub fn resolve(
    g: &Gazetteer,
    norm: &str,
    hits: &[Hit],
    sentences: &[(usize, usize)],
    date: Option<NaiveDate>,
) -> Mentions {
    let surface = |h: &Hit| g.patterns[h.pattern as usize].1[h.surface as usize];

    // 1. What the document supports: the entities named in full (asked only for a partial
    // name), and the countries named (by name or adjective), in the document and in each
    // sentence (asked only for a name that needs its context). Sorted, for a binary search. A
    // place name that is also a common word or a person's name counts with its country only
    // when the country is named in the same sentence: a country named somewhere in a long
    // article says nothing about whether روزفلت there is the town or the president, or العيون
    // the city or "the eyes". An organisation's name (حماس) counts when its country is the
    // article's topic.
    let mut strong: Vec<u32> = Vec::new();
    if hits.iter().any(|h| surface(h).via == Via::Partial) {
        for h in hits {
            let s = surface(h);
            if let Target::Entity(e) = s.target {
                if !s.context && s.via != Via::Partial {
                    strong.push(e);
                }
            }
        }
        strong.sort_unstable();
        strong.dedup();
    }
    let sentence_of = |at: usize| sentence_index(sentences, at);
    let mut countries_in_document: Vec<&str> = Vec::new();
    let mut countries_in_sentence: Vec<(Option<usize>, &str)> = Vec::new();
    if hits.iter().any(|h| surface(h).context) {
        for h in hits {
            let s = surface(h);
            if let Target::Entity(e) = s.target {
                let entity = &g.entities[e as usize];
                if !s.context && s.via != Via::Partial && entity.kind == EntityType::Country {
                    if let Some(c) = entity.country.as_deref() {
                        countries_in_document.push(c);
                        countries_in_sentence.push((sentence_of(h.start), c));
                    }
                }
            }
        }
        countries_in_document.sort_unstable();
        countries_in_document.dedup();
        countries_in_sentence.sort_unstable();
        countries_in_sentence.dedup();
    }
    let mut dropped = Vec::new();
    let mut candidates: Vec<&Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        let s = surface(h);
        if let Target::Entity(e) = s.target {
            let e = e as usize;
            if s.via == Via::Partial && strong.binary_search(&(e as u32)).is_err() {
                dropped.push((*h, "partial name without the full name in the document"));
                continue;
            }
            if matches!(s.via, Via::Name | Via::Alias) {
                if let Some(why) = not_a_place(g, norm, h, g.entities[e].kind) {
                    dropped.push((*h, why));
                    continue;
                }
                if g.entities[e].kind == EntityType::Country
                    && h.token_start == h.start
                    && g.adjective_of(&norm[h.start..h.end], e)
                    && word_before(norm, h.start).is_some_and(|w| {
                        w.starts_with("ال") && (w.ends_with('ه') || w.ends_with("ات"))
                    })
                {
                    // العائلة المالكة السعودية: after a definite feminine noun or adjective the
                    // word agrees with it; the adjective hit at the same place stands.
                    dropped.push((*h, "a feminine nisba after a definite noun, not the name"));
                    continue;
                }
                if g.entities[e].kind == EntityType::Organisation && common_noun(norm, h) {
                    dropped.push((
                        *h,
                        "a common noun here: a demonstrative before it or a nisba after it",
                    ));
                    continue;
                }
            }
            if s.context {
                let entity = &g.entities[e];
                let country_named = entity.kind != EntityType::Country
                    && entity.country.as_deref().is_some_and(|c| {
                        if entity.kind == EntityType::Organisation {
                            countries_in_document.binary_search(&c).is_ok()
                        } else {
                            countries_in_sentence
                                .binary_search(&(sentence_of(h.start), c))
                                .is_ok()
                        }
                    });
                // Behind a proclitic an ambiguous name needs its cue: the country alone does
                // not make بنوك a place.
                let country_named = country_named && !h.has_prefix();
                if !country_named && !cue_before(g, norm, h.token_start, entity.kind) {
                    dropped.push((
                        *h,
                        "common word: no cue before it and its country is not named",
                    ));
                    continue;
                }
            }
        }
        candidates.push(h);
    }

    // A role title takes the words it is made of: in وزيرة الخارجية الأميركية the ministry
    // word belongs to the title (the nisba then gives the country), and in رئيس الجمهورية
    // اللبنانية or رئيس مجلس النواب اللبناني the state or the body only completes the title. A
    // name that starts inside a title's words and goes on with a country only is left out, so
    // the title and its country resolve to the holder. (رئيس البرلمان العربي keeps the Arab
    // Parliament: العربي names no country, and the body gives the title its code.)
    // By end: a name asks only for the titles that end inside it.
    let mut title_spans: Vec<(usize, usize)> = candidates
        .iter()
        .filter(|h| matches!(surface(h).target, Target::Title(_)))
        .map(|h| (h.end, h.token_start))
        .collect();
    title_spans.sort_unstable();
    candidates.retain(|h| {
        let ending_inside = || {
            let from = title_spans.partition_point(|&(te, _)| te <= h.token_start);
            let to = title_spans.partition_point(|&(te, _)| te < h.end);
            &title_spans[from..to.max(from)]
        };
        let inside = matches!(surface(h).target, Target::Entity(_))
            && ending_inside()
                .iter()
                .any(|&(te, ts)| ts < h.token_start && names_a_country(g, norm[te..h.end].trim()));
        if inside {
            dropped.push((**h, "starts inside a role title and ends after it"));
        }
        !inside
    });

    // 2. Longest first.
    // A nationality after a club's name (ميلان الإيطالي) only tells which club is meant; it
    // does not make the name longer than a rival that starts before it and ends with the club's
    // name (إنتر ميلان الإيطالي is Inter).
    let name_end = |h: &Hit| {
        let s = surface(h);
        match s.target {
            Target::Entity(e) if g.entities[e as usize].kind != EntityType::Country => norm
                [h.start..h.end]
                .rsplit_once(' ')
                .filter(|(rest, tail)| {
                    g.is_country_adjective(tail)
                        && (g.names_entity(rest, e as usize) || headed_name(g, rest, e as usize))
                })
                .map_or(h.end, |(rest, _)| h.start + rest.len()),
            _ => h.end,
        }
    };
    // The order of preference, packed in one integer, most significant first: longest (the
    // span's length subtracted from the largest), without a proclitic (a lam-fused name's
    // proclitic is its article), by a name rather than an alias, adjective or partial name,
    // needing no context (London is the capital, not the Canadian town that needed its country
    // to count), by the type of what is named, earliest, then in the order of `candidates`
    // (`i`). Offsets fit in 32 bits (see `engine::MAX_DOCUMENT_BYTES_CEILING`).
    let rank = |i: usize, h: &Hit| -> u128 {
        let s = surface(h);
        let (vr, tr) = match s.target {
            Target::Entity(e) => (via_rank(s.via), type_rank(g.entities[e as usize].kind)),
            Target::Title(_) => (0, 0),
        };
        let field = |v: usize| u128::from(v as u32);
        (u128::from(u32::MAX - (h.end - h.token_start) as u32) << 96)
            | (u128::from(h.has_prefix() && !s.lam_fused) << 88)
            | (u128::from(vr) << 80)
            | (u128::from(s.context) << 72)
            | (u128::from(tr) << 64)
            | (field(h.token_start) << 32)
            | field(i)
    };
    // By end, then start: the names ending at a place, the earliest-starting first.
    let mut ends: Vec<(usize, usize)> = candidates
        .iter()
        .filter(|h| {
            let s = surface(h);
            matches!(s.target, Target::Entity(_)) && s.via != Via::Adjective
        })
        .map(|h| (h.end, h.token_start))
        .collect();
    ends.sort_unstable();
    candidates.retain(|h| {
        // Only a name that ends inside this one can be the rival: most hits have none, and
        // are spared the test of their last word.
        let first = ends.partition_point(|&(te, _)| te < h.start);
        if ends.get(first).is_none_or(|&(te, _)| te >= h.end) {
            return true;
        }
        let end = name_end(h);
        let rival = end < h.end && {
            let first = ends.partition_point(|&(te, _)| te < end);
            ends.get(first)
                .is_some_and(|&(te, ts)| te == end && ts < h.token_start)
        };
        if rival {
            dropped.push((**h, "its name ends a longer name that starts before it"));
        }
        !rival
    });
    // Keys computed once (each looks up the surface and the entity); no two are equal.
    let mut ranked: Vec<(u128, &Hit)> = candidates
        .iter()
        .enumerate()
        .map(|(i, &h)| (rank(i, h), h))
        .collect();
    ranked.sort_unstable_by_key(|&(k, _)| k);
    let mut taken = Taken::for_text(norm.len());
    let mut selected: Vec<&Hit> = Vec::with_capacity(ranked.len());
    for h in ranked.into_iter().map(|(_, h)| h) {
        if taken.take(h.token_start, h.end) {
            selected.push(h);
        }
    }
    // Spans taken never overlap: no two keys are equal, and an unstable sort gives the same order.
    selected.sort_unstable_by_key(|h| (h.token_start, h.end));

    let mut mentions: Vec<Mention> = Vec::with_capacity(selected.len());
    let mut titles: Vec<TitleMention> = Vec::new();
    for h in &selected {
        let s = surface(h);
        match s.target {
            Target::Entity(e) => {
                let via = match s.via {
                    Via::Name | Via::Alias if h.has_prefix() => MentionVia::Clitic,
                    Via::Name => MentionVia::Name,
                    Via::Alias => MentionVia::Alias,
                    Via::Adjective => MentionVia::Adjective,
                    Via::Partial => MentionVia::Partial,
                };
                mentions.push(Mention {
                    entity: e as usize,
                    start: if s.lam_fused { h.token_start } else { h.start },
                    end: h.end,
                    token_start: h.token_start,
                    via,
                    title: None,
                    role_country: None,
                });
            }
            Target::Title(t) => titles.push(TitleMention {
                title: t,
                start: h.start,
                end: h.end,
                phrase: (h.start, h.end),
                country: None,
                person: None,
                note: None,
            }),
        }
    }

    // 3. Countries named inside organisation names.
    let orgs: Vec<(usize, usize)> = mentions
        .iter()
        .filter(|m| g.entities[m.entity].kind == EntityType::Organisation)
        .map(|m| (m.token_start, m.end))
        .collect();
    // Country hits by start (a stable sort: hits of one span keep their order).
    let mut country_hits: Vec<&Hit> = Vec::new();
    if !orgs.is_empty() {
        country_hits = hits
            .iter()
            .filter(|h| match surface(h).target {
                Target::Entity(e) => g.entities[e as usize].kind == EntityType::Country,
                Target::Title(_) => false,
            })
            .collect();
        country_hits.sort_by_key(|h| h.token_start);
    }
    // (entity, start) of every mention so far, for the test below.
    let mut named_at: HashSet<(usize, usize)> = HashSet::default();
    if !orgs.is_empty() {
        named_at.extend(mentions.iter().map(|m| (m.entity, m.start)));
    }
    for (os, oe) in orgs {
        let first = country_hits.partition_point(|h| h.token_start < os);
        for &h in country_hits[first..]
            .iter()
            .take_while(|h| h.token_start < oe)
        {
            let s = surface(h);
            let Target::Entity(e) = s.target else {
                continue;
            };
            let e = e as usize;
            if g.entities[e].kind == EntityType::Country
                && h.token_start >= os
                && h.end <= oe
                && (h.token_start, h.end) != (os, oe)
                && named_at.insert((e, h.start))
            {
                mentions.push(Mention {
                    entity: e,
                    start: h.start,
                    end: h.end,
                    token_start: h.token_start,
                    via: if s.via == Via::Adjective {
                        MentionVia::Adjective
                    } else {
                        MentionVia::Name
                    },
                    title: None,
                    role_country: None,
                });
            }
        }
    }
    // An organisation after ل at the end of another's name is the body it belongs to (مجلس
    // الأمن التابع للأمم المتحدة, الجمعية العامة للأمم المتحدة): two mentions, as with a title
    // (الأمين العام للأمم المتحدة). The first keeps its identity and ends before التابع or ل.
    let mut parents: Vec<Mention> = Vec::new();
    for m in mentions
        .iter_mut()
        .filter(|m| g.entities[m.entity].kind == EntityType::Organisation)
    {
        // The hits that end where it ends, in their order: hits come sorted by end.
        let from = hits.partition_point(|h| h.end < m.end);
        let to = from + hits[from..].partition_point(|h| h.end == m.end);
        let parent = hits[from..to].iter().find(|h| {
            let s = surface(h);
            h.token_start > m.token_start
                && matches!(s.target, Target::Entity(e) if e as usize != m.entity
                    && g.entities[e as usize].kind == EntityType::Organisation
                    && matches!(s.via, Via::Name | Via::Alias))
                && (s.lam_fused || norm[h.token_start..h.start].ends_with('ل'))
        });
        let Some(h) = parent else {
            continue;
        };
        let Target::Entity(e) = surface(h).target else {
            continue;
        };
        let mut end = norm[..h.token_start].trim_end().len();
        for linker in [" التابع", " التابعه"] {
            if norm[m.start..end].ends_with(linker) {
                end -= linker.len();
            }
        }
        if end <= m.start {
            continue;
        }
        m.end = end;
        parents.push(Mention {
            entity: e as usize,
            start: if surface(h).lam_fused {
                h.token_start
            } else {
                h.start
            },
            end: h.end,
            token_start: h.token_start,
            via: MentionVia::Clitic,
            title: None,
            role_country: None,
        });
    }
    mentions.extend(parents);
    sort_by_span(&mut mentions);

    // 4. The proper name inside a descriptive name: دولة الكويت, حركة حماس, تنظيم داعش, نادي
    // برشلونة name the entity by the word after the common noun; ريال مدريد الإسباني, حزب الله
    // اللبناني and مكة المكرمة add a nationality or an epithet to it. The mention is the name.
    // After the word for a club, a team, a newspaper or a channel the name follows whatever it
    // is (نادي النصر, صحيفة الأهرام, قناة الجزيرة), even when it is listed only with that word
    // because alone it is a common word. A country's own name keeps its adjective: in الولايات
    // المتحدة الأمريكية the adjective is part of the formal name.
    for m in mentions
        .iter_mut()
        .filter(|m| m.via != MentionVia::Adjective)
    {
        let kind = g.entities[m.entity].kind;
        let text = &norm[m.start..m.end];
        if let Some((head, rest)) = text.split_once(' ') {
            if (DESCRIPTORS.contains(head) && g.names_entity(rest, m.entity))
                || (kind == EntityType::Organisation && NAME_HEADS.contains(head))
            {
                m.start = m.end - rest.len();
                m.token_start = m.start;
            }
        }
        // العاصمة الأردنية عمان: the description in apposition is not the name.
        if kind == EntityType::City {
            let text = &norm[m.start..m.end];
            let mut words = text.splitn(3, ' ');
            if let (Some("العاصمه"), Some(adjective), Some(rest)) =
                (words.next(), words.next(), words.next())
            {
                if g.is_country_adjective(adjective) {
                    m.start = m.end - rest.len();
                    m.token_start = m.start;
                }
            }
        }
        if kind == EntityType::Country {
            continue;
        }
        let text = &norm[m.start..m.end];
        // The adjective is part of an actor's canonical name in منظمة التحرير الفلسطينية; after
        // a club's or a newspaper's name it only says which one is meant.
        // (Normalising the canonical name costs an allocation: only asked for last.)
        let canonical = || {
            g.entities[m.entity].actor
                && g.entities[m.entity]
                    .name_ar
                    .as_deref()
                    .is_some_and(|n| normalize_key(n) == text)
        };
        if let Some((rest, tail)) = text.rsplit_once(' ') {
            if (EPITHETS.contains(tail) || g.is_country_adjective(tail))
                && (g.names_entity(rest, m.entity) || headed_name(g, rest, m.entity))
                && !canonical()
            {
                m.end = m.start + rest.len();
            } else if kind == EntityType::Organisation
                && g.is_country_adjective(tail)
                && is_institution(rest)
            {
                m.via = MentionVia::Description;
            }
        }
    }
    // A country found inside an organisation's name is no second mention once the name is
    // cut down to it (موناكو in وموناكو الفرنسي is the club).
    let org_spans: HashSet<(usize, usize)> = mentions
        .iter()
        .filter(|m| g.entities[m.entity].kind == EntityType::Organisation)
        .map(|m| (m.start, m.end))
        .collect();
    mentions.retain(|m| {
        g.entities[m.entity].kind != EntityType::Country || !org_spans.contains(&(m.start, m.end))
    });
    sort_by_span(&mut mentions);

    // 5. Titles.
    resolve_titles(g, norm, sentences, date, &mut mentions, &mut titles);
    sort_by_span(&mut mentions);
    Mentions {
        mentions,
        titles,
        dropped,
    }
}

/// Sorts mentions by (start, end), keeping the order of equal spans (a stable sort, skipped
/// when they are in order already).
pub(crate) fn sort_by_span<M: std::borrow::Borrow<Mention>>(mentions: &mut [M]) {
    crate::matcher::sort_stably_by_key(mentions, |m| (m.borrow().start, m.borrow().end));
}

/// A fixed list of normalised words, asked for membership many times per document: a hash set
/// of them is built on first use (one probe instead of a comparison with every word).
struct WordList {
    words: &'static [&'static str],
    set: OnceLock<HashSet<&'static str>>,
}

impl WordList {
    const fn new(words: &'static [&'static str]) -> Self {
        Self {
            words,
            set: OnceLock::new(),
        }
    }

    fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }
}

/// Common nouns that head a descriptive name (normalised): the state of, the movement, the club.
static DESCRIPTORS: WordList = WordList::new(&[
    "دوله",
    "جمهوريه",
    "مملكه",
    "المملكه",
    "سلطنه",
    "اماره",
    "مدينه",
    "بلده",
    "محافظه",
    "ولايه",
    "امانه",
    "نادي",
    "فريق",
    "صحيفه",
    "جريده",
    "مجله",
    "قناه",
    "تلفزيون",
    "اذاعه",
    "وكاله",
    "تنظيم",
    "حركه",
    "جماعه",
    "ميليشيا",
    "ميليشيات",
    "the",
    "state",
    "city",
    "kingdom",
    "republic",
]);

/// True when `key` (normalised) is a country's name or adjective.
fn names_a_country(g: &Gazetteer, key: &str) -> bool {
    g.surfaces_of(key).iter().any(|s| {
        !s.lam_fused
            && matches!(s.target, Target::Entity(e)
                if g.entities[e as usize].kind == EntityType::Country)
    })
}

/// True when `key` (normalised) is a country's or a city's name.
fn names_a_place(g: &Gazetteer, key: &str) -> bool {
    g.surfaces_of(key).iter().any(|s| {
        matches!(s.via, Via::Name | Via::Alias)
            && matches!(s.target, Target::Entity(e)
                if matches!(g.entities[e as usize].kind, EntityType::Country | EntityType::City))
    })
}

/// True when a one-word name with the article (القاعدة "the base, the rule") is used as the
/// common noun it also is: after a demonstrative (هذه القاعدة) or before a feminine nisba that
/// qualifies it (القاعدة العسكرية, القاعدة السياسية). A proper name takes neither.
fn common_noun(norm: &str, h: &Hit) -> bool {
    let name = &norm[h.start..h.end];
    let one_word_with_article = !name.contains(' ')
        && (name.starts_with("ال") || norm[h.token_start..h.start].ends_with("لل"));
    if !one_word_with_article {
        return false;
    }
    let demonstrative = h.token_start == h.start
        && word_before(norm, h.token_start)
            .is_some_and(|w| matches!(w, "هذه" | "تلك" | "هذا" | "ذلك"));
    let nisba_after = word_after(norm, h.end)
        .is_some_and(|w| w.starts_with("ال") && w.ends_with("يه") && w.chars().count() > 5);
    demonstrative || nisba_after
}

/// Words that make a place name part of another name when they come right before it
/// (normalised): clubs and universities named after their city (اتحاد طنجة, أولمبيك آسفي,
/// نادي بوردو, جامعة القاهرة).
static PLACE_NAMED: WordList = WordList::new(&[
    "نادي",
    "فريق",
    "اتحاد",
    "اولمبيك",
    "اولمبي",
    "ريال",
    "اتلتيكو",
    "دينامو",
    "اتليتيكو",
    "اتليتكو",
    "سبارتاك",
    "لوكوموتيف",
    "سسكا",
    "تسسكا",
    "سيسكا",
    "سبورتينغ",
    "سبورتنغ",
    "انتر",
    "بوروسيا",
    "جامعه",
    "صحيفه",
    "جريده",
    "مجله",
    "قناه",
]);

/// Adjectives that make a region of a country's name (normalised): أمريكا اللاتينية is Latin
/// America, not the United States. A feminine compass adjective right after a country's name
/// makes another place too: a continent (أمريكا الجنوبية, أمريكا الشمالية, أمريكا الوسطى),
/// a former state (ألمانيا الشرقية, اليمن الجنوبية), another state's part (إيرلندا الشمالية,
/// أذربيجان الغربية, a province of Iran) or a region (الإمارات الشمالية). In the 2015 news
/// corpus 236 country names are followed by one; 170 of them are أمريكا/أميركا (all the
/// continent). Names that contain the adjective (كوريا الجنوبية) are longer hits and are not
/// touched. After a noun for a part of a land (PART_NOUNS) the adjective agrees with that noun
/// instead: حدود سوريا الجنوبية is "Syria's southern borders" (9 of the other 66 in the corpus).
/// Administrative nouns are not in that list: in محافظات أذربيجان الغربية the adjective belongs
/// to the province's name.
static REGION_ADJECTIVES: WordList = WordList::new(&[
    "اللاتينيه",
    "الجنوبيه",
    "الشماليه",
    "الشرقيه",
    "الغربيه",
    "الوسطي",
]);

/// Nouns for parts of a land (normalised, plural or feminine: a compass adjective after
/// "noun + country" agrees with them): حدود سوريا الجنوبية, مناطق عمان الغربية, سواحل اليونان
/// الشرقية, موانئ الصين الجنوبية, جبال لبنان الغربية.
static PART_NOUNS: WordList = WordList::new(&[
    "حدود",
    "مناطق",
    "سواحل",
    "شواطئ",
    "مدن",
    "موانئ",
    "موانيء",
    "جبال",
    "اراضي",
    "انحاء",
    "اطراف",
    "ضواحي",
    "مرتفعات",
]);

/// Words for a competition (normalised): a place right after one is part of the competition's
/// name (كأس ألمانيا "the German Cup", كأس إسبانيا, بطولة فرنسا المفتوحة "the French Open",
/// بطولة الولايات المتحدة المفتوحة), not a mention of the place. (Events named after their host,
/// مونديال ألمانيا or أولمبياد بكين, are left out: the host is the place where they happen.)
const COMPETITIONS: &[&str] = &["كاس", "بطوله"];

/// Words of a person's name that a place name can follow (normalised): احمد أبو غزة, إسماعيل بن
/// الخليل.
static NAME_PARTICLES: WordList = WordList::new(&["ابو", "ابي", "بن", "ابن", "بنت"]);

/// The word right before `at`, when only one space separates them.
fn word_before(norm: &str, at: usize) -> Option<&str> {
    let before = norm[..at].strip_suffix(' ')?;
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !crate::normalize::is_word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    (!word.is_empty()).then_some(word)
}

/// The word right after `at`, when only one space separates them.
fn word_after(norm: &str, at: usize) -> Option<&str> {
    let after = norm[at..].strip_prefix(' ')?;
    let end = after
        .char_indices()
        .find(|&(_, c)| !crate::normalize::is_word_char(c))
        .map_or(after.len(), |(i, _)| i);
    let word = &after[..end];
    (!word.is_empty()).then_some(word)
}

/// True when `word`, alone or behind a proclitic, is a word `is_one` accepts (a head word).
fn is_head(word: &str, is_one: impl Fn(&str) -> bool) -> bool {
    is_one(word)
        // The proclitics a name may carry, which a head word carries too (بجامعة, لاتفاق).
        || PREFIXES
            .iter()
            .any(|p| word.strip_prefix(p).is_some_and(&is_one))
}

/// Why a city or country name in the text is not a mention of the place, if it is not: it is
/// part of the name of a club, a university or a person, or it is a club: Arabic city names
/// are feminine (ليون الفرنسية is the city), so a masculine nisba after
/// one (ليون الفرنسي, هامبورغ الألماني) agrees with an unwritten نادي or فريق.
fn not_a_place(g: &Gazetteer, norm: &str, h: &Hit, kind: EntityType) -> Option<&'static str> {
    if !matches!(kind, EntityType::City | EntityType::Country) {
        return None;
    }
    // The words on either side, asked by most of the tests below.
    let (before, after) = (word_before(norm, h.token_start), word_after(norm, h.end));
    if let Some(w) = before {
        // كأس كوبا أمريكا: a place name right after another one that follows the competition
        // word belongs to the same name (Copa América is neither Cuba nor the United States).
        let competition = is_head(w, |x| COMPETITIONS.contains(&x))
            || (h.token_start == h.start
                && names_a_place(g, w)
                && word_before(norm, h.token_start - w.len() - 1)
                    .is_some_and(|v| is_head(v, |x| COMPETITIONS.contains(&x))));
        if competition {
            return Some("part of the name of a competition");
        }
        if kind == EntityType::City && is_head(w, |x| PLACE_NAMED.contains(x)) {
            return Some("part of the name of a club, a university or a newspaper");
        }
        if kind == EntityType::Country && is_head(w, |x| x == "نادي") {
            return Some("part of the name of a club");
        }
        // After أبو, بن or a title such as الملكة, a place name is part of a person's name
        // (أحمد أبو غزة, الملكة صوفيا).
        if g.is_cue(EntityType::Person, w)
            || NAME_PARTICLES.contains(w)
            || w.strip_prefix('و')
                .is_some_and(|w| NAME_PARTICLES.contains(w))
        {
            return Some("part of a person's name");
        }
    }
    // After مطار or ميناء, or a cue such as مدينة, the nisba may agree with that word (مطار
    // عدن اليمني). (Asked only when a nisba follows.)
    let head_of_construct = || {
        before.is_some_and(|w| {
            is_head(w, |x| matches!(x, "مطار" | "ميناء")) || g.is_cue(EntityType::City, w)
        })
    };
    // مسقط رأس "birthplace" is an idiom, not Muscat.
    if kind == EntityType::City
        && &norm[h.start..h.end] == "مسقط"
        && after.is_some_and(|w| w.starts_with("راس"))
    {
        return Some("the idiom مسقط رأس (birthplace)");
    }
    if kind == EntityType::City {
        if let Some(w) = after {
            if w.starts_with("ال")
                && w.ends_with('ي')
                && g.is_country_adjective(w)
                && !head_of_construct()
            {
                return Some("a masculine nisba follows: a club, not the city");
            }
        }
    }
    if kind == EntityType::Country {
        if let (Some(w), Target::Entity(e)) = (
            after,
            g.patterns[h.pattern as usize].1[h.surface as usize].target,
        ) {
            // قطر القطري, الكويت الكويتي: a state is not qualified by its own masculine nisba;
            // the club named after it is.
            if w.starts_with("ال") && w.ends_with('ي') && g.adjective_of(w, e as usize) {
                return Some("its own masculine nisba follows: a club, not the country");
            }
            let part_noun_before = h.token_start == h.start
                && before.is_some_and(|v| is_head(v, |x| PART_NOUNS.contains(x)));
            if REGION_ADJECTIVES.contains(w) && !part_noun_before {
                return Some("a region adjective follows: a region, not the country");
            }
        }
    }
    None
}

/// Kinds of state institution (normalised): with a country's nisba after them they describe
/// that country's institution (الجيش اللبناني, الخارجية الأمريكية) rather than name it. Every
/// ministry (وزارة ...) is one too.
static INSTITUTIONS: WordList = WordList::new(&[
    "الجيش",
    "القوات",
    "القوات المسلحه",
    "القوات الجويه",
    "سلاح الجو",
    "البحريه",
    "الشرطه",
    "الاستخبارات",
    "المخابرات",
    "الخارجيه",
    "الداخليه",
    "الدفاع",
    "الحكومه",
    "الرئاسه",
    "الديوان الملكي",
    "البرلمان",
    "مجلس النواب",
    "مجلس الشيوخ",
    "مجلس الوزراء",
    "مجلس الشعب",
    "مجلس الامه",
    "مجلس الشوري",
    "المجلس التشريعي",
    "السلطه",
    "السلطه الوطنيه",
]);

/// True when `words` (normalised, the part before a nisba) name a kind of state institution,
/// behind a fused لل (للجيش) as well.
fn is_institution(words: &str) -> bool {
    let unfused;
    let words = match words.strip_prefix("لل") {
        Some(rest) => {
            unfused = format!("ال{rest}");
            unfused.as_str()
        }
        None => words,
    };
    INSTITUTIONS.contains(words) || words.starts_with("وزاره ")
}

/// Words for a club, a team, a newspaper, a magazine or a channel (normalised): the words after
/// them are the name.
static NAME_HEADS: WordList =
    WordList::new(&["نادي", "النادي", "فريق", "صحيفه", "جريده", "مجله", "قناه"]);

/// True when `rest` is what entity `e` is called after a descriptor: نادي ليون and أولمبيك ليون
/// are listed, so ليون in ليون الفرنسي is the club's name and الفرنسي a nationality.
fn headed_name(g: &Gazetteer, rest: &str, e: usize) -> bool {
    let mut key = String::with_capacity(rest.len() + 20);
    DESCRIPTORS
        .words
        .iter()
        .chain(NAME_HEADS.words)
        .any(|head| {
            key.clear();
            key.push_str(head);
            key.push(' ');
            key.push_str(rest);
            g.names_entity(&key, e)
        })
}

/// Honorific epithets after a place name (normalised): مكة المكرمة, المدينة المنورة, القدس الشريف.
static EPITHETS: WordList = WordList::new(&["المكرمه", "المنوره", "الشريف", "المقدسه", "المحتله"]);

/// The index of the sentence holding byte `at`: sentences are in order, so it is the last one
/// starting at or before `at`, if `at` is inside it.
fn sentence_index(sentences: &[(usize, usize)], at: usize) -> Option<usize> {
    let i = sentences
        .partition_point(|&(s, _)| s <= at)
        .checked_sub(1)?;
    (at < sentences[i].1).then_some(i)
}

/// A cue word for `kind` ends right before `at` (one space between).
fn cue_before(g: &Gazetteer, norm: &str, at: usize, kind: EntityType) -> bool {
    let Some(cues) = g.cues.get(&kind) else {
        return false;
    };
    let before = norm[..at].trim_end_matches(' ');
    if before.len() == norm[..at].len() && at > 0 {
        return false;
    }
    cues.iter().any(|c| {
        before.ends_with(c.as_str())
            && before[..before.len() - c.len()]
                .chars()
                .next_back()
                .is_none_or(|ch| !is_word_char(ch) || "وفب".contains(ch))
    })
}

/// The characters [`adjacent`] lets stand between two places: white space, and those of `'s`.
fn may_stand_between(c: char) -> bool {
    c.is_whitespace() || c == '\'' || c == 's'
}

/// Only white space (or an English possessive) lies between `a` and `b`.
fn adjacent(norm: &str, a: usize, b: usize) -> bool {
    if a > b {
        return false;
    }
    let gap = norm[a..b].trim();
    gap.is_empty() || gap == "'s" || gap == "'"
}

fn code_of(g: &Gazetteer, e: usize) -> Option<String> {
    let ent = &g.entities[e];
    match ent.kind {
        EntityType::Country => ent.country.clone(),
        EntityType::Organisation => ent.code.clone(),
        _ => None,
    }
}

/// The bytes of the text taken by a span, a bit each: spans taken never overlap, so a span may
/// be taken when none of its bytes is. (A sorted list of spans made a long document quadratic,
/// and a B-tree costs a search and an allocation per span.)
struct Taken {
    bits: FixedBitSet,
}

impl Taken {
    /// For spans of a text of `len` bytes.
    fn for_text(len: usize) -> Self {
        Self {
            bits: FixedBitSet::with_capacity(len),
        }
    }

    /// Takes the span `start..end` (never empty: a name has a letter) unless one of its bytes
    /// is taken.
    fn take(&mut self, start: usize, end: usize) -> bool {
        let span = start..end.max(start + 1);
        if span.end > self.bits.len() {
            self.bits.grow(span.end);
        }
        if self.bits.contains_any_in_range(span.clone()) {
            return false;
        }
        self.bits.insert_range(span);
        true
    }
}

/// The mention right after a place and the one right before it (nothing but white space, or
/// `'s`, between), as a search of every mention in order would find them (the first after, the
/// last before), looking only near the place. The mentions resolution found are sorted by start;
/// the role mentions added behind them while titles resolve are indexed by token start and end.
struct Neighbours {
    /// How many mentions, from the first, are sorted by start (none, should they not be, or
    /// should a mention not run token start ≤ start ≤ end: then every one is indexed).
    sorted: usize,
    /// The longest proclitic (start − token start) and the longest mention among the sorted.
    max_lead: usize,
    max_len: usize,
    /// Mentions indexed so far.
    indexed: usize,
    /// Mentions outside the sorted ones (indices) by token start and by end.
    added_by_start: std::collections::BTreeMap<usize, Vec<usize>>,
    added_by_end: std::collections::BTreeMap<usize, Vec<usize>>,
}

impl Neighbours {
    fn new(mentions: &[Mention]) -> Self {
        let ordered = mentions.is_sorted_by_key(|m| m.start)
            && mentions
                .iter()
                .all(|m| m.token_start <= m.start && m.start <= m.end);
        let sorted = if ordered { mentions.len() } else { 0 };
        let mut near = Self {
            sorted,
            max_lead: mentions[..sorted]
                .iter()
                .map(|m| m.start - m.token_start)
                .max()
                .unwrap_or(0),
            max_len: mentions[..sorted]
                .iter()
                .map(|m| m.end - m.start)
                .max()
                .unwrap_or(0),
            indexed: sorted,
            added_by_start: Default::default(),
            added_by_end: Default::default(),
        };
        near.added(mentions);
        near
    }

    /// Indexes the mentions added since the last call.
    fn added(&mut self, mentions: &[Mention]) {
        for (i, m) in mentions.iter().enumerate().skip(self.indexed) {
            self.added_by_start
                .entry(m.token_start)
                .or_default()
                .push(i);
            self.added_by_end.entry(m.end).or_default().push(i);
        }
        self.indexed = mentions.len();
    }

    /// The first mention (in `mentions` order) whose token starts right after `at`.
    fn next(&self, norm: &str, at: usize, mentions: &[Mention]) -> Option<Mention> {
        let fits = |m: &Mention| m.token_start >= at && adjacent(norm, at, m.token_start);
        // What may stand between: white space, ' and s; a mention starts by the end of it.
        let limit = at
            + norm[at..]
                .find(|c: char| !may_stand_between(c))
                .unwrap_or(norm.len() - at);
        let sorted = &mentions[..self.sorted];
        // Sorted by start, and no token starts before its mention.
        let from = sorted.partition_point(|m| m.start < at);
        for m in &sorted[from..] {
            if m.start > limit + self.max_lead {
                break;
            }
            if fits(m) {
                return Some(*m);
            }
        }
        self.added_by_start
            .range(at..=limit)
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|&i| fits(&mentions[i]))
            .min()
            .map(|i| mentions[i])
    }

    /// The last mention (in `mentions` order) that ends right before `at`.
    fn prev(&self, norm: &str, at: usize, mentions: &[Mention]) -> Option<Mention> {
        let fits = |m: &Mention| m.end <= at && adjacent(norm, m.end, at);
        let low = norm[..at].trim_end_matches(may_stand_between).len();
        let added = self
            .added_by_end
            .range(low..=at)
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|&i| fits(&mentions[i]))
            .max();
        if let Some(i) = added {
            return Some(mentions[i]);
        }
        // A mention that starts after `at` ends after it too.
        let sorted = &mentions[..self.sorted];
        let to = sorted.partition_point(|m| m.start <= at);
        for m in sorted[..to].iter().rev() {
            if m.start + self.max_len < low {
                break;
            }
            if fits(m) {
                return Some(*m);
            }
        }
        None
    }
}

fn resolve_titles(
    g: &Gazetteer,
    norm: &str,
    sentences: &[(usize, usize)],
    date: Option<NaiveDate>,
    mentions: &mut Vec<Mention>,
    titles: &mut [TitleMention],
) {
    let sentence_of = |at: usize| sentence_index(sentences, at).unwrap_or(usize::MAX);
    // (person, role, role country) for counterparts, in text order.
    let mut last_roles: Vec<(usize, usize, String, String)> = Vec::new();
    let mut near = Neighbours::new(mentions);
    for t in titles.iter_mut() {
        let role = g.titles[t.title as usize].role.clone();
        let arabic = crate::gazetteer::is_arabic(&norm[t.start..t.end]);
        let mut phrase = (t.start, t.end);
        let mut country: Option<String> = None;
        let mut explicit: Option<usize> = None;
        let next = |at: usize, mentions: &Vec<Mention>| near.next(norm, at, mentions);
        let prev = |at: usize, mentions: &Vec<Mention>| near.prev(norm, at, mentions);
        // The country of the role.
        if arabic {
            if let Some(m) = next(t.end, mentions) {
                if let Some(c) = code_of(g, m.entity) {
                    country = Some(c);
                    phrase.1 = m.end;
                }
            }
        } else if let Some(m) = prev(t.start, mentions) {
            if let Some(c) = code_of(g, m.entity) {
                country = Some(c);
                phrase.0 = m.start;
            }
        }
        // A name in apposition.
        if let Some(m) = next(phrase.1, mentions) {
            if g.entities[m.entity].kind == EntityType::Person && m.via != MentionVia::Role {
                explicit = Some(m.entity);
            }
        }
        let person = if let Some(p) = explicit {
            Some(p)
        } else if role == "counterpart" {
            let Some(d) = date else {
                t.note = Some("no document date to resolve the counterpart".into());
                continue;
            };
            let sent = sentence_of(t.start);
            let antecedent = last_roles
                .iter()
                .rev()
                .find(|(_, at, _, _)| sentence_of(*at) == sent || sentence_of(*at) + 1 == sent)
                .cloned()
                .or_else(|| {
                    // A named person earlier in the sentence, with a role on the date.
                    mentions
                        .iter()
                        .rev()
                        .filter(|m| m.end <= t.start && sentence_of(m.start) == sent)
                        .filter(|m| g.entities[m.entity].kind == EntityType::Person)
                        .find_map(|m| {
                            g.roles_on(m.entity, d)
                                .next()
                                .map(|r| (m.entity, m.start, r.title.clone(), r.country.clone()))
                        })
                });
            match (antecedent, &country) {
                (Some((_, _, r, _)), Some(c)) => {
                    let found = g.holder(&r, c, d);
                    if found.is_none() {
                        t.note = Some(format!("no {r} of {c} on {d} in the gazetteer"));
                    }
                    found
                }
                (None, _) => {
                    t.note = Some("no earlier person with a role to be the counterpart of".into());
                    None
                }
                (_, None) => {
                    t.note = Some("no country after the counterpart".into());
                    None
                }
            }
        } else if let (Some(c), Some(d)) = (&country, date) {
            let found = g.holder(&role, c, d);
            if found.is_none() {
                t.note = Some(format!("no {role} of {c} on {d} in the gazetteer"));
            }
            found
        } else {
            t.note = Some(if date.is_none() {
                "no document date".into()
            } else {
                "no country with the title".into()
            });
            None
        };
        t.phrase = phrase;
        t.country = country.clone();
        t.person = person;
        if let Some(p) = person {
            let via = if role == "counterpart" {
                MentionVia::Counterpart
            } else {
                MentionVia::Role
            };
            mentions.push(Mention {
                entity: p,
                start: phrase.0,
                end: phrase.1,
                token_start: phrase.0,
                via,
                title: Some(t.title),
                role_country: None,
            });
            near.added(mentions);
            let effective_role = if role == "counterpart" {
                last_roles.last().map(|r| r.2.clone()).unwrap_or_default()
            } else {
                role.clone()
            };
            let rc = country
                .clone()
                .or_else(|| g.entities[p].country.clone())
                .unwrap_or_default();
            last_roles.push((p, t.start, effective_role, rc));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Taken;

    /// The bitset answers as a list of the spans taken would: a span is refused when it shares
    /// a byte with one taken, across word boundaries of the set too.
    #[test]
    fn taken_spans_never_overlap() {
        let spans = [
            (10, 20),
            (15, 25),
            (20, 30),
            (0, 10),
            (5, 6),
            (60, 70),
            (63, 64),
            (64, 65),
            (30, 200),
            (200, 201),
            (199, 200),
            (500, 640),
        ];
        let mut taken = Taken::for_text(300);
        let mut list: Vec<(usize, usize)> = Vec::new();
        for (s, e) in spans {
            let free = list.iter().all(|&(ts, te)| e <= ts || te <= s);
            assert_eq!(taken.take(s, e), free, "{s}..{e}");
            if free {
                list.push((s, e));
            }
        }
        assert_eq!(
            list,
            [
                (10, 20),
                (20, 30),
                (0, 10),
                (60, 70),
                (200, 201),
                (199, 200),
                (500, 640)
            ]
        );
    }
}
