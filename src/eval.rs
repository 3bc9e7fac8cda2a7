//! Scoring against gold files: entity mentions in CoNLL, events in JSON Lines.
//!
//! The formats and the scoring rules are described in `docs/eval.md` ("Gold formats").
//! Parsing and scoring are pure functions over gold data and predictions, so they can be tested
//! without the command line; [`ner`] and [`events`] run an [`Engine`] over the gold texts and
//! score what it finds.
//!
//! ```
//! use majlis::eval;
//!
//! let chunks = eval::parse_conll("Kerry B-PER\nmet O\nLavrov B-PER\n", "gold.conll", 200)?;
//! assert_eq!(chunks[0].text, "Kerry met Lavrov");
//! let predicted = vec![vec![eval::TokenSpan { start: 0, end: 1, kind: eval::NerType::Person }]];
//! let report = eval::score_ner(&chunks, &predicted, 10);
//! let all = report.scores.last().unwrap();
//! assert_eq!((all.gold, all.predicted, all.correct), (2, 1, 1));
//! # Ok::<(), eval::EvalError>(())
//! ```

use crate::batch::parse_date;
use crate::engine::{Document, Engine};
use crate::error::Error;
use crate::record::{EventRecord, Participant, Record};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Largest number of CoNLL tokens put into one extracted text.
pub const DEFAULT_CHUNK_TOKENS: usize = 200;

/// Where gold lines given by reference find their articles, relative to the repository root.
pub const DEFAULT_CORPUS: &str = "../shared/data/news/ar-news-2015.jsonl";

/// How many false-positive surfaces per type a NER report keeps.
const TOP_SURFACES: usize = 1000;

/// What can go wrong while reading gold files or running the engine over them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A line of a gold file (or of the corpus it refers to) is malformed.
    #[error("{file}:{line}: {message}")]
    Gold {
        /// The file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The engine failed on a gold text.
    #[error(transparent)]
    Engine(#[from] Error),
}

fn gold_err(file: &str, line: usize, message: impl Into<String>) -> EvalError {
    EvalError::Gold {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Scores and tables

/// Precision, recall and F1 of one row of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Row label: a type or kind, or `all` (micro-average).
    pub label: String,
    /// Gold items.
    pub gold: usize,
    /// Predicted items.
    pub predicted: usize,
    /// Predicted items that are gold.
    pub correct: usize,
    /// correct / predicted (0 when nothing was predicted).
    pub precision: f64,
    /// correct / gold (0 when there is no gold).
    pub recall: f64,
    /// Harmonic mean of precision and recall: 2·correct / (gold + predicted).
    pub f1: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Score {
    /// A row from its counts.
    pub fn new(label: impl Into<String>, gold: usize, predicted: usize, correct: usize) -> Self {
        Self {
            label: label.into(),
            gold,
            predicted,
            correct,
            precision: ratio(correct, predicted),
            recall: ratio(correct, gold),
            f1: ratio(2 * correct, gold + predicted),
        }
    }
}

/// Renders rows as a fixed-width table with a header line.
pub fn table(rows: &[Score]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<13} {:>5} {:>5} {:>8} {:>10} {:>7} {:>6}",
        "type", "gold", "pred", "correct", "precision", "recall", "f1"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<13} {:>5} {:>5} {:>8} {:>10.3} {:>7.3} {:>6.3}",
            r.label, r.gold, r.predicted, r.correct, r.precision, r.recall, r.f1
        );
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Entities (CoNLL)

/// The entity types scored against CoNLL gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NerType {
    /// PERS / PER; gazetteer type person.
    Person,
    /// LOC; gazetteer types country and city.
    Location,
    /// ORG; gazetteer type organisation.
    Organisation,
}

impl NerType {
    /// Every type, in table order.
    pub const ALL: [NerType; 3] = [Self::Person, Self::Location, Self::Organisation];

    /// The name used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Location => "location",
            Self::Organisation => "organisation",
        }
    }

    /// The scored type of a gazetteer entity type (`None`: not scored).
    pub fn of_entity(kind: &str) -> Option<Self> {
        match kind {
            "person" => Some(Self::Person),
            "country" | "city" => Some(Self::Location),
            "organisation" => Some(Self::Organisation),
            _ => None,
        }
    }

    fn of_tag(t: &str) -> Option<Self> {
        match t {
            "PERS" | "PER" => Some(Self::Person),
            "LOC" => Some(Self::Location),
            "ORG" => Some(Self::Organisation),
            _ => None,
        }
    }
}

/// An entity as a range of tokens of a chunk (`end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenSpan {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Its type.
    pub kind: NerType,
}

/// A piece of a CoNLL file, extracted as one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NerChunk {
    /// Line of the file where the chunk starts (1-based).
    pub line: usize,
    /// The tokens joined with single spaces.
    pub text: String,
    /// Byte range of every token in `text`.
    pub tokens: Vec<[usize; 2]>,
    /// Gold entities.
    pub gold: Vec<TokenSpan>,
}

impl NerChunk {
    /// The tokens a byte range touches, as `(first, one past last)`.
    pub fn token_range(&self, span: [usize; 2]) -> Option<(usize, usize)> {
        let start = self.tokens.partition_point(|t| t[1] <= span[0]);
        let end = self.tokens.partition_point(|t| t[0] < span[1]);
        (start < end).then_some((start, end))
    }

