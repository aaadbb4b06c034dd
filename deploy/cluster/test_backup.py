"""Backups and point-in-time recovery on the local cluster (issue 16): `make cluster-test`.

`make cluster` took a full pgBackRest backup and archives every WAL segment. Here the
province's figures are asked (``gandan summary --json``), the moment is noted, a record is
added after it, an incremental backup is taken, and the repository is restored to the noted
moment into a separate PostgreSQL. The restored database gives the same figures as before,
and the record added later is not in it.
"""

import datetime
import json
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from deploy.cluster import cluster

pytestmark = pytest.mark.cluster

RESTORE_PORT = 5450
PRIMARY = f"host=127.0.0.1 port={cluster.BOUNCER_PORT} dbname=gandan user=gandan"


def _summary(database_url: str, unit: str) -> dict[str, object]:
    env = {**os.environ, **cluster.app_env(), "DATABASE_URL": database_url}
    env.pop("DATABASE_REPLICA_URL", None)
    out = subprocess.run(
        [str(cluster.VENV_BIN / "gandan"), "summary", "--unit", unit, "--from", "2004-07-05",
         "--to", "2025-12-31", "--json"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return json.loads(out.stdout)


def _promoted(port: int) -> bool:
    with psycopg.connect(f"host=127.0.0.1 port={port} dbname=gandan user=gandan") as connection:
        return bool(connection.execute("SELECT NOT pg_is_in_recovery()").fetchone()[0])


def _backrest_time(moment: datetime.datetime) -> str:
    """pgBackRest's --target: "YYYY-MM-DD HH:MM:SS.mmm+00" (no ISO "T", milliseconds)."""
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.") + f"{utc.microsecond // 1000:03d}+00"


@pytest.fixture
def restored(tmp_path):
    target = cluster.DIR / "data" / "restore"  # data/ belongs to the database user
    yield target, RESTORE_PORT
    subprocess.run([*cluster.as_db_user(), str(cluster.PG_BIN / "pg_ctl"), "-D", str(target), "-m", "immediate", "stop"], cwd=cluster.DIR, capture_output=True)  # fmt: skip
    subprocess.run(["rm", "-rf", str(target)], check=False)


def test_a_point_in_time_recovery_gives_back_the_figures_of_that_moment(restored):
    target, port = restored
    # the figures of the province now, and the moment
    before = _summary(cluster.DATABASE_URL, "66")
    probe = f"pitr_probe_{int(time.time())}"
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        moment = connection.execute("SELECT clock_timestamp()").fetchone()[0]
        time.sleep(1.5)
        # a change after the moment (any committed write will do)
        connection.execute(f"CREATE TABLE {probe} (note text)")
        connection.execute(f"INSERT INTO {probe} VALUES (%s)", ["sau thời điểm khôi phục"])  # noqa: S608
    cluster.backrest("backup", "--type=incr")
    cluster.backrest("check")  # switches and archives the current WAL segment

    # restore the repository to the moment, into its own data directory, and start it
    cluster.backrest(
        "restore", f"--pg1-path={target}", "--type=time", f"--target={_backrest_time(moment)}",
        "--target-action=promote",
    )  # fmt: skip
    subprocess.run(
        [*cluster.as_db_user(), str(cluster.PG_BIN / "pg_ctl"), "-D", str(target), "-w", "-t", "120",
         "-l", str(cluster.DIR / "logs" / "restore.log"), "-o",
         f"-p {port} -c archive_mode=off -c synchronous_standby_names='' -c hot_standby=on",
         "start"],
        cwd=cluster.DIR, check=True, capture_output=True,
    )  # fmt: skip
    restored_url = f"postgres://gandan@127.0.0.1:{port}/gandan"
    cluster.wait_for("bản khôi phục", lambda: _promoted(port), 120)

    # the same figures, and nothing written after the moment
    assert _summary(restored_url, "66") == before
    with psycopg.connect(f"host=127.0.0.1 port={port} dbname=gandan user=gandan") as connection:
        exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", [probe]).fetchone()[0]
    assert not exists
    Path(cluster.DIR / "pitr.json").write_text(json.dumps({"moment": moment.isoformat(), "same_figures": True}))  # fmt: skip
