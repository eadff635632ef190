"""Cluster execution on a real single-node SLURM (scripts/slurm-local.sh), as root.

Starts munge, MariaDB, slurmdbd, slurmctld and slurmd on 127.0.0.1, sends a small
workflow through `--workflow-profile profiles/slurm`, and checks with `sacct` that every
job went through sbatch. Skips, with the reason, where it cannot run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, WorkflowRun

from dsplaybook.data.datasets import read_mnist_style

pytestmark = pytest.mark.workflow

SCRIPT = REPO / "scripts" / "slurm-local.sh"
TARGETS = ["results/data/fashion_mnist.h5", "results/lineups/bookcases.json"]
SLURM_ARGS = [
    "--workflow-profile",
    str(REPO / "profiles" / "slurm"),
    "--slurm-no-account",
    "--slurm-init-seconds-before-status-checks",
    "1",
    "--seconds-between-status-checks",
    "2",
    "--jobs",
    "4",
]


def _cannot_run() -> str | None:
    if os.geteuid() != 0:
        return "needs root to install and start SLURM daemons"
    if not shutil.which("apt-get") and not shutil.which("slurmctld"):
        return "no apt-get to install SLURM and SLURM is not installed"
    return None


@pytest.fixture(scope="module")
def slurm():
    reason = _cannot_run()
    if reason:
        pytest.skip(reason)
    started = subprocess.run(
        ["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=900
    )
    assert started.returncode == 0, started.stderr + started.stdout
    yield
    subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, timeout=60)


def _submitted(result) -> set[int]:
    """SLURM job ids that Snakemake reports having submitted with sbatch."""
    text = result.stdout + result.stderr
    return {int(j) for j in re.findall(r"submitted with SLURM jobid (\d+)", text)}


def _sacct_states(job_ids: set[int], since: str) -> dict[int, str]:
    """State of each job in the accounting database, counting only records since
    ``since`` (job ids restart when a test cluster's controller state is reset)."""
    out = subprocess.run(
        [
            "sacct",
            "-X",
            "-n",
            "-P",
            "-S",
            since,
            "-j",
            ",".join(map(str, sorted(job_ids))),
            "-o",
            "JobID,State",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        int(job): state.split()[0]
        for job, state in (line.split("|", 1) for line in out.splitlines() if line.strip())
    }


def _now() -> str:
    return subprocess.run(
        ["date", "+%Y-%m-%dT%H:%M:%S"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _files(root: Path) -> dict[str, object]:
    """Every result file's content: bytes, or for HDF5 its arrays and attributes (HDF5
    headers carry per-write bookkeeping, so equal data need not mean equal bytes)."""
    out: dict[str, object] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix == ".h5":
            data = read_mnist_style(path)
            out[str(path.relative_to(root))] = (
                [getattr(data, k).tobytes() for k in ("x_train", "y_train", "x_test", "y_test")],
                data.class_names,
                data.source,
                data.synthetic,
            )
        else:
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


def test_jobs_go_through_sbatch_and_match_a_local_run(slurm, tiny_workflow, tmp_path):
    since = _now()
    result = tiny_workflow.snakemake(*SLURM_ARGS, *TARGETS)
    submitted = _submitted(result)
    # 4 downloads, the HDF5 build and the bookcase LP: every one through sbatch ...
    assert len(submitted) == 6, result.stdout + result.stderr
    # ... and every one on record in sacct as completed
    states = _sacct_states(submitted, since)
    assert set(states) == submitted and set(states.values()) == {"COMPLETED"}, states

    local = WorkflowRun(workdir=tmp_path / "local", configfile=tiny_workflow.configfile)
    local.workdir.mkdir()
    local.snakemake(*TARGETS)
    assert _files(tiny_workflow.workdir / "results") == _files(local.workdir / "results")


def test_a_failing_job_is_reported_as_failed(slurm, tiny_workflow):
    config = yaml.safe_load(tiny_workflow.configfile.read_text())
    config["fashion_mnist"]["sha256"]["t10k-labels-idx1-ubyte"] = "0" * 64
    tiny_workflow.write_config(config)
    since = _now()
    result = tiny_workflow.snakemake(*SLURM_ARGS, "--retries", "0", TARGETS[0], check=False)
    assert result.returncode != 0
    assert "dsplaybook error: could not obtain t10k-labels-idx1-ubyte" in result.stderr
    states = list(_sacct_states(_submitted(result), since).values())
    assert "FAILED" in states, states
    assert not (tiny_workflow.workdir / TARGETS[0]).exists()


def test_stopping_slurm_leaves_no_config_for_scontrol_to_wait_on(slurm):
    """Runs last in this module. After `stop`, scontrol (which the SLURM executor plugin
    calls whenever Snakemake starts) must fail at once instead of waiting for a
    controller that is not there: slurm.conf is gone, so it has nothing to wait on."""
    subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, timeout=60, check=True)
    assert not Path("/etc/slurm/slurm.conf").exists()
    result = subprocess.run(["scontrol", "show", "config"], capture_output=True, timeout=60)
    assert result.returncode != 0
