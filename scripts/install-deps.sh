#!/usr/bin/env bash
# Installs the Debian 12 packages SalesBoost needs to build, run and test.
# Idempotent: when every package is present it returns without touching apt.
# Works as root or through sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git clang-format clang-tidy
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev ca-certificates libsqlite3-dev libsodium-dev libicu-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libexpected-dev
  # knowledge base: PDF text and rendering, OCR (Chinese + English), vectors, DOCX and HTML
  libpoppler-cpp-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-chi-sim
  libhnswlib-dev libarchive-dev libxml2-dev zlib1g-dev
  # scale-out state: the Redis client library, and the servers the integration tests start;
  # nginx balances the instances of the cluster tests and scripts/cluster.sh
  libhiredis-dev redis-server redis-sentinel nginx-light
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev openssl
  # the PostgreSQL store (store.driver = postgres): libpq, and the server its tests start
  libpq-dev postgresql-15
  # the peers knowledge benchmarks compare against: pdftotext and the tesseract CLI
  poppler-utils tesseract-ocr
  # the OpenAPI document's checks (tests/openapi), deploy/vllm-ocr/check.sh and the Qdrant double (tools/qdrant-double)
  python3 python3-jsonschema curl
)
# The web console is bundled by esbuild from npm (web/package-lock.json): Node.js and npm, from Debian
# unless the machine already has them (a NodeSource nodejs ships its own npm).
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
# `make test` also runs the browser tests: Chromium, and CJK fonts so that its screenshots show Chinese.
if [[ ${1:-} == --test ]]; then
  PACKAGES+=(chromium fonts-noto-cjk)
fi
# `make bench` also needs these: it drives the server (curl, python3) and plots the results (gnuplot).
if [[ ${1:-} == --bench ]]; then
  PACKAGES+=(curl python3 gnuplot-nox)
fi
# `make fuzz` builds with clang and links libFuzzer (compiler-rt).
if [[ ${1:-} == --fuzz ]]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done

# The console's npm packages, exactly as locked, whenever the lockfile changed since the last install.
install_web_packages() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/web"
  if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
    echo "install-deps: npm ci in web/"
    npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
  fi
}

if ((${#missing[@]} == 0)); then
  install_web_packages
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_web_packages
