"""atomic_path: finished files appear whole, with normal permissions; failures leave nothing."""

from __future__ import annotations

import os

import pytest

from dsplaybook.atomic import atomic_path


def test_finished_file_gets_the_umask_mode_not_mkstemps_private_one(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.csv") as tmp:
            tmp.write_text("a,b\n")
    finally:
        os.umask(old)
    assert (tmp_path / "out.csv").read_text() == "a,b\n"
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644  # readable by the group


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    dest = tmp_path / "out.csv"
    dest.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert dest.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
