#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok) and the render tools (kustomize, helm) from Go modules
# into a versioned cache, and prints that cache's bin directory as its last line.
# A complete cache is reused without running the Go toolchain.
#
#   CAPSTAN_CACHE_DIR   cache root (default ~/.cache/capstan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"

cache_root=${CAPSTAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capstan}
go_version=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || {
  echo "capstan: Go is required to build the control plane (go not found on PATH)" >&2; exit 1; }
key=$( { cat "$here/versions.env" "$here/build.sh" "$here"/kube/go.mod "$here"/kube/go.sum \
          "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/main.go; echo "$go_version"; } \
        | sha256sum | cut -c1-16)
bin="$cache_root/bin/$key"
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kustomize helm)

if [ -f "$bin/.complete" ]; then
  echo "control plane: cached in $bin" >&2
  echo "$bin"; exit 0
fi
mkdir -p "$bin"
# One build at a time per cache entry; a waiter finds the cache complete.
exec 9>"$bin/.lock"
flock 9
if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
log="$bin/build.log"
: >"$log"
t_all=$(date +%s)

step() { # name, then the command that builds it into $bin/<name>
  local name=$1; shift
  if [ -x "$bin/$name" ]; then echo "  $name: cached" >&2; return; fi
  local t0; t0=$(date +%s)
  echo "  $name: building..." >&2
  if ! "$@" >>"$log" 2>&1; then
    echo "capstan: building $name failed; see $log" >&2
    tail -n 20 "$log" >&2; exit 1
  fi
  [ -x "$bin/$name" ] || { echo "capstan: $name was not produced; see $log" >&2; exit 1; }
  echo "  $name: built in $(( $(date +%s) - t0 ))s" >&2
}

build_kube() {
  local v=$KUBERNETES_VERSION minor p=k8s.io/component-base/version tmp
  minor=${v#v1.}; minor=${minor%%.*}
  # The module zip keeps a placeholder gitVersion; without these /version says v0.0.0.
  local ld="-s -w -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.gitCommit= \
-X $p.buildDate=2026-01-01T00:00:00Z -X k8s.io/client-go/pkg/version.gitVersion=$v \
-X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  tmp=$(mktemp -d "$bin/.kube.XXXX")
  # -pgo=off: kube-apiserver ships a default.pgo; with it the shared packages compile twice.
  (cd "$here/kube" && go build -trimpath -pgo=off -ldflags "$ld" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler)
  mv "$tmp"/* "$bin/" && rmdir "$tmp"
}
build_etcd() { (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" . && mv "$bin/etcd.tmp" "$bin/etcd"); }
go_install() { # name, package@version, extra ldflags
  local tmp; tmp=$(mktemp -d "$bin/.$1.XXXX")
  GOBIN="$tmp" go install -trimpath -ldflags "-s -w ${3:-}" "$2"
  mv "$tmp/$1" "$bin/$1" && rmdir "$tmp"
}
kwok_stages() {
  # Standalone kwok needs Stage configs; use the ones its module ships, as kwokctl does.
  local dir
  dir=$(cd "$here/etcd" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$dir" ] || return 1
  local out="$bin/kwok-stages.yaml.tmp"; : >"$out"
  for f in stage/node/fast/node-initialize.yaml stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           stage/pod/fast/pod-ready.yaml stage/pod/fast/pod-complete.yaml stage/pod/fast/pod-delete.yaml; do
    { echo "---"; cat "$dir/kustomize/$f"; } >>"$out"
  done
  mv "$out" "$bin/kwok-stages.yaml"
}

echo "control plane: building into $bin (first build takes a while)" >&2
step kube-apiserver build_kube
step etcd build_etcd
step kwok go_install kwok "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
[ -f "$bin/kwok-stages.yaml" ] || kwok_stages >>"$log" 2>&1 || { echo "capstan: kwok stage configs not found; see $log" >&2; exit 1; }
step kustomize go_install kustomize "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
step helm go_install helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
for c in "${components[@]}"; do [ -x "$bin/$c" ] || { echo "capstan: $c missing after build; see $log" >&2; exit 1; }; done
printf '%s\n' "${components[@]}" >"$bin/.complete"
echo "control plane: built in $(( $(date +%s) - t_all ))s" >&2
echo "$bin"
