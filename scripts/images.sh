#!/usr/bin/env bash
# Builds the project's images in the local Docker engine, with no registry:
#   base      ${L2LB_BASE_IMAGE}: `debootstrap --variant=minbase bookworm` from Debian's mirror
#             (the one apt uses here), imported with `docker import`
#   jre       ${L2LB_JRE_IMAGE}: base + Debian's openjdk-17-jre-headless (images/jre/Dockerfile)
#   speaker   ${L2LB_SPEAKER_IMAGE}: jre + libpcap + speaker/target/l2lb-speaker-*-all.jar
#   operator  ${L2LB_OPERATOR_IMAGE}: jre + operator/target/l2lb-operator.jar, non-root;
#             skipped with a message while that jar does not exist
#   story     ${L2LB_STORY_IMAGE}: base + nginx-light, arping, curl (images/story), test-only:
#             the kind story's workload and its client on the kind network
# Names and tags: images/images.env (the one place). Idempotent: the base is made once (FORCE=1
# remakes it), the rest is `docker build` with its layer cache (nothing to do when unchanged).
# Usage: scripts/images.sh [base|jre|speaker|operator|story]...   (default: all)
# Needs a Docker engine (scripts/docker-engine.sh) and, for the jars,
#   ./mvnw -pl speaker -am package -DskipTests    (and -pl operator once it exists)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=../images/images.env
source images/images.env
DOCKER=/usr/bin/docker
[[ -x ${DOCKER} ]] || DOCKER=$(command -v docker)
# the Debian mirror apt uses here (deb822 or one-line sources), unless DEBIAN_MIRROR says
MIRROR="${DEBIAN_MIRROR:-$({ cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } \
  | sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p; s/^deb \(http[^ ]*\/debian\) bookworm main.*/\1/p' | head -1)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

