"""atomic_path: finished files appear whole, with normal permissions; failures leave nothing."""

from __future__ import annotations

import os
from types import SimpleNamespace

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


def test_atomic_directory_appears_whole_or_not_at_all(tmp_path):
    from dsplaybook.atomic import atomic_directory

    dest = tmp_path / "grids"
    with pytest.raises(RuntimeError), atomic_directory(dest) as tmp:
        (tmp / "a.csv").write_text("x\n")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []  # neither dest nor a temporary folder
    with atomic_directory(dest) as tmp:
        (tmp / "a.csv").write_text("x\n")
        assert not dest.exists()  # nothing visible until the block ends
    assert (dest / "a.csv").read_text() == "x\n"
    with atomic_directory(dest) as tmp:  # a rerun replaces the folder
        (tmp / "b.csv").write_text("y\n")
    assert sorted(p.name for p in dest.iterdir()) == ["b.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grids"]


def test_run_rule_turns_input_error_into_one_line_and_exit_1(tmp_path, capsys):
    from dsplaybook.errors import InputError
    from dsplaybook.logs import run_rule

    log_path = tmp_path / "rule.log"

    def main(log):
        log.info("started")
        raise InputError("data.csv: row 3 column 'x': 'abc' is not a number;\n fix it")

    job = SimpleNamespace(log=[str(log_path)], output=[])
    with pytest.raises(SystemExit) as exit_info:
        run_rule(main, job)
    assert exit_info.value.code == 1
    line = "dsplaybook error: data.csv: row 3 column 'x': 'abc' is not a number; fix it"
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == line and "started" in err[0]  # progress is echoed too
    log_text = log_path.read_text()
    assert "started" in log_text and log_text.rstrip().endswith(line)


def test_a_rule_start_removes_temporaries_a_killed_run_left(tmp_path, capsys):
    from dsplaybook.logs import run_rule

    out = tmp_path / "results" / "data"
    out.mkdir(parents=True)
    stale_file = out / ".fashion_mnist.h5.k3j2x9.part"
    stale_file.write_bytes(b"x" * 1000)
    (out / ".fashion_mnist.h5.k3j2x9.part.raw").write_bytes(b"y")
    stale_dir = out / ".grids.a1b2.part"
    stale_dir.mkdir()
    (stale_dir / "g.csv").write_text("1\n")
    keep = [out / ".other.h5.zz.part", out / "fashion_mnist.h5.part"]  # not this job's
    for path in keep:
        path.write_text("keep")
    job = SimpleNamespace(
        log=[str(tmp_path / "logs" / "data" / "build" / "x.log")],
        output=[str(out / "fashion_mnist.h5"), str(out / "grids")],
    )
    (tmp_path / "logs" / "data" / "build").mkdir(parents=True)
    seen = []
    run_rule(lambda log: seen.append(sorted(p.name for p in out.iterdir())), job)
    assert seen == [sorted(p.name for p in keep)]
    assert "removed" in (tmp_path / "logs/data/build/x.log").read_text()
    assert "[build/x] removed" in capsys.readouterr().err  # echoed to the terminal
