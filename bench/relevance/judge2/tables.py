#!/usr/bin/env python3
"""Prints success@3, MRR and nDCG@10 per kind under the four judgements (judge 1,
judge 2, union, intersection), ours and the Xapian default, on both libraries,
from the bp-relevance outputs that bench/relevance/judge2/measure leaves in DIR
(<library>-<judgement>.md)."""
import sys

D = sys.argv[1]
NAMES = ["j1", "j2", "union", "inter"]


def parse(p):
    rows = {}
    for l in open(p, encoding="utf-8"):
        if l.startswith("| ") and not l.startswith("| kind") and not l.startswith("| ---"):
            c = [x.strip() for x in l.strip().strip("|").split("|")]
            rows[c[0]] = c[1:]
    return rows


for lib, title in [("starter", "starter library (44 practices)"), ("mixed", "with 1,000 distractors (1,044 practices)")]:
    d = {j: parse(f"{D}/{lib}-{j}.md") for j in NAMES}
    for mi, metric in [(1, "success@3"), (2, "MRR"), (3, "nDCG@10")]:
        print(f"\n{metric}, {title}:\n")
        print("| kind | n | n (intersection) | ours J1 | ours J2 | ours union | ours intersection "
              "| Xapian J1 | Xapian J2 | Xapian union | Xapian intersection |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for k in d["j1"]:
            o = [d[j][k][mi] for j in NAMES]
            x = [d[j][k][mi + 3] for j in NAMES]
            print(f"| {k} | {d['j1'][k][0]} | {d['inter'][k][0]} | " + " | ".join(o) + " | " + " | ".join(x) + " |")
