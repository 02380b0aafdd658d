#!/usr/bin/env bash
# Installs what Capstan needs on a fresh machine, each step skipped when done:
# npm dependencies (when package-lock.json changed), Debian packages the
# tests use, the binaries built from Go modules and the compatibility engine
# (both cached by version).
set -euo pipefail
cd "$(dirname "$0")/.."

need_tool() { command -v "$1" >/dev/null 2>&1 || { echo "capstan: $1 is required ($2)" >&2; exit 1; }; }
need_tool node "Node.js 20"
need_tool go "Go 1.26, to build the local control plane"

missing=()
for pair in git:git openssl:openssl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "capstan: please install ${missing[*]}" >&2; exit 1
  fi
fi

lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.capstan-lock 2>/dev/null)" != "$lock_hash" ]; then
  echo "installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > node_modules/.capstan-lock
fi

bash tools/controlplane/build.sh >/dev/null
bash compat/build.sh >/dev/null
