//! The gazetteer automaton: every name, alias, nisba form, title and lam-fused remainder in one
//! Aho-Corasick automaton over normalised text.
//!
//! The automaton is searched with overlapping (standard) semantics, so no hit can hide another:
//! on real Arabic news most raw hits start or end inside a word, and a leftmost-longest search
//! that rejects such a hit would lose the valid shorter or later one behind it. Each raw hit is
//! then checked against the token boundaries, with Arabic proclitics allowed before it where the
//! surface permits them (ARABIC.md §2.2): the hit counts when it ends at a token end and starts at
//! a token start or right after a valid prefix (و ف ب ل ك and their combinations; لل before an
//! article-less remainder).

use crate::gazetteer::{Gazetteer, Surface};
use crate::normalize::is_word_char;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::fmt;

/// Which automaton searches the text. Both report the same hits in the same order (end
/// position, then longest first); they differ in speed and build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// `daachorse`'s charwise double-array automaton: one transition per character instead of
    /// per byte. On the news corpus with the full gazetteers it scans about 3× faster than
    /// `aho-corasick` (see `BENCHMARKS.md`). The default.
    Daachorse,
    /// `aho-corasick`'s automatic choice (a contiguous NFA at gazetteer sizes).
    AhoCorasick,
}

#[derive(Clone)]
enum Automaton {
    Daachorse(CharwiseDoubleArrayAhoCorasick<u32>),
    AhoCorasick(AhoCorasick),
}

/// The compiled automaton.
#[derive(Clone)]
pub struct Matcher {
    automaton: Automaton,
    /// Per pattern: [`STARTS_IN_WORD`], [`ENDS_IN_WORD`], [`ARTICLE`].
    flags: Vec<u8>,
}

/// The pattern's first character is a word character: the hit must start at a token start
/// (after proclitics).
const STARTS_IN_WORD: u8 = 1;
/// The pattern's last character is a word character: the hit must end at a token end.
const ENDS_IN_WORD: u8 = 2;
/// The pattern starts with the article ال.
const ARTICLE: u8 = 4;

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("backend", &self.backend())
            .field("patterns", &self.flags.len())
            .finish()
    }
}

/// A raw hit that passed the boundary and clitic checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Pattern index into [`Gazetteer::patterns`].
    pub pattern: u32,
    /// Index into the pattern's surfaces.
    pub surface: u32,
    /// Start of the token, proclitics included (normalised bytes).
    pub token_start: usize,
    /// Start of the name itself, after any proclitic.
    pub start: usize,
    /// End of the name.
    pub end: usize,
}

impl Hit {
    /// True when a proclitic precedes the name inside the token.
    pub fn has_prefix(&self) -> bool {
        self.token_start < self.start
    }
}

