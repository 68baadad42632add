#!/bin/bash
# The cluster burst: K node daemons x C concurrent plugin execs, N ADDs then N DELs on one pool, on a
# real etcd and on fabric8's mock API server (Java: bench/src/main/java/dev/whereabouts/bench/burst).
# Build the reactor first (not `install`):  ./mvnw -B -q package -DskipTests
#   bench/burst/burst.sh [--nodes 10] [--callers 10] [--adds 1000] [--stores etcd,kubernetes-mock,file]
#                        [--range 10.77.0.0/16] [--cni-version 0.4.0] [--work DIR --keep] [--strict]
#                        [--warm-cycles N]   unmeasured ADD+DEL cycles per node first (default 1)
#                        [--harness-warmup N]  runs of /bin/true that warm the harness's exec path (default 500)
#                        [--prefill N]       N allocations in the pool first, through an in-process engine
#                        [--store-timeout-ms MS]   ipam.store_timeout_ms (default: the plugin's, 2 min for ADD)
# UPSTREAM_BIN=/path/to/upstream/whereabouts runs that binary the same way (no daemons) and prints ratios.
# BURST_SPAWN=default starts the plugin processes the JDK's default way (see below) instead of VFORK.
# Exits 1 when an address was handed out twice, lost or leaked (--strict: also on any failed call).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tree=$root/cni-launcher/target/whereabouts
[ -x "$tree/bin/whereabouts" ] && [ -d "$root/bench/target/lib" ] \
  || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v etcd >/dev/null || echo "no etcd on PATH (Debian: apt-get install etcd-server); use --stores kubernetes-mock" >&2
# Any JDK 25; without JAVA_HOME the plugin's own jlink'd runtime, which has every module the harness uses.
java=${JAVA_HOME:-$tree/runtime}/bin/java
# A container runtime (containerd, CRI-O: Go's os/exec) starts a plugin with one clone(CLONE_VFORK)
# and one exec. The JDK's default launch execs its jspawnhelper first and the plugin second, which
# on this 2-core VM doubled the CPU of each start (8.7 vs 4.3 ms for /bin/true) and charged a
# harness-only cost of about 4 s to every 1,000-call phase. VFORK is deprecated in JDK 25 (it
# prints a notice once) but still the closest to what a runtime does; both binaries get the same.
spawn=-Djdk.lang.Process.launchMechanism=VFORK
[ "${BURST_SPAWN:-}" = default ] && spawn=
exec "$java" --sun-misc-unsafe-memory-access=allow $spawn -cp "$root/bench/target/classes:$root/bench/target/lib/*" \
  dev.whereabouts.bench.burst.Burst --tree "$tree" "$@"
