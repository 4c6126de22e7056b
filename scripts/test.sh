#!/usr/bin/env bash
# The project's one test command (README "Test"). On a fresh machine it installs what is
# missing (Debian packages, the control-plane binaries), then runs every test: unit tests,
# *IT against a real kube-apiserver + etcd, *E2E in network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v arping >/dev/null 2>&1 || need_pkgs+=(iputils-arping)
command -v tcpdump >/dev/null 2>&1 || need_pkgs+=(tcpdump)
command -v ndisc6 >/dev/null 2>&1 || need_pkgs+=(ndisc6)
command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)  # cli PromptE2E drives the prompt in a real terminal
[ -f /usr/share/bash-completion/bash_completion ] || need_pkgs+=(bash-completion)  # cli CompletionE2E: kubectl's bash completion
ldconfig -p 2>/dev/null | grep -q 'libpcap\.so' || need_pkgs+=(libpcap0.8 libpcap-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test.sh: installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

if [ -x scripts/install-k8s-binaries.sh ]; then
  scripts/install-k8s-binaries.sh
fi

# ITs use only the binaries installed above, never a download.
export KUBE_API_TEST_OFFLINE_MODE=true
exec ./mvnw -B -ntp verify "$@"
