#!/usr/bin/env bash
# The kind suite's one command (docs/kind.md): everything from a fresh Debian machine (root) to
# the *KindE2E results, each step timed:
#   1. scripts/docker-engine.sh       Docker engine (Debian docker.io, runc wrapper, dockerd)
#   2. ./mvnw package, no tests: the speaker and operator jars (their images), and the krew
#      archive (dist/, with the CLI) whose launcher the story runs as `kubectl l2lb`
#   3. scripts/images.sh              base, JRE, speaker, operator and the story's test image
#   4. scripts/kind-images.sh         kind CLI + node image (Kubernetes from the Go module proxy)
#   5. ./mvnw -Pkind -pl kind -am verify   ImageNamesTest, ImagesKindE2E, StoryKindE2E
# Every step skips what is present and working, so a second run costs the suite alone.
# Not part of .ci/run: docs/kind.md (the decision and its figures).
# Extra arguments go to the last Maven command (e.g. -Dit.test=StoryKindE2E).
set -euo pipefail
cd "$(dirname "$0")/.."

START=$(date +%s)
times=()
step() { # step NAME COMMAND...
  local name=$1 t0 rc=0
  shift
  t0=$(date +%s)
  echo "[kind-test] == ${name}"
  "$@" || rc=$?
  times+=("$(printf '%-34s %5ds%s' "${name}" "$(($(date +%s) - t0))" "$( ((rc)) && echo "  FAILED (exit ${rc})")")")
  if ((rc)); then
    summary
    exit "${rc}"
  fi
}
summary() {
  echo "[kind-test] step times:"
  printf '[kind-test]   %s\n' "${times[@]}"
  echo "[kind-test] total $(($(date +%s) - START))s"
}

export KUBE_API_TEST_OFFLINE_MODE=true
modules=speaker,operator,dist
step "docker engine" scripts/docker-engine.sh
step "jars (${modules})" nice -n 19 ./mvnw -B -q -ntp -pl "${modules}" -am package -DskipTests
step "project images" scripts/images.sh
step "kind node image" scripts/kind-images.sh
# -am builds core and testkit for the kind module; their own tests ran in scripts/test.sh
step "kind suite (mvn -Pkind)" ./mvnw -B -ntp -Pkind -pl kind -am verify \
  -Dtest=ImageNamesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='*KindE2E' -Dfailsafe.failIfNoSpecifiedTests=false "$@"
summary
