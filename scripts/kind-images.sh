#!/usr/bin/env bash
# Builds everything a kind cluster needs on this machine, from Debian packages and the Go module
# proxy only (no registry is reachable), into the local Docker engine:
#   kind CLI          sigs.k8s.io/kind@${KIND_VERSION} -> ${CACHE}/bin/kind
#   Kubernetes        kubelet, kubeadm, kubectl, kube-apiserver, kube-controller-manager,
#                     kube-scheduler, kube-proxy v${KIND_K8S_VERSION} (k8s.io/kubernetes through
#                     a wrapper module, as scripts/install-k8s-binaries.sh does)
#   etcd, CoreDNS     the versions `kubeadm config images list` names (CoreDNS with the plugins
#                     kubeadm's Corefile uses: images/kind-node/go/coredns), pause (own, tiny)
#   images            one per component, tagged exactly as kubeadm asks for them
#                     (registry.k8s.io/...), FROM the debootstrap base of scripts/images.sh
#   node image        ${KIND_NODE_IMAGE}: the base + systemd, Debian's containerd and runc with
#                     the runc wrapper as containerd's runtime, CNI plugins and a node-local CNI
#                     (images/kind-node/), the Kubernetes binaries, and every image above
#                     preloaded into the node's containerd (as kind's own node images have them)
# Idempotent: when the node image is present, built from the same inputs and its kubelet runs,
# nothing is done; each stage below also skips what it finds done. The cold time is printed.
# Heavy steps run under `nice -n 19` (the machine's cores are shared).
# Environment: FORCE=1 rebuilds the node image (binaries are kept: delete ${CACHE} to recompile),
#   L2LB_CACHE (default ~/.cache/l2lb), L2LB_KIND_NODE_IMAGE (default: KIND_NODE_IMAGE of
#   images/images.env). A cold measurement: GOCACHE=$(mktemp -d) L2LB_CACHE=$(mktemp -d) FORCE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source images/images.env
KIND_NODE_IMAGE="${L2LB_KIND_NODE_IMAGE:-${KIND_NODE_IMAGE}}" # override for experiments
K8S_VERSION="${KIND_K8S_VERSION#v}"
STAGING_VERSION="0.${K8S_VERSION#*.}"
K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="$(cut -d. -f2 <<<"${K8S_VERSION}")"
CACHE_ROOT="${L2LB_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/l2lb}"
CACHE="${CACHE_ROOT}/kind-node"
OUT="${CACHE}/v${K8S_VERSION}"
BIN="${OUT}/bin"
KIND="${CACHE}/bin/kind"
DOCKER=/usr/bin/docker
[[ -x ${DOCKER} ]] || DOCKER=$(command -v docker)
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"

START=$(date +%s)
step_start=${START}
log() { printf '[kind-images %4ds] %s\n' "$(($(date +%s) - START))" "$*"; }
step_done() { local now; now=$(date +%s); log "$1 ($((now - step_start))s)"; step_start=${now}; }
die() { printf '[kind-images] ERROR: %s\n' "$*" >&2; exit 1; }
retry() { # retry CMD...: the Go module proxy and the Debian mirror are sometimes unreachable for
  # a minute or two: five tries, 10 s, 30 s, 60 s and 120 s apart
  local waits=(10 30 60 120) i
  for i in 0 1 2 3 4; do
    "$@" && return 0
    ((i < 4)) || return 1
    log "failed; try $((i + 2))/5 in ${waits[i]}s: $*"
    sleep "${waits[i]}"
  done
}
image_id() { "${DOCKER}" image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
drop_replaced() { # drop_replaced OLD_ID TAG: remove the image a rebuild untagged (if nothing uses it)
  [[ -n $1 && "$1" != "$(image_id "$2")" ]] && "${DOCKER}" rmi "$1" >/dev/null 2>&1 || true
}
timeout 10 "${DOCKER}" version >/dev/null 2>&1 || die "no Docker engine answers; run scripts/docker-engine.sh"
command -v go >/dev/null 2>&1 || die "go not found (install golang-go or Go >= 1.24)"
mkdir -p "${BIN}" "${CACHE}/bin"
exec 9>"${CACHE}/kind-images.lock"
flock 9 # one build at a time

# Inputs that define the node image: this script, the node's files, the base image, versions.
inputs_hash() {
  { cat "$0" images/runc-wrapper images/images.env; find images/kind-node -type f | sort | xargs cat
    "${DOCKER}" image inspect -f '{{.Id}}' "${L2LB_BASE_IMAGE}" 2>/dev/null || echo no-base; } | sha256sum | cut -c1-16
}
node_image_ok() {
  [[ "$("${DOCKER}" image inspect -f '{{index .Config.Labels "io.l2lb.kind-node.inputs"}}' "${KIND_NODE_IMAGE}" 2>/dev/null)" == "$1" ]] || return 1
  "${DOCKER}" run --rm --entrypoint /usr/bin/kubelet "${KIND_NODE_IMAGE}" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}"
}
kind_ok() { [[ -x ${KIND} ]] && "${KIND}" version 2>/dev/null | grep -q "^kind ${KIND_VERSION} "; }

