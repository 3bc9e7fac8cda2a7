//! From raw automaton hits to mentions of entities.
//!
//! 1. Hits that need the document are checked: a partial name (كيري) counts only when the
//!    person's full name is in the document; a name that is also a common word (`context: true`)
//!    counts after a cue word (مدينة صور) or when its country is named in the document.
//! 2. Overlaps resolve longest-first (the whole token, proclitics included), then exact before
//!    clitic, then name before alias before adjective before partial, then by type.
//! 3. A country named inside an organisation's name (وزارة الخارجية الروسية) is a mention too.
//! 4. Role titles resolve to people: with an appositive name (الرئيس الروسي فلاديمير بوتين) the
//!    title is a mention of that person; without one, the title and the country after it (Arabic
//!    nisba or construct: وزير الخارجية الأمريكي, الأمين العام للأمم المتحدة) or before it (English:
//!    the Russian foreign minister) resolve to the holder on the document's date; a counterpart
//!    (نظيره الروسي, his Russian counterpart) takes the role of the person it refers back to.

use crate::gazetteer::{EntityType, Gazetteer, Target, Via};
use crate::matcher::Hit;
use crate::normalize::is_word_char;
use chrono::NaiveDate;
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;

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
    /// Every title selected in the text.
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

/// Turns hits into mentions.
pub fn resolve(
    g: &Gazetteer,
    norm: &str,
    hits: &[Hit],
    sentences: &[(usize, usize)],
    date: Option<NaiveDate>,
) -> Mentions {
    let surface = |h: &Hit| g.patterns[h.pattern as usize].1[h.surface as usize];

    // 1. What the document supports.
    let mut strong: HashSet<usize> = HashSet::default();
    for h in hits {
        let s = surface(h);
        if let Target::Entity(e) = s.target {
            if !s.context && s.via != Via::Partial {
                strong.insert(e as usize);
            }
        }
    }
    let strong_countries: HashSet<&str> = strong
        .iter()
        .filter(|&&e| g.entities[e].kind == EntityType::Country)
        .filter_map(|&e| g.entities[e].country.as_deref())
        .collect();
    let mut dropped = Vec::new();
    let mut candidates: Vec<&Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        let s = surface(h);
        if let Target::Entity(e) = s.target {
            let e = e as usize;
            if s.via == Via::Partial && !strong.contains(&e) {
                dropped.push((*h, "partial name without the full name in the document"));
                continue;
            }
            if s.context {
                let entity = &g.entities[e];
                let country_named = entity.kind != EntityType::Country
                    && entity
                        .country
                        .as_deref()
                        .is_some_and(|c| strong_countries.contains(c));
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

    // 2. Longest first.
    let rank = |h: &Hit| {
        let s = surface(h);
        let (vr, tr) = match s.target {
            Target::Entity(e) => (via_rank(s.via), type_rank(g.entities[e as usize].kind)),
            Target::Title(_) => (0, 0),
        };
        (
            std::cmp::Reverse(h.end - h.token_start),
            h.has_prefix() && !s.lam_fused,
            vr,
            tr,
            h.token_start,
        )
    };
    // Keys computed once (each looks up the surface and the entity); the index keeps the order
    // of equal keys.
    let mut ranked: Vec<_> = candidates
        .iter()
        .enumerate()
        .map(|(i, &h)| (rank(h), i, h))
        .collect();
    ranked.sort_unstable_by_key(|&(k, i, _)| (k, i));
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut selected: Vec<&Hit> = Vec::new();
    for h in ranked.into_iter().map(|(_, _, h)| h) {
        if overlaps(&taken, h.token_start, h.end) {
            continue;
        }
        taken.insert(h.token_start, h.end);
        selected.push(h);
    }
    selected.sort_by_key(|h| (h.token_start, h.end));

    let mut mentions: Vec<Mention> = Vec::new();
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
                && !mentions.iter().any(|m| m.entity == e && m.start == h.start)
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
    mentions.sort_by_key(|m| (m.start, m.end));

    // 4. The proper name inside a descriptive name: دولة الكويت, حركة حماس, تنظيم داعش, نادي
    // برشلونة name the entity by the word after the common noun; ريال مدريد الإسباني, حزب الله
    // اللبناني and مكة المكرمة add a nationality or an epithet to it. The mention is the name.
    for m in mentions
        .iter_mut()
        .filter(|m| m.via != MentionVia::Adjective)
    {
        let text = &norm[m.start..m.end];
        if let Some((head, rest)) = text.split_once(' ') {
            if DESCRIPTORS.contains(&head) && g.names_entity(rest, m.entity) {
                m.start = m.end - rest.len();
                m.token_start = m.start;
                continue;
            }
        }
        if let Some((rest, tail)) = text.rsplit_once(' ') {
            if (EPITHETS.contains(&tail) || g.is_country_adjective(tail))
                && g.names_entity(rest, m.entity)
            {
                m.end = m.start + rest.len();
            }
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));

    // 5. Titles.
    resolve_titles(g, norm, sentences, date, &mut mentions, &mut titles);
    mentions.sort_by_key(|m| (m.start, m.end));
    Mentions {
        mentions,
        titles,
        dropped,
    }
}

/// Common nouns that head a descriptive name (normalised): the state of, the movement, the club.
const DESCRIPTORS: &[&str] = &[
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
];

/// Honorific epithets after a place name (normalised): مكة المكرمة, المدينة المنورة, القدس الشريف.
const EPITHETS: &[&str] = &["المكرمه", "المنوره", "الشريف", "المقدسه", "المحتله"];

fn overlaps(taken: &BTreeMap<usize, usize>, s: usize, e: usize) -> bool {
    // The last interval starting before e must end at or before s.
    taken
        .range(..e)
        .next_back()
        .is_some_and(|(_, &end)| end > s)
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

fn resolve_titles(
    g: &Gazetteer,
    norm: &str,
    sentences: &[(usize, usize)],
    date: Option<NaiveDate>,
    mentions: &mut Vec<Mention>,
    titles: &mut [TitleMention],
) {
    let sentence_of = |at: usize| {
        sentences
            .iter()
            .position(|&(s, e)| s <= at && at < e)
            .unwrap_or(usize::MAX)
    };
    // (person, role, role country) for counterparts, in text order.
    let mut last_roles: Vec<(usize, usize, String, String)> = Vec::new();
    for t in titles.iter_mut() {
        let role = g.titles[t.title as usize].role.clone();
        let arabic = crate::gazetteer::is_arabic(&norm[t.start..t.end]);
        let mut phrase = (t.start, t.end);
        let mut country: Option<String> = None;
        let mut explicit: Option<usize> = None;
        let next = |at: usize, mentions: &Vec<Mention>| {
            mentions
                .iter()
                .find(|m| m.token_start >= at && adjacent(norm, at, m.token_start))
                .copied()
        };
        let prev = |at: usize, mentions: &Vec<Mention>| {
            mentions
                .iter()
                .rev()
                .find(|m| m.end <= at && adjacent(norm, m.end, at))
                .copied()
        };
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
