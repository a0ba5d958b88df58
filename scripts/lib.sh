# Shared helpers for the project's scripts (sourced, not run).
# Every step is idempotent: it checks before it installs or builds.

LOOKALIKE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOOKALIKE_ROOT

log() { printf '\033[1m[lookalike]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[lookalike] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian packages every build and test needs. Node.js and npm are expected
# from the machine (Debian 12's own nodejs 18 is too old for Vite); only
# installed from Debian when missing altogether.
LOOKALIKE_APT_PACKAGES=(
  g++ cmake ninja-build pkg-config ca-certificates curl
  libstb-dev libhnswlib-dev nlohmann-json3-dev catch2 libcli11-dev libxxhash-dev
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev zlib1g-dev
  emscripten
  clang libclang-rt-14-dev clang-format
  chromium fonts-dejavu-core
  darknet python3-onnx
)

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

# Configures (once) and builds a CMake preset.
build_preset() {
  local preset="$1"
  if [ ! -f "$LOOKALIKE_ROOT/build/$preset/build.ninja" ]; then
    log "configuring preset $preset"
    (cd "$LOOKALIKE_ROOT" && cmake --preset "$preset" >/dev/null) || die "cmake --preset $preset failed"
  fi
  log "building preset $preset"
  (cd "$LOOKALIKE_ROOT" && NODE_PATH=/usr/share/nodejs cmake --build --preset "$preset" -- -j"$(nproc)") \
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
