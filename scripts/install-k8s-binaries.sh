#!/usr/bin/env bash
# Makes etcd, kube-apiserver and kubectl available where fabric8 kube-api-test looks for them:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<major.minor.patch>-linux-<arch>/{etcd,kube-apiserver,kubectl}
# If they are present and run, nothing is done. Otherwise they are built from source with Go,
# using only the Go module proxy: a throw-away wrapper module requires k8s.io/kubernetes and
# replaces each of its staging modules (k8s.io/api, ...) with the published v0.X.Y release;
# etcd is a wrapper main around go.etcd.io/etcd/server/v3/etcdmain.
#
# Environment:
#   K8S_VERSION   Kubernetes release to build (default 1.34.4; "v" prefix optional)
#   ETCD_VERSION  etcd server release (default 3.6.16)
#   KUBE_API_TEST_DIR  kube-api-test home (default ~/.kubeapitest), same variable kube-api-test reads
#   L2LB_CACHE    where the wrapper modules live (default ${XDG_CACHE_HOME:-~/.cache}/l2lb)
#   FORCE=1       rebuild even if working binaries are present
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.34.4}"
K8S_VERSION="${K8S_VERSION#v}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
ETCD_VERSION="${ETCD_VERSION#v}"
STAGING_VERSION="0.${K8S_VERSION#*.}"          # 1.34.4 -> 0.34.4
K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="$(echo "${K8S_VERSION}" | cut -d. -f2)"

case "$(uname -m)" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  ppc64le) ARCH=ppc64le ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
OS="$(uname -s | tr '[:upper:]' '[:lower:]')"

KAT_DIR="${KUBE_API_TEST_DIR:-${HOME}/.kubeapitest}"
TARGET="${KAT_DIR}/k8s/${K8S_VERSION}-${OS}-${ARCH}"
CACHE="${L2LB_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/l2lb}"

# Never let Go fetch a different toolchain; build static binaries like the official releases.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"

START=$(date +%s)
step_start=$START
log() { printf '[install-k8s-binaries %4ds] %s\n' "$(( $(date +%s) - START ))" "$*"; }
step_done() { local now; now=$(date +%s); log "$1 done in $(( now - step_start ))s"; step_start=$now; }

binaries_ok() {
  local dir="$1"
  [[ -x "${dir}/etcd" && -x "${dir}/kube-apiserver" && -x "${dir}/kubectl" ]] || return 1
  "${dir}/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}" || return 1
  "${dir}/kubectl" version --client -o json 2>/dev/null | grep -q "\"gitVersion\": \"v${K8S_VERSION}\"" || return 1
  "${dir}/etcd" --version 2>/dev/null | grep -q "etcd Version: " || return 1
}

if [[ "${FORCE:-0}" != 1 ]] && binaries_ok "${TARGET}"; then
  echo "k8s binaries v${K8S_VERSION} already installed and working in ${TARGET}; nothing to do"
  exit 0
fi

# --- prerequisites -------------------------------------------------------------------------
need_go_minor=24   # kubernetes 1.34 declares "go 1.24.0"
if ! command -v go >/dev/null 2>&1; then
  log "go not found, installing golang-go from Debian"
  if [[ $(id -u) -ne 0 ]]; then echo "need root to apt-get install golang-go (or install Go >= 1.${need_go_minor})" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if (( go_minor < need_go_minor )); then
  echo "Go $(go env GOVERSION) is too old; Kubernetes ${K8S_VERSION} needs go1.${need_go_minor}+ (GOTOOLCHAIN=local, no toolchain download)" >&2
  exit 1
fi
for tool in flock sed awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done
log "building Kubernetes v${K8S_VERSION} (staging v${STAGING_VERSION}) and etcd v${ETCD_VERSION} with $(go env GOVERSION) into ${TARGET}"
log "Go caches: GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)"

mkdir -p "${CACHE}" "${KAT_DIR}/k8s"
exec 9>"${CACHE}/install-k8s-binaries.lock"
flock 9   # one build at a time

# --- Kubernetes wrapper module -------------------------------------------------------------
K8S_MOD="${CACHE}/k8s-wrapper-v${K8S_VERSION}"
mkdir -p "${K8S_MOD}"
[[ -f "${K8S_MOD}/go.mod" ]] || printf 'module l2lb.local/k8s-binaries\n\ngo 1.24\n' > "${K8S_MOD}/go.mod"
k8s_dir=$(cd "${K8S_MOD}" && go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n "${k8s_dir}" && -f "${k8s_dir}/go.mod" ]] || { echo "could not download k8s.io/kubernetes@v${K8S_VERSION}" >&2; exit 1; }
step_done "download k8s.io/kubernetes@v${K8S_VERSION}"

k8s_go=$(awk '$1 == "go" { print $2; exit }' "${k8s_dir}/go.mod")
# staging modules: "k8s.io/x => ./staging/src/k8s.io/x" (inside a replace block or single-line)
mapfile -t staging < <(sed -E 's/^replace[[:space:]]+//' "${k8s_dir}/go.mod" \
  | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }')
