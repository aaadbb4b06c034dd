#!/usr/bin/env python3
"""The national stack on one machine, loopback ports only (issue 16, docs/deploy.md):

    etcd (1 member) → three PostgreSQL 15 nodes under Patroni (synchronous replication)
    → HAProxy (5000: the primary, 5001: the replicas, by Patroni's REST health checks)
    → PgBouncer (6432: "gandan" to the primary, "gandan_replica" to the replicas)
    → two Gần Dân processes (8101, 8102) behind HAProxy (8100), and the task worker.

    python deploy/cluster/cluster.py up [--demo|--empty]   # make cluster
    python deploy/cluster/cluster.py status
    python deploy/cluster/cluster.py down                  # make cluster-down

Debian packages: patroni etcd-server haproxy pgbouncer postgresql-15 (``bin/need-debian-packages``).
Everything runs from ``CLUSTER_DIR`` (default ``/tmp/gandan-cluster``): configuration rendered
from ``deploy/templates/``, data, logs and pid files. PostgreSQL refuses to run as root, so
as root the database processes run as the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "deploy" / "templates"
DIR = Path(os.environ.get("CLUSTER_DIR", "/tmp/gandan-cluster"))
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = ROOT / ".venv" / "bin"

ETCD_CLIENT, ETCD_PEER = 23790, 23800
NODES = [("pg1", 5441, 8008), ("pg2", 5442, 8009), ("pg3", 5443, 8010)]
PRIMARY_PORT, REPLICA_PORT, STATS_PORT = 5000, 5001, 7000
BOUNCER_PORT = 6432
APP_PORTS = (8101, 8102)
HTTP_PORT = 8100

DATABASE_URL = f"postgres://gandan@127.0.0.1:{BOUNCER_PORT}/gandan"
REPLICA_URL = f"postgres://gandan@127.0.0.1:{BOUNCER_PORT}/gandan_replica"


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def as_db_user() -> list[str]:
    """The prefix that runs a database process: as root, the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def render(template: str, target: Path, **values: object) -> Path:
    text = Template((TEMPLATES / template).read_text()).substitute(
        {k: str(v) for k, v in values.items()}
    )
    target.write_text(text)
    return target


# The daemons this process started: kept, so that a test that restarts one does not drop
# a running child (Python warns, and the suite turns warnings into errors).
DAEMONS: list[subprocess.Popen[bytes]] = []


def db_cwd(command: list[str]) -> Path:
    """Where a command runs: the cluster's directory for the database user, who may not
    enter the checkout (a clone in a 0700 ``mktemp -d`` directory: Patroni's bootstrap then
    fails in ``os.chdir`` of a child process and never ends), else the checkout."""
    prefix = as_db_user()
    return DIR if prefix and command[: len(prefix)] == prefix else ROOT


def start(name: str, command: list[str], *, env: dict[str, str] | None = None) -> int:
    """Start a process in its own session, its output in logs/NAME.log, its pid in pids/."""
    with open(DIR / "logs" / f"{name}.log", "ab") as log:  # the child keeps its own copy
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=db_cwd(command),
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    (DIR / "pids" / f"{name}.pid").write_text(str(process.pid))
    DAEMONS.append(process)
    return process.pid


