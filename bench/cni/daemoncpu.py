#!/usr/bin/env python3
"""Daemon CPU per CNI call: drives ADD/DEL through the shipped plugin with concurrent callers and
divides the node daemon's CPU time (utime + stime from /proc/PID/stat) by the number of calls.

Usage: daemoncpu.py TREE [--store file|etcd|kubernetes|both|all] [--calls N] [--callers C] [--warmup N] [--jfr DIR]
                      [--chunks K] [--against TREE2] [--threads]

The CPU of the callers (bash forwarders) is not counted: only the daemon's. Each store gets a fresh
daemon on a private socket; the etcd case starts a real etcd on free loopback ports with its own
data directory and stops it at the end; the kubernetes case starts fabric8's mock API server in its
own JVM (the burst's, bench/target: build the reactor first), whose CPU is not counted either.
`both` is file and etcd; `all` adds kubernetes. --jfr DIR records the measured phase with JFR
(DIR/<store>.jfr) for `jfr view hot-methods`.

The measured phase runs in --chunks chunks, and the line ends with the median and range of the
chunks' CPU per call: on a shared VM the same daemon's figure moves by a third within a minute, so a
single total says little. To compare two builds, give the second tree with --against TREE: both
daemons start and warm up, then take turns chunk by chunk (each with its own backend), so that both
see the same slow and fast minutes, and the ratio is reported chunk by chunk.
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """(user, system) CPU ms of the whole process: utime and stime, fields 14 and 15 of /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) * 1000.0 / TICK, int(fields[12]) * 1000.0 / TICK


