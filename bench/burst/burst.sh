#!/bin/bash
# The cluster burst: K node daemons x C concurrent plugin execs, N ADDs then N DELs on one pool, on a
# real etcd and on fabric8's mock API server (Java: bench/src/main/java/dev/whereabouts/bench/burst).
# Build the reactor first (not `install`):  ./mvnw -B -q package -DskipTests
#   bench/burst/burst.sh [--nodes 10] [--callers 10] [--adds 1000] [--stores etcd,kubernetes-mock,file]
#                        [--range 10.77.0.0/16] [--cni-version 0.4.0] [--work DIR --keep] [--strict]
#                        [--warm-cycles N]   unmeasured ADD+DEL cycles per node first (default 1)
#                        [--prefill N]       N allocations in the pool first, through an in-process engine
#                        [--store-timeout-ms MS]   ipam.store_timeout_ms (default: the plugin's, 2 min for ADD)
# UPSTREAM_BIN=/path/to/upstream/whereabouts runs that binary the same way (no daemons) and prints ratios.
# Exits 1 when an address was handed out twice, lost or leaked (--strict: also on any failed call).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tree=$root/cni-launcher/target/whereabouts
[ -x "$tree/bin/whereabouts" ] && [ -d "$root/bench/target/lib" ] \
  || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v etcd >/dev/null || echo "no etcd on PATH (Debian: apt-get install etcd-server); use --stores kubernetes-mock" >&2
# Any JDK 25; without JAVA_HOME the plugin's own jlink'd runtime, which has every module the harness uses.
java=${JAVA_HOME:-$tree/runtime}/bin/java
exec "$java" --sun-misc-unsafe-memory-access=allow -cp "$root/bench/target/classes:$root/bench/target/lib/*" \
  dev.whereabouts.bench.burst.Burst --tree "$tree" "$@"
