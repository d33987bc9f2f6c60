#!/bin/bash
# docs/deploy.md's apt-get list (section 2) holds every package of
# BP_PACKAGES (scripts/lib.sh) but the test tools: a package added to the
# build and forgotten in the operators' guide made its cmake step fail.
set -euo pipefail
root="${1:?source folder}"
source "$root/scripts/lib.sh"
test_only=" libgtest-dev libxml2-utils systemd procps "
listed="$(awk '/^## 2\. Packages/{on=1} on && /^```sh/{code=1; next} code && /^```/{exit} code' "$root/docs/deploy.md" \
  | tr ' \\' '\n\n' | grep -v '^$' || true)"
missing=()
for p in "${BP_PACKAGES[@]}"; do
  [[ "$test_only" == *" $p "* ]] && continue
  grep -qx -- "$p" <<<"$listed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "docs/deploy.md, section 2, lacks: ${missing[*]}" >&2
  exit 1
fi
echo "docs/deploy.md lists every build and run-time package of BP_PACKAGES"
