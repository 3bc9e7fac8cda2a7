//! The gazetteer automaton: every name, alias, nisba form, title and lam-fused remainder in one
//! Aho-Corasick automaton over normalised text.
//!
//! A name counts when it ends at a token end and starts at a token start or right after a valid
//! proclitic (ARABIC.md §2.2: و ف ب ل and their combinations; لل before an article-less
//! remainder), where the surface permits one. The default backend ([`Backend::Trie`]) looks names
//! up only where they can start: at each token start, and after each proclitic the token begins
//! with, it walks a character-wise double-array trie and reports every name that is a prefix of
//! the text there. The Aho-Corasick backends scan the whole text with overlapping semantics (so
//! no hit hides another) and reject the hits that start or end inside a word; all backends report
//! the same hits.

use crate::gazetteer::{Gazetteer, Surface};
use crate::normalize::{is_word_char, Normalized};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::fmt;
use std::sync::LazyLock;

/// Which automaton searches the text. All report the same hits in the same order (end
/// position, then longest first); they differ in speed and build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// `crawdad`'s character-wise double-array trie, searched only at token starts and after
    /// proclitics (common-prefix search). Most of a text is never looked at twice, and the
    /// search never reports the many hits inside words that a full scan must reject: on the
    /// news corpus it finds the hits several times faster than a full scan (see
    /// `BENCHMARKS.md`). The default.
    Trie,
    /// `daachorse`'s charwise double-array Aho-Corasick automaton over the whole text: one
    /// transition per character instead of per byte; about 3× faster than `aho-corasick`.
    Daachorse,
    /// `aho-corasick`'s automatic choice (a contiguous NFA at gazetteer sizes).
    AhoCorasick,
}

#[derive(Clone)]
enum Automaton {
    Trie(std::sync::Arc<TrieIndex>),
    Daachorse(CharwiseDoubleArrayAhoCorasick<u32>),
    AhoCorasick(AhoCorasick),
}

/// The trie backend: the names, and two filters, so that a token that begins no name costs a
/// hash and a bit instead of a walk: the first word of each name (its characters up to the first
/// one that is not part of a word), and the name up to the end of its second word (the first
/// word alone for a name of one word). Most tokens fail the first; of the rest, most are a
/// common word that begins a few names of several words (في, علي), and fail the second.
struct TrieIndex {
    trie: crawdad::Trie,
    first_words: StartFilter,
    two_words: StartFilter,
    /// The byte length of each pattern: the trie counts characters.
    lens: Box<[u32]>,
}

/// A set of name beginnings (first words, first two words) as one bit per hash (a Bloom filter
/// with one hash function): a string in the set always finds its bit; one not in it finds a set
/// bit now and then (one in eighty for the first words) and is then walked in the trie for
/// nothing. 2^21 bits (256 KB) stay in the cache where a hash set of the strings does not; the
/// walks for nothing that a filter half the size lets through cost more than its misses save.
struct StartFilter {
    bits: Box<[u64]>,
}

impl StartFilter {
    const BITS: u32 = 21;

    fn new<'a>(words: impl Iterator<Item = &'a str>) -> Self {
        let mut bits = vec![0u64; 1 << (Self::BITS - 6)].into_boxed_slice();
        for w in words {
            let h = Self::hash(w.as_bytes(), 0, w.len());
            bits[h >> 6] |= 1 << (h & 63);
        }
        Self { bits }
    }

    /// The hash of `text[s..e]`, from its first and last eight bytes (all of it up to sixteen
    /// bytes, eight Arabic letters) and its length; the same whatever surrounds it. Both are
    /// read without a loop or a branch on the length, which words of four or five letters
    /// would make unpredictable.
    #[inline]
    fn hash(text: &[u8], s: usize, e: usize) -> usize {
        let m = u128::from(first_bytes(text, s, e) ^ 0x243f_6a88_85a3_08d3)
            * u128::from(last_bytes(text, s, e) ^ 0x1319_8a2e_0370_7344 ^ (e - s) as u64);
        let h = ((m as u64) ^ ((m >> 64) as u64)).wrapping_mul(0xf135_7aea_2e62_a9c5);
        (h >> (64 - Self::BITS)) as usize
    }

    #[inline]
    fn may_contain(&self, text: &[u8], s: usize, e: usize) -> bool {
        let h = Self::hash(text, s, e);
        self.bits[h >> 6] >> (h & 63) & 1 == 1
    }
}

