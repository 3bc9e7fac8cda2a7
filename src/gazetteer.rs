//! Gazetteers: entities, role titles and cue words, loaded from YAML (see `gazetteers/README.md`).
//!
//! Loading never stops at the first problem: every problem of every file is collected as a
//! [`Diagnostic`] with its file, line and column, so `majlis check` can show them all at once.

use crate::diagnostic::{parse_yaml, Diagnostic, Severity, Sink};
use crate::normalize::normalize_key;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A person.
    Person,
    /// A state or territory.
    Country,
    /// A city or town.
    City,
    /// An organisation: international body, party, armed group, ministry.
    Organisation,
}

impl EntityType {
    /// Parses the names used in gazetteers and rules.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "person" => Self::Person,
            "country" => Self::Country,
            "city" => Self::City,
            "organisation" | "organization" => Self::Organisation,
            _ => return None,
        })
    }

    /// The name used in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Country => "country",
            Self::City => "city",
            Self::Organisation => "organisation",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date-bounded role held by a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role key from `titles.yaml` (`foreign-minister`).
    pub title: String,
    /// ISO alpha-3 code, or an organisation code (`UN`).
    pub country: String,
    /// First day in office.
    pub from: NaiveDate,
    /// Last day in office; `None` while in office.
    pub to: Option<NaiveDate>,
}

impl Role {
    /// True when the role was held on `date` (both ends inclusive).
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

/// One gazetteer entity.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// Person, country, city or organisation.
    pub kind: EntityType,
    /// English display name.
    pub name: String,
    /// First Arabic name, for Arabic labels.
    pub name_ar: Option<String>,
    /// Wikidata QID.
    pub wikidata: Option<String>,
    /// ISO alpha-3 code of the country the entity belongs to or acts for.
    pub country: Option<String>,
    /// Code of an international organisation (`UN`, `NATO`).
    pub code: Option<String>,
    /// Countries: the index of their capital.
    pub capital: Option<usize>,
    /// People: their roles.
    pub roles: Vec<Role>,
    /// Whether it can take part in events; false for media outlets and sports clubs, which
    /// are found (so that their names do not pass for places) but never meet or agree.
    pub actor: bool,
    /// Where the entry was written (`file:line`).
    pub source: String,
}

impl Entity {
    /// The country code used for country-level analysis: the ISO code, or the organisation code.
    pub fn dyad_code(&self) -> Option<&str> {
        self.country.as_deref().or(self.code.as_deref())
    }
}

/// How a surface relates to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// A full name.
    Name,
    /// A short form or acronym.
    Alias,
    /// A nisba adjective, demonym or people plural.
    Adjective,
    /// A person's last name, valid after the full name.
    Partial,
}

impl Via {
    /// The name used in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Alias => "alias",
            Via::Adjective => "adjective",
            Via::Partial => "partial",
        }
    }
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An entity, by index.
    Entity(u32),
    /// A role title, by index into [`Gazetteer::titles`].
    Title(u32),
}

/// One pattern target with the conditions under which a hit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Surface {
    /// What the pattern stands for.
    pub target: Target,
    /// How it names it.
    pub via: Via,
    /// Arabic proclitics may precede it.
    pub clitics: bool,
    /// The pattern is the `ال`-less remainder of an `ال` name: it counts only after `لل`/`ل`.
    pub lam_fused: bool,
    /// For lam-fused patterns: the remainder starts with ل, so a single ل precedes it.
    pub lam_single: bool,
    /// The name is a common word: it needs a cue or its country in the document.
    pub context: bool,
    /// Latin surface written in capitals (an acronym): the text must be in capitals too.
    pub upper: bool,
    /// Latin surface with a capital letter: the text must have one too.
    pub capitalised: bool,
    /// Arabic name that starts with the article ال (written with a bare alef): the proclitics
    /// of a definite word go before it, and ل fuses with it (للعراق). ألمانيا starts with the
    /// same letters after normalisation, but takes ل as any other name (لألمانيا).
    pub article: bool,
    /// One-word place name written with a final ة: the text must end the word with ة too.
    /// Normalisation folds ة into ه, and a word ending in the pronoun ه is another word: وجده
    /// "he found him" is not وجدة (Oujda), جده "his grandfather" is not جدة (Jeddah).
    pub ta_marbuta: bool,
}

