#!/bin/sh
# Builds bench/relevance/judgements-2.tsv (the second judge's judgements, in the
# format and order of queries.tsv) from the blind copy of the collection and the
# second judge's working file judgements-by-line.txt: "<line of queries.tsv>
# <alias>[:1] ...", where an alias is a short name for a practice (aliases.txt).
# A query with no line in judgements-by-line.txt is left out of the output (the
# count goes to stderr); a judgement whose line is not a query of the collection
# (queries.tsv's lines moved, e.g. its header grew) stops the script.
# Usage (from the repository root): bench/relevance/judge2/make-judgements.sh
set -eu
dir=bench/relevance/judge2
out=bench/relevance/judgements-2.tsv
{
cat <<'HDR'
# The relevance collection judged a second time, independently of the first judge
# (engineer P, 1 December 2026, before looking at queries.tsv's judgements or at
# any search result). Judged from a copy of queries.tsv without its judgements
# column (bench/relevance/judge2/strip-judgements.sh) against the 44 case files of
# library-content/ (title, summary, in_parole_semplici, body, lesson sheet, front
# matter for the filters). The seventh to tenth held-out sets (everyday-heldout7..10,
# question-heldout3..6, english-heldout2..5), added later, were judged the same way
# by engineer J (2 December 2026, night), equally blind. Same format and order as
# queries.tsv, without the queries the second judge has not judged:
#   kind, query, filters, judgements (slug = grade 2, a best answer; slug:1 = grade 1)
# Several grade-2 answers where several practices answer equally well.
# Source: bench/relevance/judge2/judgements-by-line.txt (aliases.txt), built by
# bench/relevance/judge2/make-judgements.sh. See docs/search-quality.md,
# "A second judge (1 December, evening)" and "The second judge for the seventh to
# tenth sets (2 December, night)".
HDR
"$dir/strip-judgements.sh" | awk -F'\t' -v OFS='\t' -v A="$dir/aliases.txt" -v J="$dir/judgements-by-line.txt" '
  BEGIN {
    while ((getline l < A) > 0) { split(l, p, " "); slug[p[1]] = p[2] }
    while ((getline l < J) > 0) {
      n = split(l, p, " "); s = ""
      for (i = 2; i <= n; i++) {
        a = p[i]; g = ""
        if (a ~ /:1$/) { g = ":1"; sub(/:1$/, "", a) }
        if (!(a in slug)) { print "unknown alias " a " on line " p[1] > "/dev/stderr"; err = 1; exit 1 }
        s = s (s == "" ? "" : " ") slug[a] g
      }
      j[p[1]] = s
    }
  }
  { query[$1] = 1
    if (!($1 in j)) { left++; next }
    print $2, $3, $4, j[$1] }
  END {
    if (err) exit 1
    for (n in j) if (!(n in query)) {
      print "judgement for line " n ", which is not a query of queries.tsv (did its lines move?)" > "/dev/stderr"
      bad = 1
    }
    if (bad) exit 1
    print (left + 0) " queries without a judgement left out of judgements-2.tsv" > "/dev/stderr"
  }'
} > "$out"