// ك (as, like) is left out: it is rare before names and makes words of them (كلاوس = ك + لاوس).
const PREFIXES: &[&str] = &["و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];
const ARTICLE_PREFIXES: &[&str] = &["و", "ف", "ب", "وب", "فب"];
const LAM_FUSED: &[&str] = &["لل", "ولل", "فلل"];
const LAM_SINGLE: &[&str] = &["ل", "ول", "فل"];

impl Matcher {
    /// Builds the automaton over the gazetteer's patterns with the default backend.
    pub fn new(g: &Gazetteer) -> Result<Self, aho_corasick::BuildError> {
        Self::with_backend(g, Backend::Daachorse)
    }

    /// Builds the automaton with the given backend. A gazetteer that `daachorse` cannot take
    /// (beyond its size limits) falls back to `aho-corasick`.
    pub fn with_backend(g: &Gazetteer, backend: Backend) -> Result<Self, aho_corasick::BuildError> {
        let keys = || g.patterns.iter().map(|(k, _)| k.as_str());
        let flags = keys()
            .map(|k| {
                let mut f = 0;
                if k.chars().next().is_some_and(is_word_char) {
                    f |= STARTS_IN_WORD;
                }
                if k.chars().next_back().is_some_and(is_word_char) {
                    f |= ENDS_IN_WORD;
                }
                if k.starts_with("ال") {
                    f |= ARTICLE;
                }
                f
            })
            .collect();
        let automaton = match backend {
            Backend::Daachorse if keys().all(|k| !k.is_empty()) => {
                match CharwiseDoubleArrayAhoCorasick::new(keys()) {
                    Ok(a) => Some(Automaton::Daachorse(a)),
                    Err(_) => None,
                }
            }
            _ => None,
        };
        let automaton = match automaton {
            Some(a) => a,
            None => Automaton::AhoCorasick(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(keys())?,
            ),
        };
        Ok(Self { automaton, flags })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self.automaton {
            Automaton::Daachorse(_) => Backend::Daachorse,
            Automaton::AhoCorasick(_) => Backend::AhoCorasick,
        }
    }

    /// Calls `f(pattern, start, end)` for every raw hit, overlapping ones included, in order of
    /// end, then longest first.
    #[inline]
    fn each_raw(&self, norm: &str, mut f: impl FnMut(usize, usize, usize)) {
        match &self.automaton {
            Automaton::Daachorse(a) => {
                for m in a.find_overlapping_iter(norm) {
                    f(m.value() as usize, m.start(), m.end());
                }
            }
            Automaton::AhoCorasick(a) => {
                for m in a.find_overlapping_iter(norm) {
                    f(m.pattern().as_usize(), m.start(), m.end());
                }
            }
        }
    }

    /// The number of raw automaton hits in `norm`, overlapping ones included, without any check:
    /// the cost of the scan alone (the baseline of `majlis bench`).
    pub fn raw_count(&self, norm: &str) -> usize {
        let mut n = 0;
        self.each_raw(norm, |_, _, _| n += 1);
        n
    }

    /// Every hit in `norm` (the normalised text) that respects token boundaries and the surface's
    /// clitic rules. `original` and `origin_of` (normalised byte → original byte) serve the
    /// capitalisation checks of Latin names.
    pub fn hits(
        &self,
        g: &Gazetteer,
        norm: &str,
        original: &str,
        origin_of: impl Fn(usize, usize) -> (usize, usize),
    ) -> Vec<Hit> {
        let mut out = Vec::new();
        self.each_raw(norm, |p, s, e| {
            let flags = self.flags[p];
            // The hit must end at a token end.
            if flags & ENDS_IN_WORD != 0 && norm[e..].chars().next().is_some_and(is_word_char) {
                return;
            }
            let token_start = if flags & STARTS_IN_WORD != 0 {
                token_start(norm, s)
            } else {
                Some(s)
            };
            let Some(token_start) = token_start else {
                return;
            };
            let prefix = &norm[token_start..s];
            let surfaces = &g.patterns[p].1;
            for (si, surface) in surfaces.iter().enumerate() {
                if !prefix_allowed(surface, flags & ARTICLE != 0, prefix) {
                    continue;
                }
                if (surface.upper || surface.capitalised)
                    && !case_ok(surface, original, origin_of(s, e))
                {
                    continue;
                }
                out.push(Hit {
                    pattern: p as u32,
                    surface: si as u32,
                    token_start,
                    start: s,
                    end: e,
                });
            }
        });
        out
    }
}

/// The start of the token holding byte `s`, when at most three letters precede `s` in it (the
/// longest proclitic chain); `None` when the hit starts deeper inside a word.
fn token_start(norm: &str, s: usize) -> Option<usize> {
    let mut start = s;
    for (n, c) in norm[..s].chars().rev().enumerate() {
        if !is_word_char(c) {
            return Some(start);
        }
        if n == 3 {
            return None;
        }
        start -= c.len_utf8();
    }
    Some(start)
}

fn prefix_allowed(surface: &Surface, article: bool, prefix: &str) -> bool {
    if surface.lam_fused {
        let allowed = if surface.lam_single {
            LAM_SINGLE
        } else {
            LAM_FUSED
        };
        return allowed.contains(&prefix);
    }
    if prefix.is_empty() {
        return true;
    }
    if !surface.clitics {
        return false;
    }
    let allowed = if article { ARTICLE_PREFIXES } else { PREFIXES };
    allowed.contains(&prefix)
}

fn case_ok(surface: &Surface, original: &str, (s, e): (usize, usize)) -> bool {
    let text = original.get(s..e).unwrap_or("");
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    if surface.upper {
        letters.all(|c| c.is_uppercase())
    } else {
        letters.any(|c| c.is_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_starts() {
        let t = "قال ولافروف";
        let s = t.find("لافروف").unwrap();
        assert_eq!(token_start(t, s), Some(t.find("ولافروف").unwrap()));
        let t = "xxxxxabc";
        assert_eq!(token_start(t, 5), None);
    }
}