/// A role title.
#[derive(Debug, Clone)]
pub struct Title {
    /// The role key (`foreign-minister`); `counterpart` is special: it takes the role of the
    /// person it refers back to.
    pub role: String,
}

/// Loaded gazetteers.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Every entity.
    pub entities: Vec<Entity>,
    /// Every role title.
    pub titles: Vec<Title>,
    /// Normalised cue words by entity type (see [`Gazetteer::is_cue`]).
    pub cues: HashMap<EntityType, FxHashSet<String>>,
    /// Common words that read as a proclitic and a name (بليون "billion" is not ب + ليون, Lyon):
    /// such a whole token is never a name behind a proclitic (the `words` list of `cues.yaml`).
    pub words: FxHashSet<String>,
    /// Normalised pattern → what it stands for.
    pub patterns: Vec<(String, Vec<Surface>)>,
    /// Entity id → index.
    pub index: HashMap<String, usize>,
    /// (role, country) → indices of people who held it, for date lookups.
    pub holders: HashMap<(String, String), Vec<usize>>,
    /// Normalised pattern → index into `patterns`.
    pub pattern_index: HashMap<String, usize>,
}

impl Gazetteer {
    /// Whether `word` (normalised) is one of the cue words of `kind`.
    pub fn is_cue(&self, kind: EntityType, word: &str) -> bool {
        self.cues.get(&kind).is_some_and(|w| w.contains(word))
    }

    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.index.get(id).map(|&i| &self.entities[i])
    }

    /// The person holding `role` for `country` on `date` (the latest to take office, if the data
    /// overlap).
    pub fn holder(&self, role: &str, country: &str, date: NaiveDate) -> Option<usize> {
        let people = self.holders.get(&(role.to_string(), country.to_string()))?;
        people
            .iter()
            .filter_map(|&p| {
                self.entities[p]
                    .roles
                    .iter()
                    .filter(|r| r.title == role && r.country == country && r.holds_on(date))
                    .map(|r| (r.from, p))
                    .max()
            })
            .max()
            .map(|(_, p)| p)
    }

    /// What the normalised `key` stands for (nothing when it is no pattern).
    pub fn surfaces_of(&self, key: &str) -> &[Surface] {
        self.pattern_index
            .get(key)
            .map_or(&[], |&i| self.patterns[i].1.as_slice())
    }

    /// True when the normalised `key` is a name or alias of entity `e`.
    pub fn names_entity(&self, key: &str, e: usize) -> bool {
        self.surfaces_of(key).iter().any(|s| {
            s.target == Target::Entity(e as u32)
                && matches!(s.via, Via::Name | Via::Alias)
                && !s.lam_fused
        })
    }

    /// True when the normalised `key` is a country's adjective (الإسباني, Spanish).
    pub fn is_country_adjective(&self, key: &str) -> bool {
        self.surfaces_of(key).iter().any(|s| {
            s.via == Via::Adjective
                && matches!(s.target, Target::Entity(e) if self.entities[e as usize].kind == EntityType::Country)
        })
    }

    /// True when the normalised `key` is an adjective of entity `e` as well as a name
    /// (السعودية is Saudi Arabia and the feminine of سعودي).
    pub fn adjective_of(&self, key: &str, e: usize) -> bool {
        self.surfaces_of(key)
            .iter()
            .any(|s| s.target == Target::Entity(e as u32) && s.via == Via::Adjective)
    }

    /// The roles `person` held on `date`.
    pub fn roles_on(&self, person: usize, date: NaiveDate) -> impl Iterator<Item = &Role> {
        self.entities[person]
            .roles
            .iter()
            .filter(move |r| r.holds_on(date))
    }
}