def thread_cpu_ms(pid):
    """CPU ms per thread name (threads of one name summed, digits folded: C2 CompilerThread0 -> #)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        name = "".join("#" if ch.isdigit() else ch for ch in raw[raw.index("(") + 1:raw.rindex(")")])
        fields = raw.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) * 1000.0 / TICK
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_etcd(work):
    client, peer = free_port(), free_port()
    c, p = f"http://127.0.0.1:{client}", f"http://127.0.0.1:{peer}"
    log = open(os.path.join(work, "etcd.log"), "w")
    proc = subprocess.Popen(["etcd", "--data-dir", os.path.join(work, "etcd"), "--listen-client-urls", c,
                             "--advertise-client-urls", c, "--listen-peer-urls", p,
                             "--initial-advertise-peer-urls", p, "--initial-cluster", "default=" + p],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", client), timeout=1).close()
            return proc, client
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("etcd did not start; see " + log.name)


def start_mock_api(work):
    """The burst's mock API server (MockApiMain) on a free loopback port; returns (process, kubeconfig path)."""
    bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target")
    cp = os.path.join(bench, "classes") + ":" + os.path.join(bench, "lib", "*")
    log = open(os.path.join(work, "mock.log"), "w")
    proc = subprocess.Popen([jdk_tool("java"), "--sun-misc-unsafe-memory-access=allow", "-cp", cp,
                             "dev.whereabouts.bench.burst.MockApiMain"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    ready = proc.stdout.readline()
    if not ready.startswith("port "):
        proc.kill()
        sys.exit("mock API server did not start (build bench/ first); see " + log.name)
    kubeconfig = os.path.join(work, "kubeconfig")
    with open(kubeconfig, "w") as f:
        f.write("apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n"
                f"    server: http://127.0.0.1:{ready.split()[1]}\n"
                "users:\n- name: u\n  user:\n    token: bench\ncontexts:\n- name: c\n  context:\n"
                "    cluster: mock\n    user: u\n    namespace: kube-system\ncurrent-context: c\n")
    return proc, kubeconfig


def jdk_tool(name):
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", name) if home else name


def jfr_tree(binary, work):
    """A copy of the plugin tree whose runtime/ is $JAVA_HOME (JDK 25); returns its bin/whereabouts."""
    tree = os.path.dirname(os.path.dirname(binary))
    shadow = os.path.join(work, "jfr-tree")
    if not os.path.exists(shadow):
        os.makedirs(os.path.join(shadow, "bin"))
        shutil.copy(binary, os.path.join(shadow, "bin"))
        os.symlink(os.path.join(tree, "lib"), os.path.join(shadow, "lib"))
        os.symlink(os.environ["JAVA_HOME"], os.path.join(shadow, "runtime"))
    return os.path.join(shadow, "bin", "whereabouts")


class Driver:
    def __init__(self, binary, config):
        self.binary, self.config = binary, config.encode()

    def call(self, command, cid):
        env = {"PATH": "/usr/bin:/bin", "CNI_COMMAND": command, "CNI_CONTAINERID": cid,
               "CNI_NETNS": "/proc/self/ns/net", "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni",
               "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=" + cid}
        p = subprocess.run([self.binary], input=self.config, env=env, capture_output=True)
        if p.returncode != 0:
            raise SystemExit(f"{command} {cid} failed: {p.stdout!r} {p.stderr!r}")

    def cycles(self, prefix, count, callers):
        """count ADD+DEL cycles spread over `callers` threads; returns the number of CNI calls."""
        errors = []

        def worker(w):
            try:
                for i in range(w, count, callers):
                    self.call("ADD", f"{prefix}{i}")
                    self.call("DEL", f"{prefix}{i}")
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(callers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise SystemExit(str(errors[0]))
        return 2 * count


class Daemon:
    """One node daemon on a private socket with its own store backend (etcd or mock API server)."""

    def __init__(self, binary, store, a, work, tag=""):
        self.store, self.a, self.backend = store, a, None
        name = store + tag
        home = os.path.join(work, name)
        os.makedirs(home)
        ipam = {"type": "whereabouts", "range": "10.200.0.0/16", "log_level": "error",
                "attachments_dir": os.path.join(home, "att")}
        if store == "etcd":
            self.backend, port = start_etcd(home)
            ipam.update(datastore="etcd", etcd_host=f"127.0.0.1:{port}", etcd_prefix="/bench")
        elif store == "kubernetes":
            self.backend, kubeconfig = start_mock_api(home)
            ipam.update(datastore="kubernetes", kubernetes={"kubeconfig": kubeconfig})
        else:
            ipam.update(datastore="file", file={"data_dir": os.path.join(home, "data")})
        sock = os.path.join(home, "run", "d.sock")
        ipam["daemon_socket"] = sock
        config = json.dumps({"cniVersion": "1.0.0", "name": "bench-" + store, "ipam": ipam})
        opts = os.environ.get("WHEREABOUTS_JAVA_OPTS", "")
        daemon_binary = binary
        if a.jfr:  # the jlinked runtime has no jdk.jfr: run the daemon on the full JDK, same script and lib/
            daemon_binary = jfr_tree(binary, home)
            opts += " --add-modules jdk.jfr"
        # verbose: the daemon's own lines only (each call logs at the config's log_level), among them
        # the end of its start-up warm-up, which must not run inside the measured phase
        env = {"PATH": "/usr/bin:/bin", "WHEREABOUTS_LOG_LEVEL": "verbose", "WHEREABOUTS_JAVA_OPTS": opts}
        self.log_path = os.path.join(home, "daemon.log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([daemon_binary, "daemon", "--socket", sock], stderr=log, env=env)
        for _ in range(600):
            if os.path.exists(sock + ".tcp") and os.path.exists(sock):
                break
            time.sleep(0.05)
        self.driver = Driver(binary, config)
        self.chunks, self.user, self.system, self.calls, self.wall = [], 0.0, 0.0, 0, 0.0

    def warm(self):
        self.driver.cycles("warm", self.a.warmup, self.a.callers)  # JIT, store client, page cache
        for _ in range(1200):  # the start-up warm-up pauses while calls are served, then finishes
            with open(self.log_path, errors="replace") as f:
                if "JIT warm-up" in f.read():
                    return
            time.sleep(0.05)

    def chunk(self, prefix, cycles):
        """Runs `cycles` ADD+DEL cycles and records the daemon's CPU per call over them."""
        before, t0 = cpu_ms(self.proc.pid), time.monotonic()
        calls = self.driver.cycles(prefix, cycles, self.a.callers)
        after = cpu_ms(self.proc.pid)
        self.wall += time.monotonic() - t0
        user, system = after[0] - before[0], after[1] - before[1]
        self.user, self.system, self.calls = self.user + user, self.system + system, self.calls + calls
        self.chunks.append((user + system) / calls)

    def report(self, label):
        used, n, c, wall = self.user + self.system, self.calls, sorted(self.chunks), self.wall
        spread = (f"; per chunk of {n // len(c)} calls: median {statistics.median(c):.2f}, "
                  f"range {c[0]:.2f}-{c[-1]:.2f}") if len(c) > 1 else ""
        print(f"{label}: {n} calls, {self.a.callers} callers, daemon CPU {used:.0f} ms = "
              f"{used / n:.2f} ms/call (user {self.user / n:.2f}, system {self.system / n:.2f}), "
              f"wall {wall:.1f} s ({n / wall:.0f} calls/s){spread}", flush=True)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.store == "etcd" and self.backend:
            self.backend.terminate()
            self.backend.wait(30)
        elif self.backend:
            self.backend.stdin.close()  # end of stdin stops the mock API server
            self.backend.wait(30)


def measure(binary, store, a, work):
    """The measured phase in --chunks chunks; with --against, alternating with a second tree's daemon."""
    daemons = []
    try:
        daemons.append(Daemon(binary, store, a, work))
        if a.against:
            daemons.append(Daemon(os.path.join(os.path.abspath(a.against), "bin", "whereabouts"), store, a, work, "-b"))
        for d in daemons:
            d.warm()
        if a.jfr:
            subprocess.run([jdk_tool("jcmd"), str(daemons[0].proc.pid), "JFR.start", "name=lean", "settings=profile",
                            # CPU-time sampling (JDK 25) also sees time in syscalls and the JVM
                            "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms",
                            "filename=" + os.path.join(a.jfr, store + ".jfr")], capture_output=True, check=True)
        threads_before = thread_cpu_ms(daemons[0].proc.pid)
        cycles = max(1, a.calls // 2 // a.chunks)
        for i in range(a.chunks):
            # alternate which daemon goes first, so that neither always follows the other
            for d in (daemons if i % 2 == 0 else daemons[::-1]):
                d.chunk(f"c{i}-", cycles)
        threads_after = thread_cpu_ms(daemons[0].proc.pid)
        if a.jfr:
            subprocess.run([jdk_tool("jcmd"), str(daemons[0].proc.pid), "JFR.stop", "name=lean"],
                           capture_output=True, check=True)
        daemons[0].report(store)
        if a.against:
            daemons[1].report(store + " (--against)")
            ratios = sorted(b / x for x, b in zip(daemons[0].chunks, daemons[1].chunks))
            print(f"    --against / tree, chunk by chunk: median {statistics.median(ratios):.3f}, "
                  f"range {ratios[0]:.3f}-{ratios[-1]:.3f}", flush=True)
        if a.threads:  # threads that ended during the run are not listed (their CPU is in the total)
            calls = daemons[0].calls
            delta = {n: v - threads_before.get(n, 0) for n, v in threads_after.items()}
            for name, ms in sorted(delta.items(), key=lambda kv: -kv[1])[:8]:
                print(f"    {ms / calls:7.3f} ms/call  {name}")
    finally:
        for d in daemons:
            d.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--store", choices=["file", "etcd", "kubernetes", "both", "all"], default="both")
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--callers", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=400, help="ADD+DEL cycles before measuring")
    ap.add_argument("--threads", action="store_true", help="also print daemon CPU per call by thread name")
    ap.add_argument("--jfr", help="directory for <store>.jfr recordings of the measured phase")
    ap.add_argument("--chunks", type=int, default=8,
                    help="measure in this many chunks and report their median and range (this VM's speed drifts)")
    ap.add_argument("--against", metavar="TREE",
                    help="a second plugin tree: its daemon runs chunk for chunk alternately with the first")
    a = ap.parse_args()
    binary = os.path.join(os.path.abspath(a.tree), "bin", "whereabouts")
    if a.jfr:
        a.jfr = os.path.abspath(a.jfr)
        os.makedirs(a.jfr, exist_ok=True)
    work = tempfile.mkdtemp(prefix="wa-cpu")
    try:
        stores = {"both": ["file", "etcd"], "all": ["file", "etcd", "kubernetes"]}.get(a.store, [a.store])
        for store in stores:
            measure(binary, store, a, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