/// The first eight bytes of `text[s..e]` (all of it when shorter, zeros after its end) as a
/// little-endian word: one unaligned load and a mask where the text has eight bytes from `s`.
#[inline]
fn first_bytes(text: &[u8], s: usize, e: usize) -> u64 {
    let n = (e - s).min(8);
    let word = match text.get(s..s + 8) {
        Some(b) => le_word(b),
        None => {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&text[s..s + n]);
            u64::from_le_bytes(w)
        }
    };
    word & u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0)
}

/// The last eight bytes of `text[s..e]` (all of it when shorter, zeros before its start) as a
/// little-endian word: the word's last byte is the word's high byte.
#[inline]
fn last_bytes(text: &[u8], s: usize, e: usize) -> u64 {
    let n = (e - s).min(8);
    let word = match e.checked_sub(8).and_then(|b| text.get(b..e)) {
        Some(b) => le_word(b),
        None => {
            let mut w = [0u8; 8];
            w[8 - n..].copy_from_slice(&text[e - n..e]);
            u64::from_le_bytes(w)
        }
    };
    word & u64::MAX.checked_shl(64 - 8 * n as u32).unwrap_or(0)
}

/// Eight bytes as a little-endian word.
#[inline(always)]
fn le_word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// The first word of a name: its characters up to the first one that is not part of a word.
/// A hit of the name at `s` ends at a token end when the name ends in a word character
/// ([`ENDS_IN_WORD`]), so the text's run of word characters from `s` is exactly this word.
fn first_word(key: &str) -> &str {
    &key[..word_end(key, 0)]
}

/// A name up to the end of its second word (what stands between the words included), or its
/// first word when no word follows: where a name of several words matches, the text from the
/// name's start to the end of the second word run is exactly this, as for [`first_word`].
fn two_words(key: &str) -> &str {
    let first = word_end(key, 0);
    let second = first + key[first..].find(is_word_char).unwrap_or(key.len() - first);
    if second == key.len() {
        &key[..first]
    } else {
        &key[..word_end(key, second)]
    }
}

/// The end of the run of word characters at `from`.
fn word_end(s: &str, from: usize) -> usize {
    from + s[from..]
        .find(|c: char| !is_word_char(c))
        .unwrap_or(s.len() - from)
}

/// The compiled automaton.
#[derive(Clone)]
pub struct Matcher {
    automaton: Automaton,
    /// Per pattern: [`STARTS_IN_WORD`], [`ENDS_IN_WORD`].
    flags: Vec<u8>,
}

/// The pattern's first character is a word character: the hit must start at a token start
/// (after proclitics).
const STARTS_IN_WORD: u8 = 1;
/// The pattern's last character is a word character: the hit must end at a token end.
const ENDS_IN_WORD: u8 = 2;

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
/// The proclitic chains allowed before a name without the article.
pub(crate) const PREFIXES: &[&str] = &["و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"];
const ARTICLE_PREFIXES: &[&str] = &["و", "ف", "ب", "وب", "فب"];
const LAM_FUSED: &[&str] = &["لل", "ولل", "فلل"];
const LAM_SINGLE: &[&str] = &["ل", "ول", "فل"];

/// Every proclitic any surface allows (the union of the lists above): where the trie backend
/// starts looking inside a token.
static ANY_PREFIX: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all: Vec<&str> = [PREFIXES, ARTICLE_PREFIXES, LAM_FUSED, LAM_SINGLE].concat();
    all.sort_unstable();
    all.dedup();
    all
});

/// A proclitic as the trie's lookups test it: its bytes in the low bytes of a little-endian
/// word, and the mask of those bytes.
struct Proclitic {
    bytes: u64,
    mask: u64,
    len: usize,
}

impl Proclitic {
    /// Whether `word`, whose first eight bytes ([`first_bytes`]) are `head`, begins with this
    /// proclitic (every proclitic is shorter).
    #[inline]
    fn begins(&self, head: u64, word: &[u8]) -> bool {
        head & self.mask == self.bytes && self.len <= word.len()
    }
}

/// The first letters (two bytes each) of [`ANY_PREFIX`].
static PROCLITIC_INITIALS: LazyLock<Vec<[u8; 2]>> = LazyLock::new(|| {
    let mut v: Vec<[u8; 2]> = ANY_PREFIX
        .iter()
        .filter_map(|p| Some([*p.as_bytes().first()?, *p.as_bytes().get(1)?]))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
});

