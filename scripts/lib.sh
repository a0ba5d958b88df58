# Shared helpers for the project's scripts (sourced, not run).
# Every step is idempotent: it checks before it installs or builds.

LOOKALIKE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOOKALIKE_ROOT

log() { printf '\033[1m[lookalike]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[lookalike] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian packages every build and test needs. libfaiss-dev trains a
# partitioned index's centroids; libopenblas0-openmp becomes the BLAS it
# calls (Debian's reference BLAS would make k-means on a million vectors
# take hours instead of minutes). Node.js and npm are expected
# from the machine (Debian 12's own nodejs 18 is too old for Vite); only
# installed from Debian when missing altogether.
LOOKALIKE_APT_PACKAGES=(
  g++ cmake ninja-build pkg-config ca-certificates curl
  libstb-dev libhnswlib-dev nlohmann-json3-dev catch2 libcli11-dev libxxhash-dev
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev zlib1g-dev
  emscripten
  clang libclang-rt-14-dev clang-format
  chromium firefox-esr fonts-dejavu-core
  darknet python3-onnx python3-pil
  dpkg-dev
  libfaiss-dev libopenblas0-openmp
  slurm-wlm munge
)

# The demo collection's images (scripts/demo.sh, scripts/demo-collection.mjs):
# not needed by the tests, so installed by demo.sh only.
LOOKALIKE_DEMO_APT_PACKAGES=(openclipart-png darknet mate-backgrounds)

# Libraries built from Debian's source packages for both targets (natively
# and with Emscripten), so that the CLI and the page run the very same code:
# name of the source package, and the folder under build/deps-src it is
# unpacked to (CMakeLists.txt reads it from there).
LOOKALIKE_SOURCE_PACKAGES=(libjpeg-turbo)
LOOKALIKE_DEPS_SRC="$LOOKALIKE_ROOT/build/deps-src"

missing_apt_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

ensure_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages "$@")
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
  [ ${#missing[@]} -eq 0 ] && { log "Debian packages: all present"; return 0; }
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages (${missing[*]}); run as root or install them with apt-get"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed (is the network up?)"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install failed: ${missing[*]}"
}

# npm packages from package-lock.json. onnxruntime-node's install script would
# try to download GPU providers when it sees a CUDA compiler, which fails
# offline; the CPU binaries ship inside the package, so the script is skipped.
ensure_npm_packages() {
  [ -f "$LOOKALIKE_ROOT/package-lock.json" ] || return 0
  local stamp="$LOOKALIKE_ROOT/node_modules/.lookalike-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$LOOKALIKE_ROOT/package-lock.json"; then
    log "npm packages: up to date"
    return 0
  fi
  log "installing npm packages (npm ci)"
  (cd "$LOOKALIKE_ROOT" && ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund --loglevel=error) \
    || die "npm ci failed"
  cp "$LOOKALIKE_ROOT/package-lock.json" "$stamp"
}

# CLIP's vocabulary, which the tokenizer tests and the tiny text tower
# (models/test/tiny-text.json) read: installed as a user installs it, by
# models/fetch.sh verifying the card's sha256, from ../shared's copy (no
# network) into build/models, where the CLI and the tests look for installed
# models. Without ../shared, the tests that need it skip, saying how to install it.
ensure_test_vocabulary() {
  local from="${LOOKALIKE_SHARED_DIR:-$LOOKALIKE_ROOT/../shared}/models/clip-tokenizer"
  local dest="$LOOKALIKE_ROOT/build/models" out
  if [ ! -d "$from" ]; then
    log "CLIP's vocabulary: $from is absent, so the tests that need it will skip (models/fetch.sh --text tiny-embed --dest build/models downloads it)"
    return 0
  fi
  out=$("$LOOKALIKE_ROOT/models/fetch.sh" --from "$from" --dest "$dest" --text tiny-embed 2>&1) \
    || { printf '%s\n' "$out" >&2; die "models/fetch.sh could not install CLIP's vocabulary from $from"; }
  log "CLIP's vocabulary: installed and verified in $dest"
}

# Configures (once) and builds a CMake preset: everything, or only the
# targets named after it (the demo needs the CLI, not the tests).
build_preset() {
  local preset="$1"
  shift
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  if [ ! -f "$LOOKALIKE_ROOT/build/$preset/build.ninja" ]; then
    log "configuring preset $preset"
    (cd "$LOOKALIKE_ROOT" && cmake --preset "$preset" >/dev/null) || die "cmake --preset $preset failed"
  fi
  log "building preset $preset${targets[*]:+ (${*})}"
  (cd "$LOOKALIKE_ROOT" && NODE_PATH=/usr/share/nodejs cmake --build --preset "$preset" "${targets[@]}" -- -j"$(nproc)") \
    || die "build of preset $preset failed"
}

# Type-checks and builds the web app (web/ → web/dist) with the shared npm
# packages; needs the wasm preset built (the app bundles its module).
build_web() {
  local config
  log "type-checking the web app"
  for config in app worker sw node; do
    (cd "$LOOKALIKE_ROOT" && node node_modules/typescript/bin/tsc -p "web/tsconfig.$config.json") || die "TypeScript errors in web/ (tsconfig.$config.json)"
  done
  log "building the web app (vite)"
  (cd "$LOOKALIKE_ROOT" && node node_modules/vite/bin/vite.js build --config web/vite.config.ts --logLevel warn) || die "vite build failed"
}

# Debian's source packages need deb-src entries, which a fresh Debian 12 has
# not: one is added beside every 'deb' entry of the machine's own sources
# (same mirror, suites and components), then the lists are updated.
ensure_deb_src_entries() {
  local package="$1"
  { apt-cache showsrc "$package" 2>/dev/null || true; } | grep -q '^Package:' && return 0
  [ "$(id -u)" -eq 0 ] || die "Debian's source of $package is not known to apt (no deb-src entry); run as root once, or add a deb-src line and run apt-get update"
  local list=/etc/apt/sources.list.d/lookalike-deb-src.sources file
  log "adding deb-src entries for Debian's source packages ($list)"
  {
    for file in /etc/apt/sources.list.d/*.sources; do
      [ -f "$file" ] && [ "$file" != "$list" ] || continue
      sed -n '/^Types:.*\bdeb\b/,/^$/p' "$file" | sed 's/^Types:.*/Types: deb-src/'
      echo
    done
    # One-line style entries ("deb URI SUITE COMPONENTS") as deb822 stanzas.
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$file" ] || continue
      awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
             printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
             for (j = i + 2; j <= NF; j++) printf " %s", $j; printf "\n\n" }' "$file"
    done
  } >"$list"
  apt-get update -qq || die "apt-get update failed (is the network up?)"
  { apt-cache showsrc "$package" 2>/dev/null || true; } | grep -q '^Package:' \
    || die "Debian's source package $package is still unknown after adding deb-src entries ($list)"
}

