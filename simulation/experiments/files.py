"""Files that cannot rot: each written to a temporary name and renamed into place with its
SHA-256 checksum beside it, a full disk reported in one line, and a lock file that keeps a
second session out of a results directory.

The checksum file (``NAME.sha256``) is written before the file it describes. While a file
is replaced it lists the old and the new checksum, then only the new one, so a crash
between the two renames leaves a consistent pair; a crash before the first leaves an
orphan checksum (the caller removes those) and a temporary file (removed likewise).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportedError
from ..inputs import MAX_CHECKSUM_BYTES, MAX_TABLE_BYTES, InputError, read_bytes, regular_file

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class ResultsError(ReportedError):
    """A results directory that cannot be used as asked (e.g. resuming a different sweep)."""


class DiskFullError(ResultsError):
    """No space left while writing results; what is stored so far is kept."""


def reason(err: BaseException) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return text.splitlines()[0]


def copy_outputs(out: str | Path, target: str | Path, names: tuple[str, ...]) -> list[Path]:
    """Copy the files ``names`` that exist in ``out`` over those in ``target`` (a stored
    result); return what was copied. Copying a directory onto itself copies nothing."""
    out, target = Path(out), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in names:
        if (out / name).exists() and (out / name).resolve() != (target / name).resolve():
            shutil.copyfile(out / name, target / name)
            copied.append(target / name)
    return copied


def sha256(path: Path, limit: int = MAX_TABLE_BYTES) -> str:
    """The SHA-256 of a regular file's bytes (read in chunks; ``InputError`` for a pipe, a
    device or a file larger than ``limit``)."""
    regular_file(path, limit, "results file")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def read_checksums(path: Path) -> set[str]:
    """The checksums stored beside ``path`` (empty if there is no checksum file)."""
    try:
        data = read_bytes(checksum_path(path), MAX_CHECKSUM_BYTES, "checksum file")
    except FileNotFoundError:
        return set()
    text = data.decode("ascii", errors="replace")
    return {line.split()[0] for line in text.splitlines() if line.strip()}


def temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


@contextlib.contextmanager
def writing(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; removed if writing fails, and
    an ``OSError`` turned into a ``ResultsError`` naming the file (``DiskFullError`` for a
    full disk)."""
    tmp = temporary(path)
    try:
        yield tmp
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if not isinstance(err, OSError):
            raise
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(f"no space left on the device while writing {path}; the "
                                "results stored so far are kept: free some space and "
                                "rerun with --resume") from None
        raise ResultsError(f"cannot write {path}: {reason(err)}") from None


def plain_write(data: str | bytes, path: Path) -> None:
    with writing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)


def commit(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` into ``path`` with its checksum beside it: the checksum file first
    lists the old and new checksums, then only the new one."""
    digest = sha256(tmp)
    old = read_checksums(path) if path.exists() else set()
    if old - {digest}:
        plain_write("".join(f"{h}  {path.name}\n" for h in (*sorted(old), digest)),
                     checksum_path(path))
    else:
        plain_write(f"{digest}  {path.name}\n", checksum_path(path))
    os.replace(tmp, path)
    if old - {digest}:
        plain_write(f"{digest}  {path.name}\n", checksum_path(path))


def checked_bytes(data: bytes, path: Path) -> None:
    with writing(path) as tmp:
        tmp.write_bytes(data)
        commit(tmp, path)


def checked_parquet(frame: pd.DataFrame | pa.Table, path: Path) -> None:
    """Write a table (pandas, or Arrow: no pandas needed) as Parquet with its checksum."""
    with writing(path) as tmp:
        if hasattr(frame, "to_parquet"):
            frame.to_parquet(tmp, index=False)
        else:
            import pyarrow.parquet as pq

            pq.write_table(frame, tmp)
        commit(tmp, path)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DirectoryLock:
    """The lock file ``.lock`` of a directory: who holds it (pid, host, start)."""

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        self.lock_path = self.dir / ".lock"

    def check_directory(self) -> None:
        """Create the directory (``ResultsError`` if it cannot be: a file in the way, no
        permission, a read-only disk)."""
        try:
            if self.dir.exists() and not self.dir.is_dir():
                raise ResultsError(f"{self.dir} is a file, not a results directory; choose "
                                   "another --out")
            self.dir.mkdir(parents=True, exist_ok=True)
            probe = temporary(self.dir / "probe")
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise ResultsError(f"cannot write results into {self.dir}: {reason(err)}"
                               ) from None

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock, if anyone does: pid, host, started."""
        try:
            holder = json.loads(read_bytes(self.lock_path, 4096, "lock file"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, InputError):
            return {"pid": None, "host": "?", "started": "?"}
        return holder if isinstance(holder, dict) else {"pid": None, "host": "?",
                                                         "started": "?"}

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the directory's lock: a second session (this host or another) is refused
        with who holds it; a lock left by a process of this host that is gone is taken
        over."""
        self.check_directory()
        host = socket.gethostname()
        mine = {"pid": os.getpid(), "host": host,
                "started": datetime.now(UTC).isoformat(timespec="seconds")}
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder() or {}
                stale = (holder.get("host") == host and isinstance(holder.get("pid"), int)
                         and not alive(holder["pid"]))
                if not stale:
                    raise ResultsError(
                        f"{self.dir} is in use by another sprout session (pid "
                        f"{holder.get('pid')} on {holder.get('host')}, since "
                        f"{holder.get('started')}); wait for it to end, or remove "
                        f"{self.lock_path} if that session is gone") from None
                with contextlib.suppress(FileNotFoundError):
                    self.lock_path.unlink()
                continue
            except OSError as err:
                raise ResultsError(f"cannot lock {self.dir}: {reason(err)}") from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(mine))
            break
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                if (self.holder() or {}).get("pid") == os.getpid():
                    self.lock_path.unlink()