# --- kind CLI ------------------------------------------------------------------------------
if kind_ok; then
  log "kind ${KIND_VERSION} present: ${KIND}"
else
  log "building kind ${KIND_VERSION} (sigs.k8s.io/kind from the Go module proxy)"
  GOBIN="${CACHE}/bin" retry nice -n 19 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@${KIND_VERSION}" \
    || die "go install sigs.k8s.io/kind@${KIND_VERSION} failed (Go module proxy: $(go env GOPROXY))"
  kind_ok || die "built kind does not report ${KIND_VERSION}: $("${KIND}" version 2>&1)"
  step_done "kind ${KIND_VERSION} built"
fi

[[ -n "$(${DOCKER} image ls -q "${L2LB_BASE_IMAGE}")" ]] || scripts/images.sh base
HASH=$(inputs_hash)
if [[ "${FORCE:-0}" != 1 ]] && node_image_ok "${HASH}"; then
  log "node image ${KIND_NODE_IMAGE} present (inputs ${HASH}) and its kubelet runs; nothing to do"
  exit 0
fi
log "building the kind node image ${KIND_NODE_IMAGE} for Kubernetes v${K8S_VERSION} (inputs ${HASH}); cache ${OUT}"

# --- Kubernetes binaries -------------------------------------------------------------------
K8S_CMDS=(kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
k8s_ok() {
  local c
  for c in "${K8S_CMDS[@]}"; do [[ -x "${BIN}/$c" ]] || return 1; done
  "${BIN}/kubelet" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}"
}
if k8s_ok; then
  log "Kubernetes v${K8S_VERSION} binaries present in ${BIN}"