START=$(date +%s)
log() { printf '[images %4ds] %s\n' "$(($(date +%s) - START))" "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }
timeout 10 "${DOCKER}" version >/dev/null 2>&1 || die "no Docker engine answers; run scripts/docker-engine.sh"
# The Debian mirror (and the Go module proxy) are sometimes unreachable for a minute or two:
# network steps get five tries, 10 s, 30 s, 60 s and 120 s apart.
BACKOFF=(10 30 60 120)
has_image() { "${DOCKER}" image inspect "$1" >/dev/null 2>&1; }

build_base() {
  if [[ "${FORCE:-0}" != 1 ]] && has_image "${L2LB_BASE_IMAGE}"; then
    log "base ${L2LB_BASE_IMAGE} present"
    return
  fi
  command -v debootstrap >/dev/null 2>&1 || {
    log "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  local dir
  dir=$(mktemp -d /var/tmp/l2lb-rootfs-XXXXXX)
  trap 'rm -rf "${dir}"' RETURN
  log "debootstrap --variant=minbase bookworm from ${MIRROR} (log: ${dir}.log)"
  local try
  for try in 0 1 2 3 4; do
    nice -n 19 debootstrap --variant=minbase bookworm "${dir}" "${MIRROR}" >"${dir}.log" 2>&1 && break
    ((try < 4)) || { tail -n 20 "${dir}.log" >&2; die "debootstrap failed 5 times"; }
    log "debootstrap failed ($(grep -m1 -E '^E:|Failed' "${dir}.log" || tail -n1 "${dir}.log")); try $((try + 2))/5 in ${BACKOFF[try]}s"
    rm -rf "${dir:?}"/* && sleep "${BACKOFF[try]}"
  done
  # point-release updates and security fixes too, as a Debian install has them
  local security="${MIRROR%/debian}/debian-security"
  cat >"${dir}/etc/apt/sources.list" <<EOF
deb ${MIRROR} bookworm main
deb ${MIRROR} bookworm-updates main
deb ${security} bookworm-security main
EOF
  # small images: no recommends, no docs (as Debian's own container images do)
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"${dir}/etc/apt/apt.conf.d/90l2lb-no-recommends"
  # the mirror sometimes times out here: retry each download, and fail on a failed index fetch
  printf 'Acquire::Retries "5";\nAcquire::http::Timeout "30";\nAPT::Update::Error-Mode "any";\n' \
    >"${dir}/etc/apt/apt.conf.d/90l2lb-retries"
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    >"${dir}/etc/dpkg/dpkg.cfg.d/90l2lb-nodoc"
  rm -rf "${dir}"/var/lib/apt/lists/* "${dir}"/var/cache/apt/archives/*.deb "${dir}"/var/log/*.log "${dir}.log"
  tar -C "${dir}" --numeric-owner -c . | "${DOCKER}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --change "LABEL org.opencontainers.image.description=\"Debian bookworm minbase (debootstrap ${MIRROR})\"" \
    - "${L2LB_BASE_IMAGE}" >/dev/null
  log "base ${L2LB_BASE_IMAGE} imported ($("${DOCKER}" image inspect -f '{{.Size}}' "${L2LB_BASE_IMAGE}" | awk '{printf "%.0f MB", $1/1e6}'))"
}

build() { # build NAME IMAGE CONTEXT_DIR BUILD_ARG...
  local name=$1 image=$2 ctx=$3
  shift 3
  local args=()
  for a in "$@"; do args+=(--build-arg "$a"); done
  local before after
  before=$("${DOCKER}" image inspect -f '{{.Id}}' "${image}" 2>/dev/null || true)
  local try
  for try in 0 1 2 3 4; do
    # the layer cache keeps what succeeded; a retry repeats only the failed (network) step
    nice -n 19 "${DOCKER}" build -q --force-rm "${args[@]}" --label "org.opencontainers.image.title=${name}" \
      -t "${image}" "${ctx}" >/dev/null && break
    ((try < 4)) || die "docker build of ${name} failed 5 times (see above; context ${ctx})"
    log "docker build of ${name} failed; try $((try + 2))/5 in ${BACKOFF[try]}s"
    sleep "${BACKOFF[try]}"
  done
  after=$("${DOCKER}" image inspect -f '{{.Id}}' "${image}")
  if [[ "${before}" == "${after}" ]]; then
    log "${name} ${image} up to date"
  else
    log "${name} ${image} built (${after:7:12})"
    # the replaced image, unless something still uses it (a running container, a child image)
    [[ -n ${before} ]] && "${DOCKER}" rmi "${before}" >/dev/null 2>&1 || true
  fi
}

with_jar() { # with_jar NAME IMAGE DOCKERFILE_DIR JAR JAR_NAME_IN_CONTEXT
  local name=$1 image=$2 dir=$3 jar=$4 as=$5 ctx
  ctx=$(mktemp -d /var/tmp/l2lb-ctx-XXXXXX)
  cp "${dir}/Dockerfile" "${ctx}/"
  cp --preserve=timestamps "${jar}" "${ctx}/${as}"
  build "${name}" "${image}" "${ctx}" "JRE=${L2LB_JRE_IMAGE}"
  rm -rf "${ctx}"
}

build_jre() { build jre "${L2LB_JRE_IMAGE}" images/jre "BASE=${L2LB_BASE_IMAGE}"; }

build_story() { build story "${L2LB_STORY_IMAGE}" images/story "BASE=${L2LB_BASE_IMAGE}"; }

build_speaker() {
  local jar
  jar=$(ls -t speaker/target/l2lb-speaker-*-all.jar 2>/dev/null | head -1 || true)
  [[ -n ${jar} ]] || die "speaker jar missing: run ./mvnw -pl speaker -am package -DskipTests"
  with_jar speaker "${L2LB_SPEAKER_IMAGE}" images/speaker "${jar}" l2lb-speaker.jar
}

build_operator() {
  local jar=operator/target/l2lb-operator.jar
  if [[ ! -f ${jar} ]]; then
    log "operator image SKIPPED: ${jar} does not exist (build it: ./mvnw -pl operator -am package -DskipTests)"
    return
  fi
  with_jar operator "${L2LB_OPERATOR_IMAGE}" images/operator "${jar}" l2lb-operator.jar
}

targets=("$@")
((${#targets[@]})) || targets=(base jre speaker operator story)
for t in "${targets[@]}"; do
  case "$t" in
    base) build_base ;;
    jre) has_image "${L2LB_BASE_IMAGE}" || build_base; build_jre ;;
    story) has_image "${L2LB_BASE_IMAGE}" || build_base; build_story ;;
    speaker|operator)
      has_image "${L2LB_BASE_IMAGE}" || build_base
      has_image "${L2LB_JRE_IMAGE}" || build_jre
      "build_$t" ;;
    *) die "unknown target '$t' (base, jre, speaker, operator, story)" ;;
  esac
done
log "done in $(($(date +%s) - START))s (root: ${ROOT})"
