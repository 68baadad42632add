#!/bin/bash
# Node daemon CPU per CNI call (ms), file and etcd stores, 8 concurrent callers through bin/whereabouts.
# Build the plugin first (./mvnw -B -q package -DskipTests). Needs etcd-server for the etcd case.
#   bench/cni/daemon-cpu.sh [--store file|etcd|both] [--calls N] [--callers C] [--warmup N] [--jfr DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$root/bench/cni/daemoncpu.py" "$root/cni-launcher/target/whereabouts" "$@"
