#!/usr/bin/env bash
# Writes the krew manifest with archive checksums filled in:
#   scripts/krew-manifest.sh IN.yaml OUT.yaml PLATFORM=SHA256|PLATFORM=ARCHIVE ...
# PLATFORM is os_arch (linux_amd64, linux_arm64, darwin_amd64, darwin_arm64): the sha256 line
# after the uri ending in _PLATFORM.tar.gz is replaced. The dist module's build calls it for the
# archive it built; the release workflow for all four. Fails when a platform is not in IN.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 IN.yaml OUT.yaml PLATFORM=SHA256|PLATFORM=ARCHIVE..." >&2; exit 2; }
in=$1 out=$2
shift 2
text=$(cat "$in")
for pair in "$@"; do
  platform=${pair%%=*} value=${pair#*=}
  if [ -f "$value" ]; then
    if command -v sha256sum >/dev/null; then sum=$(sha256sum "$value" | cut -d' ' -f1)
    else sum=$(shasum -a 256 "$value" | cut -d' ' -f1); fi
  else
    sum=$value
  fi
  [[ $sum =~ ^[0-9a-f]{64}$ ]] || { echo "$0: $platform: not a sha256: $sum" >&2; exit 1; }
  new=$(printf '%s\n' "$text" | awk -v p="_${platform}.tar.gz" -v s="$sum" '
    index($0, "uri:") && substr($0, length($0) - length(p) + 1) == p { hit = 1; print; next }
    hit && $1 == "sha256:" { sub(/sha256:.*/, "sha256: \"" s "\""); hit = 0; done = 1 }
    { print }
    END { if (!done) exit 3 }') || { echo "$0: no uri ending in _${platform}.tar.gz followed by sha256 in $in" >&2; exit 1; }
  text=$new
done
mkdir -p "$(dirname "$out")"
printf '%s\n' "$text" >"$out"
