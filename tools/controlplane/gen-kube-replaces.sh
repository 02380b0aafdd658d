#!/usr/bin/env bash
# Regenerates kube/go.mod's replace lines: k8s.io/kubernetes requires every
# staging module at v0.0.0 and replaces them with ./staging paths, which only
# act when it is the main module. A consumer must pin each to v0.<minor>.<patch>.
# The list drifts per minor release, so it is read from the .mod the proxy serves.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
K=${KUBERNETES_VERSION#v}
(cd "$here/kube" && GOTOOLCHAIN=local go mod download -json "k8s.io/kubernetes@v$K" >/dev/null)
mod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K.mod"
cd "$here/kube"
for m in $(sed -n 's|^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*|\1|p' "$mod"); do
  go mod edit -replace="$m=$m@v0.${K#1.}"
done
# Copy kubernetes' own godebug line: a dependency's godebug is ignored.
gd=$(sed -n 's|^godebug \(.*\)|\1|p' "$mod" | head -1)
[ -n "$gd" ] && go mod edit -godebug="$gd"
GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod tidy
