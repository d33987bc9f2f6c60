#!/usr/bin/env bash
# Checks every unit of deploy/systemd/ with systemd-analyze (Debian's
# systemd package) as an operator's machine would load it:
#   verify_units.sh UNITS_DIR WORK_DIR BP_SERVER BP_INDEX
# The units are loaded from a root folder (--root) that holds them, the
# distribution's own units and the programs they start (the built bp-server
# and bp-index, git, kill, flock and xapian-tools' replication programs), so that
# a missing program, an unknown directive, a wrong value or a missing
# dependency fails the test: `verify` exits 0 on some of those and only
# prints a warning, so any output fails too. Then `systemd-analyze
# security --offline` must rate each long-running service 2.0 or better
# ("OK", on its 0-10 scale). Works without systemd running (containers).
set -euo pipefail

units="$1" work="$2" bp_server="$3" bp_index="$4"
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd, in scripts/lib.sh BP_PACKAGES)"
  exit 77
fi

root="$work/root"
rm -rf "$root"
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/bin" "$root/opt/buone-pratiche/current/bin"
ln -s usr/bin "$root/bin"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$units"/*.service "$units"/*.timer "$units"/*.path "$root/etc/systemd/system/"
# The programs the units start, where the units expect them (a hard link
# when the build folder allows it, else a copy).
ln -f "$bp_server" "$root/opt/buone-pratiche/current/bin/bp-server" 2>/dev/null ||
  cp "$bp_server" "$root/opt/buone-pratiche/current/bin/bp-server"
ln -f "$bp_index" "$root/opt/buone-pratiche/current/bin/bp-index" 2>/dev/null ||
  cp "$bp_index" "$root/opt/buone-pratiche/current/bin/bp-index"
for tool in git kill flock xapian-replicate xapian-replicate-server; do
  path="$(type -P "$tool" || true)"
  if [ -z "$path" ]; then
    echo "FAIL: $tool is not installed (git, procps, xapian-tools: scripts/lib.sh BP_PACKAGES)"
    exit 1
  fi
  cp "$path" "$root/usr/bin/$tool"
done

names=()
for f in "$root"/etc/systemd/system/*; do
  name="$(basename "$f")"
  case "$name" in
    *@.service) names+=("${name%@.service}@8081.service" "${name%@.service}@8082.service") ;;
    *) names+=("$name") ;;
  esac
done

status=0
echo "systemd-analyze verify ${names[*]}"
if ! out="$(cd "$work" && systemd-analyze verify --man=no --generators=no --root="$root" "${names[@]}" 2>&1)"; then
  echo "$out"
  echo "FAIL: systemd-analyze verify failed"
  status=1
elif [ -n "$out" ]; then
  echo "$out"
  echo "FAIL: systemd-analyze verify printed warnings"
  status=1
fi

for name in "${names[@]}"; do
  case "$name" in *.service) ;; *) continue ;; esac
  grep -q '^Type=oneshot' "$root/etc/systemd/system/$(echo "$name" | sed 's/@[0-9]*\./@./')" && continue
  if ! out="$(cd "$work" && systemd-analyze security --offline=yes --root="$root" --threshold=20 "$name" 2>&1)"; then
    echo "$out" | tail -25
    echo "FAIL: $name is exposed above 2.0 (systemd-analyze security)"
    status=1
  else
    echo "$out" | tail -1
  fi
done
exit "$status"