else
  mod="${OUT}/k8s-wrapper"
  mkdir -p "${mod}"
  [[ -f "${mod}/go.mod" ]] || printf 'module l2lb.local/kind-node-k8s\n\ngo 1.24\n' >"${mod}/go.mod"
  k8s_dir=$(cd "${mod}" && retry go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -f "${k8s_dir}/go.mod" ]] || die "could not download k8s.io/kubernetes@v${K8S_VERSION}"
  k8s_go=$(awk '$1 == "go" { print $2; exit }' "${k8s_dir}/go.mod")
  mapfile -t staging < <(sed -E 's/^replace[[:space:]]+//' "${k8s_dir}/go.mod" | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }')
  mapfile -t godebug < <(awk '/^godebug[[:space:]]*\(/ {b=1; next} b && /^\)/ {b=0; next} b && NF {print $1; next} /^godebug[[:space:]]+[^(]/ {print $2}' "${k8s_dir}/go.mod")
  ((${#staging[@]})) || die "no staging modules found in ${k8s_dir}/go.mod"
  {
    echo "// Generated by scripts/kind-images.sh: throw-away wrapper that builds k8s.io/kubernetes commands."
    echo "module l2lb.local/kind-node-k8s"
    echo
    echo "go ${k8s_go}"
    for g in "${godebug[@]}"; do echo "godebug ${g}"; done
    echo
    echo "require k8s.io/kubernetes v${K8S_VERSION}"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do printf '\t%s => %s v%s\n' "$m" "$m" "${STAGING_VERSION}"; done
    echo ")"
  } >"${mod}/go.mod"
  rm -f "${mod}/go.sum"
  {
    echo '//go:build tools'
    echo
    echo '// Package tools pins the Kubernetes commands the kind node image needs.'
    echo 'package tools'
    echo
    echo 'import ('
    for c in "${K8S_CMDS[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c"; done
    echo ')'
  } >"${mod}/tools.go"
  commit=""
  info="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v${K8S_VERSION}.info"
  [[ -f ${info} ]] && commit=$(sed -n 's/.*"Hash":"\([0-9a-f]*\)".*/\1/p' "${info}")
  ldflags="-s -w"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X ${pkg}.gitVersion=v${K8S_VERSION} -X ${pkg}.gitMajor=${K8S_MAJOR} -X ${pkg}.gitMinor=${K8S_MINOR}"
    ldflags+=" -X ${pkg}.gitTreeState=archive -X ${pkg}.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    [[ -n ${commit} ]] && ldflags+=" -X ${pkg}.gitCommit=${commit}"
  done
  (cd "${mod}" && retry go mod tidy >/dev/null) || die "go mod tidy of the Kubernetes wrapper failed"
  step_done "k8s.io/kubernetes@v${K8S_VERSION} module graph"
  log "compiling ${K8S_CMDS[*]} (nice 19; the long part on a cold Go cache)"
  pkgs=()
  for c in "${K8S_CMDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  (cd "${mod}" && nice -n 19 go build -trimpath -ldflags "${ldflags}" -o "${BIN}/" "${pkgs[@]}")
  k8s_ok || die "the built kubelet does not report v${K8S_VERSION}"
  step_done "Kubernetes v${K8S_VERSION} compiled"
fi
KUBEADM="${BIN}/kubeadm"

# The images kubeadm will ask for (its constants for this release), e.g. registry.k8s.io/etcd:3.6.5-0
mapfile -t WANTED < <("${KUBEADM}" config images list --kubernetes-version "v${K8S_VERSION}" 2>/dev/null)
((${#WANTED[@]} >= 7)) || die "kubeadm config images list gave: ${WANTED[*]:-nothing}"
image_for() { local i; for i in "${WANTED[@]}"; do [[ $i == *"/$1:"* ]] && { echo "$i"; return; }; done; die "kubeadm lists no $1 image"; }
ETCD_IMAGE=$(image_for etcd)
COREDNS_IMAGE=$(image_for coredns)
PAUSE_IMAGE=$(image_for pause)
ETCD_VERSION="${ETCD_IMAGE##*:}"; ETCD_VERSION="${ETCD_VERSION%-*}" # 3.6.5-0 -> 3.6.5
COREDNS_VERSION="${COREDNS_IMAGE##*:}"

# --- etcd, CoreDNS, pause ------------------------------------------------------------------
go_wrapper_build() { # go_wrapper_build NAME MODULE@VERSION SOURCE_DIR OUTPUT [main package]
  local name=$1 req=$2 src=$3 out=$4 pkg=${5:-.} dir="${OUT}/$1-wrapper"
  mkdir -p "${dir}"
  if [[ ! -f "${dir}/go.mod" ]] || ! grep -qF "${req/@/ }" "${dir}/go.mod"; then
    rm -f "${dir}/go.mod" "${dir}/go.sum"
    (cd "${dir}" && go mod init "l2lb.local/kind-node-$1" >/dev/null 2>&1 && go mod edit -require="${req}")
  fi
  [[ -n ${src} ]] && cp "${src}"/*.go "${dir}/"
  (cd "${dir}" && retry go mod tidy >/dev/null && nice -n 19 go build -trimpath -ldflags "-s -w" -o "${out}" "${pkg}")
}
if [[ -x "${BIN}/etcd" ]] && "${BIN}/etcd" --version 2>/dev/null | grep -q "etcd Version: ${ETCD_VERSION}$"; then
  log "etcd ${ETCD_VERSION} present"
else
  mkdir -p "${OUT}/etcd-main"
  printf '// Command etcd runs the etcd server (scripts/kind-images.sh).\npackage main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >"${OUT}/etcd-main/main.go"
  go_wrapper_build etcd "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}" "${OUT}/etcd-main" "${BIN}/etcd"
  (cd "${OUT}/etcd-wrapper" && nice -n 19 go build -trimpath -ldflags "-s -w" -o "${BIN}/etcdctl" go.etcd.io/etcd/etcdctl/v3 2>/dev/null) \
    || log "etcdctl not built (optional)"
  step_done "etcd ${ETCD_VERSION} compiled"
fi
if [[ -x "${BIN}/coredns" ]] && "${BIN}/coredns" -version 2>/dev/null | grep -q "CoreDNS-${COREDNS_VERSION#v}"; then
  log "CoreDNS ${COREDNS_VERSION} present"
else
  go_wrapper_build coredns "github.com/coredns/coredns@${COREDNS_VERSION}" images/kind-node/go/coredns "${BIN}/coredns"
  step_done "CoreDNS ${COREDNS_VERSION} compiled"
fi
if [[ ! -x "${BIN}/pause" ]] || [[ images/kind-node/go/pause/main.go -nt "${BIN}/pause" ]]; then
  mkdir -p "${OUT}/pause-wrapper" && cp images/kind-node/go/pause/main.go "${OUT}/pause-wrapper/"
  [[ -f "${OUT}/pause-wrapper/go.mod" ]] || (cd "${OUT}/pause-wrapper" && go mod init l2lb.local/kind-node-pause >/dev/null 2>&1)
  (cd "${OUT}/pause-wrapper" && go build -trimpath -ldflags "-s -w" -o "${BIN}/pause" .)
  step_done "pause compiled"
fi

# --- component images ----------------------------------------------------------------------
# One small image per component, each FROM the debootstrap base, tagged as kubeadm names it.
IMAGES_DIR="${OUT}/images"
mkdir -p "${IMAGES_DIR}"
component_image() { # component_image TAG BINARY [apt packages...] ; ENTRYPOINT only where upstream has one
  local tag=$1 binary=$2
  shift 2
  local ctx
  ctx=$(mktemp -d /var/tmp/l2lb-kind-ctx-XXXXXX)
  cp "${BIN}/${binary}" "${ctx}/"
  {
    echo "FROM ${L2LB_BASE_IMAGE}"
    if (($#)); then
      echo "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $* && apt-get clean && rm -rf /var/lib/apt/lists/*"
    fi
    echo "COPY ${binary} /usr/local/bin/${binary}"
    case "${binary}" in
      pause) echo 'ENTRYPOINT ["/usr/local/bin/pause"]' ;;
      coredns) echo 'ENTRYPOINT ["/usr/local/bin/coredns"]' ; echo 'EXPOSE 53 53/udp' ;;
      *) echo 'CMD ["/bin/bash"]' ;;
    esac
  } >"${ctx}/Dockerfile"
  local old
  old=$(image_id "${tag}")
  retry nice -n 19 "${DOCKER}" build -q --force-rm -t "${tag}" "${ctx}" >/dev/null || die "docker build ${tag} failed"
  drop_replaced "${old}" "${tag}"
  rm -rf "${ctx}"
}
for image in "${WANTED[@]}"; do
  name="${image##*/}"; name="${name%%:*}" # registry.k8s.io/kube-proxy:v1.34.4 -> kube-proxy
  case "${name}" in
    kube-proxy) component_image "${image}" kube-proxy iptables nftables conntrack ;;
    kube-*) component_image "${image}" "${name}" ;;
    etcd) component_image "${image}" etcd ;;
    coredns) component_image "${image}" coredns ;;
    pause) component_image "${image}" pause ;;
    *) die "no recipe for the image ${image}" ;;
  esac