    /// The text of a token range.
    pub fn surface(&self, s: &TokenSpan) -> &str {
        match (
            self.tokens.get(s.start),
            self.tokens.get(s.end.wrapping_sub(1)),
        ) {
            (Some(a), Some(b)) if s.start < s.end => self.text.get(a[0]..b[1]).unwrap_or(""),
            _ => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagType {
    Scored(NerType),
    /// MISC and other types that are not scored.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    O,
    B(TagType),
    I(TagType),
}

fn parse_tag(tag: &str) -> Option<Tag> {
    if tag == "O" {
        return Some(Tag::O);
    }
    let (prefix, ty) = tag.split_once('-')?;
    if ty.is_empty() {
        return None;
    }
    let ty = NerType::of_tag(ty).map_or(TagType::Ignored, TagType::Scored);
    match prefix {
        "B" => Some(Tag::B(ty)),
        "I" => Some(Tag::I(ty)),
        _ => None,
    }
}

struct Tok<'a> {
    text: &'a str,
    tag: Tag,
    line: usize,
}

const SENTENCE_END: [&str; 4] = [".", "؟", "?", "!"];

/// Reads a CoNLL file (`token TAG` a line, IOB tags) into chunks of at most `max_tokens` tokens.
///
/// Sentences end at blank lines and at the tokens `.` `؟` `?` `!` tagged `O`; whole sentences
/// are packed into chunks, and a longer sentence is cut (never inside an entity). An `I-` tag
/// that does not continue an entity of its type starts one. `file` names the file in errors.
pub fn parse_conll(src: &str, file: &str, max_tokens: usize) -> Result<Vec<NerChunk>, EvalError> {
    let max_tokens = max_tokens.max(1);
    let mut sentences: Vec<Vec<Tok<'_>>> = Vec::new();
    let mut current: Vec<Tok<'_>> = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let mut fields = line.split_whitespace();
        // A token that is itself white space (a stray no-break space in the corpus) leaves
        // only its tag: there is no text to score, so the line is passed over.
        if raw.starts_with(char::is_whitespace)
            && line.split_whitespace().count() == 1
            && parse_tag(line).is_some()
        {
            continue;
        }
        let (Some(token), Some(tag)) = (fields.next(), fields.next_back()) else {
            return Err(gold_err(
                file,
                i + 1,
                format!("expected `token TAG`, found `{line}`"),
            ));
        };
        let Some(parsed) = parse_tag(tag) else {
            return Err(gold_err(
                file,
                i + 1,
                format!("unknown tag `{tag}` (expected O, B-TYPE or I-TYPE)"),
            ));
        };
        current.push(Tok {
            text: token,
            tag: parsed,
            line: i + 1,
        });
        if parsed == Tag::O && SENTENCE_END.contains(&token) {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }

    let mut pieces: Vec<&[Tok<'_>]> = Vec::new();
    for s in &sentences {
        let mut start = 0;
        while s.len() - start > max_tokens {
            let mut cut = start + max_tokens;
            while cut < s.len() && matches!(s[cut].tag, Tag::I(_)) {
                cut += 1;
            }
            pieces.push(&s[start..cut]);
            start = cut;
        }
        if start < s.len() {
            pieces.push(&s[start..]);
        }
    }

    let mut chunks = Vec::new();
    let mut acc: Vec<&Tok<'_>> = Vec::new();
    for p in pieces {
        if !acc.is_empty() && acc.len() + p.len() > max_tokens {
            chunks.push(build_chunk(&acc));
            acc.clear();
        }
        acc.extend(p.iter());
    }
    if !acc.is_empty() {
        chunks.push(build_chunk(&acc));
    }
    Ok(chunks)
}

fn build_chunk(toks: &[&Tok<'_>]) -> NerChunk {
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(toks.len());
    for t in toks {
        if !text.is_empty() {
            text.push(' ');
        }
        tokens.push([text.len(), text.len() + t.text.len()]);
        text.push_str(t.text);
    }
    let mut gold = Vec::new();
    let mut open: Option<(usize, TagType)> = None;
    let close = |open: Option<(usize, TagType)>, end: usize, gold: &mut Vec<TokenSpan>| {
        if let Some((start, TagType::Scored(kind))) = open {
            gold.push(TokenSpan { start, end, kind });
        }
    };
    for (i, t) in toks.iter().enumerate() {
        match t.tag {
            Tag::O => close(open.take(), i, &mut gold),
            Tag::B(ty) => {
                close(open.take(), i, &mut gold);
                open = Some((i, ty));
            }
            Tag::I(ty) => {
                if open.map(|o| o.1) != Some(ty) {
                    close(open.take(), i, &mut gold);
                    open = Some((i, ty));
                }
            }
        }
    }
    close(open, toks.len(), &mut gold);
    NerChunk {
        line: toks.first().map_or(0, |t| t.line),
        text,
        tokens,
        gold,
    }
}

/// Mention kinds that do not count as names: nisba adjectives and role titles.
const NOT_NAMES: [&str; 4] = ["adjective", "role", "counterpart", "description"];

/// The entities a record predicts for a chunk, as whole-token spans.
///
/// Keeps mentions of persons, countries and cities (as locations) and organisations, except
/// adjective, role, counterpart and description mentions; widens each to the tokens it touches (CoNLL tokens keep their
/// proclitics: والعراق is one token); drops spans inside another predicted span (a country
/// named inside an organisation's name), since CoNLL gold does not nest.
pub fn predicted_spans(chunk: &NerChunk, record: &Record) -> Vec<TokenSpan> {
    let mut set = BTreeSet::new();
    for e in &record.entities {
        let Some(kind) = NerType::of_entity(&e.kind) else {
            continue;
        };
        for m in &e.mentions {
            if NOT_NAMES.contains(&m.via.as_str()) {
                continue;
            }
            if let Some((start, end)) = chunk.token_range(m.span) {
                set.insert(TokenSpan { start, end, kind });
            }
        }
    }
    let spans: Vec<TokenSpan> = set.into_iter().collect();
    spans
        .iter()
        .filter(|s| {
            !spans.iter().any(|o| {
                o.start <= s.start && s.end <= o.end && (o.start, o.end) != (s.start, s.end)
            })
        })
        .copied()
        .collect()
}

/// A surface form and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surface {
    /// The text.
    pub text: String,
    /// Occurrences.
    pub count: usize,
}

/// Entity-level scores against a CoNLL file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerReport {
    /// Chunks extracted.
    pub chunks: usize,
    /// Tokens read.
    pub tokens: usize,
    /// One row per type, then `all` (micro-average).
    pub scores: Vec<Score>,
    /// Predicted spans that match a gold span exactly but with another type.
    pub wrong_type: usize,
    /// The most frequent false-positive surfaces per type.
    pub false_positives: BTreeMap<String, Vec<Surface>>,
}

/// Scores predicted spans (one list per chunk) against the chunks' gold spans, keeping the
/// `top` most frequent false-positive surfaces per type.
pub fn score_ner(chunks: &[NerChunk], predicted: &[Vec<TokenSpan>], top: usize) -> NerReport {
    let mut gold_n: HashMap<NerType, usize> = HashMap::new();
    let mut pred_n: HashMap<NerType, usize> = HashMap::new();
    let mut correct_n: HashMap<NerType, usize> = HashMap::new();
    let mut fps: HashMap<NerType, HashMap<&str, usize>> = HashMap::new();
    let mut wrong_type = 0;
    let empty = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let pred = predicted.get(i).unwrap_or(&empty);
        let gold: HashSet<&TokenSpan> = chunk.gold.iter().collect();
        let gold_ranges: HashSet<(usize, usize)> =
            chunk.gold.iter().map(|g| (g.start, g.end)).collect();
        for g in &gold {
            *gold_n.entry(g.kind).or_default() += 1;
        }
        let pred: HashSet<&TokenSpan> = pred.iter().collect();
        for p in pred {
            *pred_n.entry(p.kind).or_default() += 1;
            if gold.contains(p) {
                *correct_n.entry(p.kind).or_default() += 1;
            } else {
                if gold_ranges.contains(&(p.start, p.end)) {
                    wrong_type += 1;
                }
                *fps.entry(p.kind)
                    .or_default()
                    .entry(chunk.surface(p))
                    .or_default() += 1;
            }
        }
    }
    let mut scores: Vec<Score> = NerType::ALL
        .iter()
        .map(|t| {
            Score::new(
                t.as_str(),
                gold_n.get(t).copied().unwrap_or(0),
                pred_n.get(t).copied().unwrap_or(0),
                correct_n.get(t).copied().unwrap_or(0),
            )
        })
        .collect();
    let sum = |f: fn(&Score) -> usize| scores.iter().map(f).sum::<usize>();
    let all = Score::new(
        "all",
        sum(|s| s.gold),
        sum(|s| s.predicted),
        sum(|s| s.correct),
    );
    scores.push(all);
    let false_positives = NerType::ALL
        .iter()
        .map(|t| {
            let mut v: Vec<Surface> = fps
                .get(t)
                .into_iter()
                .flatten()
                .map(|(s, n)| Surface {
                    text: s.to_string(),
                    count: *n,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
            v.truncate(top);
            (t.as_str().to_string(), v)
        })
        .collect();
    NerReport {
        chunks: chunks.len(),
        tokens: chunks.iter().map(|c| c.tokens.len()).sum(),
        scores,
        wrong_type,
        false_positives,
    }
}

/// Runs the engine over every chunk (without a date) and scores what it finds.
pub fn ner(engine: &Engine, chunks: &[NerChunk]) -> Result<NerReport, EvalError> {
    let predicted = chunks
        .par_iter()
        .map(|c| {
            let id = format!("line-{}", c.line);
            let record = engine.extract(&Document::new(&id, &c.text))?;
            Ok(predicted_spans(c, &record))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(score_ner(chunks, &predicted, TOP_SURFACES))
}

impl NerReport {
    /// The report as a table; with `verbose`, the most frequent false positives too.
    pub fn render(&self, verbose: bool) -> String {
        let mut s = format!(
            "entities: {} tokens in {} chunks; exact token spans\n",
            self.tokens, self.chunks
        );
        s.push_str(&table(&self.scores));
        let _ = writeln!(
            s,
            "{} predicted span(s) match a gold span with another type",
            self.wrong_type
        );
        if verbose {
            for (t, v) in &self.false_positives {
                if v.is_empty() {
                    continue;
                }
                let list: Vec<String> = v
                    .iter()
                    .map(|x| format!("{} ({})", x.text, x.count))
                    .collect();
                let _ = writeln!(s, "false positives, {t}: {}", list.join(", "));
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Events (JSON Lines)

/// A participant of a gold event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldParticipant {
    /// English name, or null when the sentence gives only a title or a group.
    #[serde(default)]
    pub name: Option<String>,
    /// The title or group when there is no name.
    #[serde(default)]
    pub role: Option<String>,
    /// ISO alpha-3 code or organisation code.
    #[serde(default)]
    pub country: Option<String>,
}

/// The location of a gold event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPlace {
    /// English name.
    #[serde(default)]
    pub name: Option<String>,
    /// ISO alpha-3 code.
    #[serde(default)]
    pub country: Option<String>,
}

/// An event of a gold sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEvent {
    /// meeting or agreement.
    pub kind: String,
    /// talks, visit, reception, call, summit, reached, signed.
    #[serde(default)]
    pub subtype: Option<String>,
    /// occurred, planned or negated.
    pub modality: String,
    /// Who takes part.
    pub participants: Vec<GoldParticipant>,
    /// Where, when the sentence says.
    #[serde(default)]
    pub location: Option<GoldPlace>,
}

#[derive(Deserialize)]
struct RawGoldLine {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    offset: Option<usize>,
    #[serde(default)]
    length: Option<usize>,
    #[serde(default)]
    date: Option<String>,
    events: Vec<GoldEvent>,
}

/// Where the sentence of a gold line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoldSource {
    /// Given inline.
    Text(String),
    /// `text[offset..offset + length]` in Unicode code points of the corpus article `doc`.
    Corpus {
        /// Article id.
        doc: String,
        /// First code point.
        offset: usize,
        /// Length in code points.
        length: usize,
    },
}

/// One line of an event gold file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldLine {
    /// 1-based line number.
    pub line: usize,
    /// The sentence.
    pub source: GoldSource,
    /// The date the sentence is read with.
    pub date: Option<NaiveDate>,
    /// The events; empty for a sentence without one.
    pub events: Vec<GoldEvent>,
}

/// Reads an event gold file (JSON Lines; blank lines are skipped). `file` names it in errors.
pub fn parse_gold_events(src: &str, file: &str) -> Result<Vec<GoldLine>, EvalError> {
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let raw: RawGoldLine =
            serde_json::from_str(line).map_err(|e| gold_err(file, i + 1, e.to_string()))?;
        let source = match (raw.text, raw.doc, raw.offset, raw.length) {
            (Some(t), None, _, _) => GoldSource::Text(t),
            (None, Some(doc), Some(offset), Some(length)) => GoldSource::Corpus {
                doc,
                offset,
                length,
            },
            _ => {
                return Err(gold_err(
                    file,
                    i + 1,
                    "give the sentence either as `text` or as `doc`, `offset` and `length`",
                ))
            }
        };
        let date = match raw.date {
            None => None,
            Some(d) => Some(parse_date(&d).ok_or_else(|| {
                gold_err(
                    file,
                    i + 1,
                    format!("`date` `{d}` is not a date (YYYY-MM-DD)"),
                )
            })?),
        };
        for (k, e) in raw.events.iter().enumerate() {
            if e.participants.len() < 2 {
                return Err(gold_err(
                    file,
                    i + 1,
                    format!("event {} has fewer than two participants", k + 1),
                ));
            }
        }
        out.push(GoldLine {
            line: i + 1,
            source,
            date,
            events: raw.events,
        });
    }
    Ok(out)
}

/// A gold sentence with its text in hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// `doc@offset` for corpus references, `line N` for inline text.
    pub label: String,
    /// The sentence.
    pub text: String,
    /// The date it is read with.
    pub date: Option<NaiveDate>,
    /// The gold events.
    pub events: Vec<GoldEvent>,
    /// For corpus references: the article id and the sentence's byte range in it. The engine
    /// then reads the whole article, as it would in a batch, and the events told in this
    /// sentence are scored (names and titles resolve with the article's context).
    pub article: Option<(String, usize, usize)>,
}

/// The gold sentences that could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentences {
    /// Sentences to score.
    pub sentences: Vec<GoldSentence>,
    /// Lines left out because the corpus they refer to is missing.
    pub skipped: usize,
    /// Why lines were left out.
    pub notice: Option<String>,
    /// The articles that corpus references point into.
    pub articles: HashMap<String, String>,
}

#[derive(Deserialize)]
struct CorpusDoc {
    id: String,
    text: String,
}

/// Gets the text of every gold line, reading only the needed articles of `corpus` (JSON Lines,
/// `{"id", "text", ...}` a line). When the corpus file does not exist, lines that refer to it
/// are skipped and counted, with a notice; an article or slice that is not there is an error.
pub fn resolve_sentences(
    lines: Vec<GoldLine>,
    file: &str,
    corpus: &Path,
) -> Result<GoldSentences, EvalError> {
    let needed: HashSet<&str> = lines
        .iter()
        .filter_map(|l| match &l.source {
            GoldSource::Corpus { doc, .. } => Some(doc.as_str()),
            GoldSource::Text(_) => None,
        })
        .collect();
    let mut docs: HashMap<String, String> = HashMap::new();
    let mut notice = None;
    let corpus_name = corpus.display().to_string();
    if !needed.is_empty() {
        if corpus.is_file() {
            let f = std::fs::File::open(corpus).map_err(|source| EvalError::Io {
                path: corpus.to_path_buf(),
                source,
            })?;
            for (i, line) in std::io::BufReader::with_capacity(1 << 16, f)
                .lines()
                .enumerate()
            {
                let line = line.map_err(|source| EvalError::Io {
                    path: corpus.to_path_buf(),
                    source,
                })?;
                if line.trim().is_empty() {
                    continue;
                }
                let d: CorpusDoc = serde_json::from_str(&line)
                    .map_err(|e| gold_err(&corpus_name, i + 1, e.to_string()))?;
                if needed.contains(d.id.as_str()) {
                    docs.insert(d.id, d.text);
                }
            }
        } else {
            let n = lines
                .iter()
                .filter(|l| matches!(l.source, GoldSource::Corpus { .. }))
                .count();
            notice = Some(format!(
                "corpus {corpus_name} not found: skipped {n} gold line(s) of {file} that refer to it (give its path with --corpus)"
            ));
        }
    }
    let mut sentences = Vec::new();
    let mut skipped = 0;
    for l in lines {
        let mut article_ref = None;
        let (label, text) = match l.source {
            GoldSource::Text(t) => (format!("line {}", l.line), t),
            GoldSource::Corpus {
                doc,
                offset,
                length,
            } => {
                if notice.is_some() {
                    skipped += 1;
                    continue;
                }
                let Some(article) = docs.get(&doc) else {
                    return Err(gold_err(
                        file,
                        l.line,
                        format!("article `{doc}` is not in {corpus_name}"),
                    ));
                };
                let text: String = article.chars().skip(offset).take(length).collect();
                if text.chars().count() != length {
                    return Err(gold_err(
                        file,
                        l.line,
                        format!(
                            "offset {offset} + length {length} runs past the end of article `{doc}` ({} code points)",
                            article.chars().count()
                        ),
                    ));
                }
                let byte = |n: usize| {
                    article
                        .char_indices()
                        .nth(n)
                        .map_or(article.len(), |(b, _)| b)
                };
                article_ref = Some((doc.clone(), byte(offset), byte(offset + length)));
                (format!("{doc}@{offset}"), text)
            }
        };
        sentences.push(GoldSentence {
            label,
            text,
            date: l.date,
            events: l.events,
            article: article_ref,
        });
    }
    Ok(GoldSentences {
        sentences,
        skipped,
        notice,
        articles: docs,
    })
}

/// A predicted event, as far as scoring looks at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredEvent {
    /// meeting or agreement.
    pub kind: String,
    /// The subtype.
    #[serde(default)]
    pub subtype: Option<String>,
    /// occurred, planned or negated.
    pub modality: String,
    /// Who takes part.
    pub participants: Vec<Participant>,
    /// Where.
    #[serde(default)]
    pub location: Option<Participant>,
}

