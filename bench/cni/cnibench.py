#!/usr/bin/env python3
"""Per-call and throughput benchmark of the whereabouts plugin binary against Debian's host-local.

Usage: cnibench.py TREE [--calls N] [--throughput-seconds S]

TREE is the packaged plugin tree (cni-launcher/target/whereabouts). The script starts and stops its
own node daemon on a private socket, uses the file store in a temporary directory, and alternates
the variants call by call (daemon, fallback, host-local) so that load changes hit all of them alike.
Prints median and p99 wall time per ADD and DEL, the ratio to host-local, and ADD+DEL cycles per
second with 1, 4, 8 and 16 concurrent callers on one pool: at each count the daemon path and
host-local run back to back, so the ratio between them is taken under the same load.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

HOST_LOCAL = "/usr/lib/cni/host-local"


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


class Variant:
    def __init__(self, name, argv, config, extra_env=None):
        self.name, self.argv, self.config, self.extra_env = name, argv, config.encode(), extra_env or {}

    def call(self, command, cid):
        env = {"PATH": "/usr/bin:/bin", "CNI_COMMAND": command, "CNI_CONTAINERID": cid,
               "CNI_NETNS": "/proc/self/ns/net", "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni",
               "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=" + cid}
        env.update(self.extra_env)
        t0 = time.perf_counter_ns()
        p = subprocess.run(self.argv, input=self.config, env=env, capture_output=True)
        dt = (time.perf_counter_ns() - t0) / 1e6
        if p.returncode != 0:
            sys.exit(f"{self.name} {command} {cid} failed: {p.stdout!r} {p.stderr!r}")
        if command == "ADD":
            json.loads(p.stdout)
        return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--calls", type=int, default=40)
    ap.add_argument("--throughput-seconds", type=float, default=10)
    ap.add_argument("--skip-throughput", action="store_true")
    a = ap.parse_args()
    binary = os.path.join(os.path.abspath(a.tree), "bin", "whereabouts")
    work = tempfile.mkdtemp(prefix="wa-bench")
    sock = os.path.join(work, "run", "d.sock")

    def wa_config(name, socket_path):
        return json.dumps({"cniVersion": "1.0.0", "name": name, "ipam": {
            "type": "whereabouts", "datastore": "file", "daemon_socket": socket_path,
            "file": {"data_dir": os.path.join(work, name)}, "attachments_dir": os.path.join(work, name + "-att"),
            "range": "10.200.0.0/16", "log_level": "error"}})

    hl = json.dumps({"cniVersion": "1.0.0", "name": "hl", "ipam": {
        "type": "host-local", "ranges": [[{"subnet": "10.201.0.0/16"}]], "dataDir": os.path.join(work, "hl")}})
    daemon = subprocess.Popen([binary, "daemon", "--socket", sock], stderr=subprocess.DEVNULL,
                              env={"PATH": "/usr/bin:/bin", "WHEREABOUTS_LOG_LEVEL": "error"})
    try:
        for _ in range(600):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        variants = [
            Variant("daemon, shell client", [binary], wa_config("wd", sock)),
            Variant("daemon, JVM client AOT", [binary], wa_config("wj", sock), {"WHEREABOUTS_CLIENT": "jvm"}),
            Variant("daemon, JVM client no AOT", [binary], wa_config("wn", sock),
                    {"WHEREABOUTS_CLIENT": "jvm", "WHEREABOUTS_CLIENT_OPTS": "-XX:AOTMode=off"}),
            Variant("fallback (no daemon)", [binary], wa_config("wf", os.path.join(work, "none.sock"))),
            Variant("host-local", [HOST_LOCAL], hl),
        ]
        for v in variants:  # warm the daemon's store client and the page cache
            v.call("ADD", "warm"); v.call("DEL", "warm")
        times = {(v.name, c): [] for v in variants for c in ("ADD", "DEL")}
        for i in range(a.calls):
            for v in variants:
                times[(v.name, "ADD")].append(v.call("ADD", f"c{i}"))
            for v in variants:
                times[(v.name, "DEL")].append(v.call("DEL", f"c{i}"))
        print(f"per-call wall time, {a.calls} calls each, variants alternated; load avg {os.getloadavg()[0]:.1f}")
        for c in ("ADD", "DEL"):
            base = statistics.median(times[("host-local", c)])
            for v in variants:
                xs = times[(v.name, c)]
                print(f"  {c:3} {v.name:28} median {statistics.median(xs):7.1f} ms  p99 {percentile(xs, 99):7.1f} ms"
                      f"  x{statistics.median(xs) / base:5.1f} host-local")
        if not a.skip_throughput:
            print(f"throughput (ADD+DEL cycles/s on one pool, {a.throughput_seconds:.0f} s each)")
            ours, theirs = variants[0], variants[4]
            for k in (1, 4, 8, 16):  # the goal is stated at 8 callers
                mine, base = throughput(ours, k, a.throughput_seconds), throughput(theirs, k, a.throughput_seconds)
                print(f"  {k:2} callers: {ours.name} {mine:7.1f} cycles/s, {theirs.name} {base:7.1f} cycles/s"
                      f"  ({100 * mine / base:.0f} % of host-local)")
    finally:
        daemon.terminate()
        daemon.wait(60)
        shutil.rmtree(work, ignore_errors=True)


def throughput(v, callers, seconds):
    done = [0] * callers
    stop = time.monotonic() + seconds

    def worker(n):
        i = 0
        while time.monotonic() < stop:
            cid = f"t{callers}x{n}x{i}"
            v.call("ADD", cid)
            v.call("DEL", cid)
            done[n] += 1
            i += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(callers)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - t0)


if __name__ == "__main__":
    main()