done
# etcdctl inside the etcd image, for debugging (optional)
step_done "component images: ${WANTED[*]}"

# --- node image ----------------------------------------------------------------------------
NODE_CTX=$(mktemp -d /var/tmp/l2lb-kind-node-XXXXXX)
trap 'rm -rf "${NODE_CTX}"' EXIT
cp -r images/kind-node/files "${NODE_CTX}/files"
cp images/runc-wrapper "${NODE_CTX}/files/runc-wrapper"
sed -i "s#@PAUSE_IMAGE@#${PAUSE_IMAGE}#" "${NODE_CTX}/files/etc/containerd/config.toml"
mkdir -p "${NODE_CTX}/bin"
for c in kubelet kubeadm kubectl; do cp "${BIN}/$c" "${NODE_CTX}/bin/"; done
printf 'v%s' "${K8S_VERSION}" >"${NODE_CTX}/version"
cp images/kind-node/Dockerfile "${NODE_CTX}/"
log "node root file system: Debian packages + files (docker build)"
retry nice -n 19 "${DOCKER}" build -q --force-rm --build-arg "BASE=${L2LB_BASE_IMAGE}" -t "${KIND_NODE_IMAGE}-rootfs" "${NODE_CTX}" >/dev/null \
  || die "docker build of the node root file system failed (rerun: ${DOCKER} build ${NODE_CTX})"