impl From<&EventRecord> for PredEvent {
    fn from(e: &EventRecord) -> Self {
        Self {
            kind: e.kind.clone(),
            subtype: e.subtype.clone(),
            modality: e.modality.clone(),
            participants: e.participants.clone(),
            location: e.location.clone(),
        }
    }
}

/// How a scored tuple came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Gold and predicted.
    Correct,
    /// Gold only.
    Missed,
    /// Predicted only.
    FalseAlarm,
    /// Predicted, but the gold names only one side of the pair: not counted.
    Unscored,
}

/// A (kind, pair) tuple of one sentence and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tuple {
    /// Event kind.
    pub kind: String,
    /// The pair, as text (`EGY–FRA`, `Abdel Fattah el-Sisi – Emmanuel Macron`).
    pub pair: String,
    /// Outcome.
    pub outcome: Outcome,
}

/// A gold event and the predicted event matched to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// Index of the gold event.
    pub gold: usize,
    /// Index of the predicted event.
    pub predicted: usize,
    /// Same modality.
    pub modality: bool,
    /// Same location (name or id, case-insensitive), or both none.
    pub location: bool,
    /// Same subtype.
    pub subtype: bool,
}

/// The comparison of one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// (kind, unordered country pair) tuples.
    pub countries: Vec<Tuple>,
    /// (kind, unordered entity pair) tuples.
    pub entities: Vec<Tuple>,
    /// Matched events.
    pub matched: Vec<Matched>,
}

