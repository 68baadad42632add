#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples: leaf methods (self time) and, with --inclusive,
methods anywhere on the stack (total time), optionally only those matching a prefix.

Usage: jfrtop.py FILE.jfr [--event jdk.CPUTimeSample] [--top 12] [--inclusive [--prefix dev.whereabouts]]
Needs the JDK 25 `jfr` tool ($JAVA_HOME/bin/jfr).
"""
import argparse, collections, json, os, subprocess


def frames_of(event):
    trace = event["values"].get("stackTrace") or {}
    for f in trace.get("frames", []):
        m = f["method"]
        yield m["type"]["name"].replace("/", ".") + "." + m["name"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--event", default="jdk.CPUTimeSample")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--inclusive", action="store_true")
    ap.add_argument("--prefix", default="")
    ap.add_argument("--depth", type=int, default=64)
    a = ap.parse_args()
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else "jfr"
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", str(a.depth), "--events", a.event, a.file],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    counts = collections.Counter()
    for e in events:
        names = list(frames_of(e))
        if a.inclusive:
            counts.update({n for n in names if n.startswith(a.prefix)})
        elif names:
            counts[names[0]] += 1
    total = max(len(events), 1)
    print(f"{len(events)} {a.event} samples")
    for name, n in counts.most_common(a.top):
        print(f"{100.0 * n / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()
