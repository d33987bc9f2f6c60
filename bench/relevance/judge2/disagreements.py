#!/usr/bin/env python3
"""Lists the held-out queries whose grade-2 sets differ between the two judges,
with both judges' best answers and our first 3 results on both libraries (grade
by judge 1 / judge 2 in brackets), as a Markdown table. DIR is where
bench/relevance/judge2/measure left its --details outputs. Opens held-out queries:
for the second-judge measurement only (docs/search-quality.md)."""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare.py"))
c = importlib.util.module_from_spec(spec)
spec.loader.exec_module(c)
D = sys.argv[1]
j1 = c.read(os.path.join(ROOT, "bench/relevance/queries.tsv"))
j2 = c.read(os.path.join(ROOT, "bench/relevance/judgements-2.tsv"))


def top3(p):
    d = {}
    for l in open(p, encoding="utf-8"):
        m = re.match(r'(HIT|MISS) (\S+) "(.*)" \(line \d+\):(.*)', l)
        if m:
            d[(m.group(2), m.group(3))] = re.findall(r" (\S+)\[\d\] [\d.]+", m.group(4))[:3]
    return d


s, x = top3(f"{D}/starter-j1.details"), top3(f"{D}/mixed-j1.details")


def fmt(lst, g1, g2):
    return ", ".join(f"{t} ({g1.get(t, 0)}/{g2.get(t, 0)})" for t in lst) or "(none)"


print("| kind | query | judge 1 best | judge 2 best | our first 3, starter (grade J1/J2) "
      "| our first 3, 1,000 distractors (grade J1/J2) |")
print("| --- | --- | --- | --- | --- | --- |")
for (k, q, f, g1), (_, _, _, g2) in zip(j1, j2):
    b1, b2 = c.best(g1), c.best(g2)
    if "heldout" not in k or b1 == b2:
        continue
    print(f"| {k} | {q} | {', '.join(sorted(b1))} | {', '.join(sorted(b2))} "
          f"| {fmt(s[(k, q)], g1, g2)} | {fmt(x[(k, q)], g1, g2)} |")