/// Unordered pairs of the distinct countries in `countries`. When all of at least two
/// participants share one country (a government and an insurgent movement), the pair is that
/// country twice, so the event still yields a tuple.
fn country_pairs<'a>(
    countries: impl Iterator<Item = Option<&'a str>>,
) -> BTreeSet<(String, String)> {
    let all: Vec<String> = countries.flatten().map(str::to_uppercase).collect();
    let distinct: Vec<&String> = all.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let mut out = BTreeSet::new();
    if distinct.len() == 1 && all.len() >= 2 {
        out.insert((distinct[0].clone(), distinct[0].clone()));
    }
    for (i, a) in distinct.iter().enumerate() {
        for b in &distinct[i + 1..] {
            out.insert(((*a).clone(), (*b).clone()));
        }
    }
    out
}

fn gold_country_pairs(e: &GoldEvent) -> BTreeSet<(String, String)> {
    country_pairs(e.participants.iter().map(|p| p.country.as_deref()))
}

fn distinct_participants(e: &PredEvent) -> Vec<&Participant> {
    let mut seen = HashSet::new();
    e.participants
        .iter()
        .filter(|p| seen.insert(p.id.as_str()))
        .collect()
}

fn pred_country_pairs(e: &PredEvent) -> BTreeSet<(String, String)> {
    country_pairs(
        distinct_participants(e)
            .into_iter()
            .map(|p| p.country.as_deref()),
    )
}

/// One side of a gold entity pair.
enum Side<'a> {
    /// A named participant: matches a predicted participant by name or id.
    Name(&'a str),
    /// An unnamed one: stands for any predicted participant of its country.
    Unnamed(Option<&'a str>),
}

fn side(p: &GoldParticipant) -> Side<'_> {
    match p.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Side::Name(n),
        _ => Side::Unnamed(p.country.as_deref()),
    }
}

