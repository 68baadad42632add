#!/bin/bash
# Node daemon CPU per CNI call (ms), 8 concurrent callers through bin/whereabouts: file and etcd
# stores (both, the default), or kubernetes on fabric8's mock API server, or all three.
# Build the reactor first (./mvnw -B -q package -DskipTests). Needs etcd-server for the etcd case.
#   bench/cni/daemon-cpu.sh [--store file|etcd|kubernetes|both|all] [--calls N] [--callers C] [--warmup N] [--jfr DIR]
#                           [--chunks K] [--against OTHER_TREE] [--threads]   (see daemoncpu.py)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$root/bench/cni/daemoncpu.py" "$root/cni-launcher/target/whereabouts" "$@"
