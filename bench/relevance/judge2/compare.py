#!/usr/bin/env python3
"""Agreement between the two judges of the relevance collection, and the
union / intersection collections to score with bp-relevance.

  bench/relevance/judge2/compare.py [--write-judge1 FILE] [--write-union FILE]
                                     [--write-intersection FILE]
                                     [--disagreements]

Reads bench/relevance/queries.tsv (judge 1) and bench/relevance/judgements-2.tsv
(judge 2), which hold the same queries in the same order (judge 2 may leave out
the newest sets: those queries are left out of the comparison, with a note on
stderr), and prints per kind:
the share of queries whose grade-2 sets intersect, the share where they are
equal, and Cohen's kappa on "grade 2 or not" over (query, practice) pairs (every
practice of the starter library for every query; a practice a filter excludes
is "not" for both judges, which the kappa accounts for), and the same kappa on
"judged at all (grade 1 or 2) or not".

Union: a practice is grade 2 if either judge gave it 2, else grade 1 if either
judged it. Intersection: grade 2 if both gave it 2, else grade 1 if either
judged it; queries whose grade-2 sets do not intersect are left out (there is no
best answer both agree on), so the intersection scores a subset of the queries.
"""
import argparse
import collections
import glob
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def read(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        kind, q, filters, judged = line.split("\t")
        grades = {}
        for g in judged.split():
            slug, _, grade = g.partition(":")
            grades[slug] = int(grade) if grade else 2
        out.append((kind, q, filters, grades))
    return out


def best(grades):
    return {s for s, g in grades.items() if g == 2}


def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return float("nan")
    a = sum(1 for x, y in pairs if x == y) / n
    p1 = sum(x for x, _ in pairs) / n
    p2 = sum(y for _, y in pairs) / n
    e = p1 * p2 + (1 - p1) * (1 - p2)
    return (a - e) / (1 - e) if e < 1 else 1.0


def write(path, rows, header):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for kind, q, filters, grades in rows:
            judged = " ".join(s if g == 2 else s + ":1" for s, g in sorted(grades.items(), key=lambda x: (-x[1], x[0])))
            f.write(f"{kind}\t{q}\t{filters}\t{judged}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--j1", default=os.path.join(ROOT, "bench/relevance/queries.tsv"))
    ap.add_argument("--j2", default=os.path.join(ROOT, "bench/relevance/judgements-2.tsv"))
    ap.add_argument("--write-judge1", help="judge 1's judgements of the queries both judged")
    ap.add_argument("--write-union")
    ap.add_argument("--write-intersection")
    ap.add_argument("--disagreements", action="store_true", help="print the queries whose grade-2 sets differ")
    args = ap.parse_args()
    j1, j2 = read(args.j1), read(args.j2)
    # judgements-2.tsv may leave out the newest set(s): compare the queries
    # both judges judged, in judge 1's order, and say how many were left out.
    judged2 = {(k, q, f) for k, q, f, _ in j2}
    assert len(judged2) == len(j2), "judgements-2.tsv holds a query twice"
    left_out = [r for r in j1 if (r[0], r[1], r[2]) not in judged2]
    j1 = [r for r in j1 if (r[0], r[1], r[2]) in judged2]
    assert len(j1) == len(j2), "judgements-2.tsv holds queries that queries.tsv does not"
    if left_out:
        kinds_out = sorted({r[0] for r in left_out})
        print(f"(not judged by the second judge, left out: {len(left_out)} queries of {', '.join(kinds_out)})",
              file=sys.stderr)
    slugs = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "library-content/practices/*/*.md")))

    kinds = []
    stats = collections.defaultdict(lambda: {"n": 0, "meet": 0, "equal": 0, "pairs": [], "any": [], "b1": 0, "b2": 0})
    union, inter = [], []
    for (k1, q1, f1, g1), (k2, q2, f2, g2) in zip(j1, j2):
        assert (k1, q1, f1) == (k2, q2, f2), f"different query: {q1!r} / {q2!r}"
        if k1 not in kinds:
            kinds.append(k1)
        b1, b2 = best(g1), best(g2)
        for key in (k1, "**all**"):
            s = stats[key]
            s["n"] += 1
            s["meet"] += bool(b1 & b2)
            s["equal"] += b1 == b2
            s["b1"] += len(b1)
            s["b2"] += len(b2)
            s["pairs"] += [(int(x in b1), int(x in b2)) for x in slugs]
            s["any"] += [(int(x in g1), int(x in g2)) for x in slugs]
        u = {}
        for s_, g in list(g1.items()) + list(g2.items()):
            u[s_] = max(u.get(s_, 0), g)
        union.append((k1, q1, f1, u))
        if b1 & b2:
            i = {s_: 1 for s_ in set(g1) | set(g2)}
            for s_ in b1 & b2:
                i[s_] = 2
            inter.append((k1, q1, f1, i))
        if args.disagreements and b1 != b2:
            print(f"{k1}\t{q1}\t{f1}\tJ1: {' '.join(sorted(b1))}\tJ2: {' '.join(sorted(b2))}")

    if args.disagreements:
        return
    print("| kind | queries | grade-2 sets intersect | grade-2 sets equal | Cohen's kappa (grade 2 or not) | kappa (judged or not) | mean grade-2 answers, judge 1 | judge 2 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for k in kinds + ["**all**"]:
        s = stats[k]
        n = s["n"]
        print(f"| {k} | {n} | {s['meet'] / n:.2f} | {s['equal'] / n:.2f} | {kappa(s['pairs']):.2f} | {kappa(s['any']):.2f} | {s['b1'] / n:.2f} | {s['b2'] / n:.2f} |")

    header = ("# Built by bench/relevance/judge2/compare.py from queries.tsv (judge 1) and\n"
              "# judgements-2.tsv (judge 2); see docs/search-quality.md. Not a collection to edit.\n")
    if args.write_judge1:
        write(args.write_judge1, j1, header + "# Judge 1 (queries.tsv) on the queries judge 2 judged.\n")
    if args.write_union:
        write(args.write_union, union, header + "# Union: grade 2 if either judge gave 2, else grade 1 if either judged it.\n")
    if args.write_intersection:
        write(args.write_intersection, inter, header +
              "# Intersection: grade 2 if both judges gave 2, else grade 1 if either judged it;\n"
              "# queries without a best answer both judges share are left out.\n")


if __name__ == "__main__":
    main()
