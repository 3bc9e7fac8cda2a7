#!/usr/bin/env python3
"""Validate event gold files (JSON Lines, one sentence a line).

Usage:
  check_gold.py [--corpus PATH] [--countries PATH] FILE.jsonl [FILE.jsonl ...]

A line gives its sentence either by reference into the news corpus
(`doc`, `offset`, `length`, code points as Python indexes strings) or inline
(`text`). For references the checker verifies that the article id ends in 0
(the development slice), that the article exists, that the slice lies inside
its `text`, starts and ends at sentence boundaries (see make_ref.py) and that
`date` is the article's date. For every line it checks the event fields.

If the corpus is missing, reference lines get only the field checks and a
notice is printed. Country codes are checked against ISO 3166-1 alpha-3 when
the country table (--countries, default ../shared/data/sources/countries-ar-en.tsv)
is available, otherwise only their shape is checked. Exit code 0 when all lines
are valid, 1 otherwise, 2 on usage errors.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_ref import CLOSERS, TERMINATORS, is_dev_id, sentences  # noqa: E402

KINDS = {
    "meeting": {"talks", "visit", "reception", "call", "summit"},
    "agreement": {"reached", "signed"},
}
MODALITIES = {"occurred", "planned", "negated"}
# Upper-case codes for international organisations (ARCHITECTURE.md lists the
# first eight; the others occur in the gold files).
ORG_CODES = {"UN", "EU", "NATO", "GCC", "ARAB_LEAGUE", "AU", "OIC", "ASEAN",
             "IAEA", "FIFA", "ICRC", "OPEC", "WTO", "IMF"}
LINE_KEYS_REF = {"doc", "offset", "length", "date", "events", "note"}
LINE_KEYS_TEXT = {"text", "date", "events", "note"}
EVENT_KEYS = {"kind", "subtype", "modality", "participants", "location", "note"}
DATE_RX = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "..", "..", "..", "shared", "data", "news", "ar-news-2015.jsonl")
DEFAULT_COUNTRIES = os.path.join(HERE, "..", "..", "..", "shared", "data", "sources", "countries-ar-en.tsv")


def load_iso3(path):
    if not path or not os.path.exists(path):
        return None
    codes = set()
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = header.index("iso3")
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) > col and cells[col]:
                codes.add(cells[col])
    return codes


def load_docs(path):
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if is_dev_id(d["id"]):
                docs[d["id"]] = d
    return docs


class Checker:
    def __init__(self, docs, iso3):
        self.docs = docs
        self.iso3 = iso3
        self.errors = 0
        self._sent_cache = {}

    def err(self, where, msg):
        self.errors += 1
        print("%s: %s" % (where, msg))

    def check_country(self, where, code, what):
        if not isinstance(code, str) or not code:
            self.err(where, "%s: country missing" % what)
            return
        if code in ORG_CODES:
            return
        if not re.fullmatch(r"[A-Z]{3}", code):
            self.err(where, "%s: country %r is neither ISO alpha-3 nor a known organisation code" % (what, code))
        elif self.iso3 is not None and code not in self.iso3:
            self.err(where, "%s: %r is not an ISO 3166-1 alpha-3 code" % (what, code))

    def check_event(self, where, i, ev):
        w = "%s: event %d" % (where, i)
        if not isinstance(ev, dict):
            self.err(where, "event %d is not an object" % i)
            return
        for k in ev:
            if k not in EVENT_KEYS:
                self.err(w, "unknown field %r" % k)
        kind = ev.get("kind")
        if kind not in KINDS:
            self.err(w, "kind %r not in %s" % (kind, sorted(KINDS)))
        elif ev.get("subtype") not in KINDS[kind]:
            self.err(w, "subtype %r not valid for kind %s (%s)" % (ev.get("subtype"), kind, sorted(KINDS[kind])))
        if ev.get("modality") not in MODALITIES:
            self.err(w, "modality %r not in %s" % (ev.get("modality"), sorted(MODALITIES)))
        parts = ev.get("participants")
        if not isinstance(parts, list) or len(parts) < 2:
            self.err(w, "participants must be a list of at least two actors")
            parts = parts if isinstance(parts, list) else []
        for j, p in enumerate(parts):
            pw = "participant %d" % j
            if not isinstance(p, dict):
                self.err(w, "%s is not an object" % pw)
                continue
            for k in p:
                if k not in ("name", "role", "country"):
                    self.err(w, "%s: unknown field %r" % (pw, k))
            if "name" not in p:
                self.err(w, "%s: name missing (use null when only a title is given)" % pw)
            elif p["name"] is None:
                if not isinstance(p.get("role"), str) or not p["role"]:
                    self.err(w, "%s: name is null but no role given" % pw)
            elif not isinstance(p["name"], str) or not p["name"].strip():
                self.err(w, "%s: name must be a non-empty string or null" % pw)
            if "role" in p and not (isinstance(p["role"], str) and p["role"]):
                self.err(w, "%s: role must be a non-empty string" % pw)
            self.check_country(w, p.get("country"), pw)
        if "location" not in ev:
            self.err(w, "location missing (use null)")
        loc = ev.get("location")
        if loc is not None:
            if not isinstance(loc, dict) or set(loc) != {"name", "country"} or not isinstance(loc.get("name"), str):
                self.err(w, "location must be null or {\"name\": ..., \"country\": ...}")
            else:
                self.check_country(w, loc.get("country"), "location")
        note = ev.get("note")
        if note is not None and not isinstance(note, str):
            self.err(w, "note must be a string")

    def sentence_spans(self, doc_id):
        if doc_id not in self._sent_cache:
            text = self.docs[doc_id]["text"]
            self._sent_cache[doc_id] = {(o, n) for o, n, term in sentences(text) if term}
        return self._sent_cache[doc_id]

    def check_ref(self, where, rec):
        doc_id = rec.get("doc")
        off, ln = rec.get("offset"), rec.get("length")
        if not isinstance(doc_id, str):
            self.err(where, "doc must be a string")
            return
        if not is_dev_id(doc_id):
            self.err(where, "%s: not a development article (id must end in 0)" % doc_id)
            return
        if not (isinstance(off, int) and isinstance(ln, int) and off >= 0 and ln > 0):
            self.err(where, "offset/length must be non-negative integers (length > 0)")
            return
        if self.docs is None:
            return
        if doc_id not in self.docs:
            self.err(where, "%s: no such article in the corpus" % doc_id)
            return
        d = self.docs[doc_id]
        text = d["text"]
        if off + ln > len(text):
            self.err(where, "slice [%d, %d) beyond the article text (%d code points)" % (off, off + ln, len(text)))
            return
        if rec.get("date") != d["date"][:10]:
            self.err(where, "date %r differs from the article date %r" % (rec.get("date"), d["date"][:10]))
        s = text[off:off + ln]
        # start: first character is not space; everything before it back to the
        # previous non-space character is whitespace, and that character ends a sentence
        if s[0].isspace():
            self.err(where, "slice starts with whitespace")
        k = off - 1
        while k >= 0 and text[k].isspace() and text[k] != "\n":
            k -= 1
        if k >= 0 and text[k] != "\n" and text[k] not in TERMINATORS and text[k] not in CLOSERS:
            self.err(where, "slice does not start at a sentence boundary (preceded by %r)" % text[k])
        # end: a terminator, possibly followed by closing quotes/brackets
        e = len(s) - 1
        while e > 0 and s[e] in CLOSERS:
            e -= 1
        if s[e] not in TERMINATORS:
            self.err(where, "slice does not end with a sentence terminator")
        if "\n" in s:
            self.err(where, "slice spans a line break")
        if ln > 400:
            self.err(where, "sentence longer than 400 code points (%d)" % ln)
        if (off, ln) not in self.sentence_spans(doc_id):
            self.err(where, "slice is not exactly one sentence as segmented by make_ref.py")

    def check_file(self, path):
        seen = set()
        n = 0
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                where = "%s:%d" % (path, lineno)
                if not line.strip():
                    self.err(where, "empty line")
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    self.err(where, "invalid JSON: %s" % e)
                    continue
                if not isinstance(rec, dict):
                    self.err(where, "line is not a JSON object")
                    continue
                n += 1
                inline = "text" in rec
                allowed = LINE_KEYS_TEXT if inline else LINE_KEYS_REF
                for k in rec:
                    if k not in allowed:
                        self.err(where, "unknown field %r" % k)
                for k in allowed - {"note"}:
                    if k not in rec:
                        self.err(where, "missing field %r" % k)
                if not isinstance(rec.get("date"), str) or not DATE_RX.match(rec.get("date", "")):
                    self.err(where, "date must be YYYY-MM-DD")
                if inline:
                    t = rec.get("text")
                    if not isinstance(t, str) or not t.strip():
                        self.err(where, "text must be a non-empty string")
                    key = ("text", t)
                else:
                    self.check_ref(where, rec)
                    key = (rec.get("doc"), rec.get("offset"), rec.get("length"))
                if key in seen:
                    self.err(where, "duplicate sentence")
                seen.add(key)
                if "note" in rec and not isinstance(rec["note"], str):
                    self.err(where, "note must be a string")
                evs = rec.get("events")
                if not isinstance(evs, list):
                    self.err(where, "events must be a list ([] for no event)")
                    continue
                for i, ev in enumerate(evs):
                    self.check_event(where, i, ev)
        return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=None, help="news corpus JSONL (default ../shared/data/news/ar-news-2015.jsonl)")
    ap.add_argument("--countries", default=DEFAULT_COUNTRIES)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    corpus = a.corpus
    if corpus is None:
        for cand in ("../shared/data/news/ar-news-2015.jsonl", DEFAULT_CORPUS):
            if os.path.exists(cand):
                corpus = cand
                break
    docs = None
    if corpus and os.path.exists(corpus):
        docs = load_docs(corpus)
    else:
        print("notice: corpus not found (%s); reference lines get field checks only" % (corpus or "default path"))
    iso3 = load_iso3(a.countries)
    if iso3 is None:
        print("notice: country table not found; country codes checked for shape only")

    ck = Checker(docs, iso3)
    total = 0
    for path in a.files:
        if not os.path.exists(path):
            print("%s: no such file" % path)
            sys.exit(2)
        total += ck.check_file(path)
    if ck.errors:
        print("%d problem(s) in %d line(s)" % (ck.errors, total))
        sys.exit(1)
    print("ok: %d line(s) in %d file(s)" % (total, len(a.files)))


if __name__ == "__main__":
    main()