step_done "node root file system"

# Preload: save the component images, import them into the node's containerd in a build container
# (no unpack: the node's containerd unpacks on first use), commit the result as the node image.
log "preloading ${#WANTED[@]} images into the node's containerd"
"${DOCKER}" save "${WANTED[@]}" -o "${NODE_CTX}/images.tar"
builder="l2lb-kind-build-$$"
"${DOCKER}" rm -f "${builder}" >/dev/null 2>&1 || true
"${DOCKER}" run -d --name "${builder}" --entrypoint sleep --security-opt seccomp=unconfined \
  -v "${NODE_CTX}/images.tar:/images.tar:ro" "${KIND_NODE_IMAGE}-rootfs" infinity >/dev/null
trap '"${DOCKER}" rm -f "${builder}" >/dev/null 2>&1; rm -rf "${NODE_CTX}"' EXIT
"${DOCKER}" exec "${builder}" bash -euc '
  containerd >/var/log/containerd-preload.log 2>&1 &
  for i in $(seq 1 50); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done
  ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests /images.tar >/dev/null
  ctr --namespace=k8s.io images list -q | grep -v "^sha256:" | sort
  kill %1; wait %1 || true
  rm -f /var/log/containerd-preload.log
' | grep -v '^import-' | sed 's/^/[kind-images]   preloaded /'
old_node=$(image_id "${KIND_NODE_IMAGE}")
# (docker commit cannot --change STOPSIGNAL: the rootfs image's SIGRTMIN+3 carries over;
# the builder's entrypoint and command are reset)
"${DOCKER}" commit \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
  --change 'CMD []' \
  --change 'ENV container=docker' \
  --change "LABEL io.l2lb.kind-node.inputs=${HASH} io.l2lb.kind-node.kubernetes=v${K8S_VERSION}" \
  "${builder}" "${KIND_NODE_IMAGE}" >/dev/null
"${DOCKER}" rm -f "${builder}" >/dev/null
"${DOCKER}" rmi "${KIND_NODE_IMAGE}-rootfs" >/dev/null 2>&1 || true
drop_replaced "${old_node}" "${KIND_NODE_IMAGE}"
node_image_ok "${HASH}" || die "the node image ${KIND_NODE_IMAGE} was committed but its kubelet does not run"
step_done "node image ${KIND_NODE_IMAGE} ($("${DOCKER}" image inspect -f '{{.Size}}' "${KIND_NODE_IMAGE}" | awk '{printf "%.0f MB", $1/1e6}'))"
log "kind node image ready in $(($(date +%s) - START))s: ${KIND_NODE_IMAGE}; kind CLI: ${KIND}"
