"""Backups that restore everything (ADR 0010): the database and the uploaded files
(``MEDIA_ROOT``: attachments and imported workbooks) in one archive, with a manifest that
lists every file with its size and SHA-256.

- **SQLite**: a consistent copy through SQLite's online backup API, taken while the server
  runs (writers wait a moment, readers do not).
- **PostgreSQL**: ``pg_dump --format=custom``; restored with ``pg_restore --clean``.

The database is copied first, then the files: a file uploaded in between is in the archive
without its row (an orphan, removed later by the retention task), never the other way.

``archive_restore`` reads the whole archive into a temporary folder beside ``MEDIA_ROOT`` and
checks every checksum, every size and every name before it changes anything: a corrupted,
truncated or tampered archive is refused and the running system is left as it was.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections

from gandan.core.audit import AuditActor, audit_log
from gandan.core.errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE:
        raise DomainError(f"Không sao lưu được cơ sở dữ liệu loại «{vendor}».", field="database")
    return vendor


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore, from Django's settings
    (the test database's name while tests run)."""
    params = connection.settings_dict
    args = ["--dbname", str(params["NAME"])]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DomainError(f"{what} không thành công: {done.stderr.strip()[:500]}", field="database")


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
    else:
        args, env = _pg_environment()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
            env,
            "Sao lưu PostgreSQL (pg_dump)",
        )


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def archive_create(*, actor: AuditActor, target: Path | None = None) -> BackupResult:
    """Write a backup archive (``.tar.gz``) and return where. ``target`` is a file, or a folder
    in which the archive is named by the time (default ``<var>/backups``)."""
    engine = _engine()
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(settings.VAR_DIR) / "backups" if target is None else target
    path = folder / f"gandan-{stamp}.tar.gz" if target is None or folder.is_dir() else folder
    path.parent.mkdir(parents=True, exist_ok=True)
    audit_log(
        actor=actor,
        action="core.backup",
        message=f"Sao lưu dữ liệu và tệp tải lên vào «{path.name}»",
        data={"archive": path.name, "engine": engine},
    )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE[engine]
        _dump_database(engine, database)
        entries = [(DATABASE[engine], database)] + [
            (f"{MEDIA}/{p.relative_to(media_root).as_posix()}", p) for p in _media_files(media_root)
        ]
        files = [
            {"path": name, "size": p.stat().st_size, "sha256": _sha256(p)} for name, p in entries
        ]
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
            "engine": engine,
            "files": files,
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for (name, source), entry in zip(entries, files, strict=True):
                # A file that changed while it was read would not match its checksum.
                if source.stat().st_size != entry["size"]:
                    raise DomainError(f"Tệp «{name}» thay đổi trong khi sao lưu; hãy chạy lại.")
                archive.add(source, arcname=name, recursive=False)
        partial.replace(path)
    return BackupResult(path=path, engine=engine, files=len(files), size=path.stat().st_size)


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def _unpack(archive_path: Path, into: Path) -> dict[str, Any]:
    """Extract and check everything; raise DomainError naming the first problem."""
    bad = f"Tệp sao lưu «{archive_path.name}» hỏng hoặc đã bị sửa"
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            names = [m.name for m in members]
            if MANIFEST not in names:
                raise DomainError(f"{bad}: thiếu {MANIFEST}.", field="archive")
            for member in members:
                if not member.isfile() or not _safe_name(member.name):
                    raise DomainError(f"{bad}: mục lạ «{member.name}».", field="archive")
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise DomainError(f"{bad}: không đọc được ({exc}).", field="archive") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text("utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        engine = manifest["engine"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DomainError(f"{bad}: bản kê khai không đọc được.", field="archive") from exc
    if manifest.get("format") != FORMAT or engine not in DATABASE:
        raise DomainError(f"{bad}: định dạng không được hỗ trợ.", field="archive")
    present = set(names) - {MANIFEST}
    if present != set(listed):
        extra = sorted(present ^ set(listed))[:3]
        raise DomainError(f"{bad}: danh sách tệp không khớp ({', '.join(extra)}).", field="archive")
    if DATABASE[engine] not in listed:
        raise DomainError(f"{bad}: thiếu cơ sở dữ liệu.", field="archive")
    for name, entry in listed.items():
        file = into / name
        if file.stat().st_size != entry["size"] or _sha256(file) != entry["sha256"]:
            raise DomainError(f"{bad}: tệp «{name}» sai mã kiểm tra SHA-256.", field="archive")
    return dict(manifest)


def _restore_database(engine: str, source: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        target = connection.connection
        copy = sqlite3.connect(source)
        try:
            copy.backup(target)
        finally:
            copy.close()
    else:
        connections.close_all()
        args, env = _pg_environment()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
            "Khôi phục PostgreSQL (pg_restore)",
        )


def _replace_media(unpacked: Path, media_root: Path) -> None:
    """Put the archive's files in place; the files there before are moved aside (kept in a
    sibling folder ``<media>.before-restore-<time>``), not deleted."""
    if media_root.exists() and any(media_root.iterdir()):
        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    elif media_root.exists():
        media_root.rmdir()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if unpacked.is_dir():
        shutil.move(str(unpacked), str(media_root))
    else:
        media_root.mkdir()


def archive_restore(*, actor: AuditActor, archive: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files by those of ``archive`` (made by
    :func:`archive_create` on the same kind of database), after checking it in full.
    Stop the server and the workers first. Returns the archive's manifest."""
    engine = _engine()
    if not archive.is_file():
        raise DomainError(f"Không có tệp sao lưu «{archive}».", field="archive")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        unpacked = Path(work)
        manifest = _unpack(archive, unpacked)
        if manifest["engine"] != engine:
            raise DomainError(
                f"Tệp sao lưu là của {manifest['engine']}, cơ sở dữ liệu đang dùng là {engine}.",
                field="archive",
            )
        _restore_database(engine, unpacked / DATABASE[engine])
        _replace_media(unpacked / MEDIA, media_root)
    audit_log(
        actor=actor,
        action="core.restore",
        message=f"Khôi phục dữ liệu và tệp tải lên từ «{archive.name}» (sao lưu lúc {manifest['created_at']})",
        data={"archive": archive.name, "created_at": manifest["created_at"]},
    )
    return manifest
