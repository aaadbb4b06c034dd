"""The load test (issue 13, ADR 0010): the production server with the demo data, logged-in
cast users reading and recording activities, for a bounded time; 0 errors expected.

    make load                                   # SQLite, 50 clients, 45 s
    make load LOAD_ARGS="--db postgres --users 100"
    .venv/bin/python bench/load.py --server granian   # the comparison of ADR 0010

The database (a SQLite file under ``--var-dir``, or ``DATABASE_URL`` for PostgreSQL) is
migrated and gets the demo data on first use. The server (``bin/serve``: gunicorn; or
granian with the same processes and threads) and one background worker run beside locust
(headless, ``bench/locustfile.py``); the script prints requests per second, the median and
95th percentile in ms and the failures (any status >= 400, or a refused connection), per
request kind and overall, and exits 1 if anything failed.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env["GANDAN_ALLOW_INSECURE_KEY"] = "1"
    env["GANDAN_VAR_DIR"] = str(args.var_dir)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env.pop("DEBUG", None)
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{args.var_dir / 'gandan.sqlite3'}"
    elif not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("--db postgres needs DATABASE_URL=postgres://…")
    return env


def _prepare(env: dict[str, str], var_dir: Path) -> None:
    marker = var_dir / "load-demo-loaded"
    if marker.exists():
        return
    var_dir.mkdir(parents=True, exist_ok=True)
    print("==> migrate + demo data (first run only)", flush=True)
    subprocess.run([BIN / "gandan", "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([BIN / "gandan", "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    marker.touch()


def _server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    bind = f"127.0.0.1:{args.port}"
    threads = str(args.threads)
    workers = str(args.workers)
    if args.server == "gunicorn":
        env = env | {
            "GANDAN_BIND": bind,
            "GANDAN_WEB_WORKERS": workers,
            "GANDAN_WEB_THREADS": threads,
            "GANDAN_ACCESS_LOG": "/dev/null",
        }
        command = [str(ROOT / "bin" / "serve")]
    else:
        subprocess.run([BIN / "gandan", "collectstatic", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
        command = [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "gandan.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            workers,
            "--blocking-threads",
            threads,
            "--no-access-log",
        ]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603


def _wait_until_up(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server did not answer at {url} within {seconds} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _report(prefix: Path) -> int:
    failures = 0
    print(f"{'request':28} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            print(
                f"{row['Name']:28} {row['Request Count']:>7} {row['Failure Count']:>5} "
                f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7}"
            )
            if row["Name"] == "Aggregated":
                failures = int(row["Failure Count"])
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        for row in list(csv.DictReader(failures_file.open()))[:10]:
            print(f"FAILED {row['Method']} {row['Name']} ×{row['Occurrences']}: {row['Error']}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=45, help="at most 60")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "load")
    args = parser.parse_args()
    if not 0 < args.seconds <= 60:
        sys.exit("--seconds: from 1 to 60")
    args.var_dir = args.var_dir.resolve() / args.db
    env = _env(args)
    _prepare(env, args.var_dir)
    url = f"http://127.0.0.1:{args.port}"
    server = _server(args, env)
    worker = subprocess.Popen(  # noqa: S603
        [BIN / "gandan", "worker", "--worker-id", "load-1", "--no-reload", "-v0"],
        env=env,
        start_new_session=True,
    )
    prefix = args.var_dir / f"locust-{args.server}-{args.users}"
    try:
        _wait_until_up(url)
        print(f"==> {args.server}, {args.db}, {args.users} clients, {args.seconds} s", flush=True)
        subprocess.run(  # noqa: S603
            [
                BIN / "locust",
                "-f",
                ROOT / "bench" / "locustfile.py",
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                url,
                "--csv",
                prefix,
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
    finally:
        _stop(server)
        _stop(worker)
    failures = _report(prefix)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