// ---------------------------------------------------------------------------------------------
// YAML shapes

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LangLists {
    #[serde(default)]
    ar: Vec<Spanned<String>>,
    #[serde(default)]
    en: Vec<Spanned<String>>,
}

impl LangLists {
    fn all(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.ar.iter().chain(self.en.iter())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    title: Spanned<String>,
    country: Spanned<String>,
    from: Spanned<String>,
    #[serde(default)]
    to: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    wikidata: Option<String>,
    #[serde(default)]
    geonames: Option<u64>,
    #[serde(default)]
    country: Option<Spanned<String>>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    capital: Option<Spanned<String>>,
    #[serde(default)]
    names: LangLists,
    #[serde(default)]
    aliases: LangLists,
    #[serde(default)]
    adjectives: LangLists,
    #[serde(default)]
    plurals: LangLists,
    /// Short forms that are common words alone: they count only after a full name or an alias
    /// of the entity in the same document, as a person's last name does.
    #[serde(default)]
    short: LangLists,
    #[serde(default)]
    roles: Vec<RawRole>,
    #[serde(default)]
    clitics: Option<bool>,
    #[serde(default)]
    context: Option<bool>,
    #[serde(default)]
    actor: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    role: Spanned<String>,
    #[serde(default)]
    names: LangLists,
}

/// Minimum length, in characters of the normalised key, of a name that may stand alone.
pub const MIN_NAME_CHARS: usize = 2;

/// The file name that holds titles, and the one that holds cues.
pub const TITLES_FILE: &str = "titles.yaml";
/// See [`TITLES_FILE`].
pub const CUES_FILE: &str = "cues.yaml";
/// The key of `cues.yaml` that lists common words (see [`Gazetteer::words`]).
pub const WORDS_KEY: &str = "words";

/// A data file given to a loader: its name (for messages) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name shown in messages (`gazetteers/people.yaml`).
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// Pieces of an entity file smaller than this are not split further.
const PIECE_BYTES: usize = 128 << 10;

/// Parses an entity file (a top-level YAML sequence). A large file is cut before top-level items
/// (`- ` at the start of a line) into pieces that are parsed in parallel; each piece is preceded
/// by as many empty lines as come before it, so every line and column stays that of the file.
/// Pieces are only a speed-up: if any piece fails, the whole file is parsed again so that the
/// message is exactly the one for the file.
fn parse_entries(f: &SourceFile) -> Result<Vec<Vec<RawEntry>>, Diagnostic> {
    let text = f.text.as_str();
    if text.len() < 2 * PIECE_BYTES
        || text
            .lines()
            .any(|l| l.starts_with("---") || l.starts_with('%'))
    {
        return parse_yaml(&f.name, text).map(|v| vec![v]);
    }
    // Cut points: starts of lines that begin a top-level item, at least PIECE_BYTES apart.
    let mut cuts = vec![(0usize, 0usize)];
    let (mut line, mut at, mut last) = (0usize, 0usize, 0usize);
    for l in text.split_inclusive('\n') {
        if l.starts_with("- ") && at - last >= PIECE_BYTES {
            cuts.push((at, line));
            last = at;
        }
        at += l.len();
        line += 1;
    }
    let pieces: Vec<(usize, &str)> = cuts
        .iter()
        .enumerate()
        .map(|(i, &(start, line))| {
            let end = cuts.get(i + 1).map_or(text.len(), |c| c.0);
            (line, &text[start..end])
        })
        .collect();
    let parts: Vec<Result<Vec<RawEntry>, Diagnostic>> = pieces
        .par_iter()
        .map(|&(line, piece)| {
            let mut padded = String::with_capacity(line + piece.len());
            padded.extend(std::iter::repeat_n('\n', line));
            padded.push_str(piece);
            parse_yaml(&f.name, &padded)
        })
        .collect();
    // The pieces stay as they were parsed: entries are large, and gathering them into one
    // vector would copy them again.
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Ok(v) => out.push(v),
            Err(_) => return parse_yaml(&f.name, text).map(|v| vec![v]),
        }
    }
    Ok(out)
}

