#!/bin/sh
# Copy of the relevance collection without the judgements column (kind, query,
# filters only), so a second judge can judge blind. Comment lines are dropped
# (they may describe the first judge's answers).
# Usage: bench/relevance/judge2/strip-judgements.sh [queries.tsv] > blind.tsv
exec awk -F'\t' 'BEGIN{OFS="\t"} /^#/ || NF==0 {next} {print NR, $1, $2, $3}' "${1:-bench/relevance/queries.tsv}"
