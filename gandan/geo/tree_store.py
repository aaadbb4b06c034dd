"""The tree kept as bytes: compressed JSON of its rows, so that the analytics ledger can keep
the tree it follows (``work.ledger``) and rebuild it in another process."""

import datetime
import json
import zlib

from gandan.geo.tree import Tree, build_tree


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def tree_dump(found: Tree) -> bytes:
    """The tree as compressed JSON, to keep the one the analytics ledger follows."""
    units = [
        [u, _iso(a), _iso(b), found.sort_keys.get(u, ""), found.level.get(u, "")]
        for u, (a, b) in found.spans.items()
    ]
    versions = [[u, _iso(a), _iso(b), p] for u, rows in found.versions.items() for a, b, p in rows]
    successions = [[p, _iso(day), s, d] for p, rows in found.outgoing.items() for day, s, d in rows]
    body = {"f": found.fingerprint, "u": units, "v": versions, "s": successions}
    return zlib.compress(json.dumps(body, separators=(",", ":")).encode())


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def tree_load(data: bytes) -> Tree:
    body = json.loads(zlib.decompress(data))
    return build_tree(
        body["f"],
        [(u, _day(a), _day(b), k, lv) for u, a, b, k, lv in body["u"]],
        [(u, _day(a), _day(b), p) for u, a, b, p in body["v"]],
        [(p, _day(day), s, d) for p, day, s, d in body["s"]],  # type: ignore[misc]
    )