def wait_for(what: str, check, timeout: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 (not ready yet, whatever it says)
            pass
        time.sleep(0.5)
    raise SystemExit(f"!! {what}: không sẵn sàng sau {timeout:.0f} giây (xem {DIR / 'logs'})")


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def patroni_role(rest_port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{rest_port}/patroni", timeout=2) as r:
        return str(json.load(r).get("role", ""))


def members() -> list[dict[str, object]]:
    """The cluster as Patroni sees it, asked of the first node that answers."""
    for _name, _port, rest in NODES:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{rest}/cluster", timeout=2) as r:
                return list(json.load(r)["members"])
        except OSError:
            continue
    raise OSError("no Patroni node answers")


def psql(port: int, sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            db,
            "-tAc",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


# -- the database tier -----------------------------------------------------------------------


def node_start(name: str, port: int, rest: int) -> int:
    config = render(
        "patroni.yml",
        DIR / "conf" / f"{name}.yml",
        name=name,
        port=port,
        rest=rest,
        etcd=ETCD_CLIENT,
        data=DIR / "data" / name,
        run=DIR / "run",
        bin=PG_BIN,
        conf=DIR / "conf",
    )
    os.chmod(config, 0o644)
    return start(f"patroni-{name}", [*as_db_user(), "patroni", str(config)])


def databases_up() -> None:
    for sub in ("conf", "data", "logs", "pids", "run", "backrest", "etcd"):
        (DIR / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        for sub in ("data", "run", "backrest", "etcd", "logs"):
            shutil.chown(DIR / sub, "postgres", "postgres")
        DIR.chmod(0o755)
    os.chmod(render("pgbackrest.conf", DIR / "conf" / "pgbackrest.conf", dir=DIR), 0o644)
    say(f"etcd trên 127.0.0.1:{ETCD_CLIENT}")
    start(
        "etcd",
        [*as_db_user(), "etcd", "--name", "gandan", "--data-dir", str(DIR / "etcd" / "data"),
         "--listen-client-urls", f"http://127.0.0.1:{ETCD_CLIENT}",
         "--advertise-client-urls", f"http://127.0.0.1:{ETCD_CLIENT}",
         "--listen-peer-urls", f"http://127.0.0.1:{ETCD_PEER}",
         "--initial-advertise-peer-urls", f"http://127.0.0.1:{ETCD_PEER}",
         "--initial-cluster", f"gandan=http://127.0.0.1:{ETCD_PEER}"],
    )  # fmt: skip
    wait_for("etcd", lambda: http_status(f"http://127.0.0.1:{ETCD_CLIENT}/health") == 200)

    say("ba nút PostgreSQL dưới Patroni (nhân bản đồng bộ)")
    for name, port, rest in NODES:
        node_start(name, port, rest)
        if name == "pg1":  # the first one bootstraps; the others clone from it
            wait_for("nút chính pg1", lambda: patroni_role(8008) in ("master", "primary"), 120)
    wait_for(
        "hai bản sao",
        lambda: sum(m.get("state") in ("running", "streaming") for m in members()) == 3,
        180,
    )

    say(f"HAProxy: {PRIMARY_PORT} (nút chính), {REPLICA_PORT} (bản sao), {HTTP_PORT} (ứng dụng)")
    render(
        "haproxy.cfg",
        DIR / "conf" / "haproxy.cfg",
        primary=PRIMARY_PORT,
        replica=REPLICA_PORT,
        stats=STATS_PORT,
        http=HTTP_PORT,
        app1=APP_PORTS[0],
        app2=APP_PORTS[1],
        **{f"{n}_port": p for n, p, _r in NODES},
        **{f"{n}_rest": r for n, _p, r in NODES},
    )
    start("haproxy", ["haproxy", "-db", "-f", str(DIR / "conf" / "haproxy.cfg")])
    wait_for("HAProxy", lambda: psql(PRIMARY_PORT, "SELECT pg_is_in_recovery()") == "f")

    say(f"PgBouncer trên {BOUNCER_PORT}")
    render(
        "pgbouncer.ini",
        DIR / "conf" / "pgbouncer.ini",
        port=BOUNCER_PORT,
        primary=PRIMARY_PORT,
        replica=REPLICA_PORT,
        run=DIR / "run",
        logs=DIR / "logs",
    )
    (DIR / "conf" / "userlist.txt").write_text('"gandan" ""\n"postgres" ""\n')
    for name in ("pgbouncer.ini", "userlist.txt"):
        os.chmod(DIR / "conf" / name, 0o644)
    say("pgBackRest: kho sao lưu và bản sao lưu đầy đủ đầu tiên")
    backrest("stanza-create")
    backrest("backup", "--type=full")
    start("pgbouncer", [*as_db_user(), "pgbouncer", str(DIR / "conf" / "pgbouncer.ini")])
    if psql(PRIMARY_PORT, "SELECT 1 FROM pg_roles WHERE rolname = 'gandan'") != "1":
        psql(PRIMARY_PORT, "CREATE ROLE gandan LOGIN CREATEDB")
        psql(PRIMARY_PORT, "CREATE DATABASE gandan OWNER gandan")
    wait_for(
        "PgBouncer",
        lambda: (
            subprocess.run(
                [
                    str(PG_BIN / "pg_isready"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(BOUNCER_PORT),
                    "-d",
                    "gandan",
                ],
                capture_output=True,
            ).returncode
            == 0
        ),
    )


def backrest(*args: str) -> str:
    """Run pgBackRest on the cluster's repository (as the database user)."""
    out = subprocess.run(
        [*as_db_user(), "pgbackrest", f"--config={DIR / 'conf' / 'pgbackrest.conf'}", "--stanza=gandan", *args],
        cwd=DIR,
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    return out.stdout


# -- the application tier --------------------------------------------------------------------


def app_env() -> dict[str, str]:
    return {
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_REPLICA_URL": REPLICA_URL,
        # PgBouncer in transaction pooling: no server-side cursors, no session state.
        "DB_DISABLE_SERVER_SIDE_CURSORS": "1",
        "GANDAN_ALLOW_INSECURE_KEY": os.environ.get("GANDAN_ALLOW_INSECURE_KEY", "1"),
        "GANDAN_MEDIA_ROOT": str(DIR / "media"),
        "GANDAN_VAR_DIR": str(DIR / "var"),
    }


def apps_up(data: str) -> None:
    env = app_env()
    (DIR / "var").mkdir(exist_ok=True)
    gandan = str(VENV_BIN / "gandan")
    say("gandan migrate")
    subprocess.run([gandan, "migrate", "--no-input", "-v0"], env={**os.environ, **env}, check=True)
    if data == "demo":
        say("dữ liệu mẫu (gandan demo)")
        subprocess.run([gandan, "demo"], env={**os.environ, **env}, check=True)
    for n, port in enumerate(APP_PORTS, start=1):
        app_start(n, port)
    start("worker", [gandan, "worker", "--worker-id", "cluster-1", "--no-reload"], env=env)
    for port in APP_PORTS:
        wait_for(
            f"ứng dụng :{port}", lambda p=port: http_status(f"http://127.0.0.1:{p}/healthz") == 200
        )  # type: ignore[misc]
    say(f"Gần Dân trên cụm: http://127.0.0.1:{HTTP_PORT}/")


def app_start(n: int, port: int) -> int:
    """One application process: the production server (``bin/serve``, ADR 0010)."""
    env = {**app_env(), "GANDAN_BIND": f"127.0.0.1:{port}", "GANDAN_WEB_WORKERS": "2"}
    return start(f"app{n}", [str(ROOT / "bin" / "serve")], env=env)


# -- up, down, status ------------------------------------------------------------------------


def pid_of(name: str) -> int | None:
    path = DIR / "pids" / f"{name}.pid"
    return int(path.read_text()) if path.exists() else None


def stop(name: str, sig: int = signal.SIGTERM) -> None:
    pid = pid_of(name)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
    (DIR / "pids" / f"{name}.pid").unlink(missing_ok=True)


def down() -> None:
    if not DIR.exists():
        return
    for name in ("worker", "app1", "app2", "pgbouncer", "haproxy"):
        stop(name)
    for name, _port, _rest in NODES:
        stop(f"patroni-{name}")
    time.sleep(3)
    for name, _port, _rest in NODES:  # a postmaster Patroni left behind
        pidfile = DIR / "data" / name / "postmaster.pid"
        if pidfile.exists():
            subprocess.run([*as_db_user(), str(PG_BIN / "pg_ctl"), "-D", str(pidfile.parent), "-m", "immediate", "stop"], cwd=DIR, capture_output=True)  # fmt: skip
    stop("etcd")
    time.sleep(1)
    shutil.rmtree(DIR, ignore_errors=True)
    say(f"đã gỡ cụm ({DIR})")


def status() -> None:
    for m in members():
        print(f"{m['name']:4} {m['role']:14} {m['state']:10} lag={m.get('lag', 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("action", choices=["up", "down", "status", "databases"])
    parser.add_argument("--empty", action="store_true", help="không nạp dữ liệu mẫu")
    args = parser.parse_args()
    if args.action == "down":
        down()
    elif args.action == "status":
        status()
    else:
        if DIR.exists() and any((DIR / "pids").glob("*.pid")):
            sys.exit(f"!! Cụm đang chạy ({DIR}); `make cluster-down` trước.")
        databases_up()
        if args.action == "up":
            apps_up("empty" if args.empty else "demo")
        status()


if __name__ == "__main__":
    main()
