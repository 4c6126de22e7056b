#!/usr/bin/env bash
# Builds krew (the kubectl plugin manager) from the Go module proxy into a cache, once:
#   ${L2LB_CACHE:-${XDG_CACHE_HOME:-~/.cache}/l2lb}/krew-v<version>/kubectl-krew
# (and krew's manifest checker validate-krew-manifest beside it), and prints the krew path. Nothing is done when a working binary is there (idempotent, offline
# after the first run). The packaging test (dist/ KrewE2E) installs the plugin archive with it.
#
# Environment:
#   KREW_VERSION  krew release (default 0.4.3, the version the Go module proxy serves)
#   L2LB_CACHE    cache root (default ${XDG_CACHE_HOME:-~/.cache}/l2lb)
#   FORCE=1       rebuild
set -euo pipefail

KREW_VERSION="${KREW_VERSION:-0.4.3}"
KREW_VERSION="${KREW_VERSION#v}"
CACHE="${L2LB_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/l2lb}"
DIR="${CACHE}/krew-v${KREW_VERSION}"
BIN="${DIR}/kubectl-krew"

krew_ok() { [[ -x "$1" && -x "${DIR}/validate-krew-manifest" ]] && "$1" version 2>/dev/null | grep -q "v${KREW_VERSION}"; }

if [[ "${FORCE:-0}" != 1 ]] && KREW_NO_UPGRADE_CHECK=1 krew_ok "${BIN}"; then
  echo "${BIN}"
  exit 0
fi

command -v go >/dev/null 2>&1 || { echo "install-krew.sh: needs Go (apt-get install golang-go)" >&2; exit 1; }
mkdir -p "${DIR}"
exec 9>"${DIR}.lock"
flock 9   # one build at a time; a parallel caller waits and then finds the binary
if [[ "${FORCE:-0}" != 1 ]] && KREW_NO_UPGRADE_CHECK=1 krew_ok "${BIN}"; then
  echo "${BIN}"
  exit 0
fi

start=$(date +%s)
stage=$(mktemp -d "${DIR}/.build-XXXXXX")
trap 'rm -rf "${stage}"' EXIT
# Never fetch another Go toolchain; a static binary; krew's version stamped as its release
# Makefile does (otherwise `krew version` says "v0.0.0").
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
ldflags="-s -w -X sigs.k8s.io/krew/internal/version.gitTag=v${KREW_VERSION}"
ldflags+=" -X sigs.k8s.io/krew/internal/version.gitCommit=proxy"
GOBIN="${stage}" go install -trimpath -ldflags "${ldflags}" "sigs.k8s.io/krew/cmd/krew@v${KREW_VERSION}" \
  "sigs.k8s.io/krew/cmd/validate-krew-manifest@v${KREW_VERSION}" >&2
mv -f "${stage}/validate-krew-manifest" "${DIR}/validate-krew-manifest"
mv -f "${stage}/krew" "${BIN}"
KREW_NO_UPGRADE_CHECK=1 krew_ok "${BIN}" || { echo "install-krew.sh: the built krew does not report v${KREW_VERSION}:" >&2;
  KREW_NO_UPGRADE_CHECK=1 "${BIN}" version >&2 || true; exit 1; }
echo "install-krew.sh: built krew v${KREW_VERSION} in $(( $(date +%s) - start ))s" >&2
echo "${BIN}"
