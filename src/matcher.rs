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

/// The compiled automaton.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: AhoCorasick,
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

const PREFIXES: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"];
const ARTICLE_PREFIXES: &[&str] = &["و", "ف", "ب", "ك", "وب", "فب", "وك"];
const LAM_FUSED: &[&str] = &["لل", "ولل", "فلل"];
const LAM_SINGLE: &[&str] = &["ل", "ول", "فل"];

impl Matcher {
    /// Builds the automaton over the gazetteer's patterns.
    pub fn new(g: &Gazetteer) -> Result<Self, aho_corasick::BuildError> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(g.patterns.iter().map(|(k, _)| k.as_str()))?;
        Ok(Self { ac })
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
        for m in self.ac.find_overlapping_iter(norm) {
            let (s, e) = (m.start(), m.end());
            let key = &g.patterns[m.pattern().as_usize()].0;
            // The hit must end at a token end.
            let ends_in_word = key.chars().next_back().is_some_and(is_word_char);
            if ends_in_word && norm[e..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            let starts_in_word = key.chars().next().is_some_and(is_word_char);
            let token_start = if starts_in_word {
                token_start(norm, s)
            } else {
                Some(s)
            };
            let Some(token_start) = token_start else {
                continue;
            };
            let prefix = &norm[token_start..s];
            let surfaces = &g.patterns[m.pattern().as_usize()].1;
            for (si, surface) in surfaces.iter().enumerate() {
                if !prefix_allowed(surface, key, prefix) {
                    continue;
                }
                if (surface.upper || surface.capitalised) && !case_ok(surface, original, origin_of(s, e)) {
                    continue;
                }
                out.push(Hit {
                    pattern: m.pattern().as_u32(),
                    surface: si as u32,
                    token_start,
                    start: s,
                    end: e,
                });
            }
        }
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

fn prefix_allowed(surface: &Surface, key: &str, prefix: &str) -> bool {
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
    let allowed = if key.starts_with("ال") {
        ARTICLE_PREFIXES
    } else {
        PREFIXES
    };
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
