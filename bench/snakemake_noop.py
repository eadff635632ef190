"""How long `snakemake -n` takes when there is nothing to do (the cost of every start).

Builds the lineups branch on a small config in a temporary folder, then times three
no-op dry runs, with a drawings store of 1,000 drawings that every parse reads the round
numbers of (and must leave byte for byte as it was). Run after
`scripts/slurm-local.sh start` + `stop` to check that an installed but stopped SLURM
no longer costs ~10 s per start (see docs/benchmarks.md).
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


def drawings_store(path: Path, n: int) -> Path:
    """A drawings store of ``n`` drawings over 10 rounds, as the drawing page writes them."""
    import json

    import numpy as np

    from dsplaybook.dadc.drawing_store import DrawingStore

    store = DrawingStore(path)
    rng = np.random.default_rng(0)
    for i in range(n):
        strokes = json.dumps([[[float(x), float(y)] for x, y in rng.uniform(0, 280, (40, 2))]])
        store.add_drawing(
            round=i // (n // 10), session="bench", strokes=strokes,
            bitmap=rng.integers(0, 255, 784, dtype=np.uint8).tobytes(), prediction=0,
            probabilities=json.dumps([0.25] * 4), true_class=1, fooled=1,
        )  # fmt: skip
    return path


def stamp(path: Path) -> dict:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in path.parent.glob(path.name + "*")
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        store = drawings_store(Path(tmp) / "drawings.sqlite", 1000)
        small = {
            "branches": ["lineups"],
            "lineups": {"n_lineups": 3, "demo_pool_teams": 6},
            "dadc": {"human": {"drawings": str(store)}},
        }
        config.write_text(yaml.safe_dump(small))
        base = [SNAKEMAKE, "-s", str(REPO / "Snakefile"), "-d", tmp, "--configfile", str(config)]
        subprocess.run([*base, "--cores", "2", "-q"], check=True, capture_output=True)
        stamp_before = stamp(store)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run([*base, "-n"], check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            assert "Nothing to be done" in done.stdout + done.stderr
        unchanged = stamp(store) == stamp_before
    slurm = "present" if Path("/etc/slurm/slurm.conf").exists() else "absent"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"/etc/slurm/slurm.conf: {slurm}")
    print(f"store of 1,000 drawings: bytes and mtime unchanged by the dry runs: {unchanged}")
    print(
        f"snakemake -n, nothing to do: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
