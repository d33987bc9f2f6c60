# Shared helpers for scripts/run and scripts/test. Sourced, not executed.
set -euo pipefail

BP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# scripts/test builds everything in build/; scripts/run only the two programs
# in build-run/, so running one after the other rebuilds nothing.
BP_BUILD="${BP_BUILD:-$BP_ROOT/build}"
BP_RUN_BUILD="${BP_RUN_BUILD:-$BP_ROOT/build-run}"
BP_JOBS="${BP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Debian 12 packages the build, the tests and the browser tests need.
BP_PACKAGES=(
  build-essential cmake pkg-config ca-certificates
  libxapian-dev libcpp-httplib-dev nlohmann-json3-dev libcmark-dev
  libyaml-cpp-dev libsqlite3-dev libicu-dev libgtest-dev libcli11-dev
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

# bp_configure_and_build DIR BUILD_TYPE [CMAKE_ARG...] [-- TARGET...]
# Configures DIR (ccache is used when installed) and builds the targets
# (everything when none is named).
bp_configure_and_build() {
  local dir="$1" build_type="$2"
  shift 2
  local args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  if command -v ccache >/dev/null 2>&1; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$BP_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$build_type" "${args[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$BP_JOBS" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$BP_JOBS"
  fi
}
