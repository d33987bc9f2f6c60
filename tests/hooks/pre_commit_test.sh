#!/usr/bin/env bash
# The editors' pre-commit hook as an editor meets it, in a throwaway git
# repository holding the valid fixture as library-content/:
#   pre_commit_test.sh HOOK BP_INDEX FIXTURE
# A staged case file whose image was never added is stopped, naming the
# image; once the image is added the commit goes through; a case file with
# an error is stopped by bp-index check.
set -euo pipefail

hook="$1" bp_index="$2" fixture="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
git config user.email redazione@example.org
git config user.name Redazione
mkdir -p library-content scripts/hooks
cp -r "$fixture"/. library-content/
cp "$hook" scripts/hooks/pre-commit
git add library-content/taxonomy.yaml library-content/practices/sud
git commit -q --no-verify -m "base"

run_hook() { BP_INDEX="$bp_index" bash scripts/hooks/pre-commit 2>&1; }
fail() {
  echo "FAIL: $1"
  echo "$2"
  exit 1
}

git add library-content/practices/nord/gas-di-quartiere.md library-content/practices/nord/gas-di-quartiere/regolamento.txt
if out="$(run_hook)"; then fail "a case file went through without the image it shows" "$out"; fi
grep -q "  library-content/practices/nord/gas-di-quartiere/copertina.svg" <<<"$out" ||
  fail "the message does not name the image left out" "$out"
grep -q "regolamento.txt" <<<"$out" && fail "the added file is named as missing" "$out"

git add library-content/practices/nord/gas-di-quartiere/copertina.svg
out="$(run_hook)" || fail "the case file with its files is stopped" "$out"

sed -i 's/^hub: nord/hub:nord/' library-content/practices/nord/gas-di-quartiere.md
git add library-content/practices/nord/gas-di-quartiere.md
if out="$(run_hook)"; then fail "a case file with an error went through" "$out"; fi
grep -q "gas-di-quartiere.md:[0-9]*: YAML non valido: dopo i due punti ci vuole uno spazio" <<<"$out" ||
  fail "the check's error is not shown with its file and line" "$out"
echo "PASS"