# Unpacks Debian's source of each LOOKALIKE_SOURCE_PACKAGES entry (with
# Debian's patches applied) into build/deps-src/<name>, once per version;
# the CMake builds compile it from there and cache the result in their own
# build folder.
ensure_source_packages() {
  local package version dest stamp work
  for package in "${LOOKALIKE_SOURCE_PACKAGES[@]}"; do
    dest="$LOOKALIKE_DEPS_SRC/$package"
    stamp="$dest/.lookalike-debian-version"
    version=$({ apt-cache showsrc "$package" 2>/dev/null || true; } | sed -n 's/^Version: //p' | sort -V | tail -n 1)
    if [ -f "$stamp" ] && { [ -z "$version" ] || [ "$(cat "$stamp")" = "$version" ]; }; then
      log "Debian source $package $(cat "$stamp"): present"
      continue
    fi
    ensure_deb_src_entries "$package"
    version=$(apt-cache showsrc "$package" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
    log "fetching Debian's source of $package $version (apt-get source)"
    mkdir -p "$LOOKALIKE_DEPS_SRC"
    work=$(mktemp -d "$LOOKALIKE_DEPS_SRC/.fetch-XXXXXX")
    (cd "$work" && apt-get source -qq "$package=$version" >/dev/null 2>"$work/apt.log") \
      || { cat "$work/apt.log" >&2; rm -rf "$work"; die "apt-get source $package=$version failed"; }
    local unpacked
    unpacked=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    [ -n "$unpacked" ] || { rm -rf "$work"; die "apt-get source $package unpacked nothing"; }
    echo "$version" >"$unpacked/.lookalike-debian-version"
    rm -rf "$dest"
    mv "$unpacked" "$dest"
    rm -rf "$work"
  done
}