/// Loads gazetteer files. Returns the gazetteer and every problem found; the gazetteer is usable
/// only when no problem is an error.
pub fn load(files: &[SourceFile]) -> (Gazetteer, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut g = Gazetteer::default();
    // Entries by file (index into `files`), in the pieces they were parsed in.
    let mut raw_pieces: Vec<(usize, Vec<RawEntry>)> = Vec::new();
    let mut raw_titles: Vec<(usize, RawTitle)> = Vec::new();

    // Entity files are the bulk of the YAML: they are parsed in parallel, in pieces (see
    // `parse_entries`); the results are read in file order below, so nothing else changes.
    let base_name = |f: &SourceFile| f.name.rsplit('/').next().unwrap_or(&f.name).to_string();
    let mut parsed: Vec<Option<Result<Vec<Vec<RawEntry>>, Diagnostic>>> = files
        .par_iter()
        .map(|f| {
            let base = base_name(f);
            (base != CUES_FILE && base != TITLES_FILE).then(|| parse_entries(f))
        })
        .collect();

    for (fi, f) in files.iter().enumerate() {
        let base = f.name.rsplit('/').next().unwrap_or(&f.name);
        if base == CUES_FILE {
            match parse_yaml::<BTreeMap<String, LangLists>>(&f.name, &f.text) {
                Ok(map) => {
                    for (kind, lists) in map {
                        if kind == WORDS_KEY {
                            g.words.extend(lists.all().map(|s| normalize_key(&s.value)));
                            continue;
                        }
                        match EntityType::parse(&kind) {
                            Some(t) => g
                                .cues
                                .entry(t)
                                .or_default()
                                .extend(lists.all().map(|s| normalize_key(&s.value))),
                            None => diags.push(Diagnostic {
                                file: f.name.clone(),
                                line: 0,
                                column: 0,
                                severity: Severity::Error,
                                message: format!(
                                    "unknown entity type `{kind}` (expected person, country, city, organisation or {WORDS_KEY})"
                                ),
                            }),
                        }
                    }
                }
                Err(d) => diags.push(d),
            }
        } else if base == TITLES_FILE {
            match parse_yaml::<Vec<RawTitle>>(&f.name, &f.text) {
                Ok(v) => raw_titles.extend(v.into_iter().map(|t| (fi, t))),
                Err(d) => diags.push(d),
            }
        } else {
            match parsed[fi].take().unwrap_or_else(|| parse_entries(f)) {
                Ok(pieces) => raw_pieces.extend(pieces.into_iter().map(|p| (fi, p))),
                Err(d) => diags.push(d),
            }
        }
    }

    // Entities, first pass: ids and fields.
    let mut capitals: Vec<(usize, usize, Spanned<String>)> = Vec::new();
    let raw_entries = || {
        raw_pieces
            .iter()
            .flat_map(|(fi, piece)| piece.iter().map(move |e| (fi, e)))
    };
    let mut entity_of: Vec<Option<usize>> =
        Vec::with_capacity(raw_pieces.iter().map(|(_, p)| p.len()).sum());
    for (fi, raw) in raw_entries() {
        entity_of.push(None);
        let mut sink = Sink {
            file: &files[*fi].name,
            out: &mut diags,
        };
        let Some(kind) = EntityType::parse(&raw.kind.value) else {
            sink.error(
                &raw.kind,
                format!(
                    "unknown entity type `{}` (expected person, country, city or organisation)",
                    raw.kind.value
                ),
            );
            continue;
        };
        let id = raw.id.value.trim().to_string();
        if id.is_empty() {
            sink.error(&raw.id, "empty id");
            continue;
        }
        if let Some(&prev) = g.index.get(&id) {
            let prev_src = g.entities[prev].source.clone();
            sink.error(
                &raw.id,
                format!("duplicate id `{id}` (first defined at {prev_src})"),
            );
            continue;
        }
        let mut roles = Vec::new();
        for r in &raw.roles {
            let from = parse_date(&mut sink, &r.from);
            let to = r.to.as_ref().and_then(|t| parse_date(&mut sink, t));
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    sink.error(
                        &r.from,
                        format!("role `{}` starts ({f}) after it ends ({t})", r.title.value),
                    );
                    continue;
                }
            }
            if let Some(from) = from {
                roles.push(Role {
                    title: r.title.value.clone(),
                    country: r.country.value.clone(),
                    from,
                    to,
                });
            }
        }
        if !roles.is_empty() && kind != EntityType::Person {
            sink.warning(&raw.id, "only people have roles; these are ignored");
            roles.clear();
        }
        if let Some(c) = &raw.country {
            if !(c.value.len() == 3 && c.value.bytes().all(|b| b.is_ascii_uppercase())) {
                sink.error(
                    c,
                    format!("country `{}` is not an ISO 3166-1 alpha-3 code", c.value),
                );
            }
        }
        let index = g.entities.len();
        if let Some(c) = &raw.capital {
            capitals.push((index, *fi, c.clone()));
        }
        let country = match kind {
            EntityType::Country => {
                Some(raw.country.as_ref().map_or(id.clone(), |c| c.value.clone()))
            }
            _ => raw.country.as_ref().map(|c| c.value.clone()),
        };
        let _ = raw.geonames;
        g.entities.push(Entity {
            id: id.clone(),
            kind,
            name: raw.name.value.clone(),
            name_ar: raw.names.ar.first().map(|s| s.value.clone()),
            wikidata: raw.wikidata.clone(),
            country,
            code: raw.code.clone(),
            capital: None,
            roles,
            actor: raw.actor.unwrap_or(true),
            source: format!("{}:{}", files[*fi].name, raw.id.referenced.line()),
        });
        g.index.insert(id, index);
        if let Some(last) = entity_of.last_mut() {
            *last = Some(index);
        }
    }
    for (index, fi, cap) in capitals {
        match g.index.get(cap.value.as_str()) {
            Some(&c) if g.entities[c].kind == EntityType::City => {
                g.entities[index].capital = Some(c)
            }
            _ => Sink {
                file: &files[fi].name,
                out: &mut diags,
            }
            .error(
                &cap,
                format!("capital `{}` is not the id of a city", cap.value),
            ),
        }
    }

    // Titles.
    let mut pattern_index: HashMap<String, usize> = HashMap::default();
    let mut add = |g: &mut Gazetteer, key: String, s: Surface| {
        let i = *pattern_index.entry(key.clone()).or_insert_with(|| {
            g.patterns.push((key, Vec::new()));
            g.patterns.len() - 1
        });
        let list = &mut g.patterns[i].1;
        if !list
            .iter()
            .any(|o| o.target == s.target && o.lam_fused == s.lam_fused && o.via == s.via)
        {
            list.push(s);
        }
    };
    let known_roles: FxHashSet<String> = raw_titles
        .iter()
        .map(|(_, t)| t.role.value.clone())
        .collect();
    for (fi, t) in &raw_titles {
        let ti = g.titles.len() as u32;
        g.titles.push(Title {
            role: t.role.value.clone(),
        });
        let mut sink = Sink {
            file: &files[*fi].name,
            out: &mut diags,
        };
        for name in t.names.all() {
            for (key, s) in surfaces(&mut sink, name, Target::Title(ti), Via::Name, true, false) {
                add(&mut g, key, s);
            }
        }
    }

    // Entity surfaces.
    let mut holders: HashMap<(String, String), Vec<usize>> = HashMap::default();
    for ((fi, raw), index) in raw_entries().zip(&entity_of) {
        // Entries rejected in the first pass have no index.
        let Some(index) = *index else {
            continue;
        };
        let mut sink = Sink {
            file: &files[*fi].name,
            out: &mut diags,
        };
        let entity = &g.entities[index];
        let kind = entity.kind;
        let clitics = raw.clitics.unwrap_or(true);
        let context = raw.context.unwrap_or(false);
        let target = Target::Entity(index as u32);
        let mut keys: Vec<(String, Surface)> = Vec::new();
        for n in raw.names.all() {
            keys.extend(surfaces(&mut sink, n, target, Via::Name, clitics, context));
        }
        for n in raw.aliases.all() {
            keys.extend(surfaces(&mut sink, n, target, Via::Alias, clitics, context));
        }
        for n in raw.short.all() {
            keys.extend(
                surfaces(&mut sink, n, target, Via::Partial, clitics, context).map(|(k, mut s)| {
                    s.capitalised = !is_arabic(&k);
                    (k, s)
                }),
            );
        }
        for n in &raw.adjectives.en {
            keys.extend(surfaces(
                &mut sink,
                n,
                target,
                Via::Adjective,
                false,
                context,
            ));
        }
        // Generated Arabic adjective forms: every nisba inflection, and the broken plurals
        // with and without the article; each keeps the place of the stem it came from.
        let nisbas = raw.adjectives.ar.iter().flat_map(|stem| {
            nisba_variants(&nisba_stem(&stem.value))
                .into_iter()
                .map(move |(f, article)| (f, article, stem))
        });
        let plurals = raw.plurals.ar.iter().flat_map(|p| {
            let base = nisba_stem(&p.value);
            [(format!("ال{base}"), true), (base, false)]
                .into_iter()
                .map(move |(f, article)| (f, article, p))
        });
        for (form, article, at) in nisbas.chain(plurals) {
            let s = Spanned::new(form, at.referenced, at.defined);
            keys.extend(surfaces_as(
                &mut sink,
                &s,
                target,
                Via::Adjective,
                true,
                context,
                article,
            ));
        }
        // Only names of places are checked for their written ة.
        let place = matches!(kind, EntityType::City | EntityType::Country);
        for (_, s) in &mut keys {
            s.ta_marbuta &= place && matches!(s.via, Via::Name | Via::Alias);
        }
        if kind == EntityType::Person {
            let full: Vec<String> = keys
                .iter()
                .filter(|(_, s)| s.via == Via::Name && !s.lam_fused)
                .map(|(k, _)| k.clone())
                .collect();
            for k in full {
                if let Some(last) = partial_name(&k) {
                    if !keys.iter().any(|(o, _)| o == last) {
                        let s = Spanned::new(last.to_string(), raw.id.referenced, raw.id.defined);
                        // Partial names keep the capitalisation rule of Latin names.
                        keys.extend(
                            surfaces(&mut sink, &s, target, Via::Partial, clitics, context).map(
                                |(k, mut s)| {
                                    s.capitalised = !is_arabic(&k);
                                    (k, s)
                                },
                            ),
                        );
                    }
                }
            }
        }
        if keys.is_empty() {
            sink.warning(
                &raw.id,
                format!(
                    "entry `{}` has no names and can never be found",
                    raw.id.value
                ),
            );
        }
        for (k, s) in keys {
            add(&mut g, k, s);
        }
        for r in &raw.roles {
            if !known_roles.is_empty() && !known_roles.contains(&r.title.value) {
                sink.warning(
                    &r.title,
                    format!(
                        "role title `{}` is not defined in {TITLES_FILE}",
                        r.title.value
                    ),
                );
            }
        }
        for r in &g.entities[index].roles {
            let list = holders
                .entry((r.title.clone(), r.country.clone()))
                .or_default();
            if !list.contains(&index) {
                list.push(index);
            }
        }
    }
    g.holders = holders;
    g.pattern_index = pattern_index;
    (g, diags)
}

