"""Write files so a failure never leaves something that looks finished."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it to ``dest`` only on success.

    The temporary file lives in the same folder so the final ``os.replace`` is atomic.
    On any exception the temporary file is removed and ``dest`` is left untouched.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_directory(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``dest``; rename it to ``dest`` only on success.

    An existing ``dest`` is replaced; on any exception the temporary folder is removed.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
    try:
        yield tmp
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_csv(frame, dest: str | os.PathLike[str], **to_csv: object) -> None:
    """A pandas frame as CSV, atomically, without the index (``to_csv`` adds options);
    text cells a spreadsheet would run as formulas are neutralised (``spreadsheet``)."""
    from dsplaybook.spreadsheet import spreadsheet_safe

    with atomic_path(dest) as tmp:
        spreadsheet_safe(frame).to_csv(tmp, index=False, **to_csv)


def write_text(dest: str | os.PathLike[str], text: str) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")


def remove_stale_temporaries(dest: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporaries a killed job left beside ``dest`` (``.<name>.*.part`` files
    and folders of atomic_path/atomic_directory); return what was removed. Only the job
    that owns ``dest`` may call this (Snakemake never runs two jobs for one output)."""
    dest = Path(dest)
    if not dest.parent.is_dir():
        return []
    stale = sorted(dest.parent.glob(f".{glob.escape(dest.name)}.*.part*"))
    for path in stale:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return stale