/// A name folded for comparison: lower case, without accents (François = Francois).
fn fold(s: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    s.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn side_matches(s: &Side<'_>, p: &Participant) -> bool {
    match s {
        Side::Name(n) => {
            let n = fold(n);
            fold(&p.name) == n || fold(&p.id) == n
        }
        Side::Unnamed(c) => c.is_some_and(|c| {
            p.country
                .as_deref()
                .is_some_and(|pc| pc.eq_ignore_ascii_case(c))
        }),
    }
}

fn pair_matches(a: &Side<'_>, b: &Side<'_>, x: &Participant, y: &Participant) -> bool {
    (side_matches(a, x) && side_matches(b, y)) || (side_matches(a, y) && side_matches(b, x))
}

/// Whether a pair of participants forms a tuple: not when both act for the same country while
/// the event has others (two Russian officials meeting an American are not a Russian pair).
fn pair_counts(x: Option<&str>, y: Option<&str>, countries: usize) -> bool {
    match (x, y) {
        (Some(a), Some(b)) if countries > 1 => !a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

fn distinct_countries<'a>(countries: impl Iterator<Item = Option<&'a str>>) -> usize {
    countries
        .flatten()
        .map(str::to_uppercase)
        .collect::<HashSet<_>>()
        .len()
}

fn place_name(p: &Option<GoldPlace>) -> Option<&str> {
    p.as_ref()
        .and_then(|p| p.name.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

/// Compares the gold events of one sentence with the predicted ones.
pub fn compare(gold: &[GoldEvent], pred: &[PredEvent]) -> Comparison {
    let mut cmp = Comparison::default();

    // (kind, country pair), a set per sentence.
    let gold_c: BTreeSet<(String, String, String)> = gold
        .iter()
        .flat_map(|e| {
            gold_country_pairs(e)
                .into_iter()
                .map(|(a, b)| (e.kind.clone(), a, b))
        })
        .collect();
    let pred_c: BTreeSet<(String, String, String)> = pred
        .iter()
        .flat_map(|e| {
            pred_country_pairs(e)
                .into_iter()
                .map(|(a, b)| (e.kind.clone(), a, b))
        })
        .collect();
    for t in gold_c.union(&pred_c) {
        let outcome = match (gold_c.contains(t), pred_c.contains(t)) {
            (true, true) => Outcome::Correct,
            (true, false) => Outcome::Missed,
            _ => Outcome::FalseAlarm,
        };
        cmp.countries.push(Tuple {
            kind: t.0.clone(),
            pair: format!("{}–{}", t.1, t.2),
            outcome,
        });
    }

    // (kind, entity pair): named gold pairs are scored; pairs with an unnamed side only excuse
    // the predicted pairs they could stand for.
    struct GoldPair<'a> {
        kind: &'a str,
        a: Side<'a>,
        b: Side<'a>,
        text: String,
    }
    let mut named: Vec<GoldPair<'_>> = Vec::new();
    let mut wildcards: Vec<GoldPair<'_>> = Vec::new();
    let mut named_keys = HashSet::new();
    for e in gold {
        let n = distinct_countries(e.participants.iter().map(|p| p.country.as_deref()));
        for (i, x) in e.participants.iter().enumerate() {
            for y in &e.participants[i + 1..] {
                if !pair_counts(x.country.as_deref(), y.country.as_deref(), n) {
                    continue;
                }
                let (a, b) = (side(x), side(y));
                let text = format!(
                    "{} – {}",
                    x.name.as_deref().unwrap_or("?"),
                    y.name.as_deref().unwrap_or("?")
                );
                match (&a, &b) {
                    (Side::Name(n), Side::Name(m)) => {
                        let (n, m) = (fold(n), fold(m));
                        if n == m {
                            continue;
                        }
                        let key = if n < m {
                            (e.kind.as_str(), n, m)
                        } else {
                            (e.kind.as_str(), m, n)
                        };
                        if named_keys.insert(key) {
                            named.push(GoldPair {
                                kind: &e.kind,
                                a,
                                b,
                                text,
                            });
                        }
                    }
                    _ => wildcards.push(GoldPair {
                        kind: &e.kind,
                        a,
                        b,
                        text,
                    }),
                }
            }
        }
    }
    let mut found = vec![false; named.len()];
    let mut pred_keys = HashSet::new();
    for e in pred {
        let ps = distinct_participants(e);
        let n = distinct_countries(ps.iter().map(|p| p.country.as_deref()));
        for (i, x) in ps.iter().enumerate() {
            for y in &ps[i + 1..] {
                if !pair_counts(x.country.as_deref(), y.country.as_deref(), n) {
                    continue;
                }
                let key = if x.id < y.id {
                    (e.kind.as_str(), x.id.as_str(), y.id.as_str())
                } else {
                    (e.kind.as_str(), y.id.as_str(), x.id.as_str())
                };
                if !pred_keys.insert(key) {
                    continue;
                }
                let hit = named.iter().enumerate().position(|(k, g)| {
                    !found[k] && g.kind == e.kind && pair_matches(&g.a, &g.b, x, y)
                });
                let outcome = if let Some(k) = hit {
                    found[k] = true;
                    Outcome::Correct
                } else if wildcards
                    .iter()
                    .any(|g| g.kind == e.kind && pair_matches(&g.a, &g.b, x, y))
                {
                    Outcome::Unscored
                } else {
                    Outcome::FalseAlarm
                };
                cmp.entities.push(Tuple {
                    kind: e.kind.clone(),
                    pair: format!("{} – {}", x.name, y.name),
                    outcome,
                });
            }
        }
    }
    for (k, g) in named.iter().enumerate() {
        if !found[k] {
            cmp.entities.push(Tuple {
                kind: g.kind.to_string(),
                pair: g.text.clone(),
                outcome: Outcome::Missed,
            });
        }
    }

    // Events matched one to one: same kind and a shared country pair (most shared pairs first,
    // then the same subtype).
    let pred_pairs: Vec<BTreeSet<(String, String)>> = pred.iter().map(pred_country_pairs).collect();
    let mut used = vec![false; pred.len()];
    for (gi, g) in gold.iter().enumerate() {
        let gp = gold_country_pairs(g);
        let best = pred
            .iter()
            .enumerate()
            .filter(|(pi, p)| !used[*pi] && p.kind == g.kind)
            .map(|(pi, p)| {
                let overlap = pred_pairs[pi].intersection(&gp).count();
                (overlap, p.subtype == g.subtype, std::cmp::Reverse(pi))
            })
            .filter(|c| c.0 > 0)
            .max();
        let Some((_, _, std::cmp::Reverse(pi))) = best else {
            continue;
        };
        used[pi] = true;
        let p = &pred[pi];
        let location = match (place_name(&g.location), &p.location) {
            (None, None) => true,
            (Some(n), Some(l)) => fold(&l.name) == fold(n) || fold(&l.id) == fold(n),
            _ => false,
        };
        cmp.matched.push(Matched {
            gold: gi,
            predicted: pi,
            modality: p.modality == g.modality,
            location,
            subtype: p.subtype == g.subtype,
        });
    }
    cmp
}

/// What went wrong in one sentence (for `--verbose`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentenceDetail {
    /// `doc@offset` or `line N`.
    pub sentence: String,
    /// The sentence text.
    pub text: String,
    /// Gold events, one line each.
    pub expected: Vec<String>,
    /// Predicted events, one line each.
    pub actual: Vec<String>,
    /// Missed and false-alarm tuples.
    pub errors: Vec<String>,
}

/// Event scores against a gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    /// Sentences scored.
    pub sentences: usize,
    /// Gold lines skipped because their corpus is missing.
    pub skipped: usize,
    /// Gold events.
    pub gold_events: usize,
    /// Predicted events.
    pub predicted_events: usize,
    /// (kind, unordered country pair): one row per kind, then `all`.
    pub country_pairs: Vec<Score>,
    /// (kind, unordered entity pair) where the gold names both sides: one row per kind, then `all`.
    pub entity_pairs: Vec<Score>,
    /// Predicted entity pairs not scored, because the gold names only one side.
    pub entity_pairs_unscored: usize,
    /// Gold events matched to a predicted event.
    pub matched_events: usize,
    /// Matched events with the right modality.
    pub modality_correct: usize,
    /// Matched events with the right location (or both none).
    pub location_correct: usize,
    /// Matched events with the right subtype.
    pub subtype_correct: usize,
    /// modality_correct / matched_events.
    pub modality_accuracy: f64,
    /// location_correct / matched_events.
    pub location_accuracy: f64,
    /// subtype_correct / matched_events.
    pub subtype_accuracy: f64,
    /// Sentences with misses, false alarms or wrong attributes (only when asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<SentenceDetail>,
}

fn tuple_scores(tuples: &[&Tuple]) -> Vec<Score> {
    let mut per: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for t in tuples {
        let c = per.entry(t.kind.as_str()).or_default();
        match t.outcome {
            Outcome::Correct => {
                c.0 += 1;
                c.1 += 1;
                c.2 += 1;
            }
            Outcome::Missed => c.0 += 1,
            Outcome::FalseAlarm => c.1 += 1,
            Outcome::Unscored => {}
        }
    }
    let mut rows: Vec<Score> = per
        .iter()
        .map(|(k, (g, p, c))| Score::new(*k, *g, *p, *c))
        .collect();
    let (g, p, c) = per
        .values()
        .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
    rows.push(Score::new("all", g, p, c));
    rows
}

fn describe_gold(e: &GoldEvent) -> String {
    let ps: Vec<String> = e
        .participants
        .iter()
        .map(|p| {
            let who = p.name.as_deref().or(p.role.as_deref()).unwrap_or("?");
            format!("{who} ({})", p.country.as_deref().unwrap_or("-"))
        })
        .collect();
    format!(
        "{}/{} {}: {} @ {}",
        e.kind,
        e.subtype.as_deref().unwrap_or("-"),
        e.modality,
        ps.join(", "),
        place_name(&e.location).unwrap_or("-")
    )
}

fn describe_pred(e: &PredEvent) -> String {
    let ps: Vec<String> = e
        .participants
        .iter()
        .map(|p| format!("{} ({})", p.name, p.country.as_deref().unwrap_or("-")))
        .collect();
    format!(
        "{}/{} {}: {} @ {}",
        e.kind,
        e.subtype.as_deref().unwrap_or("-"),
        e.modality,
        ps.join(", "),
        e.location.as_ref().map_or("-", |l| l.name.as_str())
    )
}

/// Scores predicted events (one list per sentence) against gold sentences. `skipped` is
/// carried into the report; with `details`, sentences with errors are listed.
pub fn score_events(
    sentences: &[GoldSentence],
    predicted: &[Vec<PredEvent>],
    skipped: usize,
    details: bool,
) -> EventReport {
    let empty = Vec::new();
    let mut countries = Vec::new();
    let mut entities = Vec::new();
    let (mut matched, mut modality, mut location, mut subtype) = (0, 0, 0, 0);
    let mut list = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let pred = predicted.get(i).unwrap_or(&empty);
        let cmp = compare(&s.events, pred);
        matched += cmp.matched.len();
        modality += cmp.matched.iter().filter(|m| m.modality).count();
        location += cmp.matched.iter().filter(|m| m.location).count();
        subtype += cmp.matched.iter().filter(|m| m.subtype).count();
        if details {
            let mut errors: Vec<String> = Vec::new();
            for (what, ts) in [
                ("country pair", &cmp.countries),
                ("entity pair", &cmp.entities),
            ] {
                for t in ts.iter() {
                    let label = match t.outcome {
                        Outcome::Missed => "missed",
                        Outcome::FalseAlarm => "false alarm",
                        _ => continue,
                    };
                    errors.push(format!("{label} {what}: {} {}", t.kind, t.pair));
                }
            }
            for m in &cmp.matched {
                let (g, p) = (&s.events[m.gold], &pred[m.predicted]);
                if !m.modality {
                    errors.push(format!(
                        "modality: expected {}, found {}",
                        g.modality, p.modality
                    ));
                }
                if !m.location {
                    errors.push(format!(
                        "location: expected {}, found {}",
                        place_name(&g.location).unwrap_or("none"),
                        p.location.as_ref().map_or("none", |l| l.name.as_str())
                    ));
                }
            }
            if !errors.is_empty() {
                list.push(SentenceDetail {
                    sentence: s.label.clone(),
                    text: s.text.clone(),
                    expected: s.events.iter().map(describe_gold).collect(),
                    actual: pred.iter().map(describe_pred).collect(),
                    errors,
                });
            }
        }
        countries.extend(cmp.countries);
        entities.extend(cmp.entities);
    }
    let country_refs: Vec<&Tuple> = countries.iter().collect();
    let entity_refs: Vec<&Tuple> = entities.iter().collect();
    EventReport {
        sentences: sentences.len(),
        skipped,
        gold_events: sentences.iter().map(|s| s.events.len()).sum(),
        predicted_events: predicted.iter().map(Vec::len).sum(),
        country_pairs: tuple_scores(&country_refs),
        entity_pairs: tuple_scores(&entity_refs),
        entity_pairs_unscored: entities
            .iter()
            .filter(|t| t.outcome == Outcome::Unscored)
            .count(),
        matched_events: matched,
        modality_correct: modality,
        location_correct: location,
        subtype_correct: subtype,
        modality_accuracy: ratio(modality, matched),
        location_accuracy: ratio(location, matched),
        subtype_accuracy: ratio(subtype, matched),
        details: list,
    }
}

