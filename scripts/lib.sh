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
  libkainjow-mustache-dev libpqxx-dev postgresql postgresql-client libxml2-dev libxml2-utils
  libqrencode-dev nginx xapian-tools libjpeg62-turbo-dev libpng-dev libwebp-dev
  libssl-dev zlib1g-dev liblz4-dev libbrotli-dev curl libsodium-dev libmimalloc-dev
  libmythes-dev mythes-it libhunspell-dev hunspell-it
  systemd procps git
)

# Debian 12 packages the browser tests need (tests/browser/run.sh installs
# only those whose command is missing: a Node.js from elsewhere is kept).
BP_BROWSER_PACKAGES=(chromium nodejs npm sqlite3)

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

# A throwaway PostgreSQL cluster for the tests: initdb into a temporary
# folder, pg_ctl start on a free loopback port with its socket in that
# folder, a database "bp_test" owned by the superuser "bp", fsync off (it is
# thrown away; BP_PG_FSYNC=on keeps durable commits, for benchmarks). The
# socket (trust) is in the private folder; over TCP the superuser needs a
# random password, which is only in BP_TEST_DATABASE_URL: on a shared
# machine another local user could otherwise connect as superuser and run
# programs as the cluster's owner (COPY … TO PROGRAM).
# initdb and postgres refuse to run as root: as root the cluster runs as the
# "postgres" user of Debian's package. Sets BP_TEST_DATABASE_URL for ctest.
# Returns 1 (and the tests skip with the reason) when PostgreSQL is missing.
bp_pg_start() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "==> PostgreSQL not installed: its tests will be skipped"
    return 1
  fi
  BP_PG_DIR="$(mktemp -d /tmp/bp-pg.XXXXXX)"
  BP_PG_RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$BP_PG_DIR"
    BP_PG_RUN=(runuser -u postgres --)
  fi
  BP_PG_BIN="$bin"
  local password
  password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  (umask 077; printf '%s\n' "$password" > "$BP_PG_DIR/pwfile")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$BP_PG_DIR/pwfile"
  "${BP_PG_RUN[@]}" "$bin/initdb" -D "$BP_PG_DIR/data" -U bp --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$BP_PG_DIR/pwfile" -E UTF8 --locale=C.UTF-8 \
    >"$BP_PG_DIR/initdb.log" 2>&1 || { cat "$BP_PG_DIR/initdb.log"; return 1; }
  rm -f "$BP_PG_DIR/pwfile"
  local port attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + RANDOM % 40000 ))
    # Something answers on it already: try another.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if "${BP_PG_RUN[@]}" "$bin/pg_ctl" -D "$BP_PG_DIR/data" -l "$BP_PG_DIR/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $BP_PG_DIR -c max_connections=300 -c fsync=${BP_PG_FSYNC:-off}" \
        start >/dev/null; then
      "${BP_PG_RUN[@]}" "$bin/createdb" -h "$BP_PG_DIR" -p "$port" -U bp bp_test
      export BP_TEST_DATABASE_URL="postgresql://bp:$password@127.0.0.1:$port/bp_test"
      echo "==> Throwaway PostgreSQL on 127.0.0.1:$port ($BP_PG_DIR)"
      return 0
    fi
  done
  echo "==> PostgreSQL did not start: see $BP_PG_DIR/server.log"
  return 1
}

# Stops and removes the cluster bp_pg_start made (no-op when none).
bp_pg_stop() {
  if [ -n "${BP_PG_DIR:-}" ] && [ -d "$BP_PG_DIR" ]; then
    "${BP_PG_RUN[@]}" "$BP_PG_BIN/pg_ctl" -D "$BP_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$BP_PG_DIR"
  fi
  BP_PG_DIR=""
  unset BP_TEST_DATABASE_URL
}
