#!/bin/bash
# The fault suite, long version: ADD/DEL loops through the shipped plugin and its node daemon while
# etcd pauses, etcd dies and restarts, the daemon is SIGKILLed and restarted, and the mock API server
# answers 503, answers late or resets connections (Java: bench/src/main/java/dev/whereabouts/bench/fault;
# the short version is FaultSuiteIT). Build the reactor first (not `install`):  ./mvnw -B -q package -DskipTests
#   bench/faults/faults.sh [--warm-ms 5000] [--fault-ms 20000] [--after-ms 10000] [--callers 6]
#                          [--faults etcd_pause,etcd_restart,daemon_kill,mock_5xx,mock_slow,mock_reset] [--work DIR]
# Prints a Markdown table; exits 1 when an address was duplicated, leaked or lost, a failed call answered
# anything but one CNI error with code 11, or a release stayed pending.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tree=$root/cni-launcher/target/whereabouts
[ -x "$tree/bin/whereabouts" ] && [ -d "$root/bench/target/lib" ] \
  || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
java=${JAVA_HOME:-$tree/runtime}/bin/java
exec "$java" --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/bench/target/classes:$root/bench/target/lib/*" dev.whereabouts.bench.fault.FaultSuite \
  --tree "$tree" --warm-ms 5000 --fault-ms 20000 --after-ms 10000 --callers 6 "$@"
