"""How long `snakemake -n` takes when there is nothing to do (the cost of every start).

Builds the lineups branch on a small config in a temporary folder, then times three
no-op dry runs. Run after `scripts/slurm-local.sh start` + `stop` to check that an
installed but stopped SLURM no longer costs ~10 s per start (see docs/benchmarks.md).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        small = {"branches": ["lineups"], "lineups": {"n_lineups": 3, "demo_pool_teams": 6}}
        config.write_text(yaml.safe_dump(small))
        base = [SNAKEMAKE, "-s", str(REPO / "Snakefile"), "-d", tmp, "--configfile", str(config)]
        subprocess.run([*base, "--cores", "2", "-q"], check=True, capture_output=True)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run([*base, "-n"], check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            assert "Nothing to be done" in done.stdout + done.stderr
    slurm = "present" if Path("/etc/slurm/slurm.conf").exists() else "absent"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"/etc/slurm/slurm.conf: {slurm}")
    print(
        f"snakemake -n, nothing to do: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
