#!/usr/bin/env bash
# Builds the compatibility engine (Go text/template + sprig, gojq, gopher-lua
# at Argo CD's versions) twice from the same sources: compat.wasm, a WASI
# reactor loaded in-process by src/compat, and compat-native, a CLI the
# differential tests compare it with. The cache entry is keyed by go.mod,
# go.sum, every Go source, this script and the Go version; a complete entry is
# reused without running Go. Prints the entry's directory as its last line.
#
#   CAPSTAN_CACHE_DIR   cache root (default ~/.cache/capstan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

cache_root=${CAPSTAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capstan}
go_version=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || {
  echo "capstan: Go is required to build the compatibility engine (go not found on PATH)" >&2; exit 1; }
key=$( { cd "$here" && find . -name '*.go' -o -name go.mod -o -name go.sum -o -name build.sh | LC_ALL=C sort \
          | while read -r f; do echo "$f"; cat "$f"; done; echo "$go_version"; } | sha256sum | cut -c1-16)
out="$cache_root/compat/$key"

if [ -f "$out/.complete" ]; then
  echo "compat: cached in $out" >&2
  echo "$out"; exit 0
fi
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
log="$out/build.log"
: >"$log"
t0=$(date +%s)
echo "compat: building into $out" >&2
build() { # name, then the build command writing $out/<name>.tmp
  local name=$1 t; shift
  t=$(date +%s)
  echo "  $name: building..." >&2
  if ! (cd "$here" && "$@") >>"$log" 2>&1; then
    echo "capstan: building $name failed; see $log" >&2
    tail -n 20 "$log" >&2; exit 1
  fi
  mv "$out/$name.tmp" "$out/$name"
  echo "  $name: built in $(( $(date +%s) - t ))s" >&2
}
build compat.wasm env GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags "-s -w" -buildmode=c-shared \
  -o "$out/compat.wasm.tmp" ./cmd/compat-wasm
build compat-native go build -trimpath -ldflags "-s -w" -o "$out/compat-native.tmp" ./cmd/compat-native
printf '%s\n' compat.wasm compat-native >"$out/.complete"
echo "compat: built in $(( $(date +%s) - t0 ))s" >&2
echo "$out"
