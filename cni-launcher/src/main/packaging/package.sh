#!/bin/bash
# Builds the self-contained plugin tree target/whereabouts/ (runtime/, lib/, bin/whereabouts, the
# client's AOT cache) and target/whereabouts-<version>.tar.gz. Called by Maven in the package phase
# after copy-dependencies has filled lib/; runnable by hand with the same arguments.
set -euo pipefail
jdk=$1 target=$2 jar=$3
# Quiet unless asked (-Dwhereabouts.build.verbose=true or WHEREABOUTS_BUILD_VERBOSE=true): a build
# that succeeds has nothing to say; failures still print.
verbose=${WHEREABOUTS_BUILD_VERBOSE:-false}
say() { if [ "$verbose" = true ]; then echo "$@"; fi; }
tree=$target/whereabouts
lib=$tree/lib
cp "$target/$jar" "$lib/"

# JDK modules: what jdeps sees in the jars, plus what is only reached through ServiceLoader or
# reflection (jdeps cannot see those): TLS curves for etcd/Kubernetes, JNDI DNS for gRPC name
# resolution, SO_PEERCRED for the daemon, Unsafe for Netty; the HTTP server behind the daemon's /metrics.
lean=java.base,java.logging,jdk.httpserver,java.naming,java.net.http,java.xml,java.management,jdk.unsupported,jdk.crypto.ec,jdk.net,jdk.naming.dns,jdk.charsets,java.security.jgss,jdk.crypto.cryptoki
if ! found=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
          --module-path "$lib" --add-modules ALL-MODULE-PATH 2>&1); then
  echo "package.sh: jdeps could not read $lib (a jar left from an older build? ./mvnw clean): $found" >&2
  exit 1
fi
modules=$lean${found:+,$found}
say "jlink modules: $modules"
rm -rf "$tree/runtime"
"$jdk/bin/jlink" --add-modules "$modules" --output "$tree/runtime" \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 --generate-cds-archive \
  $(command -v objcopy >/dev/null && echo --strip-native-debug-symbols=objcopy="$(command -v objcopy)") \
  >"$target/jlink.out"
say "$(cat "$target/jlink.out")"
# the archive for heaps above 32 GB (no compressed oops) is dead weight for a CNI plugin
rm -f "$tree/runtime/lib/server/classes_nocoops.jsa"

mkdir -p "$tree/bin"
sed -e "s|@JAR@|$jar|g" "$(dirname "$0")/whereabouts.sh" > "$tree/bin/whereabouts"
chmod 0755 "$tree/bin/whereabouts"

# Train the client's AOT cache on the daemon path with exactly the flags and jars it ships with.
# The same run trains the daemon's cache: a daemon restarted after a crash starts in ~1.5 s with it
# instead of ~6 s on a busy two-core node, and calls wait for it rather than run in-process.
rm -f "$lib/client.aot" "$lib/daemon.aot"
daemon=
work=$(mktemp -d)
trap '[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 0700 "$work/run"
WHEREABOUTS_LOG_LEVEL=error WHEREABOUTS_JAVA_OPTS="-XX:AOTCacheOutput=$lib/daemon.aot" \
  "$tree/bin/whereabouts" daemon --no-metrics --socket "$work/run/d.sock" --flat-file "$work/none.conf" &
daemon=$!
for _ in $(seq 1 300); do [ -S "$work/run/d.sock" ] && break; sleep 0.1; done
[ -S "$work/run/d.sock" ] || { echo "training daemon did not start" >&2; exit 1; }
config='{"cniVersion":"1.0.0","name":"train","ipam":{"type":"whereabouts","datastore":"file","file":{"data_dir":"'$work'/data"},"attachments_dir":"'$work'/attachments","range":"10.99.0.0/24"}}'
for cmd in ADD; do
  out=$(echo "$config" | env WHEREABOUTS_AOT_TRAINING=1 WHEREABOUTS_CLIENT=jvm WHEREABOUTS_DAEMON_SOCKET="$work/run/d.sock" \
      WHEREABOUTS_CLIENT_OPTS="-XX:AOTCacheOutput=$lib/client.aot.$cmd" \
      CNI_COMMAND=$cmd CNI_CONTAINERID=train CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH=/bin \
      "$tree/bin/whereabouts" 2>"$work/train.err") || true
  say "training $cmd -> $out"
  if [ "$verbose" = true ]; then cat "$work/train.err" >&2; fi
done
# The daemon's cache also learns the etcd and Kubernetes clients (gRPC, Netty, fabric8): calls to
# stores that do not answer load the same classes as calls that succeed, and that is ~2 s of a
# restarted daemon's first call on a busy node. Their DELs are queued as pending; $work goes away.
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: none\n  cluster:\n    server: http://127.0.0.1:9\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context:\n    cluster: none\n    user: u\n    namespace: kube-system\ncurrent-context: c\n' > "$work/kubeconfig"
for store in '"datastore":"etcd","etcd_host":"127.0.0.1:9"' '"datastore":"kubernetes","kubernetes":{"kubeconfig":"'$work'/kubeconfig"}'; do
  for cmd in ADD DEL; do
    echo '{"cniVersion":"1.0.0","name":"train","ipam":{"type":"whereabouts",'"$store"',"store_timeout_ms":1500,"attachments_dir":"'$work'/attachments","range":"10.99.0.0/24"}}' \
      | env WHEREABOUTS_CLIENT=jvm WHEREABOUTS_DAEMON_SOCKET="$work/run/d.sock" CNI_COMMAND=$cmd CNI_CONTAINERID=train \
        CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH=/bin "$tree/bin/whereabouts" >/dev/null 2>&1 || true
  done
done
mv "$lib/client.aot.ADD" "$lib/client.aot"
rm -f "$lib"/client.aot.*
kill "$daemon"; wait "$daemon" || true # the daemon's cache is written as it exits
[ -f "$lib/daemon.aot" ] || echo "warning: no daemon AOT cache was written" >&2

version=${jar%.jar}; version=${version#cni-launcher-}
tar -C "$target" -czf "$target/whereabouts-$version.tar.gz" whereabouts
say "plugin tree size: $(du -sh "$tree" | cut -f1)"
