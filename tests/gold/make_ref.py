#!/usr/bin/env python3
"""Find sentences in the news corpus and compute gold references (doc, offset, length).

The gold files never copy corpus text: they point into it by article id and a
code-point offset/length into the article's `text` field (Python string indexing).

Usage:
  make_ref.py DOC_ID "unique substring"     offset/length of the sentence holding it,
                                            printed as the start of a gold line
  make_ref.py --grep REGEX [--max N]        sentences of development articles
                                            (id ending in 0) that match REGEX
  make_ref.py --show DOC_ID OFFSET LENGTH   print a referenced slice

Common option: --corpus PATH (default ../shared/data/news/ar-news-2015.jsonl,
relative to the repository root; the script also tries it relative to itself).

Sentence rule: a sentence runs from after the previous terminator (. ؟ ? ! ۔ or
a newline), leading whitespace excluded, up to and including its own terminator,
plus any closing quotes or brackets glued to it. A full stop between two digits
(3.5) is not a terminator. Only sentences that end in a terminator are used.
"""
import argparse
import json
import os
import re
import sys

TERMINATORS = ".؟?!۔"
CLOSERS = "\"'»”’)]"
DEFAULT_CORPUS = "../shared/data/news/ar-news-2015.jsonl"
MAX_LEN = 400


def is_dev_id(doc_id):
    """Development slice: article ids ending in 0 (the others are for measurement)."""
    return doc_id.endswith("0")


def find_corpus(path):
    if path and os.path.exists(path):
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, "..", "..", DEFAULT_CORPUS), DEFAULT_CORPUS):
        if os.path.exists(cand):
            return os.path.normpath(cand)
    sys.exit("corpus not found: %s (give --corpus PATH)" % (path or DEFAULT_CORPUS))


def load_corpus(path, dev_only=True):
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if dev_only and not is_dev_id(d["id"]):
                continue
            docs[d["id"]] = d
    return docs


def is_terminator(text, i):
    c = text[i]
    if c == "\n":
        return True
    if c not in TERMINATORS:
        return False
    if c == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
        return False
    return True


def sentences(text):
    """Yield (offset, length, terminated) for every sentence of text."""
    n = len(text)
    start = 0
    i = 0
    while i < n:
        if is_terminator(text, i):
            end = i + 1
            if text[i] != "\n":
                while end < n and text[end] in CLOSERS and (end + 1 == n or text[end + 1].isspace()):
                    end += 1
            yield from _emit(text, start, end, text[i] != "\n")
            start = end
            i = end
        else:
            i += 1
    if start < n:
        yield from _emit(text, start, n, False)


def _emit(text, start, end, terminated):
    # strip surrounding whitespace (and a newline terminator)
    while start < end and text[start].isspace():
        start += 1
    e = end
    while e > start and text[e - 1].isspace():
        e -= 1
    if e > start:
        yield (start, e - start, terminated)


def sentence_at(text, pos):
    for off, ln, term in sentences(text):
        if off <= pos < off + ln:
            return off, ln, term
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--grep", metavar="REGEX")
    ap.add_argument("--max", type=int, default=50)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    docs = load_corpus(find_corpus(a.corpus))

    if a.grep:
        rx = re.compile(a.grep)
        k = 0
        for doc_id, d in docs.items():
            text = d["text"]
            for off, ln, term in sentences(text):
                s = text[off:off + ln]
                if term and ln <= MAX_LEN and rx.search(s):
                    print("%s\t%d\t%d\t%s" % (doc_id, off, ln, s))
                    k += 1
                    if k >= a.max:
                        return
        return

    if a.show:
        doc_id, off, ln = a.args[0], int(a.args[1]), int(a.args[2])
        print(docs[doc_id]["text"][off:off + ln])
        return

    if len(a.args) != 2:
        ap.error("give DOC_ID and a substring (or --grep / --show)")
    doc_id, sub = a.args
    if not is_dev_id(doc_id):
        sys.exit("%s: not a development article (id must end in 0)" % doc_id)
    if doc_id not in docs:
        sys.exit("%s: no such article in the corpus" % doc_id)
    text = docs[doc_id]["text"]
    hits = [m.start() for m in re.finditer(re.escape(sub), text)]
    if not hits:
        sys.exit("substring not found in %s" % doc_id)
    if len(hits) > 1:
        print("warning: substring occurs %d times; using the first" % len(hits), file=sys.stderr)
    off, ln, term = sentence_at(text, hits[0])
    if not term:
        print("warning: sentence does not end in a terminator", file=sys.stderr)
    if ln > MAX_LEN:
        print("warning: sentence is %d code points long" % ln, file=sys.stderr)
    print(json.dumps({"doc": doc_id, "offset": off, "length": ln, "date": docs[doc_id]["date"][:10]},
                     ensure_ascii=False))
    print(text[off:off + ln], file=sys.stderr)


if __name__ == "__main__":
    main()
