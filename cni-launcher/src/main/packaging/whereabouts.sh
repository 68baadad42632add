#!/bin/bash
# whereabouts CNI plugin (docs/launcher.md).
#   whereabouts daemon [--socket PATH] [--no-tcp]   the node daemon
#   whereabouts stores                              lists the store providers found
#   whereabouts run                                 one CNI call in a full JVM, never trying a daemon
#   whereabouts ctl ...                             the operator CLI (pools, show, who, release, reconcile)
#   whereabouts install                             the DaemonSet's node install (plugin, kubeconfig, flat file)
#   whereabouts controller pods|node-slices         a cluster controller (docs/operations.md)
# A CNI call is forwarded by this shell to the node daemon's token-guarded loopback port when the
# daemon published one (<socket>.tcp, root-only) and runs in this network namespace; otherwise the
# java.base-only JVM client (AOT-cached) forwards over the UNIX socket, or, when no daemon answers,
# has `whereabouts run` serve the call in a JVM of its own. Only the CNI result goes to stdout.
# Installed as a link named kube-node or node-annotation, the plugin serves that plugin's ipam section
# as written: the name it was invoked under travels with the call's environment to whoever serves it.
# `run` started by the client of a call no daemon answered keeps the name that call came under.
if [ "$1" = run ] && [ -n "$WHEREABOUTS_PLUGIN_NAME" ]; then export WHEREABOUTS_PLUGIN_NAME
else export WHEREABOUTS_PLUGIN_NAME=${0##*/}; fi
# No `set -euo pipefail`: every failure below has its own answer (a CNI error, or the JVM client as
# the fallback), and a shell that exits on the first failed test would print nothing at all.
# The tree (runtime/, lib/) is looked for only when a JVM starts. A call the daemon serves never
# needs it, and so never forks readlink for the installed link (whereabouts ->
# whereabouts.d/bin/whereabouts): that fork and exec was 40 % of such a call's CPU.
locate() {
  case "$0" in */*) self=$0 ;; *) self=$(command -v -- "$0") ;; esac
  [ -L "$self" ] && self=$(readlink -f -- "$self")
  bin=${self%/*}
  case "$bin" in */*) home=${bin%/*} ;; *) home=. ;; esac
  java=$home/runtime/bin/java
}
# JVM unified-logging warnings go to stdout by default; stdout belongs to the CNI result.
quiet="-Xlog:disable -Xlog:all=warning:stderr"

full() {
  locate
  # The daemon's AOT cache (trained at package time) cuts its start, which calls wait for after a
  # crash, and the start of `run`, the JVM that serves a call no daemon answers (same module path).
  local aot=
  case "$1" in daemon|run) [ -f "$home/lib/daemon.aot" ] && [[ $WHEREABOUTS_JAVA_OPTS != *AOTCache* ]] \
    && aot=-XX:AOTCache=$home/lib/daemon.aot ;; esac
  # C1 only: the daemon's work per call is I/O and small decodes, where C2's code gains little, while
  # C2 itself cost 1.5-2 ms of CPU per call for thousands of calls after a start (bench/cni/daemon-cpu.sh:
  # 4.0 -> 2.3 ms per file-store call, 6.3 -> 3.9 ms per etcd call), and a burst meets fresh daemons.
  # A long-lived JVM compiles a method after 20 calls instead of 200: code run once per call (the
  # socket protocol, the gRPC call) is otherwise interpreted for a fresh daemon's first 200 calls,
  # which the start-up warm-up does not reach (JFR over a fresh daemon's first 300 etcd calls:
  # interpreted top frames 62 % -> 40 %; the CPU figures were within this VM's noise, docs/launcher.md).
  local jit=
  case "$1" in daemon|controller) jit=-XX:CompileThresholdScaling=0.1 ;; esac
  exec "$java" $quiet -XX:TieredStopAtLevel=1 $jit -XX:+UseSerialGC $aot --sun-misc-unsafe-memory-access=allow \
    --enable-native-access=dev.whereabouts.cni.launcher $WHEREABOUTS_JAVA_OPTS \
    -p "$home/lib" --add-modules ALL-MODULE-PATH -m dev.whereabouts.cni.launcher/dev.whereabouts.cni.launcher.Launcher "$@"
}

client() {
  locate
  # The AOT cache (trained at package time with exactly these flags) contains the CDS archive, so
  # -Xshare may not be given with it; without a cache the runtime's default CDS archive is used.
  local share=-Xshare:auto
  [ -f "$home/lib/client.aot" ] && share=-XX:AOTCache=$home/lib/client.aot
  [ -n "$WHEREABOUTS_AOT_TRAINING" ] && share=
  exec "$java" $quiet -XX:TieredStopAtLevel=1 -XX:+UseSerialGC $share \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $WHEREABOUTS_CLIENT_OPTS \
    -cp "$home/lib/@JAR@" dev.whereabouts.cni.launcher.client.Main "$@"
}

case "$1" in daemon|stores|run|ctl|install|controller) full "$@" ;; esac
[ -z "$CNI_COMMAND" ] || [ "$CNI_COMMAND" = VERSION ] || [ "$WHEREABOUTS_CLIENT" = jvm ] && client "$@"

export LC_ALL=C # lengths below are byte counts
# The config's version for errors answered here, as the daemon would answer them.
version_of_stdin() {
  local re='"cniVersion"[[:space:]]*:[[:space:]]*"([0-9.]+)"'
  [[ $stdin =~ $re ]] && echo "${BASH_REMATCH[1]}" || echo 1.1.0
}
# A shell variable cannot hold a NUL byte and bash reads a pipe one byte at a time, so read at most
# one byte past the engine's limit (CniSpec.MAX_CONFIG_BYTES) and stop at a NUL: either one means
# the input is refused here, with the engine's own words (CniSpec.OVERSIZE_MSG, NUL_MSG).
limit=1048576
if IFS= read -r -d '' -n $((limit + 1)) stdin; then
  if [ ${#stdin} -gt $limit ]; then
    msg="network configuration is over the limit of $limit bytes"
  else
    msg="network configuration holds a NUL byte"
  fi
  printf '{"cniVersion":"%s","code":6,"msg":"%s","details":""}\n' "$(version_of_stdin)" "$msg"
  exit 1
fi
sock=$WHEREABOUTS_DAEMON_SOCKET
if [ -z "$sock" ]; then
  re='"daemon_socket"[[:space:]]*:[[:space:]]*"([^"\\]*)"'
  [[ $stdin =~ $re ]] && sock=${BASH_REMATCH[1]}
  # else the node flat file's, where the installer writes it (ConfigFiles.NODE_FLAT_FILE)
  if [ -z "$sock" ]; then
    wa_flat=
    IFS= read -r -d '' wa_flat 2>/dev/null < /etc/cni/net.d/whereabouts.d/whereabouts.conf
    [[ $wa_flat =~ $re ]] && sock=${BASH_REMATCH[1]}
  fi
fi
sock=${sock:-/run/whereabouts/daemon.sock}

# Only talk TCP to a live daemon of this network namespace that proves it knows the server token.
# The pid check costs no fork; a daemon in a pod has another pid namespace, so compare the netns text.
if IFS=' ' read -r port ctoken stoken pid netns 2>/dev/null < "$sock.tcp" \
    && { [[ /proc/$pid/ns/net -ef /proc/$$/ns/net ]] || [ "$(readlink /proc/$$/ns/net 2>/dev/null)" = "$netns" ]; } \
    && { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  # With -t, bash waits and masks signals around every byte (four syscalls each); the greeting's
  # length is known, so only its first byte is waited for, and -N reads the rest in one go. -u 3,
  # not <&3: a redirection saves, dups and restores the descriptor (about ten syscalls a read).
  if IFS= read -r -u 3 -t 10 -N 1 first && IFS= read -r -u 3 -N $((5 + ${#stoken})) rest \
      && [ "$first$rest" = "WHD1 $stoken"$'\n' ]; then
    envblob=
    # Only the variables a call reads (CniRequest.CALL_PREFIXES and CALL_NAMES; every path keeps only
    # these, so the answer is the same): listing every exported name cost about 1 ms of CPU per call.
    # ${!name@a} (bash >= 5.1) tells which are exported, without $(compgen -e) and its fork.
    filter=
    if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)); then
      filter=1
      names="${!CNI_*} ${!WHEREABOUTS_*} KUBECONFIG NODENAME NODE_NAME NODE_ANNOTATION_CFG"
    else
      names=$(compgen -e)
    fi
    for name in $names; do
      [ -z "$filter" ] || [[ ${!name@a} == *x* ]] || continue
      value=${!name}
      [[ $value == *$'\n'* ]] || envblob+="$name=$value"$'\n'
    done
    printf 'WHT1 %s %d %d\n%s%s' "$ctoken" "${#envblob}" "${#stdin}" "$envblob" "$stdin" >&3
    # The wait is for the first byte; the rest of the header comes in the same write.
    if IFS= read -r -u 3 -t 600 -N 1 first && IFS= read -r -u 3 head; then
      set -f
      set -- $first$head
      code=$1 olen=$2 elen=$3
      out= err=
      [ "$olen" -gt 0 ] && IFS= read -r -u 3 -N "$olen" out
      [ "$elen" -gt 0 ] && IFS= read -r -u 3 -N "$elen" err
      printf '%s' "$err" >&2
      printf '%s' "$out"
      exit "$code"
    fi
    if [ "$CNI_COMMAND" != DEL ]; then # the daemon may have done the work: let the runtime retry
      printf '{"cniVersion":"%s","code":11,"msg":"whereabouts daemon call failed","details":"no reply"}\n' "$(version_of_stdin)"
      exit 1
    fi
  fi
  exec 3<&-
fi
client "$@" <<<"$stdin"
