//! Properties over random Arabic, Latin and mixed text: normalisation never loses an offset and
//! every span the engine reports slices the original text to the mention.

use majlis::matcher::{Backend, Matcher};
use majlis::normalize::{is_word_char, normalize, normalize_key};
use majlis::rules::Lang;
use majlis::{Document, Engine};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builder().build().expect("embedded data builds"))
}

/// Characters that exercise every branch of the normaliser, and names the gazetteers know.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("موسكو".to_string()),
        Just("وموسكو".to_string()),
        Just("للأمم المتحدة".to_string()),
        Just("سيرغي لافروف".to_string()),
        Just("الرئيس الروسي".to_string()),
        Just("Kerry".to_string()),
        Just("John Kerry".to_string()),
        Just("US".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("،".to_string()),
        Just(".".to_string()),
        Just("؟".to_string()),
        Just("!".to_string()),
        Just("U.S.".to_string()),
        // Rule triggers and cues.
        Just("التقى".to_string()),
        Just("وزار".to_string()),
        Just("اتصالا هاتفيا".to_string()),
        Just("لم".to_string()),
        Just("سيزور".to_string()),
        Just("met with".to_string()),
        Just("visited".to_string()),
        Just("will".to_string()),
        Just("signed an agreement".to_string()),
        Just("\u{2026}".to_string()), // ellipsis: three dots after normalisation
        Just("\u{06D4}".to_string()), // Urdu full stop
        Just("\u{0640}".to_string()), // tatweel
        Just("\u{064E}".to_string()), // fatha
        Just("\u{0651}".to_string()), // shadda
        Just("\u{200F}".to_string()), // RLM
        Just("\u{200C}".to_string()), // ZWNJ
        Just("\u{FEFB}".to_string()), // lam-alef ligature
        Just("\u{FDFC}".to_string()), // rial sign
        Just("\u{0627}\u{0654}".to_string()), // decomposed hamza
        Just("é".to_string()),
        Just("İ".to_string()),
        Just("ß".to_string()),
        Just("٢٠١٦".to_string()),
        Just("—".to_string()),
        "[\\p{Arabic}a-zA-Z0-9 ]{0,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// Every whole-word pattern of the embedded rules: triggers, `requires`, modality cues.
fn bounded_patterns() -> Vec<&'static majlis::rules::Bounded> {
    let rules = engine().rules();
    let mut all: Vec<&majlis::rules::Bounded> = Vec::new();
    for r in &rules.rules {
        all.push(&r.trigger);
        all.extend(&r.requires);
    }
    for p in rules.profiles.values() {
        all.extend(
            p.planned
                .each
                .iter()
                .chain(&p.negated.each)
                .chain(&p.planned_after.each)
                .chain(&p.hedged.each),
        );
    }
    all
}

#[test]
fn every_rule_pattern_has_its_exact_form() {
    let all = bounded_patterns();
    assert!(all.len() > 50, "{}", all.len());
    for b in all {
        assert_ne!(b.exact().as_str(), b.as_str());
        assert!(b.exact().as_str().contains(r"[^\p{L}\p{N}]"));
    }
}

