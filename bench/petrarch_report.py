#!/usr/bin/env python3
"""What majlis codes on the real AFP sentences of the PETRARCH2 validation set.

Reads ../shared/data/events/petrarch-en-gold.jsonl (file PETR2_GSR_validation.xml: 78 AFP
sentences with gold CAMEO codes), runs `majlis extract --jsonl` on them with their dates, and
prints which of the consult/meet/agree sentences (gold CAMEO 03x, 04x, 05x) majlis codes and
how many of the others produce a meeting or an agreement. No threshold: a report.

    python3 bench/petrarch_report.py [--majlis target/release/majlis] [--gold PATH]
"""
import argparse
import json
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--majlis", default="target/release/majlis")
ap.add_argument("--gold", default="../shared/data/events/petrarch-en-gold.jsonl")
args = ap.parse_args()
if not os.path.exists(args.gold):
    print(f"notice: {args.gold} not found; nothing to report")
    sys.exit(0)

rows = [json.loads(l) for l in open(args.gold, encoding="utf-8")]
rows = [r for r in rows if r["file"] == "PETR2_GSR_validation.xml"]
def iso(d):
    # The set mixes YYYYMMDD with other shapes (121108); only the first is a date.
    d = str(d or "")
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d) == 8 and d.isdigit() else None


docs = "".join(json.dumps({"id": r["id"], "date": iso(r["date"]), "text": r["text"]}) + "\n" for r in rows)
out = subprocess.run([args.majlis, "extract", "--jsonl"], input=docs.encode(), capture_output=True, check=False)
records = {}
for line in out.stdout.decode().splitlines():
    rec = json.loads(line)
    if "error" in rec:
        print(f"error on {rec.get('id')}: {rec['error']}", file=sys.stderr)
    records[rec["id"]] = rec

def family(code):
    return code[:2]


def codes(r):
    return [e for e in r["gold_events"] if "eventcode" in e]

target = [r for r in rows if any(family(e["eventcode"]) in ("03", "04", "05") for e in codes(r))]
others = [r for r in rows if r not in target]
print(f"{len(rows)} AFP sentences: {len(target)} with a gold consult/meet/agree event (CAMEO 03-05), {len(others)} without\n")
coded = 0
for r in target:
    rec = records.get(r["id"], {})
    evs = rec.get("events", [])
    gold = ", ".join(f"{e['eventcode']} {e['sourcecode']}->{e['targetcode']}" for e in codes(r))
    got = "; ".join(
        f"{e['kind']}/{e['subtype']} {e['cameo']} {'-'.join(str(p.get('country')) for p in e['participants'])} {e['modality']}"
        for e in evs
    )
    coded += bool(evs)
    print(f"{'CODED ' if evs else 'missed'} {r['id']}: gold {gold} | majlis {got or '-'}")
    print(f"       {r['text'][:160]}")
false = [r for r in others if records.get(r["id"], {}).get("events")]
print(f"\ncoded {coded} of {len(target)} consult/meet/agree sentences")
print(f"{len(false)} of {len(others)} other sentences produce a meeting or agreement:")
for r in false:
    evs = records[r["id"]]["events"]
    gold = ", ".join(e["eventcode"] for e in codes(r))
    print(f"  {r['id']} (gold {gold or 'none'}): " + "; ".join(
        f"{e['kind']}/{e['subtype']} {'-'.join(str(p.get('country')) for p in e['participants'])}" for e in evs))
    print(f"       {r['text'][:160]}")
