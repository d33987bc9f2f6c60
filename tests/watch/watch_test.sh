#!/usr/bin/env bash
# bp-index watch on a copy of the valid fixture:
#   watch_test.sh BP_INDEX FIXTURE
# 1. A case file saved while another build holds the index (its LOCK taken
#    with flock, as `bp-index build` run by hand takes it) is indexed once
#    the lock is free: the watch says it will retry, then builds.
# 2. A case file refused for a missing image is published once the image
#    is copied beside it, without saving the case file again.
# Every wait is for a line of the watch's output, bounded (30 s), never a
# fixed sleep.
set -euo pipefail

bp_index="$1" fixture="$2"
work="$(mktemp -d)"
watch_pid=""
cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$fixture" "$work/content"
log="$work/watch.log"

fail() {
  echo "FAIL: $1"
  echo "--- watch output:"
  cat "$log"
  exit 1
}
# Waits until the output has at least $2 lines matching $1.
wait_for() {
  local pattern="$1" count="${2:-1}"
  for _ in $(seq 300); do
    [ "$(grep -c -- "$pattern" "$log" || true)" -ge "$count" ] && return 0
    sleep 0.1
  done
  fail "no «$pattern» (x$count) within 30 s"
}

# Waits until the index holds $1 (its open data, as `bp-index export` writes
# it); fails with $2 after 30 s.
wait_indexed() {
  for _ in $(seq 300); do
    "$bp_index" export --index "$work/index" --format json 2>/dev/null | grep -q -- "$1" && return 0
    sleep 0.1
  done
  fail "$2"
}

"$bp_index" watch --content "$work/content" --index "$work/index" >"$log" 2>&1 &
watch_pid=$!
wait_for "in attesa di modifiche"

# 1. Another build holds the lock while a case file is saved.
exec 9>"$work/index/LOCK"
flock 9
sed -i 's/^title: .*/title: "Gruppo di acquisto di quartiere, salvato durante un build"/' \
  "$work/content/practices/nord/gas-di-quartiere.md"
wait_for "riprovo appena finisce"
flock -u 9
exec 9>&-
wait_indexed "salvato durante un build" "the save made while the index was busy was never indexed"

# 2. A new case file showing an image that is not there yet.
sed -e 's/^title: .*/title: "Pratica con la foto"/' -e 's#gas-di-quartiere/#con-foto/#g' \
  "$work/content/practices/nord/gas-di-quartiere.md" >"$work/content/practices/nord/con-foto.md"
wait_for "con-foto.md:.*mancante"
mkdir -p "$work/content/practices/nord/con-foto"
cp "$work/content/practices/nord/gas-di-quartiere/"* "$work/content/practices/nord/con-foto/"
wait_indexed "Pratica con la foto" "adding the missing image did not publish the case file"
echo "PASS"
