#!/bin/bash
# Builds the plugin tree and runs a real ADD and DEL through the plugin binary on the file store,
# once through the node daemon and once without it (in-process fallback). Prints the CNI results.
#   bench/cni/demo.sh            (from the repository root; needs JAVA_HOME=<JDK 25> for the build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x cni-launcher/target/whereabouts/bin/whereabouts ] && [ "${REBUILD:-0}" = 0 ] \
  || ./mvnw -B -q -pl cni-launcher package -DskipTests
plugin=$root/cni-launcher/target/whereabouts/bin/whereabouts
work=$(mktemp -d)
daemon=
# The daemon answers SIGTERM with status 143; that is its normal stop, not the demo's result.
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
config='{"cniVersion":"1.1.0","name":"demo-net","type":"bridge",
 "ipam":{"type":"whereabouts","datastore":"file","file":{"data_dir":"'$work'/data"},
         "attachments_dir":"'$work'/attachments","daemon_socket":"'$work'/run/daemon.sock",
         "range":"10.123.0.0/24","gateway":"10.123.0.1","routes":[{"dst":"0.0.0.0/0"}],"log_level":"error"}}'
call() { # command container-id
  echo "$config" | env CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 \
    CNI_PATH=/usr/lib/cni CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=demo;K8S_POD_NAME=$2" "$plugin"
  echo "  -> $1 $2 exit $?"
}
echo "== without a daemon (in-process fallback)"
call ADD pod-one
echo "== with the node daemon"
"$plugin" daemon --socket "$work/run/daemon.sock" 2>"$work/daemon.log" &
daemon=$!
for _ in $(seq 1 300); do [ -S "$work/run/daemon.sock" ] && break; sleep 0.1; done
call ADD pod-two
call DEL pod-two
call DEL pod-one
echo "== store after both DELs (files under data_dir):"
find "$work/data" -type f | sed "s|$work|\$WORK|"
