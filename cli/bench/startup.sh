#!/usr/bin/env bash
# The CLI start-up benchmark of docs/benchmarks.md ("CLI start-up"): a real API server with
# 10 namespaces x 3 Services x 3 announced L2Announcements, then hyperfine (Debian package
# `hyperfine`) of `kubectl l2lb where -A` against `kubectl get svc -A`, same run: the launcher on
# the machine's JDKs, and the krew archive as shipped (dist/: its own jlink runtime of Temurin 25),
# with its AOT cache and on its first run (the runtime's CDS archive only), plus the same archive
# with a jlink runtime of JDK 17 for the comparison behind the choice of JDK (docs/packaging.md).
# Usage (repository root): cli/bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-40}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
export KUBE_API_TEST_OFFLINE_MODE=true
./mvnw -B -o -q -pl dist -am package -DskipTests
./mvnw -B -o -q -pl cli -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/tmp/l2lb-bench-cp.txt
work=$(mktemp -d)
java -cp "cli/target/test-classes:cli/target/classes:$(cat /tmp/l2lb-bench-cp.txt)" -Dl2lb.repo.root="$PWD" \
  io.l2lb.cli.lab.ServeCluster "$work/kubeconfig" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 120); do [ -s "$work/kubeconfig" ] && break; sleep 1; done
export KUBECONFIG=$work/kubeconfig
K=$(ls -d ~/.kubeapitest/k8s/*-linux-amd64/ | sort -V | tail -1)kubectl
L=cli/target/kubectl-l2lb/kubectl-l2lb
for n in $(seq 0 9); do
  echo "apiVersion: v1
kind: Namespace
metadata: {name: bench-$n}"
  for s in 0 1 2; do
    echo "---
apiVersion: v1
kind: Service
metadata: {name: web-$s, namespace: bench-$n}
spec: {type: ClusterIP, ports: [{port: 80}]}"
    for i in 0 1 2; do
      echo "---
apiVersion: internal.network.deckhouse.io/v1alpha1
kind: L2Announcement
metadata:
  name: web-$s-$i
  namespace: bench-$n
  labels: {internal.network.deckhouse.io/service: web-$s, internal.network.deckhouse.io/node: front-$i, internal.network.deckhouse.io/class: front}
spec: {ip: 198.51.100.$((n * 9 + s * 3 + i + 1)), nodeName: front-$i, className: front, serviceRef: {name: web-$s, uid: u}}"
    done
  done
  echo "---"
done >"$work/objects.yaml"
"$K" apply -f "$work/objects.yaml" >/dev/null
for n in $(seq 0 9); do for s in 0 1 2; do for i in 0 1 2; do
  "$K" -n "bench-$n" patch l2a "web-$s-$i" --subresource=status --type=merge \
    -p '{"status":{"announcing":true,"mac":"02:00:00:00:00:01","interface":"eth0","since":"2026-01-01T00:00:00Z"}}' >/dev/null
done; done; done
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
# the shipped archive, unpacked as krew does; and the same with a JDK 17 runtime
P=$work/plugin
mkdir -p "$P" "$work/plugin17"
tar -xzf dist/target/kubectl-l2lb_v*_linux_amd64.tar.gz -C "$P"
cp "$P/kubectl-l2lb" "$P/kubectl-l2lb.jar" "$work/plugin17/"
/usr/lib/jvm/java-17-openjdk-amd64/bin/jlink --add-modules java.base,java.logging,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --generate-cds-archive --output "$work/plugin17/runtime" >/dev/null
du -sh "$P" "$work/plugin17"
XDG_CACHE_HOME=$work/cache "$P/kubectl-l2lb" version >/dev/null
XDG_CACHE_HOME=$work/cache "$work/plugin17/kubectl-l2lb" version >/dev/null
"$L" version >/dev/null; L2LB_JAVA=$J17 "$L" version >/dev/null  # the caches build in the background
sleep 30
uptime
hyperfine -N -w 5 -r "$runs" --export-json "${L2LB_BENCH_JSON:-/dev/null}" \
  -n "kubectl get svc -A" "$K get svc -A" \
  -n "kubectl l2lb where -A (launcher, Temurin 25 + AOT cache)" "$L where -A" \
  -n "kubectl l2lb where -A (launcher, JDK 17 + AppCDS)" "env L2LB_JAVA=$J17 $L where -A" \
  -n "kubectl l2lb where -A (krew archive, its Temurin 25 runtime + AOT cache)" "env XDG_CACHE_HOME=$work/cache $P/kubectl-l2lb where -A" \
  -n "kubectl l2lb where -A (krew archive, first run: runtime CDS only)" "env L2LB_NO_CACHE=1 $P/kubectl-l2lb where -A" \
  -n "kubectl l2lb where -A (same archive, JDK 17 jlink runtime + AppCDS)" "env XDG_CACHE_HOME=$work/cache $work/plugin17/kubectl-l2lb where -A" \
  -n "kubectl l2lb where -A (same archive, JDK 17 runtime, first run)" "env L2LB_NO_CACHE=1 $work/plugin17/kubectl-l2lb where -A"
uptime