/// Runs the engine on every gold sentence alone (with its date) and scores the events.
pub fn events(
    engine: &Engine,
    gold: &GoldSentences,
    details: bool,
) -> Result<EventReport, EvalError> {
    // Each article once, with the date of the gold lines that refer to it.
    let mut wanted: Vec<(&str, Option<NaiveDate>)> = gold
        .sentences
        .iter()
        .filter_map(|s| s.article.as_ref().map(|a| (a.0.as_str(), s.date)))
        .collect();
    wanted.sort();
    wanted.dedup_by_key(|w| w.0);
    let records: HashMap<&str, Record> = wanted
        .par_iter()
        .filter_map(|&(id, date)| {
            let text = gold.articles.get(id)?;
            let mut doc = Document::new(id, text);
            doc.date = date;
            Some(engine.extract(&doc).map(|r| (id, r)))
        })
        .collect::<Result<HashMap<&str, Record>, Error>>()?;
    let predicted = gold
        .sentences
        .par_iter()
        .map(|s| {
            if let Some((id, start, end)) = &s.article {
                if let Some(r) = records.get(id.as_str()) {
                    // Events told (also) in this sentence.
                    return Ok(r
                        .events
                        .iter()
                        .filter(|e| {
                            e.evidence
                                .iter()
                                .any(|x| x.sentence[0] < *end && *start < x.sentence[1])
                        })
                        .map(PredEvent::from)
                        .collect());
                }
            }
            let mut doc = Document::new(&s.label, &s.text);
            doc.date = s.date;
            let r = engine.extract(&doc)?;
            Ok(r.events.iter().map(PredEvent::from).collect())
        })
        .collect::<Result<Vec<Vec<PredEvent>>, Error>>()?;
    Ok(score_events(
        &gold.sentences,
        &predicted,
        gold.skipped,
        details,
    ))
}

