"""Dump the roster settings pydfs-lineup-optimizer 3.6.1 ships (every site × sport ×
mode in ``sites/*/settings.py``) to tests/data/pydfs_3_6_1_settings.json, which
tests/test_lineup_presets.py holds dsplaybook's presets against.

Runs pydfs in the bench's own environment (.venv-bench-pydfs, as bench/lineups_vs_pydfs.py
makes it), never in the project's: ``.venv/bin/python bench/pydfs_settings.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from lineups_vs_pydfs import pydfs_python  # noqa: E402

OUT = REPO / "tests" / "data" / "pydfs_3_6_1_settings.json"
DUMP = r"""
import importlib, inspect, json, pkgutil
import pydfs_lineup_optimizer.sites as sites
from pydfs_lineup_optimizer.settings import BaseSettings
out = {}
for m in pkgutil.walk_packages(sites.__path__, sites.__name__ + "."):
    if not m.name.endswith("settings"):
        continue
    mod = importlib.import_module(m.name)
    for name, cls in sorted(vars(mod).items()):
        if not (inspect.isclass(cls) and issubclass(cls, BaseSettings)):
            continue
        if cls.__module__ != mod.__name__ or cls.sport is None:
            continue
        out[name] = {
            "module": m.name.split(".sites.")[1],
            "site": str(cls.site),
            "sport": str(cls.sport),
            "budget": cls.budget,
            "positions": [[p.name, sorted(p.positions)] for p in cls.positions],
            "max_from_one_team": cls.max_from_one_team,
            "min_teams": cls.min_teams,
            "min_games": cls.min_games,
            "total_teams_exclude_positions": list(cls.total_teams_exclude_positions),
            "extra_rules": [r.__name__ for r in cls.extra_rules],
            "csv_importer": getattr(cls.csv_importer, "__name__", None),
        }
print(json.dumps(out, indent=1, sort_keys=True))
"""


def main() -> None:
    found = subprocess.run(
        [str(pydfs_python()), "-c", DUMP], check=True, capture_output=True, text=True
    ).stdout
    OUT.write_text(found)
    print(f"{len(json.loads(found))} pydfs settings classes -> {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
