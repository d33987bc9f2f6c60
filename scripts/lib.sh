# Shared helpers for scripts/run and scripts/test. Sourced, not executed.
set -euo pipefail

BP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BP_BUILD="${BP_BUILD:-$BP_ROOT/build}"
BP_JOBS="${BP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Debian 12 packages the build, the tests and the browser tests need.
BP_PACKAGES=(
  build-essential cmake pkg-config ca-certificates
  libxapian-dev libcpp-httplib-dev nlohmann-json3-dev libcmark-dev
  libyaml-cpp-dev libsqlite3-dev libicu-dev libgtest-dev libbenchmark-dev
  libkainjow-mustache-dev libqrencode-dev
  libssl-dev zlib1g-dev libbrotli-dev curl
)

# Debian 12 packages the browser tests need (tests/browser/run.sh installs
# only those whose command is missing: a Node.js from elsewhere is kept).
BP_BROWSER_PACKAGES=(chromium nodejs npm)

bp_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs whichever of the given Debian packages are missing.
bp_install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing Debian packages: ${missing[*]}"
    bp_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive bp_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

bp_configure_and_build() {
  local build_type="$1"
  cmake -S "$BP_ROOT" -B "$BP_BUILD" -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
  cmake --build "$BP_BUILD" -j "$BP_JOBS"
}
