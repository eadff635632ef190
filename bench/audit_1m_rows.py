"""Benchmark: the leakage audit on ~1,000,000 synthetic aftershock-grid rows.

Times each stage of `dsplaybook.aftershock.leakage.run_audit` with the study's models (the 6×50
network, one neuron, random forest, three stress metrics) and 10 grouped re-splits.
Target: ≤ 5 minutes on 2 cores. Prints the figures recorded in docs/benchmarks.md.

Usage: .venv/bin/python bench/audit_1m_rows.py [N_EVENTS] [NETWORK_EPOCHS] [RESPLITS]
"""

from __future__ import annotations

import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


from dsplaybook.aftershock.aftershock_models import audit_study, study_models
from dsplaybook.aftershock.aftershock_synthetic import SyntheticSettings, as_table, generate


def main() -> None:
    n_events = int(sys.argv[1]) if len(sys.argv) > 1 else 210
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    resplits = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    started = time.perf_counter()
    split, grids = generate(SyntheticSettings(n_events=n_events, seed=0))
    table = as_table(split, grids)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    result = audit_study(table, study_models(epochs, 0, 2), n_resplits=resplits, seed=0)
    audited = time.perf_counter() - started
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"rows: {len(table):,} ({len(split)} slip models of {n_events} events)")
    print(
        f"generate: {generated:.1f} s; audit: {audited:.1f} s "
        f"(network {epochs} epochs, {resplits} grouped re-splits, 6 models)"
    )
    print(result.split_scores.round(3).to_string(index=False))
    print(result.resplit_scores.groupby("model")["auc"].agg(["mean", "std"]).round(3).to_string())


if __name__ == "__main__":
    main()
