"""Output folders: Sprout replaces or removes only what it made itself.

Sprout recognises its own outputs by their metadata: a run's folder holds a
``summary.json`` naming a scenario, a seed (or seeds) and ``sprout_version``; a
comparison's folder a ``metadata.json`` naming its scenarios, seeds and
``sprout_version``; ``latest`` is a link Sprout made to a sibling folder (or, where links
fail, a copy of a run's folder). Everything else — a folder of the user's notes named
``latest``, a ``series.csv`` of their own in ``--out DIR`` — is never deleted or replaced:
the command is refused before anything runs, in one line. Replacing Sprout's own earlier
outputs in a folder the user named (``--out DIR``) needs ``--overwrite``; the folders
Sprout names itself (``out/SCENARIO/seed-S``, ``out/compare/…``) are replaced when they
hold Sprout's earlier outputs of the same inputs.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import UsageError
from .inputs import InputError, read_json

STORE_OUTPUTS = ("metadata.json", "runs.parquet", "series.parquet", "runs.parquet.sha256",
                 "series.parquet.sha256", "runs.parquet.damaged", "series.parquet.damaged",
                 "parts", ".lock")
"""The results store every command's runs go into (``experiments/store.py``)."""

RUN_OUTPUTS = ("series.csv", "groups.csv", "summary.json", "events.txt", "events.json",
               "groups_over_time.png", *STORE_OUTPUTS)
"""What ``sprout run`` writes into its folder (besides ``replicate-NNN/`` folders)."""

COMPARE_OUTPUTS = ("compare.csv", "compare.md", "compare_groups.png",
                   "compare_posterior.csv", "compare_posterior.md", "runs.csv", "effects",
                   *STORE_OUTPUTS)
"""What ``sprout compare`` (under the posterior or ``--point``) writes into its folder."""


def _metadata(path: Path, keys: Iterable[str]) -> dict[str, Any] | None:
    """``path``'s JSON if it is a small regular file holding every key in ``keys``."""
    try:
        data = read_json(path, "metadata file", inside=path.parent, limit=32_000_000)
    except (OSError, InputError):
        return None
    if isinstance(data, dict) and all(key in data for key in keys):
        return data
    return None


def stored_kind(folder: Path) -> str | None:
    """The kind of plan (``"run"``, ``"compare"``…) whose results ``folder``'s
    ``metadata.json`` describes, "" for a comparison written before the results store,
    None if it describes none."""
    meta = _metadata(folder / "metadata.json", ("scenarios", "seeds", "sprout_version"))
    if meta is None:
        return None
    plan = meta.get("sweep")
    return str(plan.get("kind", "")) if isinstance(plan, dict) else ""


def is_run_folder(folder: Path) -> bool:
    """Whether ``folder`` is a folder ``sprout run`` wrote (by its ``summary.json``, or the
    ``metadata.json`` of its runs while they run)."""
    return (folder.is_dir() and not folder.is_symlink()
            and (_metadata(folder / "summary.json", ("scenario", "seed", "sprout_version"))
                 is not None or stored_kind(folder) == "run"))


def is_compare_folder(folder: Path) -> bool:
    """Whether ``folder`` is a folder ``sprout compare`` wrote (by its ``metadata.json``)."""
    return (folder.is_dir() and not folder.is_symlink()
            and stored_kind(folder) not in (None, "run"))


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def check_replaceable(target: Path, kind: str, named: bool, overwrite: bool,
                      option: str = "--out") -> None:
    """Before anything runs: ``UsageError`` unless ``target`` may receive a ``kind``
    (``"run"`` or ``"compare"``) output. It may if nothing of the outputs' names is there;
    if what is there is Sprout's own output of that kind (replaced only with ``overwrite``
    when the user ``named`` the folder). Never if something there is not Sprout's."""
    if not _present(target):
        return
    if target.is_symlink() or not target.is_dir():
        raise UsageError(f"{option} {target}: a file or link is in the way, not a folder "
                         "Sprout wrote; it is left alone: choose another folder")
    names = RUN_OUTPUTS if kind == "run" else COMPARE_OUTPUTS
    check_own_files(target, names, f"{kind} folder")  # writing must not follow a link
    clashes = [name for name in names if _present(target / name)]
    if kind == "run":
        clashes += [p.name for p in [*target.glob("replicate-*"), *target.glob("seed-*")]]
    if not clashes:
        return
    ours = is_run_folder(target) if kind == "run" else is_compare_folder(target)
    foreign = [name for name in clashes if not ours or (
        name.startswith(("replicate-", "seed-")) and not is_run_folder(target / name))]
    if foreign:
        raise UsageError(f"{option} {target}: holds {', '.join(sorted(foreign)[:3])} that "
                         f"Sprout did not write (no {kind} metadata); they are left alone: "
                         "choose another folder")
    if not named:  # the whole folder is Sprout's: nothing else may be in it
        extra = sorted(p.name for p in target.iterdir() if p.name not in clashes
                       and not (p.name.startswith(".") and p.name.endswith(".tmp")))
        if extra:
            raise UsageError(f"{target}: Sprout's folder for these inputs also holds "
                             f"{', '.join(extra[:3])}, which Sprout did not write; move "
                             "them out (the folder is replaced as a whole), or write "
                             "elsewhere with --out")
    if named and not overwrite:
        resume = "--resume to complete them, " if kind == "compare" else ""
        raise UsageError(f"{option} {target}: holds the outputs of an earlier sprout "
                         f"{kind}; add {resume}--overwrite to replace them, or choose "
                         "another folder")


