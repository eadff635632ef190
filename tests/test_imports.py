"""What import-linter cannot say: no module imports another module's private name, and
the core imports no branch (the layer contract itself is `lint-imports`, in make lint)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SRC = REPO / "src" / "dsplaybook"
BRANCHES = (
    "data", "represent", "label_budget", "labelling", "dadc", "lineups", "aftershock",
    "sessions", "app",
)  # fmt: skip


def test_no_module_imports_a_private_name_of_another():
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dsplaybook"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    offenders.append(f"{path.relative_to(SRC)}: {node.module}.{private[0]}")
    assert not offenders


def test_importing_the_core_loads_no_branch():
    code = "import sys, dsplaybook.config; print(' '.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    ours = [m for m in loaded.split() if m.startswith("dsplaybook.")]
    assert "dsplaybook.config" in ours
    assert not [m for m in ours if m.split(".")[1] in BRANCHES]


def test_parsing_the_workflow_imports_neither_scikit_learn_nor_tensorflow():
    # every start of snakemake pays for what the rule files import (docs/benchmarks.md)
    smk = [*(REPO / "workflow" / "rules").rglob("*.smk"), REPO / "Snakefile"]
    imports = sorted(
        {line.strip() for f in smk for line in f.read_text().splitlines()
         if line.startswith(("from dsplaybook", "import dsplaybook"))}
    )  # fmt: skip
    assert len(imports) > 5
    code = "\n".join([*imports, "import sys", "print(' '.join(sys.modules))"])
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "sklearn" not in loaded and "tensorflow" not in loaded


def _lint_imports_with(tmp_path, module: str, line: str) -> subprocess.CompletedProcess:
    """lint-imports on a copy of the library where ``module`` gained ``line``."""
    shutil.copytree(SRC, tmp_path / "src" / "dsplaybook")
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    path = tmp_path / "src" / "dsplaybook" / module
    path.write_text(path.read_text() + f"\n{line}\n")
    env = {"PYTHONPATH": str(tmp_path / "src"), "PATH": os.environ["PATH"]}
    lint = str(Path(sys.executable).with_name("lint-imports"))
    return subprocess.run(
        [lint, "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def test_the_copy_passes_lint_imports_as_it_is(tmp_path):
    run = _lint_imports_with(tmp_path, "errors.py", "")
    assert run.returncode == 0, run.stdout[-2000:]


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("lineups/noise.py", "import dsplaybook.label_budget.methods", "lineups stands alone"),
        ("aftershock/report.py", "import dsplaybook.lineups.rosters", "aftershock stands alone"),
        ("labelling/agreement.py", "import dsplaybook.dadc.validation", "Layers"),
        ("dadc/validation.py", "import dsplaybook.labelling.agreement", "Layers"),
        ("label_budget/scores.py", "import dsplaybook.labelling.agreement", "Layers"),
        ("sessions/labelling.py", "import dsplaybook.app.http", "Layers"),
        ("lineups/settings.py", "import dsplaybook.lineups.contest.play", "No import cycles"),
    ],
)
def test_a_deliberate_cross_import_fails_lint_imports(tmp_path, module, line, contract):
    run = _lint_imports_with(tmp_path, module, line)
    assert run.returncode != 0
    broken = [x for x in run.stdout.splitlines() if x.endswith("BROKEN")]
    assert any(x.startswith(contract) for x in broken), run.stdout[-2000:]
