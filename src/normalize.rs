//! Normalisation with an offset map.
//!
//! One pass over the original text builds a normalised copy and a map from every normalised byte
//! to the byte offset in the original text of the character that produced it. Everything downstream
//! (matching, segmentation, rules) works on the normalised text; every span that leaves the
//! library is mapped back with [`Normalized::original_span`].
//!
//! The table follows `shared/design/ARABIC.md` §1.3: diacritics, tatweel and format marks are
//! deleted; alef forms, alef maksura, teh marbuta, Persian/Urdu letters and Arabic-Indic digits are
//! folded; presentation forms and other compatibility characters are unfolded (NFKD without marks);
//! Latin is lower-cased and stripped of accents; white space collapses to one space (a run that
//! holds a line break collapses to `\n`, so headlines stay apart); hyphens and dashes become spaces
//! so that `al-Qaeda` and `al Qaeda` are the same key; typographic quotes become ASCII ones.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A normalised text and the map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    /// The map back to the original, by stretches of `text` (see [`Mark`]): sorted by `norm`,
    /// the first at 0. Text is mostly copied character for character, so a map by byte would
    /// repeat "the next byte" nearly everywhere.
    marks: Vec<Mark>,
    /// Byte offsets in `text` of every character that is not white space and follows a
    /// character that is not part of a word (or starts the text): where a name can begin.
    token_starts: Vec<u32>,
    /// For every token start, where its run of word characters ends (the start itself when
    /// the token begins with punctuation).
    word_ends: Vec<u32>,
    /// Byte offsets in `text` of every `\n . ! ? ؟`: where a sentence may end.
    breaks: Vec<u32>,
    /// Byte length of the original text.
    original_len: u32,
}

impl Normalized {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Where a name can begin, in order: byte offsets in the normalised text of every character
    /// that is not white space and follows white space, punctuation or the start of the text.
    /// Collected in the same pass as the text.
    ///
    /// ```
    /// let n = majlis::normalize::normalize("قال (كيري) في جنيف");
    /// let starts: Vec<&str> = n
    ///     .token_starts()
    ///     .iter()
    ///     .map(|&s| n.as_str()[s as usize..].split(' ').next().unwrap())
    ///     .collect();
    /// assert_eq!(starts, ["قال", "(كيري)", "كيري)", "في", "جنيف"]);
    /// ```
    pub fn token_starts(&self) -> &[u32] {
        &self.token_starts
    }

    /// For each of [`token_starts`](Self::token_starts), the end of its first word: the byte
    /// offset of the first character from there on that is not part of a word (the token start
    /// itself when the token begins with punctuation). Collected in the same pass as the text.
    ///
    /// ```
    /// let n = majlis::normalize::normalize("قال (كيري) في");
    /// let words: Vec<&str> = n
    ///     .token_starts()
    ///     .iter()
    ///     .zip(n.word_ends())
    ///     .map(|(&s, &e)| &n.as_str()[s as usize..e as usize])
    ///     .collect();
    /// assert_eq!(words, ["قال", "", "كيري", "في"]);
    /// ```
    pub fn word_ends(&self) -> &[u32] {
        &self.word_ends
    }

    /// Byte offsets in the normalised text of every line break, `.`, `!`, `?` and `؟`, in
    /// order: where a sentence may end (see [`crate::segment::sentences_of`]). Collected in the
    /// same pass as the text.
    pub fn breaks(&self) -> &[u32] {
        &self.breaks
    }

    /// Maps a byte range of the normalised text to the byte range of the original text that
    /// produced it. The start is the first original character of the range; the end is the end of
    /// the last original character, extended over diacritics and tatweel that follow it inside
    /// the same word (they were deleted, but belong to the mention).
    ///
    /// `original` must be the text this was built from.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.text.len() {
            let at = self.original_offset(start.min(self.text.len()));
            return (at, at);
        }
        let o_start = self.origin(start);
        // The last normalised byte belongs to some original character; its end is that
        // character's end, extended over marks that normalisation deleted.
        let last = self.origin(end - 1);
        let mut o_end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        for c in original[o_end..].chars() {
            if is_trailing_deletable(c) {
                o_end += c.len_utf8();
            } else {
                break;
            }
        }
        (o_start, o_end)
    }

    /// The original byte offset of a normalised byte offset (`len` maps to the original's end).
    pub fn original_offset(&self, at: usize) -> usize {
        if at >= self.text.len() {
            self.original_len as usize
        } else {
            self.origin(at)
        }
    }

    /// The original offset of the character that produced the normalised byte `at` (which is
    /// inside the text).
    fn origin(&self, at: usize) -> usize {
        // The character `at` belongs to: stretches begin at character boundaries.
        let mut at = at;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let k = self.marks.partition_point(|m| m.norm as usize <= at);
        match self.marks.get(k.wrapping_sub(1)) {
            Some(m) if m.copied => m.orig as usize + (at - m.norm as usize),
            Some(m) => m.orig as usize,
            None => 0,
        }
    }
}

