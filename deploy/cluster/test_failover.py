"""Failover on the local cluster (issue 16): `make cluster-test`, after `make cluster`.

Bounded write and read traffic runs through PgBouncer and HAProxy; the primary node is lost
(its Patroni and its postmaster killed with SIGKILL, as when a machine dies); Patroni
promotes the synchronous standby. The test records the time without writes, the failed
requests, and compares every acknowledged write with the database afterwards: 0 lost is the
pass mark. Then the old primary rejoins as a replica. Results go to
``$CLUSTER_DIR/failover.json`` and are printed (docs/benchmarks.md keeps the measured ones).
"""

import itertools
import json
import os
import signal
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from deploy.cluster import cluster

pytestmark = pytest.mark.cluster

WRITERS, READERS = 4, 2
BEFORE, AFTER = 4.0, 6.0  # seconds of traffic before the loss, and after writes resume
RESUME_WITHIN = 30.0  # the target: writes resume within 30 s
PRIMARY = f"host=127.0.0.1 port={cluster.BOUNCER_PORT} dbname=gandan user=gandan connect_timeout=2"
REPLICAS = f"host=127.0.0.1 port={cluster.REPLICA_PORT} dbname=gandan user=gandan connect_timeout=2"


@dataclass
class Traffic:
    acknowledged: list[tuple[float, int]] = field(default_factory=list)
    failed_writes: list[float] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)
    failed_reads: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, value: object) -> None:
        with self.lock:
            getattr(self, kind).append(value)


def _writer(traffic: Traffic, number: int) -> None:
    connection = None
    n = 0
    while not traffic.stop.is_set():
        try:
            if connection is None or connection.closed:
                connection = psycopg.connect(PRIMARY, autocommit=True)
            n += 1
            row = connection.execute(
                "INSERT INTO failover_probe (writer, n) VALUES (%s, %s) RETURNING id", (number, n)
            ).fetchone()
            assert row is not None
            traffic.note("acknowledged", (time.monotonic(), row[0]))  # the commit returned
        except psycopg.Error:
            traffic.note("failed_writes", time.monotonic())
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.2)
    if connection is not None:
        connection.close()


def _reader(traffic: Traffic) -> None:
    while not traffic.stop.is_set():
        try:
            with psycopg.connect(REPLICAS, autocommit=True) as connection:
                connection.execute("SELECT count(*) FROM failover_probe").fetchone()
            traffic.note("reads", time.monotonic())
        except psycopg.Error:
            traffic.note("failed_reads", time.monotonic())
        time.sleep(0.05)


def _leader() -> tuple[str, int]:
    for member in cluster.members():
        if member["role"] in ("leader", "master", "primary"):
            name = str(member["name"])
            return name, next(rest for n, _p, rest in cluster.NODES if n == name)
    raise AssertionError("the cluster has no leader")


def _lose_node(name: str) -> int:
    """Kill the node's Patroni and its postmaster with SIGKILL: the machine is gone."""
    postmaster = int((cluster.DIR / "data" / name / "postmaster.pid").read_text().split()[0])
    patroni = cluster.pid_of(f"patroni-{name}")
    assert patroni is not None
    os.killpg(patroni, signal.SIGKILL)
    os.kill(postmaster, signal.SIGKILL)
    return postmaster


@pytest.fixture(scope="module")
def probe():
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS failover_probe")
        connection.execute(
            "CREATE TABLE failover_probe (id bigserial PRIMARY KEY, writer int, n int, "
            "at timestamptz DEFAULT clock_timestamp())"
        )
    yield
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS failover_probe")


def test_losing_the_primary_loses_no_acknowledged_write(probe):
    traffic = Traffic()
    threads = [threading.Thread(target=_writer, args=(traffic, i)) for i in range(WRITERS)]
    threads += [threading.Thread(target=_reader, args=(traffic,)) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)

    # the primary's machine is lost
    old_leader, _rest = _leader()
    lost_at = time.monotonic()
    _lose_node(old_leader)

    # wait for writes to resume, then a little more traffic
    deadline = lost_at + RESUME_WITHIN + 30
    while time.monotonic() < deadline:
        with traffic.lock:
            resumed = [t for t, _id in traffic.acknowledged if t > lost_at + 0.5]
        if resumed:
            break
        time.sleep(0.2)
    time.sleep(AFTER)
    traffic.stop.set()
    for thread in threads:
        thread.join(timeout=10)

    # what was acknowledged is there, every row of it
    acknowledged = {row_id for _t, row_id in traffic.acknowledged}
    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        stored = {row[0] for row in connection.execute("SELECT id FROM failover_probe")}
    lost = acknowledged - stored

    # the time without writes: the longest pause between two acknowledged writes after the loss
    times = sorted(t for t, _id in traffic.acknowledged)
    pauses = [(b - a, a, b) for a, b in itertools.pairwise(times) if b > lost_at]
    without_writes, before, after = max(pauses, default=(None, None, None))
    reads_while_waiting = sum(1 for t in traffic.reads if after and before < t < after)
    new_leader, _rest = _leader()

    # the old primary comes back as a replica of the new one
    cluster.node_start(old_leader, *next((p, r) for n, p, r in cluster.NODES if n == old_leader))
    cluster.wait_for(
        f"{old_leader} trở lại làm bản sao",
        lambda: any(
            m["name"] == old_leader and m["role"] in ("replica", "sync_standby")
            and m["state"] in ("running", "streaming")
            for m in cluster.members()
        ),
        120,
    )  # fmt: skip

    result = {
        "acknowledged_writes": len(acknowledged),
        "lost_acknowledged_writes": len(lost),
        "failed_write_requests": len(traffic.failed_writes),
        "seconds_without_writes": round(without_writes, 2) if without_writes else None,
        "reads": len(traffic.reads),
        "failed_read_requests": len(traffic.failed_reads),
        "reads_while_writes_waited": reads_while_waiting,
        "old_leader": old_leader,
        "new_leader": new_leader,
    }
    Path(cluster.DIR / "failover.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))

    assert new_leader != old_leader
    assert lost == set()
    assert without_writes is not None
    assert without_writes <= RESUME_WITHIN
    assert reads_while_waiting > 0  # the replicas kept answering while writes waited


def test_the_cluster_reports_itself_healthy():
    with urllib.request.urlopen("http://127.0.0.1:8008/cluster", timeout=2) as response:
        members = json.load(response)["members"]
    assert len(members) == 3
    assert sum(m["role"] in ("leader", "master", "primary") for m in members) == 1
    assert any(m["role"] == "sync_standby" for m in members)
