#!/usr/bin/env python3
"""Daemon CPU per CNI call: drives ADD/DEL through the shipped plugin with concurrent callers and
divides the node daemon's CPU time (utime + stime from /proc/PID/stat) by the number of calls.

Usage: daemoncpu.py TREE [--store file|etcd|kubernetes|both|all] [--calls N] [--callers C] [--warmup N] [--jfr DIR]

The CPU of the callers (bash forwarders) is not counted: only the daemon's. Each store gets a fresh
daemon on a private socket; the etcd case starts a real etcd on free loopback ports with its own
data directory and stops it at the end; the kubernetes case starts fabric8's mock API server in its
own JVM (the burst's, bench/target: build the reactor first), whose CPU is not counted either.
`both` is file and etcd; `all` adds kubernetes. --jfr DIR records the measured phase with JFR
(DIR/<store>.jfr) for `jfr view hot-methods`.
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

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


def measure(binary, store, a, work):
    etcd = mock = None
    ipam = {"type": "whereabouts", "range": "10.200.0.0/16", "log_level": "error",
            "attachments_dir": os.path.join(work, store + "-att")}
    if store == "etcd":
        etcd, port = start_etcd(work)
        ipam.update(datastore="etcd", etcd_host=f"127.0.0.1:{port}", etcd_prefix="/bench")
    elif store == "kubernetes":
        mock, kubeconfig = start_mock_api(work)
        ipam.update(datastore="kubernetes", kubernetes={"kubeconfig": kubeconfig})
    else:
        ipam.update(datastore="file", file={"data_dir": os.path.join(work, store + "-data")})
    sock = os.path.join(work, store + "-run", "d.sock")
    ipam["daemon_socket"] = sock
    config = json.dumps({"cniVersion": "1.0.0", "name": "bench-" + store, "ipam": ipam})
    opts = os.environ.get("WHEREABOUTS_JAVA_OPTS", "")
    daemon_binary = binary
    if a.jfr:  # the jlinked runtime has no jdk.jfr: run the daemon on the full JDK, same script and lib/
        daemon_binary = jfr_tree(binary, work)
        opts += " --add-modules jdk.jfr"
    # verbose: the daemon's own lines only (each call logs at the config's log_level), among them
    # the end of its start-up warm-up, which must not run inside the measured phase
    env = {"PATH": "/usr/bin:/bin", "WHEREABOUTS_LOG_LEVEL": "verbose", "WHEREABOUTS_JAVA_OPTS": opts}
    log_path = os.path.join(work, store + "-daemon.log")
    with open(log_path, "wb") as log:
        daemon = subprocess.Popen([daemon_binary, "daemon", "--socket", sock], stderr=log, env=env)
    try:
        for _ in range(600):
            if os.path.exists(sock + ".tcp") and os.path.exists(sock):
                break
            time.sleep(0.05)
        d = Driver(binary, config)
        d.cycles("warm", a.warmup, a.callers)  # JIT, store client, page cache
        for _ in range(1200):  # the start-up warm-up pauses while calls are served, then finishes
            with open(log_path, errors="replace") as f:
                if "JIT warm-up" in f.read():
                    break
            time.sleep(0.05)
        if a.jfr:
            subprocess.run([jdk_tool("jcmd"), str(daemon.pid), "JFR.start", "name=lean", "settings=profile",
                            # CPU-time sampling (JDK 25) also sees time in syscalls and the JVM
                            "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms",
                            "filename=" + os.path.join(a.jfr, store + ".jfr")], capture_output=True, check=True)
        threads_before = thread_cpu_ms(daemon.pid)
        before, t0 = cpu_ms(daemon.pid), time.monotonic()
        calls = d.cycles("c", a.calls // 2, a.callers)
        after, wall = cpu_ms(daemon.pid), time.monotonic() - t0
        user, system = after[0] - before[0], after[1] - before[1]
        used = user + system
        threads_after = thread_cpu_ms(daemon.pid)
        if a.jfr:
            subprocess.run([jdk_tool("jcmd"), str(daemon.pid), "JFR.stop", "name=lean"], capture_output=True, check=True)
        print(f"{store}: {calls} calls, {a.callers} callers, daemon CPU {used:.0f} ms = "
              f"{used / calls:.2f} ms/call (user {user / calls:.2f}, system {system / calls:.2f}), wall {wall:.1f} s ({calls / wall:.0f} calls/s)", flush=True)
        if a.threads:  # threads that ended during the run are not listed (their CPU is in the total)
            delta = {n: v - threads_before.get(n, 0) for n, v in threads_after.items()}
            for name, ms in sorted(delta.items(), key=lambda kv: -kv[1])[:8]:
                print(f"    {ms / calls:7.3f} ms/call  {name}")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(40)
        except subprocess.TimeoutExpired:
            daemon.kill()
        if etcd:
            etcd.terminate()
            etcd.wait(30)
        if mock:
            mock.stdin.close()  # end of stdin stops it
            mock.wait(30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--store", choices=["file", "etcd", "kubernetes", "both", "all"], default="both")
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--callers", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=400, help="ADD+DEL cycles before measuring")
    ap.add_argument("--threads", action="store_true", help="also print daemon CPU per call by thread name")
    ap.add_argument("--jfr", help="directory for <store>.jfr recordings of the measured phase")
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
