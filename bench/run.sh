#!/usr/bin/env bash
# Every figure of BENCHMARKS.md in one run: the stages side by side (`majlis bench`: raw scans,
# normalisation, matching and resolution, rules, the batch on 1 and 2 threads, engine build,
# streaming wall time and peak memory), then the spaCy PhraseMatcher peer on the same articles.
#
#   bench/run.sh [CORPUS.jsonl]
#
# The corpus defaults to ../shared/data/news/ar-news-2015.jsonl, else the bundled sample.
# The peer needs a virtual environment: python3 -m venv bench/.venv && bench/.venv/bin/pip install spacy pyyaml
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
corpus=${1:-../shared/data/news/ar-news-2015.jsonl}
[ -f "$corpus" ] || corpus=bench/sample.jsonl
echo "## $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(rustc --version)"
echo
echo '```'
echo "\$ majlis bench $corpus"
target/release/majlis bench "$corpus"
echo '```'
if [ -x bench/.venv/bin/python ]; then
  echo
  echo '```'
  echo "\$ bench/.venv/bin/python bench/spacy_peer.py $corpus"
  bench/.venv/bin/python bench/spacy_peer.py "$corpus"
  echo '```'
fi