fn parse_date(sink: &mut Sink<'_>, s: &Spanned<String>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.value.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            sink.error(s, format!("`{}` is not a date (YYYY-MM-DD)", s.value));
            None
        }
    }
}

/// True when the string holds Arabic letters.
pub fn is_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The pattern keys of one written name: the normalised name, and for Arabic names that start
/// with the article, the remainder that follows a fused لل.
fn surfaces<'a>(
    sink: &mut Sink<'_>,
    name: &'a Spanned<String>,
    target: Target,
    via: Via,
    clitics: bool,
    context: bool,
) -> impl Iterator<Item = (String, Surface)> + use<'a> {
    let article = name.value.trim_start().starts_with("ال");
    surfaces_as(sink, name, target, via, clitics, context, article)
}

/// [`surfaces`] for a name whose article is known (generated forms are already normalised,
/// where ألماني and an article look alike).
fn surfaces_as<'a>(
    sink: &mut Sink<'_>,
    name: &'a Spanned<String>,
    target: Target,
    via: Via,
    clitics: bool,
    context: bool,
    article: bool,
) -> impl Iterator<Item = (String, Surface)> + use<'a> {
    let key = normalize_key(&name.value);
    let chars = key.chars().filter(|c| c.is_alphanumeric()).count();
    let mut out: Vec<(String, Surface)> = Vec::new();
    if chars < MIN_NAME_CHARS {
        sink.error(
            name,
            format!(
                "name `{}` is shorter than {MIN_NAME_CHARS} letters after normalisation",
                name.value
            ),
        );
        return out.into_iter();
    }
    let arabic = is_arabic(&key);
    let letters: Vec<char> = name.value.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = !arabic && letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let capitalised = !arabic && letters.iter().any(|c| c.is_uppercase());
    let base = Surface {
        target,
        via,
        clitics: clitics && arabic && key.chars().count() >= 3,
        lam_fused: false,
        lam_single: false,
        context,
        upper,
        capitalised,
        article: arabic && article && key.starts_with("ال"),
        ta_marbuta: arabic
            && !key.contains(' ')
            && name
                .value
                .chars()
                .rev()
                .find(|c| c.is_alphabetic())
                .is_some_and(|c| c == 'ة'),
    };
    if arabic && clitics && base.article {
        if let Some(rest) = key.strip_prefix("ال") {
            if rest.chars().count() >= 2 {
                out.push((
                    rest.to_string(),
                    Surface {
                        lam_fused: true,
                        lam_single: rest.starts_with('ل'),
                        ..base
                    },
                ));
            }
        }
    }
    out.push((key, base));
    out.into_iter()
}

