"""What import-linter cannot say: no module imports another module's private name, and
the core imports no branch (the layer contract itself is `lint-imports`, in make lint)."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO

SRC = REPO / "src" / "dsplaybook"
BRANCHES = ("data", "represent", "label_budget", "dadc", "lineups", "aftershock", "app")


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