impl EventReport {
    /// The report as tables; the sentence details follow when the report has them.
    pub fn render(&self) -> String {
        let mut s = format!(
            "events: {} sentences ({} skipped), {} gold events, {} predicted\n\n",
            self.sentences, self.skipped, self.gold_events, self.predicted_events
        );
        s.push_str("(kind, unordered country pair)\n");
        s.push_str(&table(&self.country_pairs));
        let _ = writeln!(
            s,
            "\n(kind, unordered entity pair), where the gold names both; {} predicted pair(s) not scored\n{}",
            self.entity_pairs_unscored,
            table(&self.entity_pairs)
        );
        let _ = writeln!(
            s,
            "matched events: {} of {} gold",
            self.matched_events, self.gold_events
        );
        for (what, n, acc) in [
            ("modality", self.modality_correct, self.modality_accuracy),
            ("location", self.location_correct, self.location_accuracy),
            ("subtype", self.subtype_correct, self.subtype_accuracy),
        ] {
            let _ = writeln!(
                s,
                "{what:<9} accuracy {acc:.3} ({n}/{})",
                self.matched_events
            );
        }
        for d in &self.details {
            let _ = writeln!(s, "\n{}: {}", d.sentence, d.text);
            for e in &d.expected {
                let _ = writeln!(s, "  expected: {e}");
            }
            if d.expected.is_empty() {
                let _ = writeln!(s, "  expected: (no event)");
            }
            for e in &d.actual {
                let _ = writeln!(s, "  actual:   {e}");
            }
            if d.actual.is_empty() {
                let _ = writeln!(s, "  actual:   (no event)");
            }
            for e in &d.errors {
                let _ = writeln!(s, "  - {e}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EntityRecord, MentionRecord};

    const NER_FIXTURE: &str = include_str!("../tests/fixtures/eval-ner.conll");
    const EVENTS_GOLD: &str = include_str!("../tests/fixtures/eval-events.gold.jsonl");
    const EVENTS_PRED: &str = include_str!("../tests/fixtures/eval-events.pred.jsonl");
    const REF_GOLD: &str = include_str!("../tests/fixtures/eval-events-ref.gold.jsonl");

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn row<'a>(rows: &'a [Score], label: &str) -> &'a Score {
        rows.iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    }

    fn check(r: &Score, gold: usize, pred: usize, correct: usize, p: f64, rc: f64, f: f64) {
        assert_eq!(
            (r.gold, r.predicted, r.correct),
            (gold, pred, correct),
            "{}",
            r.label
        );
        assert!(
            close(r.precision, p),
            "{} precision {}",
            r.label,
            r.precision
        );
        assert!(close(r.recall, rc), "{} recall {}", r.label, r.recall);
        assert!(close(r.f1, f), "{} f1 {}", r.label, r.f1);
    }

    /// An entity with one mention per `(via, surface)`; the span is the first occurrence of
    /// the surface in `text`.
    fn entity(text: &str, kind: &str, mentions: &[(&str, &str)]) -> EntityRecord {
        EntityRecord {
            id: format!("{kind}-{}", mentions[0].1),
            kind: kind.into(),
            name: mentions[0].1.into(),
            country: None,
            wikidata: None,
            mentions: mentions
                .iter()
                .map(|(via, surface)| {
                    let start = text.find(surface).expect("surface in fixture");
                    let end = start + surface.len();
                    MentionRecord {
                        text: surface.to_string(),
                        span: [start, end],
                        char_span: [text[..start].chars().count(), text[..end].chars().count()],
                        via: via.to_string(),
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn conll_gold_spans_and_text() {
        let chunks = parse_conll(NER_FIXTURE, "eval-ner.conll", 200).expect("fixture parses");
        assert_eq!(chunks.len(), 1);
        let c = &chunks[0];
        assert_eq!(c.tokens.len(), 40);
        assert!(c.text.starts_with("التقى الرئيس المصري عبد"));
        let gold: Vec<(&str, NerType)> = c.gold.iter().map(|g| (c.surface(g), g.kind)).collect();
        use NerType::*;
        assert_eq!(
            gold,
            vec![
                ("عبد الفتاح السيسي", Person),
                ("القاهرة", Location),
                ("فرنسا", Location),
                ("وزارة الخارجية", Organisation),
                ("والعراق", Location),
                ("للأمم المتحدة", Organisation),
                ("وبنك قطر الوطني", Organisation),
                ("بغداد", Location),
                ("Kerry", Person),
                ("Lavrov", Person),
                // I-LOC after O starts an entity; B-MISC/I-MISC are not scored.
                ("Geneva", Location),
                ("Reuters", Organisation),
            ]
        );
    }

    #[test]
    fn conll_chunks_end_at_sentences_and_never_inside_an_entity() {
        // Sentences: 12 tokens (ends at "."), 15 (ends at "؟"), 13 (ends at ".", after a blank
        // line). The second is cut after 14 tokens; its last token "؟" and the third sentence
        // fill the next chunk.
        let chunks = parse_conll(NER_FIXTURE, "f", 14).expect("fixture parses");
        let sizes: Vec<usize> = chunks.iter().map(|c| c.tokens.len()).collect();
        assert_eq!(sizes, vec![12, 14, 14]);
        let lines: Vec<usize> = chunks.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![1, 13, 27]);
        // A cut that would fall inside وبنك قطر الوطني moves past it: 12 tokens + 10 of the
        // second sentence would end at قطر (I-ORG), so the piece takes الوطني too.
        let chunks = parse_conll(NER_FIXTURE, "f", 10).expect("fixture parses");
        assert_eq!(chunks[2].tokens.len(), 12);
        assert_eq!(chunks.iter().map(|c| c.gold.len()).sum::<usize>(), 12);
    }

    #[test]
    fn conll_errors_name_the_line() {
        let e = parse_conll("a O\nb\n", "x.conll", 200).expect_err("no tag");
        assert_eq!(e.to_string(), "x.conll:2: expected `token TAG`, found `b`");
        let e = parse_conll("a O\nb X-LOC\n", "x.conll", 200).expect_err("bad tag");
        assert!(e.to_string().starts_with("x.conll:2: unknown tag `X-LOC`"));
    }

    /// Hand count for the NER fixture (one chunk; predictions below).
    ///
    /// gold: person 3 (عبد الفتاح السيسي, Kerry, Lavrov); location 5 (القاهرة, فرنسا, والعراق,
    /// بغداد, Geneva); organisation 4 (وزارة الخارجية, للأمم المتحدة, وبنك قطر الوطني, Reuters).
    ///
    /// predicted, after dropping المصري (adjective), وزير خارجية فرنسا (role) and قطر (inside
    /// بنك قطر الوطني), and widening العراق, لأمم المتحدة, بنك قطر الوطني to whole tokens:
    /// person: عبد الفتاح السيسي ✓, بغداد ✗ (gold says location), Kerry ✓ → 3 predicted, 2 correct
    ///   P = 2/3, R = 2/3, F1 = 2/3
    /// location: القاهرة ✓, فرنسا ✓, والعراق ✓, Geneva ✓ → 4 predicted, 4 correct
    ///   P = 1, R = 4/5, F1 = 8/9
    /// organisation: للأمم المتحدة ✓, وبنك قطر الوطني ✓, Reuters ✓, Olympic Games ✗ (MISC)
    ///   → 4 predicted, 3 correct; P = 3/4, R = 3/4, F1 = 3/4
    /// all: gold 12, predicted 11, correct 9; P = 9/11, R = 9/12, F1 = 18/23
    #[test]
    fn ner_scores_match_the_hand_count() {
        let chunks = parse_conll(NER_FIXTURE, "f", 200).expect("fixture parses");
        let text = chunks[0].text.as_str();
        let record = Record {
            id: "fixture".into(),
            date: None,
            entities: vec![
                entity(text, "person", &[("name", "عبد الفتاح السيسي")]),
                entity(text, "country", &[("adjective", "المصري")]),
                entity(text, "city", &[("name", "القاهرة")]),
                entity(text, "person", &[("role", "وزير خارجية فرنسا")]),
                entity(text, "country", &[("name", "فرنسا")]),
                entity(text, "country", &[("clitic", "العراق")]),
                entity(text, "organisation", &[("clitic", "لأمم المتحدة")]),
                entity(text, "organisation", &[("clitic", "بنك قطر الوطني")]),
                entity(text, "country", &[("name", "قطر")]),
                entity(text, "person", &[("name", "بغداد")]),
                // The same span twice counts once.
                entity(text, "person", &[("name", "Kerry"), ("partial", "Kerry")]),
                entity(text, "city", &[("name", "Geneva")]),
                entity(text, "organisation", &[("name", "Reuters")]),
                entity(text, "organisation", &[("alias", "Olympic Games")]),
            ],
            events: vec![],
        };
        let predicted = vec![predicted_spans(&chunks[0], &record)];
        let report = score_ner(&chunks, &predicted, TOP_SURFACES);
        check(
            row(&report.scores, "person"),
            3,
            3,
            2,
            2.0 / 3.0,
            2.0 / 3.0,
            2.0 / 3.0,
        );
        check(
            row(&report.scores, "location"),
            5,
            4,
            4,
            1.0,
            0.8,
            8.0 / 9.0,
        );
        check(
            row(&report.scores, "organisation"),
            4,
            4,
            3,
            0.75,
            0.75,
            0.75,
        );
        check(
            row(&report.scores, "all"),
            12,
            11,
            9,
            9.0 / 11.0,
            0.75,
            18.0 / 23.0,
        );
        assert_eq!(report.wrong_type, 1);
        assert_eq!(
            report.false_positives["person"],
            vec![Surface {
                text: "بغداد".into(),
                count: 1
            }]
        );
        assert_eq!(
            report.false_positives["organisation"][0].text,
            "Olympic Games"
        );
        assert!(report.false_positives["location"].is_empty());
        let t = report.render(true);
        assert!(
            t.contains("type           gold  pred  correct  precision  recall     f1"),
            "{t}"
        );
        assert!(
            t.contains("all              12    11        9      0.818   0.750  0.783"),
            "{t}"
        );
    }

    fn sentences(src: &str) -> Vec<GoldSentence> {
        let lines = parse_gold_events(src, "gold.jsonl").expect("gold parses");
        resolve_sentences(lines, "gold.jsonl", Path::new("/nonexistent"))
            .expect("inline text")
            .sentences
    }

    fn predictions(src: &str) -> Vec<Vec<PredEvent>> {
        #[derive(Deserialize)]
        struct Line {
            events: Vec<PredEvent>,
        }
        src.lines()
            .map(|l| {
                serde_json::from_str::<Line>(l)
                    .expect("fixture parses")
                    .events
            })
            .collect()
    }

    /// Hand count for the events fixture.
    ///
    /// country pairs (a set per sentence):
    ///   1 gold {meeting EGY–FRA}; predicted the same → 1 correct
    ///   2 gold {meeting IRQ–QAT} (visit and talks give the same tuple); predicted the same → 1
    ///   3 gold {agreement EGY–FRA, meeting EGY–FRA}; predicted both → 2
    ///   4 gold {}; predicted {meeting EGY–TUN} → 1 false alarm
    ///   5 gold {meeting AFG–AFG} (government and Taliban); predicted {} → 1 missed
    ///   meeting: gold 4, predicted 4, correct 3 → P = R = F1 = 3/4
    ///   agreement: 1, 1, 1 → 1
    ///   all: 5, 5, 4 → P = R = F1 = 4/5
    /// entity pairs (gold with names on both sides):
    ///   1 Sisi–Macron ✓; 2 no named gold pair: Khalid al-Attiyah (QAT) – Iraq stands for the
    ///   unnamed Qatari foreign minister – Iraq, so it is not scored; 3 agreement Egypt–France ✓,
    ///   meeting Egypt–France ✓; 4 meeting Egypt–Tunisia false alarm; 5 Afghanistan–Taliban missed
    ///   meeting: gold 3, predicted 3, correct 2 → P = R = F1 = 2/3
    ///   agreement: 1, 1, 1 → 1
    ///   all: 4, 4, 3 → P = R = F1 = 3/4; 1 unscored
    /// matched events: 1 reception; 2 visit (the planned talks find no predicted event left);
    ///   3 signed and talks → 4 matched.
    ///   modality: 1 ✓, 2 planned/occurred ✗, 3a ✓, 3b planned/occurred ✗ → 2/4
    ///   location: Cairo ✓, Baghdad ✓, none/none ✓, none/Paris ✗ → 3/4
    ///   subtype: 4/4
    #[test]
    fn event_scores_match_the_hand_count() {
        let gold = sentences(EVENTS_GOLD);
        let pred = predictions(EVENTS_PRED);
        assert_eq!((gold.len(), pred.len()), (5, 5));
        let r = score_events(&gold, &pred, 0, true);
        assert_eq!((r.gold_events, r.predicted_events), (6, 5));
        check(row(&r.country_pairs, "meeting"), 4, 4, 3, 0.75, 0.75, 0.75);
        check(row(&r.country_pairs, "agreement"), 1, 1, 1, 1.0, 1.0, 1.0);
        check(row(&r.country_pairs, "all"), 5, 5, 4, 0.8, 0.8, 0.8);
        let third = 2.0 / 3.0;
        check(
            row(&r.entity_pairs, "meeting"),
            3,
            3,
            2,
            third,
            third,
            third,
        );
        check(row(&r.entity_pairs, "agreement"), 1, 1, 1, 1.0, 1.0, 1.0);
        check(row(&r.entity_pairs, "all"), 4, 4, 3, 0.75, 0.75, 0.75);
        assert_eq!(r.entity_pairs_unscored, 1);
        assert_eq!(r.matched_events, 4);
        assert_eq!(
            (r.modality_correct, r.location_correct, r.subtype_correct),
            (2, 3, 4)
        );
        assert!(close(r.modality_accuracy, 0.5) && close(r.location_accuracy, 0.75));
        let labels: Vec<&str> = r.details.iter().map(|d| d.sentence.as_str()).collect();
        assert_eq!(labels, vec!["line 2", "line 3", "line 4", "line 5"]);
        assert_eq!(
            r.details[2].errors,
            vec![
                "false alarm country pair: meeting EGY–TUN",
                "false alarm entity pair: meeting Egypt – Tunisia"
            ]
        );
        let t = r.render();
        assert!(
            t.contains("all               5     5        4      0.800   0.800  0.800"),
            "{t}"
        );
        assert!(t.contains("modality  accuracy 0.500 (2/4)"), "{t}");
    }

    #[test]
    fn same_country_pairs_count_only_when_the_event_has_one_country() {
        let gold: GoldEvent = serde_json::from_str(
            r#"{"kind": "meeting", "modality": "occurred", "participants": [
                {"name": "John Kerry", "country": "USA"}, {"name": "Vladimir Putin", "country": "RUS"},
                {"name": "Sergey Lavrov", "country": "RUS"}]}"#,
        )
        .expect("gold event");
        let pred: PredEvent = serde_json::from_str(
            r#"{"kind": "meeting", "modality": "occurred", "participants": [
                {"id": "vladimir-putin", "name": "Vladimir Putin", "type": "person", "country": "RUS"},
                {"id": "sergey-lavrov", "name": "Sergey Lavrov", "type": "person", "country": "RUS"}]}"#,
        )
        .expect("predicted event");
        let c = compare(&[gold], &[pred]);
        let show = |ts: &[Tuple]| -> Vec<(String, Outcome)> {
            ts.iter().map(|t| (t.pair.clone(), t.outcome)).collect()
        };
        assert_eq!(
            show(&c.countries),
            vec![
                ("RUS–RUS".to_string(), Outcome::FalseAlarm),
                ("RUS–USA".to_string(), Outcome::Missed)
            ]
        );
        assert_eq!(
            show(&c.entities),
            vec![
                (
                    "Vladimir Putin – Sergey Lavrov".to_string(),
                    Outcome::FalseAlarm
                ),
                ("John Kerry – Vladimir Putin".to_string(), Outcome::Missed),
                ("John Kerry – Sergey Lavrov".to_string(), Outcome::Missed)
            ]
        );
        assert!(c.matched.is_empty());
    }

    #[test]
    fn names_match_without_case_or_accents() {
        let p = |id: &str, name: &str| Participant {
            id: id.into(),
            name: name.into(),
            kind: "person".into(),
            country: Some("FRA".into()),
        };
        assert!(side_matches(
            &Side::Name("Francois Hollande"),
            &p("x", "François Hollande")
        ));
        assert!(side_matches(
            &Side::Name("francois-hollande"),
            &p("francois-hollande", "F. H.")
        ));
        assert!(!side_matches(
            &Side::Name("Hollande"),
            &p("x", "François Hollande")
        ));
        assert!(side_matches(&Side::Unnamed(Some("fra")), &p("x", "y")));
        assert!(!side_matches(&Side::Unnamed(None), &p("x", "y")));
    }

    #[test]
    fn corpus_references_are_sliced_in_code_points() {
        let lines = parse_gold_events(REF_GOLD, "ref.jsonl").expect("gold parses");
        let corpus = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eval-corpus.jsonl"
        ));
        let got = resolve_sentences(lines.clone(), "ref.jsonl", corpus).expect("corpus fixture");
        assert_eq!(got.skipped, 0);
        let texts: Vec<(&str, &str)> = got
            .sentences
            .iter()
            .map(|s| (s.label.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("fix-001@26", "وقالت المصادر إن الجانبين اتفقا."),
                ("line 2", "Kerry met Lavrov."),
                ("fix-002@0", "Kerry met Lavrov in Geneva."),
            ]
        );

        let missing = resolve_sentences(lines, "ref.jsonl", Path::new("/nonexistent/corpus.jsonl"))
            .expect("missing corpus is a notice");
        assert_eq!((missing.sentences.len(), missing.skipped), (1, 2));
        assert!(missing
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("skipped 2 gold line(s)")));
    }

    #[test]
    fn bad_gold_lines_name_the_line() {
        let e = parse_gold_events("{\"doc\": \"x\", \"events\": []}\n", "g.jsonl")
            .expect_err("no offset");
        assert!(
            e.to_string().starts_with("g.jsonl:1: give the sentence"),
            "{e}"
        );
        let bad = "\n{\"text\": \"a\", \"date\": \"July\", \"events\": []}";
        let e = parse_gold_events(bad, "g.jsonl").expect_err("bad date");
        assert!(e.to_string().starts_with("g.jsonl:2: `date`"), "{e}");
        let corpus = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eval-corpus.jsonl"
        ));
        let lines = parse_gold_events(
            "{\"doc\": \"fix-002\", \"offset\": 40, \"length\": 30, \"events\": []}",
            "g.jsonl",
        )
        .expect("parses");
        let e = resolve_sentences(lines, "g.jsonl", corpus).expect_err("past the end");
        assert!(
            e.to_string()
                .contains("runs past the end of article `fix-002`"),
            "{e}"
        );
    }
}