/// The normalised nisba stem of a written one, without the article if it was written with
/// one. The article is recognised in the written form (ال with a bare alef, hamzat al-wasl):
/// after normalisation ألماني (German) also starts with ال, and its first letters are not the
/// article.
fn nisba_stem(written: &str) -> String {
    let key = normalize_key(written);
    match (
        written.trim_start().starts_with("ال"),
        key.strip_prefix("ال"),
    ) {
        (true, Some(rest)) => rest.to_string(),
        _ => key,
    }
}

/// Every inflection of an Arabic nisba stem (masculine singular, normalised, no article), with
/// and without the article.
pub fn nisba_forms(stem: &str) -> Vec<String> {
    nisba_variants(stem).into_iter().map(|(f, _)| f).collect()
}

/// [`nisba_forms`], each with whether it carries the article.
fn nisba_variants(stem: &str) -> Vec<(String, bool)> {
    let mut forms = Vec::new();
    for suffix in ["", "ه", "ون", "ين", "ات", "ان", "تان", "تين"] {
        let f = format!("{stem}{suffix}");
        forms.push((format!("ال{f}"), true));
        forms.push((f, false));
    }
    forms
}

/// The last name of a full person name, when it can stand for the person after the full name:
/// at least two tokens, not a patronymic chain (بن, bin), not `الله` of `عبد الله`, and at least
/// four letters.
fn partial_name(key: &str) -> Option<&str> {
    let tokens: Vec<&str> = key.split(' ').collect();
    if tokens.len() < 2 {
        return None;
    }
    let last = *tokens.last()?;
    let before = tokens[tokens.len() - 2];
    if tokens
        .iter()
        .any(|t| matches!(*t, "بن" | "ابن" | "bin" | "ibn" | "bint" | "بنت"))
    {
        return None;
    }
    if matches!(
        before,
        "عبد"
            | "ابو"
            | "ابي"
            | "ام"
            | "abu"
            | "abdul"
            | "abd"
            | "al"
            | "el"
            | "de"
            | "van"
            | "von"
            | "bin"
    ) || matches!(
        last,
        "الله" | "الدين" | "الرحمن" | "jr" | "sr" | "ii" | "iii"
    ) {
        return None;
    }
    (last.chars().count() >= 4).then_some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn nisba_inflections() {
        let f = nisba_forms("روسي");
        for form in [
            "الروسي",
            "الروسيه",
            "الروسيون",
            "الروسيين",
            "روسيات",
            "الروسيتين",
        ] {
            assert!(f.contains(&form.to_string()), "{form}");
        }
    }

    #[test]
    fn nisba_stems_keep_a_hamzated_alef_lam() {
        // ألماني is not ال + ماني: the definite form is الألماني.
        assert_eq!(nisba_stem("ألماني"), "الماني");
        assert!(nisba_forms(&nisba_stem("ألماني")).contains(&"الالماني".to_string()));
        assert_eq!(nisba_stem("السوري"), "سوري");
    }

    #[test]
    fn partial_names() {
        assert_eq!(partial_name("جون كيري"), Some("كيري"));
        assert_eq!(partial_name("محمد بن سلمان"), None);
        assert_eq!(partial_name("عبد الله"), None);
        assert_eq!(partial_name("كيري"), None);
    }

    #[test]
    fn located_errors() {
        let (_, d) = load(&[file(
            "g.yaml",
            "- id: x\n  type: citty\n  name: X\n- id: y\n  type: person\n  name: Y\n  roles:\n    - {title: president, country: USA, from: 2010-01-01, to: 2009-01-01}\n",
        )]);
        let d: Vec<_> = d
            .into_iter()
            .filter(|x| x.severity == Severity::Error)
            .collect();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].line, d[0].column), (2, 9));
        assert!(d[0].message.contains("unknown entity type `citty`"));
        assert_eq!(d[1].line, 8);
        assert!(d[1].message.contains("after it ends"));
    }

    #[test]
    fn malformed_yaml_is_located() {
        let (_, d) = load(&[file(
            "bad.yaml",
            "- id: x\n  type: city\n  name: [unclosed\n",
        )]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].file, "bad.yaml");
        assert!(d[0].line >= 3, "{}", d[0]);
    }

    #[test]
    fn role_lookup_is_date_bounded() {
        let (g, d) = load(&[file(
            "p.yaml",
            "- id: john-kerry\n  type: person\n  name: John Kerry\n  names: {en: [John Kerry]}\n  roles:\n    - {title: foreign-minister, country: USA, from: 2013-02-01, to: 2017-01-20}\n",
        )]);
        assert!(d.is_empty(), "{d:?}");
        let on = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            g.holder("foreign-minister", "USA", on("2016-07-23")),
            Some(0)
        );
        assert_eq!(g.holder("foreign-minister", "USA", on("2018-01-01")), None);
    }
}