def check_latest(folder: Path) -> None:
    """``UsageError`` if ``folder/latest`` is something Sprout did not make (it would be
    replaced by a link to the new run)."""
    link = folder / "latest"
    if link.is_symlink():
        target = os.readlink(link)
        if os.sep in target.rstrip(os.sep) or target.startswith("."):
            raise UsageError(f"{link}: a link Sprout did not make (to {target}); it is left "
                             "alone: remove it, or write elsewhere with --out")
        return
    if _present(link) and not is_run_folder(link):
        raise UsageError(f"{link}: a file or folder Sprout did not make; it is left alone: "
                         "move it, or write elsewhere with --out")


def clear_outputs(out: Path, kind: str = "run") -> None:
    """Remove Sprout's own earlier outputs from ``out`` (checked by
    ``check_replaceable``), nothing else: its files, the store's parts, a comparison's
    ``effects/`` of Sprout's CSV files."""
    for name in (RUN_OUTPUTS if kind == "run" else COMPARE_OUTPUTS):
        path = out / name
        if name == ".lock":  # the session's own lock (clearing runs while it is held)
            continue
        if path.is_file() and not path.is_symlink():
            path.unlink()
        elif name in ("parts", "effects") and path.is_dir() and not path.is_symlink():
            pattern = "*.parquet*" if name == "parts" else "*.csv"
            inner = list(path.iterdir())
            if all(f.is_file() and not f.is_symlink() and f.match(pattern) for f in inner):
                shutil.rmtree(path)
    if kind == "run":
        for folder in [*out.glob("replicate-*"), *out.glob("seed-*")]:
            if is_run_folder(folder):
                shutil.rmtree(folder)


def staging_folder(target: Path) -> Path:
    """A hidden sibling of ``target`` to write into before it is moved into place."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")


def replace_folder(staging: Path, target: Path) -> None:
    """Move a finished folder into place, replacing Sprout's earlier one of the same name
    (checked by ``check_replaceable`` before the run)."""
    old = target.with_name(f".{target.name}.{uuid.uuid4().hex}.old")
    if target.exists():
        if not (is_run_folder(target) or is_compare_folder(target)):
            raise UsageError(f"{target}: appeared during the run and is not Sprout's; the "
                             f"new results are left in {staging}")
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def point_latest(target: Path) -> Path:
    """Make ``target``'s sibling ``latest`` a link to it (a copy where links fail),
    replacing only an earlier ``latest`` that Sprout made."""
    check_latest(target.parent)
    link = target.parent / "latest"
    tmp = target.parent / f".latest.{uuid.uuid4().hex}.tmp"
    try:
        os.symlink(target.name, tmp, target_is_directory=True)
        if link.is_dir() and not link.is_symlink():  # Sprout's copy (check_latest)
            shutil.rmtree(link)
        os.replace(tmp, link)
    except OSError:
        if tmp.is_symlink():
            tmp.unlink()
        shutil.copytree(target, tmp)
        replace_folder(tmp, link)
    return link


def check_own_files(folder: Path, names: Iterable[str], what: str = "results folder") -> None:
    """Before writing ``names`` into ``folder`` (files, or folders of files): ``UsageError``
    if one of them is there as something other than a plain file or folder — a link (which
    would carry the writing out of the folder), a pipe, a device."""
    for name in names:
        path = folder / name
        if path.is_symlink() or (path.exists() and not (path.is_file() or path.is_dir())):
            raise UsageError(f"{path}: a link or special file in the {what}, where Sprout "
                             "writes its own outputs; it is left alone: remove it first")
        if path.is_dir() and not path.is_symlink():
            for inner in path.iterdir():
                if inner.is_symlink() or not (inner.is_file() or inner.is_dir()):
                    raise UsageError(f"{inner}: a link or special file in the {what}, where "
                                     "Sprout writes its own outputs; it is left alone: "
                                     "remove it first")


def check_outputs_of(folder: Path, names: Iterable[str], marker: str, keys: Iterable[str],
                     what: str, option: str = "--out") -> None:
    """Before a command writes ``names`` into ``folder``: ``UsageError`` if any of them is
    there but is not Sprout's (``marker`` is not JSON holding ``keys``), or is a link or a
    special file. Sprout's own earlier outputs of this kind are replaced."""
    names = list(names)
    if not folder.is_dir():
        return
    check_own_files(folder, names, what)
    present = [name for name in names if _present(folder / name)]
    if present and _metadata(folder / marker, keys) is None:
        raise UsageError(f"{option} {folder}: holds {', '.join(present[:3])} that Sprout "
                         f"did not write (no {marker} of a {what}); they are left alone: "
                         "choose another folder")
