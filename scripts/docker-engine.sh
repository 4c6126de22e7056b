#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, for the images (scripts/images.sh), the kind
# node image (scripts/kind-images.sh) and the kind suite (scripts/kind-test.sh).
# Idempotent: what is present and working is left alone; every step says what it did.
#   1. Debian's docker.io (dockerd 20.10 with containerd and runc) if dockerd is missing
#      (one `apt-get update`), jq for the runc wrapper.
#   2. Where the machine's capability bounding set lacks CAP_SYS_RESOURCE (privileged
#      containers then fail with "unable to apply caps: operation not permitted"): the runc
#      wrapper images/runc-wrapper as /usr/local/sbin/runc-wrapper, registered in
#      /etc/docker/daemon.json as the default runtime.
#   3. dockerd as a plain background process (this machine has no systemd) when no daemon
#      answers: log in ${DOCKERD_LOG}, waits for the socket, fails with the log's tail.
# Environment:
#   DOCKERD_LOG   dockerd's log file (default /var/log/l2lb-dockerd.log)
#   DOCKER_WAIT   seconds to wait for the daemon (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/l2lb-dockerd.log}"
DOCKER_WAIT="${DOCKER_WAIT:-60}"
WRAPPER=/usr/local/sbin/runc-wrapper
RUNTIME_NAME=runc-wrapper
DAEMON_JSON=/etc/docker/daemon.json
SOCK=/var/run/docker.sock
# Debian's client speaks the daemon's own API version; /usr/local/bin/docker may be newer
DOCKER=/usr/bin/docker

say() { printf '[docker-engine] %s\n' "$*"; }
die() { printf '[docker-engine] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (installs packages, writes ${DAEMON_JSON}, starts dockerd)"

# --- 1. packages ---------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v jq >/dev/null 2>&1 || need+=(jq)
if ((${#need[@]})); then
  say "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # docker.io's postinst tries to start the service; there is no systemd here, which is fine
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  say "dockerd $(dockerd --version | sed 's/^Docker version //') and jq present"
fi
[[ -x ${DOCKER} ]] || DOCKER=$(command -v docker) || die "no docker client"

# --- 2. runc wrapper -----------------------------------------------------------------------
cap_sys_resource_bounded() { # CAP_SYS_RESOURCE is capability 24
  local bnd
  bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
  (( (16#${bnd} >> 24) & 1 ))
}
daemon_json_changed=false
if cap_sys_resource_bounded; then
  say "CAP_SYS_RESOURCE is in the bounding set: privileged containers work with plain runc, no wrapper"
else
  if ! cmp -s images/runc-wrapper "${WRAPPER}"; then
    install -m 0755 images/runc-wrapper "${WRAPPER}"
    say "installed the runc wrapper ${WRAPPER} (CAP_SYS_RESOURCE is not in this machine's bounding set)"
  else
    say "runc wrapper ${WRAPPER} up to date"
  fi
  mkdir -p "$(dirname "${DAEMON_JSON}")"
  [[ -s ${DAEMON_JSON} ]] || echo '{}' >"${DAEMON_JSON}"
  new=$(jq --arg n "${RUNTIME_NAME}" --arg p "${WRAPPER}" \
    '.runtimes[$n] = {path: $p} | ."default-runtime" = $n' "${DAEMON_JSON}") \
    || die "${DAEMON_JSON} is not valid JSON; fix or remove it"
  if [[ "$(jq -S . "${DAEMON_JSON}")" != "$(jq -S . <<<"${new}")" ]]; then
    printf '%s\n' "${new}" >"${DAEMON_JSON}"
    daemon_json_changed=true
    say "registered ${RUNTIME_NAME} as the default runtime in ${DAEMON_JSON}"
  else
    say "${DAEMON_JSON} already has ${RUNTIME_NAME} as the default runtime"
  fi
fi

# --- 3. the daemon -------------------------------------------------------------------------
answers() { timeout 10 "${DOCKER}" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if answers; then
  if ${daemon_json_changed}; then
    # runtimes and default-runtime are reloadable: SIGHUP, no restart of running containers
    pkill -HUP -x dockerd && say "dockerd reloaded ${DAEMON_JSON} (SIGHUP)"
    sleep 1
  fi
  say "a Docker daemon already answers on ${SOCK}"
else
  if pgrep -x dockerd >/dev/null; then
    die "a dockerd process runs (pid $(pgrep -x dockerd | tr '\n' ' ')) but does not answer on ${SOCK}; see ${DOCKERD_LOG}"
  fi
  say "starting dockerd in the background (log: ${DOCKERD_LOG})"
  # setsid: the daemon must outlive this script and the shell that runs it
  : >>"${DOCKERD_LOG}"
  setsid nohup dockerd >>"${DOCKERD_LOG}" 2>&1 </dev/null &
  dockerd_pid=$!
  for ((i = 0; i < DOCKER_WAIT; i++)); do
    answers && break
    if ! kill -0 "${dockerd_pid}" 2>/dev/null; then
      tail -n 20 "${DOCKERD_LOG}" >&2
      die "dockerd exited during start-up (last lines of ${DOCKERD_LOG} above)"
    fi
    sleep 1
  done
  answers || { tail -n 20 "${DOCKERD_LOG}" >&2; die "dockerd did not answer on ${SOCK} within ${DOCKER_WAIT}s"; }
  say "dockerd answers after ${i}s"
fi

# --- what this daemon is -------------------------------------------------------------------
"${DOCKER}" version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}} (min {{.Server.MinAPIVersion}})' \
  | sed 's/^/[docker-engine] /'
"${DOCKER}" info --format 'storage {{.Driver}}, cgroup driver {{.CgroupDriver}}, cgroup v{{.CgroupVersion}}, default runtime {{.DefaultRuntime}}, root {{.DockerRootDir}}' \
  | sed 's/^/[docker-engine] /'
