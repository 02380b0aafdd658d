#!/usr/bin/env bash
# Installs what Capstan needs on a fresh machine, each step skipped when done:
# npm dependencies (when package-lock.json changed), Debian packages the
# tests use (with --browser also Chromium, for the UI's browser tests), the
# binaries built from Go modules and the compatibility engine (both cached by
# version), and the web UI (built again only when its sources change).
set -euo pipefail
cd "$(dirname "$0")/.."

need_tool() { command -v "$1" >/dev/null 2>&1 || { echo "capstan: $1 is required ($2)" >&2; exit 1; }; }
need_tool node "Node.js 20"
need_tool go "Go 1.26, to build the local control plane"

browser=false
for arg in "$@"; do [ "$arg" = --browser ] && browser=true; done

missing=()
for pair in git:git openssl:openssl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
# Debian's Chromium; the browser tests drive it with playwright-core, which never downloads one.
if $browser && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
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

# The web UI (src/ui, and the pure core it bundles) into dist/ui, which the API server serves.
ui_hash=$( { find src/ui src/api src/diff -type f ! -name '*.test.ts' -print0 | sort -z | xargs -0 sha256sum
  sha256sum package-lock.json scripts/build-ui.ts; } | sha256sum | cut -c1-16)
if [ "$(cat dist/.ui-build 2>/dev/null)" != "$ui_hash" ] || [ ! -f dist/ui/index.html ]; then
  echo "building the web UI" >&2
  npx tsx scripts/build-ui.ts >&2
  echo "$ui_hash" > dist/.ui-build
fi