/// The scanning backends, built once (the trie is the engine's own).
fn scanners() -> &'static [Matcher; 2] {
    static M: OnceLock<[Matcher; 2]> = OnceLock::new();
    M.get_or_init(|| {
        let g = engine().gazetteer();
        [Backend::Daachorse, Backend::AhoCorasick]
            .map(|b| Matcher::with_backend(g, b).expect("automaton builds"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_normalised_range_maps_to_char_boundaries(t in text()) {
        let n = normalize(&t);
        let norm = n.as_str();
        let bounds: Vec<usize> = norm.char_indices().map(|(i, _)| i).chain([norm.len()]).collect();
        for w in bounds.windows(2) {
            let (s, e) = n.original_span(&t, w[0], w[1]);
            prop_assert!(s <= e && e <= t.len());
            prop_assert!(t.is_char_boundary(s) && t.is_char_boundary(e));
        }
        // Offsets never go backwards.
        let mut last = 0;
        for &b in &bounds[..bounds.len() - 1] {
            let o = n.original_offset(b);
            prop_assert!(o >= last);
            last = o;
        }
    }

    #[test]
    fn every_normalised_character_maps_to_the_character_it_came_from(t in text()) {
        let n = normalize(&t);
        for (b, c) in n.as_str().char_indices() {
            let o = n.original_offset(b);
            prop_assert!(t.is_char_boundary(o), "{b} -> {o}");
            let from = t[o..].chars().next().map(String::from).unwrap_or_default();
            let alone = normalize_key(&from);
            if c.is_whitespace() {
                // White space and dashes normalise to nothing on their own (trimmed); a
                // ligature of words (ﷺ) to words and spaces.
                prop_assert!(alone.is_empty() || alone.contains(' '), "{c:?} at {b} from {from:?}");
            } else {
                prop_assert!(alone.contains(c), "{c:?} at {b} from {from:?} ({alone:?})");
            }
        }
    }

    #[test]
    fn token_starts_follow_non_word_characters(t in text()) {
        let n = normalize(&t);
        let norm = n.as_str();
        let mut expected = Vec::new();
        let mut prev_word = false;
        for (i, c) in norm.char_indices() {
            if !prev_word && !c.is_whitespace() {
                expected.push(i as u32);
            }
            prev_word = is_word_char(c);
        }
        prop_assert_eq!(n.token_starts(), expected.as_slice());
        // Each token's first word runs to the first character that is not part of a word.
        let ends: Vec<u32> = expected
            .iter()
            .map(|&s| {
                let rest = &norm[s as usize..];
                let run = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
                s + run as u32
            })
            .collect();
        prop_assert_eq!(n.word_ends(), ends.as_slice());
    }

    #[test]
    fn sentence_language_counts_arabic_and_latin_letters(t in text()) {
        // The reference: characters of the Arabic blocks U+0600..U+06FF against ASCII letters
        // (the byte counting of `sentence_lang` must agree on any text).
        let ar = t.chars().filter(|c| ('\u{0600}'..='\u{06FF}').contains(c)).count();
        let la = t.chars().filter(char::is_ascii_alphabetic).count();
        let expected = if ar >= la && ar > 0 { Lang::Ar } else { Lang::En };
        prop_assert_eq!(majlis::events::sentence_lang(&t), expected);
    }

    #[test]
    fn narrow_rule_patterns_read_as_the_exact_ones(t in text()) {
        // Over ASCII and Arabic text the rule patterns use a boundary class limited to those;
        // a character of another script (here •, appended: a non-letter, so the end of the text
        // still bounds a word) sends the same text to the exact pattern. Both must agree.
        let n = normalize(&t);
        let norm: String = n
            .as_str()
            .chars()
            .filter(|c| c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(c))
            .collect();
        let norm = norm.as_str();
        let wide = format!("{norm}•");
        for b in bounded_patterns() {
            prop_assert_eq!(b.find_all(norm), b.find_all(&wide), "{}", b.as_str());
            prop_assert_eq!(b.first(norm), b.first(&wide), "{}", b.as_str());
        }
    }

    #[test]
    fn whole_word_matches_are_those_of_the_capture_search(t in text()) {
        // `find_all` reads the word off the whole match inside a text and asks the capture
        // group only at its ends; the reference asks the group every time. Patterns that may
        // begin or end with a separator themselves are where the two could part.
        let n = normalize(&t);
        let norm = n.as_str();
        let mut all: Vec<majlis::rules::Bounded> = bounded_patterns().into_iter().cloned().collect();
        for p in [r"\.?التقى", r"met with\.?", r"،|زار", r" ?visited ?", r"U\.S\."] {
            all.push(majlis::rules::Bounded::new(p).unwrap());
        }
        for b in &all {
            let re = b.exact();
            let mut expected = Vec::new();
            let mut at = 0;
            while at <= norm.len() {
                let Some(w) = re.captures_at(norm, at).and_then(|c| c.get(1)) else { break };
                expected.push((w.start(), w.end()));
                at = if w.end() > at { w.end() } else { at + norm[at..].chars().next().map_or(1, char::len_utf8) };
            }
            prop_assert_eq!(b.find_all(norm), expected, "{}", b.as_str());
        }
    }

    #[test]
    fn sentences_from_the_noted_breaks_are_the_scanned_ones(t in text()) {
        let n = normalize(&t);
        prop_assert_eq!(
            majlis::segment::sentences_of(&n),
            majlis::segment::sentences(n.as_str())
        );
    }

    #[test]
    fn every_backend_reports_the_same_hits(t in text()) {
        let g = engine().gazetteer();
        let n = normalize(&t);
        let trie = engine().matcher().hits(g, &n, &t);
        for m in scanners() {
            prop_assert_eq!(&m.hits(g, &n, &t), &trie, "{:?}", m.backend());
        }
    }

    #[test]
    fn every_reported_span_slices_the_original(t in text()) {
        let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).unwrap();
        let record = engine().extract(&Document::new("p", &t).with_date(date)).unwrap();
        let chars: Vec<char> = t.chars().collect();
        for e in &record.entities {
            for m in &e.mentions {
                prop_assert_eq!(&t[m.span[0]..m.span[1]], m.text.as_str());
                let by_char: String = chars[m.char_span[0]..m.char_span[1]].iter().collect();
                prop_assert_eq!(by_char, m.text.clone());
                prop_assert!(!m.text.trim().is_empty());
            }
        }
        for ev in &record.events {
            for x in &ev.evidence {
                prop_assert_eq!(&t[x.trigger.span[0]..x.trigger.span[1]], x.trigger.text.as_str());
            }
        }
    }
}

#[test]
fn known_traps() {
    let e = engine();
    let ids = |t: &str| -> Vec<String> {
        e.extract(&Document::new("t", t))
            .unwrap()
            .entities
            .into_iter()
            .map(|x| x.id)
            .collect()
    };
    // لبنان is Lebanon, not ل + بنان.
    assert_eq!(ids("زار لبنان"), vec!["LBN"]);
    // لاوس is Laos, not ل + أوس.
    assert_eq!(ids("في لاوس"), vec!["LAO"]);
    // على (normalised علي) is the preposition, not the name Ali.
    assert!(ids("اتفقوا على الخطة").is_empty());
    // Proclitics: وموسكو, بموسكو, للأمم المتحدة.
    assert_eq!(ids("وموسكو"), vec!["moscow"]);
    assert_eq!(ids("بموسكو"), vec!["moscow"]);
    assert_eq!(ids("للأمم المتحدة"), vec!["united-nations"]);
    // Nisba in every inflection.
    for adj in ["الروسي", "الروسية", "الروس", "الروسيين", "والروسية"]
    {
        assert_eq!(ids(adj), vec!["RUS"], "{adj}");
    }
    assert_eq!(ids("the Russian side"), vec!["RUS"]);
    // "us" is a pronoun; "US" is the United States.
    assert!(ids("he told us").is_empty());
    assert_eq!(ids("the US envoy"), vec!["USA"]);
}

/// The seed article, Arabic and English: the trie and both scanning automata agree hit for hit.
#[test]
fn backends_agree_on_the_seed_article() {
    let g = engine().gazetteer();
    for file in [
        "kerry-lavrov-asean-2016.ar.txt",
        "kerry-lavrov-asean-2016.en.txt",
    ] {
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let t = std::fs::read_to_string(&path).expect("seed copy is in the repository");
        let n = normalize(&t);
        let trie = engine().matcher().hits(g, &n, &t);
        assert!(trie.len() > 20, "{file}: only {} hits", trie.len());
        for m in scanners() {
            assert_eq!(m.hits(g, &n, &t), trie, "{file}: {:?}", m.backend());
        }
    }
}

#[test]
fn an_adjective_stretched_to_its_actor_noun_does_not_overlap_the_actor_before_it() {
    // Found by fuzzing: "counterpart" is the actor noun of the Arabic nisba after it and part of
    // the counterpart's own mention; the two actors overlapped and slot filling sliced the text
    // backwards.
    let text = "US Secretary of State John Kerry will discuss the Syrian file with his Russian \
                counterpart السوري Sergey Lavrov next Monday in Vientiane.";
    let mut doc = Document::new("t", text);
    doc.date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23);
    let record = engine().extract(&doc).expect("extracts");
    let pairs: Vec<Vec<String>> = record
        .events
        .iter()
        .map(|e| e.participants.iter().map(|p| p.id.clone()).collect())
        .collect();
    assert_eq!(pairs, [["john-kerry", "sergey-lavrov"]]);
}

#[test]
fn a_long_document_reads_as_its_parts_do() {
    // One report repeated: every entity is named as many times over, and the events are the
    // same ones told as many times. Long enough that resolution keeps its spans in a tree and
    // finds the words next to titles through its index of added mentions.
    let one = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف. ";
    let n = 1500;
    let date = chrono::NaiveDate::from_ymd_opt(2016, 7, 23).unwrap();
    let short = engine()
        .extract(&Document::new("one", one).with_date(date))
        .unwrap();
    let long_text = one.repeat(n);
    let long = engine()
        .extract(&Document::new("long", &long_text).with_date(date))
        .unwrap();
    let counts = |r: &majlis::Record| -> Vec<(String, usize)> {
        let mut v: Vec<_> = r
            .entities
            .iter()
            .map(|e| (e.id.clone(), e.mentions.len()))
            .collect();
        v.sort();
        v
    };
    let expected: Vec<_> = counts(&short)
        .into_iter()
        .map(|(id, k)| (id, k * n))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(counts(&long), expected);
    assert_eq!(long.events.len(), short.events.len());
    assert!(!short.events.is_empty());
    for (l, s) in long.events.iter().zip(&short.events) {
        assert_eq!(l.kind, s.kind);
        assert_eq!(l.participants, s.participants);
        assert_eq!(l.evidence.len(), s.evidence.len() * n);
    }
}
