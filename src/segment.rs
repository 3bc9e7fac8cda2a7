//! Sentence segmentation of normalised text.
//!
//! Hard boundaries: `.` `!` `?` `؟` and line breaks (headlines, teasers and paragraphs are lines).
//! A full stop does not end a sentence inside a number (`3.5`), after a one-letter abbreviation
//! (`U.S.`, `أ.ف.ب`) or after a few common English abbreviations (`Mr.`, `Dr.`). The Arabic comma
//! never ends a sentence: Arabic chains clauses with `، و…`.

use crate::normalize::{is_word_char, Normalized};

/// Byte ranges of the sentences of a normalised text, without the trailing boundary spaces.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    // Every boundary is ASCII or `؟` (D8 9F), and UTF-8 never has those bytes inside another
    // character: jump from one candidate byte to the next (`؟` is found by its second byte,
    // which is rare; its first byte starts most Arabic letters).
    let mut breaks = Vec::new();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| CANDIDATE[b as usize]) {
        i += off;
        match bytes[i] {
            0x9F if i > 0 && bytes[i - 1] == 0xD8 => breaks.push(i - 1),
            0x9F => {}
            _ => breaks.push(i),
        }
        i += 1;
    }
    split(text, breaks.into_iter())
}

/// [`sentences`] of a [`Normalized`] text, from the places where a sentence may end that
/// normalisation noted on its way.
pub fn sentences_of(n: &Normalized) -> Vec<(usize, usize)> {
    split(n.as_str(), n.breaks().iter().map(|&b| b as usize))
}

/// Cuts `text` at `breaks` (the offsets of its `\n . ! ? ؟`, in order).
fn split(text: &str, breaks: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    // Offsets before `i` were taken with a run of dots.
    let mut i = 0usize;
    for at in breaks {
        if at < i {
            continue;
        }
        let end = match bytes[at] {
            b'\n' => {
                push_trimmed(text, start, at, &mut out);
                start = at + 1;
                i = at + 1;
                continue;
            }
            b'!' | b'?' => at + 1,
            0xD8 => at + 2,
            b'.' if !is_abbreviation_dot(text, at) => {
                // Take a run of dots and closing quotes with the sentence.
                let mut e = at + 1;
                while e < bytes.len() && matches!(bytes[e], b'.' | b'"' | b'\'' | b')') {
                    e += 1;
                }
                e
            }
            _ => continue,
        };
        push_trimmed(text, start, end, &mut out);
        start = end;
        i = end;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// Bytes that may end a sentence: `\n ! ? .` and the second byte of `؟`.
const CANDIDATE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[b'.' as usize] = true;
    t[0x9F] = true;
    t
};

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    if s < e {
        out.push((s, e));
    }
}

fn is_abbreviation_dot(text: &str, i: usize) -> bool {
    let before = &text[..i];
    let after = &text[i + 1..];
    let prev = before.chars().next_back();
    let next = after.chars().next();
    // 3.5, 1.000
    if prev.is_some_and(|c| c.is_ascii_digit()) && next.is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    // A one-letter word before the dot: U.S., أ.ف.ب, J. Smith
    let word: &str = before
        .rsplit(|c: char| !is_word_char(c))
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        // "... in Washington D.C. They met" would stay joined; a rare cost.
        return true;
    }
    matches!(
        word,
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "st"
            | "gen"
            | "lt"
            | "col"
            | "sen"
            | "rep"
            | "gov"
            | "prof"
            | "jr"
            | "sr"
            | "vs"
            | "no"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn splits_on_stops_and_lines() {
        assert_eq!(
            texts("headline\nfirst one. second one؟ third"),
            vec!["headline", "first one.", "second one؟", "third"]
        );
    }

    #[test]
    fn keeps_numbers_and_abbreviations() {
        assert_eq!(
            texts("the u.s. grew 3.5 percent. mr. kerry left."),
            vec!["the u.s. grew 3.5 percent.", "mr. kerry left."]
        );
    }

    #[test]
    fn arabic_comma_is_not_a_boundary() {
        assert_eq!(
            texts("قال كيري، يوم امس، انه"),
            vec!["قال كيري، يوم امس، انه"]
        );
    }
}