/// [`ANY_PREFIX`], each as a [`Proclitic`] (every one is at most eight bytes: a test checks it).
static PROCLITICS: LazyLock<Vec<Proclitic>> = LazyLock::new(|| {
    ANY_PREFIX
        .iter()
        .map(|p| {
            let mut bytes = [0u8; 8];
            bytes[..p.len()].copy_from_slice(p.as_bytes());
            Proclitic {
                bytes: u64::from_le_bytes(bytes),
                mask: u64::MAX >> (64 - 8 * p.len()),
                len: p.len(),
            }
        })
        .collect()
});

impl Matcher {
    /// Builds the automaton over the gazetteer's patterns with the default backend.
    pub fn new(g: &Gazetteer) -> Result<Self, aho_corasick::BuildError> {
        Self::with_backend(g, Backend::Trie)
    }

    /// Builds the automaton with the given backend. A gazetteer that `crawdad` or `daachorse`
    /// cannot take (beyond their size limits) falls back to `aho-corasick`.
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
                f
            })
            .collect();
        let automaton = match backend {
            Backend::Trie if keys().all(|k| !k.is_empty()) => {
                let mut records: Vec<(&str, u32)> =
                    keys().enumerate().map(|(i, k)| (k, i as u32)).collect();
                records.sort_unstable();
                let first_words = StartFilter::new(keys().map(first_word));
                let two_words = StartFilter::new(keys().map(two_words));
                let lens = keys().map(|k| k.len() as u32).collect();
                crawdad::Trie::from_records(records).ok().map(|trie| {
                    Automaton::Trie(std::sync::Arc::new(TrieIndex {
                        trie,
                        first_words,
                        two_words,
                        lens,
                    }))
                })
            }
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
            Automaton::Trie(_) => Backend::Trie,
            Automaton::Daachorse(_) => Backend::Daachorse,
            Automaton::AhoCorasick(_) => Backend::AhoCorasick,
        }
    }

    /// Calls `f(pattern, start, end)` for every raw hit, overlapping ones included, in order of
    /// end, then longest first. Only the scanning backends have raw hits: the trie backend
    /// reports nothing here.
    #[inline]
    fn each_raw(&self, norm: &str, mut f: impl FnMut(usize, usize, usize)) {
        match &self.automaton {
            Automaton::Trie(_) => {}
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

    /// Calls `f(pattern, token_start, start, end)` for every name that may start where it
    /// starts: at a token start or at most three letters into the token (proclitics). Names
    /// that start deeper inside a word are never reported; the end is not checked here.
    #[inline]
    fn each_candidate(&self, n: &Normalized, mut f: impl FnMut(usize, usize, usize, usize)) {
        let norm = n.as_str();
        let Automaton::Trie(trie) = &self.automaton else {
            self.each_raw(norm, |p, s, e| {
                let token_start = if self.flags[p] & STARTS_IN_WORD != 0 {
                    token_start(norm, s)
                } else {
                    Some(s)
                };
                if let Some(t) = token_start {
                    f(p, t, s, e);
                }
            });
            return;
        };
        let TrieIndex {
            trie,
            first_words,
            two_words: pairs,
            lens,
        } = &**trie;
        let (starts, ends) = (n.token_starts(), n.word_ends());
        let bytes = norm.as_bytes();
        // `k`: the token `s` is in; `word_end`: the end of its run of word characters from `s`.
        // No name begins with the word at `s`: nothing to walk. Asked before the call below,
        // which most words never make. (Hashed as bytes: the offsets are character boundaries
        // already, and a `str` slice would check them again.)
        let begins_a_name = |s: usize, word_end: usize| first_words.may_contain(bytes, s, word_end);
        let mut lookup = |k: usize, token_start: usize, s: usize, word_end: usize| {
            // Nor with this word and the next, unless the word is a name itself. The next word
            // is that of the next token that begins with one: every word starts a token.
            if !pairs.may_contain(bytes, s, word_end) {
                let next = (k + 1..starts.len()).find(|&j| ends[j] > starts[j]);
                let Some(j) = next else {
                    return;
                };
                if !pairs.may_contain(bytes, s, ends[j] as usize) {
                    return;
                }
            }
            for (p, _) in trie.common_prefix_search(norm[s..].chars()) {
                f(p as usize, token_start, s, s + lens[p as usize] as usize);
            }
        };
        // A name starts after a character that is not part of a word: at a token start, or at
        // punctuation (names written with a leading apostrophe); or after a proclitic.
        let prefixes: &[Proclitic] = &PROCLITICS;
        let initials: &[[u8; 2]] = &PROCLITIC_INITIALS;
        for (k, (&at, &word_end)) in starts.iter().zip(ends).enumerate() {
            let (at, word_end) = (at as usize, word_end as usize);
            if begins_a_name(at, word_end) {
                lookup(k, at, at, word_end);
            }
            let rest = &bytes[at..word_end];
            // Only a token that begins with a proclitic's first letter is tried behind one.
            if rest.len() >= 2 && initials.contains(&[rest[0], rest[1]]) {
                let head = first_bytes(bytes, at, word_end);
                for p in prefixes {
                    if p.begins(head, rest) && begins_a_name(at + p.len, word_end) {
                        lookup(k, at, at + p.len, word_end);
                    }
                }
            }
        }
    }

    /// The number of raw automaton hits in `norm`, overlapping ones included, without any check:
    /// the cost of the scan alone (the baseline of `majlis bench`). Zero for the trie backend,
    /// which does not scan.
    pub fn raw_count(&self, norm: &str) -> usize {
        let mut n = 0;
        self.each_raw(norm, |_, _, _| n += 1);
        n
    }

    /// The number of names found where names may start (token starts and after proclitics),
    /// before the end-of-token, clitic and case checks: the cost of the lookup alone.
    pub fn candidate_count(&self, normalized: &Normalized) -> usize {
        let mut n = 0;
        self.each_candidate(normalized, |_, _, _, _| n += 1);
        n
    }

    /// Every hit in `normalized` that respects token boundaries and the surface's clitic rules.
    /// `original` (the text `normalized` was made from) serves the capitalisation checks of
    /// Latin names.
    pub fn hits(&self, g: &Gazetteer, normalized: &Normalized, original: &str) -> Vec<Hit> {
        let norm = normalized.as_str();
        let mut out = Vec::new();
        self.each_candidate(normalized, |p, token_start, s, e| {
            let flags = self.flags[p];
            // The hit must end at a token end.
            if flags & ENDS_IN_WORD != 0 && norm[e..].chars().next().is_some_and(is_word_char) {
                return;
            }
            // A name that does not begin with a letter starts where it starts.
            let token_start = if flags & STARTS_IN_WORD != 0 {
                token_start
            } else {
                s
            };
            let prefix = &norm[token_start..s];
            // A common word that reads as a proclitic and a name (بليون, billion; وبليون).
            if !prefix.is_empty()
                && prefix
                    .char_indices()
                    .any(|(i, _)| g.words.contains(&norm[token_start + i..e]))
            {
                return;
            }
            let surfaces = &g.patterns[p].1;
            for (si, surface) in surfaces.iter().enumerate() {
                if !prefix_allowed(surface, prefix) {
                    continue;
                }
                if surface.ta_marbuta
                    && !ends_in_ta_marbuta(original, normalized.original_span(original, s, e))
                {
                    continue;
                }
                if (surface.upper || surface.capitalised)
                    && !case_ok(surface, original, normalized.original_span(original, s, e))
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
        if self.backend() == Backend::Trie {
            // Found by start; the scanning backends report by end, then longest first. The sort
            // is stable, so the surfaces of one pattern keep their order.
            sort_stably_by_key(&mut out, |h| (h.end, h.start));
        }
        out
    }
}

/// A stable sort by `key` that first asks whether the items are in order already, as the hits
/// and mentions of a document often are: a stable sort allocates its buffer before it finds
/// that out.
pub(crate) fn sort_stably_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    if !items.is_sorted_by_key(&key) {
        items.sort_by_key(key);
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

/// The original text of a hit ends its last letter with ة (diacritics after it aside).
fn ends_in_ta_marbuta(original: &str, (s, e): (usize, usize)) -> bool {
    original
        .get(s..e)
        .unwrap_or("")
        .chars()
        .rev()
        .find(|c| {
            c.is_alphabetic()
                && !('\u{064B}'..='\u{065F}').contains(c)
                && *c != '\u{0670}'
                && *c != '\u{0640}'
        })
        .is_some_and(|c| c == 'ة')
}

fn prefix_allowed(surface: &Surface, prefix: &str) -> bool {
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
    let allowed = if surface.article {
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
    fn first_words_keep_every_word_and_few_others() {
        let words: Vec<String> = (0..25_000).map(|i| format!("name{i}")).collect();
        let f = StartFilter::new(words.iter().map(String::as_str));
        assert!(words
            .iter()
            .all(|w| f.may_contain(w.as_bytes(), 0, w.len())));
        let others = (0..10_000)
            .filter(|i| {
                let w = format!("word{i}");
                f.may_contain(w.as_bytes(), 0, w.len())
            })
            .count();
        assert!(others < 500, "{others} of 10000 pass");
        assert_eq!(first_word("جون كيري"), "جون");
        assert_eq!(first_word("u.s."), "u");
        assert_eq!(first_word("'ابو"), "");
        for (name, two) in [
            ("جون كيري", "جون كيري"),
            ("علي عبد الله صالح", "علي عبد"),
            ("u.s.", "u.s"),
            ("yahoo!", "yahoo"),
            ("كيري", "كيري"),
            ("'ابو ظبي", "'ابو"),
        ] {
            assert_eq!(two_words(name), two, "{name}");
        }
    }

    #[test]
    fn proclitics_as_words_test_what_starts_with_does() {
        assert_eq!(ANY_PREFIX.len(), 11);
        assert_eq!(PROCLITICS.len(), ANY_PREFIX.len());
        // و ف ب ل: every proclitic is Arabic letters, two bytes each.
        assert_eq!(PROCLITIC_INITIALS.len(), 4);
        assert!(ANY_PREFIX.iter().all(|p| p.len() % 2 == 0 && p.len() >= 2));
        for word in [
            "وللرياض",
            "فبالقاهرة",
            "لل",
            "و",
            "ب",
            "بيروت",
            "ولبنان",
            "abc",
        ] {
            // Alone, and inside a longer text, as the lookups read it.
            let inside = format!("في {word} قال");
            for (t, s) in [(word.to_string(), 0), (inside, "في ".len())] {
                let head = first_bytes(t.as_bytes(), s, s + word.len());
                for (p, text) in PROCLITICS.iter().zip(ANY_PREFIX.iter()) {
                    assert!(text.len() <= 8, "{text}");
                    let fits = p.begins(head, word.as_bytes());
                    assert_eq!(fits, word.starts_with(text), "{word} {text}");
                }
            }
        }
    }

    /// A word's hash is the same alone (as the filters are built) and inside any text (as
    /// they are asked), whatever its length and wherever it stands.
    #[test]
    fn a_word_hashes_the_same_alone_and_in_a_text() {
        let words = [
            "",
            "a",
            "في",
            "قال",
            "كيري",
            "لافروف",
            "الخارجية",
            "والمتحدة",
            "الاستراتيجيات",
            "جون كيري",
            "علي عبد الله صالح",
            "u.s.",
        ];
        for w in words {
            let alone = StartFilter::hash(w.as_bytes(), 0, w.len());
            for (before, after) in [
                ("", ""),
                ("x", ""),
                ("", "y"),
                ("في ", " قال"),
                ("ووو", "ههههههههه"),
            ] {
                let t = format!("{before}{w}{after}");
                let s = before.len();
                assert_eq!(
                    StartFilter::hash(t.as_bytes(), s, s + w.len()),
                    alone,
                    "{t}"
                );
                assert_eq!(
                    first_bytes(t.as_bytes(), s, s + w.len()),
                    first_bytes(w.as_bytes(), 0, w.len())
                );
            }
        }
        // Words that differ only in a byte the hash reads differ (a test of reading, not of
        // collisions: these few do not collide).
        let h = |w: &str| StartFilter::hash(w.as_bytes(), 0, w.len());
        assert_ne!(h("كيري"), h("كيرى"));
        assert_ne!(h("الخارجية"), h("الخارجيه"));
        assert_ne!(h("اب"), h("اب "));
    }

    #[test]
    fn token_starts() {
        let t = "قال ولافروف";
        let s = t.find("لافروف").unwrap();
        assert_eq!(token_start(t, s), Some(t.find("ولافروف").unwrap()));
        let t = "xxxxxabc";
        assert_eq!(token_start(t, 5), None);
    }
}