/// Where a stretch of the normalised text begins, and how it maps back. In a copied stretch
/// every character has as many bytes as the original one it came from, and they follow each
/// other in both texts: the byte `norm + k` came from the original byte `orig + k`. Otherwise
/// (one original character written as characters of another length: `ﻻ` → `لا`, `é` → `e`,
/// a run of white space → one space) every byte of the stretch came from the character at
/// `orig`.
#[derive(Debug, Clone, Copy)]
struct Mark {
    norm: u32,
    orig: u32,
    copied: bool,
}

/// Normalises `text` for matching and builds the offset map.
///
/// ```
/// let original = "وزيـــر الخارجيّة الأمريكى";
/// let n = majlis::normalize::normalize(original);
/// assert_eq!(n.as_str(), "وزير الخارجيه الامريكي");
/// let (s, e) = n.original_span(original, 0, "وزير".len());
/// assert_eq!(&original[s..e], "وزيـــر");
/// ```
pub fn normalize(text: &str) -> Normalized {
    let mut out = Out {
        text: String::with_capacity(text.len()),
        marks: Vec::new(),
        copied: false,
        next_orig: u32::MAX,
        token_starts: Vec::with_capacity(text.len() / 6),
        word_ends: Vec::with_capacity(text.len() / 6),
        breaks: Vec::new(),
        prev_word: false,
        pending_space: None,
    };

    let fast: &[char; 128] = &ARABIC_FAST;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: a character of U+0600..U+067F (two bytes, D8 or D9 lead) that becomes an
        // Arabic letter or nothing: most of an Arabic text. The table says which, once for all.
        if b & 0xFE == 0xD8 && i + 1 < bytes.len() {
            let mut c = fast_char(fast, b, bytes[i + 1]);
            if c > DELETE {
                out.flush_space();
                if !out.prev_word {
                    out.start_token();
                    out.prev_word = true;
                }
                // Two bytes for two bytes, one letter after the other: one copied stretch.
                out.map(i as u32, 2, 2);
                // The rest of the run of such letters needs no other check.
                loop {
                    // The letter again, written so that the compiler sees it is in U+0600..U+067F
                    // (the table holds only such letters here) and encodes it in two bytes
                    // without testing its length.
                    debug_assert!(('\u{0600}'..='\u{067F}').contains(&c));
                    out.text
                        .push(char::from_u32(0x600 | (c as u32 & 0x7F)).unwrap_or(c));
                    i += 2;
                    let (Some(&b), Some(&b2)) = (bytes.get(i), bytes.get(i + 1)) else {
                        break;
                    };
                    if b & 0xFE != 0xD8 {
                        // One space, then another such letter: the word ends, the next one
                        // starts, and the stretch goes on (one byte for one), as the general
                        // path would have it, without leaving the run.
                        if b == b' ' && b2 & 0xFE == 0xD8 {
                            if let Some(&b3) = bytes.get(i + 2) {
                                let next = fast_char(fast, b2, b3);
                                if next > DELETE {
                                    out.end_word();
                                    out.text.push(' ');
                                    out.start_token();
                                    i += 1;
                                    c = next;
                                    continue;
                                }
                            }
                        }
                        break;
                    }
                    c = fast_char(fast, b, b2);
                    if c <= DELETE {
                        break;
                    }
                }
                out.next_orig = i as u32;
                continue;
            }
            if c == DELETE {
                i += 2;
                continue;
            }
        }
        if b < 0x80 {
            // ASCII: one byte, no decoding.
            let (c, at) = (char::from(b), i as u32);
            i += 1;
            match c {
                'A'..='Z' => {
                    out.flush_space();
                    out.push(c.to_ascii_lowercase(), at, 1);
                }
                '\n' | '\r' | '\x0b' | '\x0c' => out.note_space(true, at, 1),
                ' ' | '\t' | '-' => out.note_space(false, at, 1),
                '\0'..='\x08' | '\x0e'..='\x1f' | '\x7f' => {}
                _ => {
                    out.flush_space();
                    out.push(c, at, 1);
                }
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let at = i as u32;
        let len = c.len_utf8() as u32;
        i += c.len_utf8();
        match fold_char(c) {
            Fold::Delete => {}
            Fold::Space(newline) => out.note_space(newline, at, len),
            Fold::Char(f) => {
                out.flush_space();
                out.push(f, at, len);
            }
            // Several characters from one: every byte maps to it (0 matches no length).
            Fold::Str(s) => {
                out.flush_space();
                for f in s.chars() {
                    out.push(f, at, 0);
                }
            }
            Fold::Compat => {
                decompose_compatible(c, |d| {
                    if is_combining_mark(d) || is_deleted(d) {
                        return;
                    }
                    if d.is_whitespace() {
                        out.note_space(false, at, len);
                        return;
                    }
                    let d = match fold_char(d) {
                        Fold::Char(f) => f,
                        Fold::Delete => return,
                        _ => d,
                    };
                    out.flush_space();
                    for l in d.to_lowercase() {
                        out.push(l, at, 0);
                    }
                });
            }
        }
    }
    // Trailing white space is dropped, as leading white space is (see `note_space`).
    out.end_word();
    Normalized {
        text: out.text,
        marks: out.marks,
        token_starts: out.token_starts,
        word_ends: out.word_ends,
        breaks: out.breaks,
        original_len: text.len() as u32,
    }
}

/// The normalised text being built.
struct Out {
    text: String,
    marks: Vec<Mark>,
    /// The last mark is a copied stretch...
    copied: bool,
    /// ... which goes on if the next character written comes from this original offset (for a
    /// stretch of one character written as others: the offset of that character).
    next_orig: u32,
    token_starts: Vec<u32>,
    word_ends: Vec<u32>,
    breaks: Vec<u32>,
    /// The last character pushed is part of a word.
    prev_word: bool,
    /// Pending white space: None, Some(false) = space, Some(true) = line break; and the offset
    /// and length of its first character.
    pending_space: Option<(bool, u32, u32)>,
}

impl Out {
    /// Maps the `norm_len` bytes about to be written to the original character of `orig_len`
    /// bytes at `at`: a new mark where the current stretch does not go on.
    #[inline(always)]
    fn map(&mut self, at: u32, orig_len: u32, norm_len: u32) {
        let copied = orig_len == norm_len;
        if copied != self.copied || self.next_orig != at {
            self.marks.push(Mark {
                norm: self.text.len() as u32,
                orig: at,
                copied,
            });
            self.copied = copied;
        }
        self.next_orig = if copied { at + orig_len } else { at };
    }

    /// Pushes a character that is not white space, written for the original character of
    /// `orig_len` bytes at `at` (0 when that character gives several).
    fn push(&mut self, c: char, at: u32, orig_len: u32) {
        let word = is_word_char(c);
        if !self.prev_word {
            self.start_token();
        } else if !word {
            self.end_word();
        }
        self.prev_word = word;
        if matches!(c, '.' | '!' | '?' | '؟') {
            self.breaks.push(self.text.len() as u32);
        }
        self.map(at, orig_len, c.len_utf8() as u32);
        self.text.push(c);
    }

    fn start_token(&mut self) {
        let at = self.text.len() as u32;
        self.token_starts.push(at);
        self.word_ends.push(at);
    }

    /// Closes the current run of word characters, if any, at the current end of the text.
    fn end_word(&mut self) {
        if self.prev_word {
            if let Some(e) = self.word_ends.last_mut() {
                *e = self.text.len() as u32;
            }
        }
    }

    fn note_space(&mut self, newline: bool, at: u32, len: u32) {
        match &mut self.pending_space {
            Some((nl, _, _)) => *nl |= newline,
            None => self.pending_space = Some((newline, at, len)),
        }
    }

    /// Writes the pending white space, if any, before a character that is not white space.
    #[inline(always)]
    fn flush_space(&mut self) {
        if self.pending_space.is_some() {
            self.write_space();
        }
    }

    fn write_space(&mut self) {
        if let Some((newline, at, len)) = self.pending_space.take() {
            if !self.text.is_empty() {
                self.end_word();
                if newline {
                    self.breaks.push(self.text.len() as u32);
                }
                self.map(at, len, 1);
                self.text.push(if newline { '\n' } else { ' ' });
                self.prev_word = false;
            }
        }
    }
}

enum Fold {
    Delete,
    Space(bool),
    Char(char),
    Str(&'static str),
    Compat,
}

/// [`ARABIC_FAST`]'s mark for "not a fast character": the general path decides.
const OTHER: char = '\0';
/// [`ARABIC_FAST`]'s mark for "deleted" (diacritics, tatweel).
const DELETE: char = '\u{1}';

/// What normalisation makes of each character U+0600..U+067F: the Arabic letter it becomes
/// (itself, or its folded form: أ إ آ → ا, ى → ي, ة → ه), [`DELETE`], or [`OTHER`] for the
/// rest (punctuation, digits), which takes the general path. Read off [`fold_char`] itself.
static ARABIC_FAST: std::sync::LazyLock<[char; 128]> = std::sync::LazyLock::new(|| {
    let mut table = [OTHER; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        let Some(c) = char::from_u32(0x600 + i as u32) else {
            continue;
        };
        *slot = match fold_char(c) {
            Fold::Delete => DELETE,
            Fold::Char(f) if ('\u{0621}'..='\u{064A}').contains(&f) && is_word_char(f) => f,
            _ => OTHER,
        };
    }
    table
});

/// [`ARABIC_FAST`]'s entry for the character of U+0600..U+067F written with the lead byte
/// `lead` (D8 or D9) and the continuation byte `trail`.
#[inline(always)]
fn fast_char(fast: &[char; 128], lead: u8, trail: u8) -> char {
    fast[(usize::from(lead & 1) << 6) | usize::from(trail & 0x3F)]
}

/// Characters deleted outright: Arabic diacritics and Quranic marks, tatweel, format controls.
fn is_deleted(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}'..='\u{2064}')
}

/// Deleted characters that belong to the word before them (so a span may end after them).
fn is_trailing_deletable(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

fn fold_char(c: char) -> Fold {
    if is_deleted(c) {
        return Fold::Delete;
    }
    let f = match c {
        // Alef forms.
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        // Yeh: alef maksura, Farsi yeh, yeh barree.
        'ى' | '\u{06CC}' | '\u{06CD}' | '\u{06CE}' | '\u{06D0}' | '\u{06D1}' | '\u{06D2}' => 'ي',
        'ة' | '\u{06C0}' | '\u{06C1}' | '\u{06C2}' | '\u{06D5}' | '\u{06BE}' => 'ه',
        '\u{06C3}' => 'ه',
        // Persian, Urdu and Maghrebi letters found in foreign names.
        '\u{06A9}'..='\u{06B4}' | '\u{0763}' => 'ك',
        '\u{067E}' => 'ب',
        '\u{0686}' | '\u{0687}' => 'ج',
        '\u{06A1}'..='\u{06A6}' => 'ف',
        '\u{06A7}' | '\u{06A8}' => 'ق',
        // Digits.
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        '\u{066A}' => '%',
        '\u{06D4}' => '.',
        // Quotes, apostrophes and dashes.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => return Fold::Space(false),
        '\u{2028}' | '\u{2029}' | '\u{0085}' => return Fold::Space(true),
        '\u{FDFC}' => return Fold::Str("ريال"),
        _ if c.is_whitespace() => return Fold::Space(false),
        // The rest of the Arabic block is kept as it is.
        '\u{0600}'..='\u{06FF}' => c,
        _ => return Fold::Compat,
    };
    Fold::Char(f)
}

/// True for characters that make up words in normalised text (letters and digits): exactly
/// [`char::is_alphanumeric`], with a table for the first 2,048 code points (Latin, Greek,
/// Cyrillic, Hebrew, Arabic), where the standard library takes a slow path for everything past
/// ASCII.
#[inline]
pub fn is_word_char(c: char) -> bool {
    let u = c as u32;
    if u < 0x800 {
        (WORD_BITS[(u >> 6) as usize] >> (u & 63)) & 1 == 1
    } else {
        c.is_alphanumeric()
    }
}

/// `char::is_alphanumeric` for U+0000..U+07FF, one bit per code point (checked by a test).
#[rustfmt::skip]
const WORD_BITS: [u64; 32] = [
    0x03ff000000000000, 0x07fffffe07fffffe, 0x762c040000000000, 0xff7fffffff7fffff,
    0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff,
    0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000501f0003ffc3,
    0x0000000000000000, 0xbcdffff800000020, 0xfffffffbffffd740, 0xffbfffffffffffff,
    0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffc03, 0xffffffffffffffff,
    0xfffeffffffffffff, 0xffffffff027fffff, 0xbfff0000000001ff, 0x000787ffffff00b6,
    0xffffffff07ff0000, 0xffffc3fffeffffff, 0xffffffffffffffff, 0x9fffe1fe1fefffff,
    0xffffffffffff0000, 0xffffffffffffe000, 0x0003ffffffffffff, 0x043007ffffffffff,
];

/// Normalises a gazetteer name or word-set entry: the same function as for text, on one line.
pub fn normalize_key(s: &str) -> String {
    let n = normalize(s);
    n.text.trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_table_is_is_alphanumeric() {
        for u in 0..0x1000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_word_char(c), c.is_alphanumeric(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn the_arabic_fast_path_gives_what_the_general_path_gives() {
        let fast = &*ARABIC_FAST;
        let letters = fast.iter().filter(|&&c| c > DELETE).count();
        assert!(letters > 30, "{letters}");
        for cp in 0x600u32..0x680 {
            let c = char::from_u32(cp).unwrap();
            let expected = match fold_char(c) {
                Fold::Delete => DELETE,
                Fold::Char(f) => f,
                _ => OTHER,
            };
            let got = fast[(cp - 0x600) as usize];
            if got != OTHER {
                assert_eq!(got, expected, "U+{cp:04X}");
            }
            // Between letters, a fast character normalises as it would alone.
            let t = format!("ب{c}ب");
            let n = normalize(&t);
            match got {
                DELETE => assert_eq!(n.as_str(), "بب", "U+{cp:04X}"),
                OTHER => {}
                f => assert_eq!(n.as_str(), format!("ب{f}ب"), "U+{cp:04X}"),
            }
        }
        assert_eq!(fast[0x29], 'ه');
        assert_eq!(fast[0x23], 'ا');
        assert_eq!(fast[0x4E], DELETE);
        assert_eq!(fast[0x0C], OTHER);
    }

    #[test]
    fn arabic_folds() {
        assert_eq!(normalize_key("أمريكا"), "امريكا");
        assert_eq!(normalize_key("إيران"), "ايران");
        assert_eq!(normalize_key("على"), "علي");
        assert_eq!(normalize_key("القمة"), "القمه");
        assert_eq!(normalize_key("كيـــري"), "كيري");
        assert_eq!(normalize_key("مُحَمَّد"), "محمد");
        assert_eq!(normalize_key("گ"), "ك");
        assert_eq!(normalize_key("٢٠١٦"), "2016");
        assert_eq!(normalize_key("ک\u{200c}ی"), "كي");
    }

    #[test]
    fn presentation_forms_unfold() {
        // U+FEFB lam-alef ligature, U+FEDA final kaf.
        assert_eq!(normalize_key("\u{FEFB}"), "لا");
        assert_eq!(normalize_key("\u{FEDA}"), "ك");
    }

    #[test]
    fn latin_folds() {
        assert_eq!(normalize_key("Élysée  Palace"), "elysee palace");
        assert_eq!(normalize_key("al-Qaeda"), "al qaeda");
        assert_eq!(normalize_key("Russia’s"), "russia's");
    }

    #[test]
    fn whitespace_collapses_and_keeps_line_breaks() {
        let n = normalize("  a \u{00A0} b\n\n c  ");
        assert_eq!(n.as_str(), "a b\nc");
    }

    #[test]
    fn spans_map_back() {
        let original = "قال  وزيرُ الخارجيّة";
        let n = normalize(original);
        let s = n.as_str().find("الخارجيه").unwrap();
        let (a, b) = n.original_span(original, s, s + "الخارجيه".len());
        assert_eq!(&original[a..b], "الخارجيّة");
        let s = n.as_str().find("وزير").unwrap();
        let (a, b) = n.original_span(original, s, s + "وزير".len());
        assert_eq!(&original[a..b], "وزيرُ");
    }
}