# godebug: "godebug key=value" lines or a "godebug ( ... )" block
mapfile -t godebug < <(awk '
  /^godebug[[:space:]]*\(/ { inblock = 1; next }
  inblock && /^\)/ { inblock = 0; next }
  inblock && NF { print $1; next }
  /^godebug[[:space:]]+[^(]/ { print $2 }' "${k8s_dir}/go.mod")
(( ${#staging[@]} > 0 )) || { echo "found no staging replace lines in ${k8s_dir}/go.mod" >&2; exit 1; }
log "kubernetes go.mod: go ${k8s_go}, ${#staging[@]} staging modules, godebug: ${godebug[*]:-none}"

{
  echo "// Generated by scripts/install-k8s-binaries.sh - throw-away wrapper, do not commit."
  echo "module l2lb.local/k8s-binaries"
  echo
  echo "go ${k8s_go}"
  echo
  for g in "${godebug[@]}"; do echo "godebug ${g}"; done
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  echo "replace ("
  for m in "${staging[@]}"; do echo "	${m} => ${m} v${STAGING_VERSION}"; done
  echo ")"
} > "${K8S_MOD}/go.mod.new"
if ! cmp -s "${K8S_MOD}/go.mod.new" "${K8S_MOD}/go.mod.tmpl" 2>/dev/null; then
  # template changed (or first run): start from it; go fills in the rest (-mod=mod)
  cp "${K8S_MOD}/go.mod.new" "${K8S_MOD}/go.mod.tmpl"
  cp "${K8S_MOD}/go.mod.new" "${K8S_MOD}/go.mod"
  rm -f "${K8S_MOD}/go.sum"
fi
rm -f "${K8S_MOD}/go.mod.new"
cat > "${K8S_MOD}/tools.go" <<'GO'
//go:build tools

// Package tools pins the Kubernetes commands this wrapper builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO

git_commit=""
info_file="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v${K8S_VERSION}.info"
if [[ -f "${info_file}" ]]; then
  git_commit=$(sed -n 's/.*"Hash":"\([0-9a-f]*\)".*/\1/p' "${info_file}")
fi
build_date=$(date -u +'%Y-%m-%dT%H:%M:%SZ')
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X ${pkg}.gitVersion=v${K8S_VERSION}"
  ldflags+=" -X ${pkg}.gitMajor=${K8S_MAJOR}"
  ldflags+=" -X ${pkg}.gitMinor=${K8S_MINOR}"
  ldflags+=" -X ${pkg}.gitTreeState=archive"
  ldflags+=" -X ${pkg}.buildDate=${build_date}"
  [[ -n "${git_commit}" ]] && ldflags+=" -X ${pkg}.gitCommit=${git_commit}"
done

STAGE=$(mktemp -d "${KAT_DIR}/k8s/.staging-XXXXXX")
chmod 755 "${STAGE}"
trap 'rm -rf "${STAGE}"' EXIT

log "resolving module graph (go mod download of the build list)"
(cd "${K8S_MOD}" && go mod tidy >/dev/null)
step_done "module graph"

log "compiling kube-apiserver and kubectl (this is the long part on a cold cache)"
(cd "${K8S_MOD}" && go build -trimpath -ldflags "${ldflags}" -o "${STAGE}/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
step_done "kube-apiserver + kubectl"

# --- etcd wrapper module -------------------------------------------------------------------
ETCD_MOD="${CACHE}/etcd-wrapper-v${ETCD_VERSION}"
mkdir -p "${ETCD_MOD}"
if [[ ! -f "${ETCD_MOD}/go.mod" ]] || ! grep -q "go.etcd.io/etcd/server/v3 v${ETCD_VERSION}" "${ETCD_MOD}/go.mod"; then
  rm -f "${ETCD_MOD}/go.mod" "${ETCD_MOD}/go.sum"
  (cd "${ETCD_MOD}" && go mod init l2lb.local/etcd-binary >/dev/null 2>&1)
  echo "require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}" >> "${ETCD_MOD}/go.mod"
fi
cat > "${ETCD_MOD}/main.go" <<'GO'
// Command etcd runs the etcd server; generated by scripts/install-k8s-binaries.sh.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
GO
(cd "${ETCD_MOD}" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "${STAGE}/etcd" .)
step_done "etcd"

# --- verify and install atomically ---------------------------------------------------------
binaries_ok "${STAGE}" || { echo "built binaries failed the version check:" >&2;
  "${STAGE}/kube-apiserver" --version >&2 || true; "${STAGE}/etcd" --version >&2 || true; exit 1; }
rm -rf "${TARGET}.old"
[[ -e "${TARGET}" ]] && mv "${TARGET}" "${TARGET}.old"
mv "${STAGE}" "${TARGET}"
rm -rf "${TARGET}.old"
trap - EXIT
log "$("${TARGET}/kube-apiserver" --version), $("${TARGET}/etcd" --version | head -1)"
log "installed into ${TARGET} (total $(( $(date +%s) - START ))s)"
