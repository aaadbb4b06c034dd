"""The national load on the cluster (issue 16): 200 simulated officials through HAProxy,
with two application processes and with one, then what analytics on the replicas costs the
primary's writes. Needs the cluster up with the demo data (``make cluster``); ≤ 5 minutes.

    make cluster && make install-load
    .venv/bin/python bench/cluster_load.py --json var/bench/cluster-load.json

Phases, one after the other, each bounded in time (``bench/cluster_locustfile.py``):

1. ``two apps``: ``--users`` officials (entry, lists, pivots, report submit and approve);
2. ``one app``: the same with the second application process stopped (HAProxy marks it down
   and sends everything to the first), then the process is started again;
3. ``writes alone``: ``--writers`` clerks only recording activities;
4. ``writes + analytics``: the same clerks beside ``--analysts`` officials asking for pivots
   and the analytics API, which the router sends to a replica.

Prints requests per second, p50/p95 and failures per phase and request kind, the ratio of
the write p95 of phase 4 to phase 3, and exits 1 if any request failed.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.cluster import cluster  # noqa: E402

BIN = ROOT / ".venv" / "bin"
HOST = f"http://127.0.0.1:{cluster.HTTP_PORT}"
WRITE = "api create activity"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def _drained(seconds: float = 120) -> None:
    """Wait until HAProxy answers a health check at once: the queue of the phase before is
    gone (a phase's stop leaves requests in flight on a saturated machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        if _healthy(f"{HOST}/healthz") and time.monotonic() - started < 0.5:
            return
        time.sleep(2)
    sys.exit(f"HAProxy chưa trả lời nhanh sau {seconds:.0f} s ({HOST}/healthz)")


def _locust(
    name: str, classes: list[str], users: int, seconds: int, env: dict[str, str], out: Path
) -> dict[str, dict[str, float]]:
    prefix = out / name.replace(" ", "-").replace("+", "and")
    print(f"==> {name}: {users} người dùng, {seconds} s, {' '.join(classes)}", flush=True)
    load = os.getloadavg()[0]
    done = subprocess.run(  # noqa: S603
        [
            BIN / "locust",
            "-f",
            ROOT / "bench" / "cluster_locustfile.py",
            *classes,
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "15",
            "--host",
            HOST,
            "--csv",
            prefix,
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    rows: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50": float(row["50%"] if row["50%"] != "N/A" else 0),
                "p95": float(row["95%"] if row["95%"] != "N/A" else 0),
            }
    # locust's own exit status counts errors outside requests too (a failed log-in).
    rows["Aggregated"]["locust_exit"] = done.returncode
    rows["Aggregated"]["load_before"] = round(load, 1)
    rows["Aggregated"]["load_after"] = round(os.getloadavg()[0], 1)
    print(f"{'request':28} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for kind, row in rows.items():
        print(
            f"{kind:28} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7} "
            f"{row['p50']:>7.0f} {row['p95']:>7.0f}"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.open()))[:10]:
            print(f"FAILED {row['Method']} {row['Name']} ×{row['Occurrences']}: {row['Error']}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60, help="per officials phase")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--phase-seconds", type=int, default=40, help="per writes phase")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "cluster-load")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not _healthy(f"{HOST}/healthz"):
        sys.exit(f"Cụm chưa chạy ({HOST}/healthz): make cluster")
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    results: dict[str, object] = {"users": args.users, "cores": os.cpu_count()}

    results["two apps"] = _locust("two apps", ["Official"], args.users, args.seconds, env, args.out)
    print("==> dừng tiến trình ứng dụng thứ hai (app2)", flush=True)
    cluster.stop("app2")
    time.sleep(4)  # HAProxy checks every 1 s and marks a server down after 2 failures
    _drained()
    try:
        results["one app"] = _locust(
            "one app", ["Official"], args.users, args.seconds, env, args.out
        )
    finally:
        cluster.app_start(2, cluster.APP_PORTS[1])
        cluster.wait_for(
            "app2", lambda: _healthy(f"http://127.0.0.1:{cluster.APP_PORTS[1]}/healthz")
        )
        time.sleep(3)
        _drained()

    writers = env | {"CLUSTER_WRITERS": str(args.writers), "CLUSTER_ANALYSTS": "0"}
    both = env | {"CLUSTER_WRITERS": str(args.writers), "CLUSTER_ANALYSTS": str(args.analysts)}
    alone = _locust("writes alone", ["Writer"], args.writers, args.phase_seconds, writers, args.out)
    _drained()
    beside = _locust(
        "writes + analytics",
        ["Writer", "Analyst"],
        args.writers + args.analysts,
        args.phase_seconds,
        both,
        args.out,
    )
    results["writes alone"], results["writes + analytics"] = alone, beside
    ratio = beside[WRITE]["p95"] / alone[WRITE]["p95"] if alone[WRITE]["p95"] else None
    results["write p95 ratio"] = ratio
    print(f"==> p95 ghi khi có phân tích / khi không: {ratio:.2f}×" if ratio else "==> no writes")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    failed = sum(
        phase["Aggregated"]["failures"] + phase["Aggregated"]["locust_exit"]  # type: ignore[index]
        for key, phase in results.items()
        if isinstance(phase, dict) and "Aggregated" in phase
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
