#!/bin/bash
# Benchmarks the packaged plugin (build it first: ./mvnw -B -pl cni-launcher package).
#   bench/cni/bench.sh [--calls N] [--throughput-seconds S] [--skip-throughput]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -x /usr/lib/cni/host-local ] || { echo "install containernetworking-plugins" >&2; exit 1; }
exec python3 "$root/bench/cni/cnibench.py" "$root/cni-launcher/target/whereabouts" "$@"
