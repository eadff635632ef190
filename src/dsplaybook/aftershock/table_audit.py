"""The generic leakage audit (``leakage.run_audit``) on a table dataset, on the way in.

The aftershock study's lessons, asked of any table: does a test row also sit in the
training rows (exact or after rounding), does a group straddle the split, does one
column predict the label on its own (a leaked label), and does a model score higher on
the test set than on its own training data, more than re-splits that keep rows (or
groups) apart would? Two more checks: a model near perfect on the test rows (columns that
together restate the label), and a test set much *harder* than re-splits of the same rows
(no leak, but the test rows come from elsewhere: NSL-KDD's test file holds new attacks).
The label audited is the positive class of a two-class table (its last class: machine
failure) or "not the majority class" (attack vs normal), so every check has one AUC to
read. Empty cells take the audited rows' median before any check (the column checks need
numbers), so the models need no imputer of their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dsplaybook.aftershock.leakage import AuditResult, run_audit
from dsplaybook.aftershock.settings import TableAudit
from dsplaybook.data.datasets import MnistStyle

LABEL, SPLIT, GROUP = "_label", "_split", "_group"


def audit_frame(data: MnistStyle, max_rows: int, seed: int) -> tuple[pd.DataFrame, str]:
    """Labelled training and test rows as one frame (features, split, group, label) and
    the name of the audited positive side."""
    keep = data.y_train >= 0
    x = np.vstack([data.x_train[keep], data.x_test])
    y = np.concatenate([data.y_train[keep], data.y_test])
    split = np.array(["train"] * int(keep.sum()) + ["test"] * len(data.y_test))
    if data.groups_train:
        groups = np.concatenate([np.array(data.groups_train)[keep], np.array(data.groups_test)])
    else:  # every row its own group: re-splits are then plain random splits
        groups = np.arange(len(y)).astype(str)
    frame = pd.DataFrame(x, columns=list(data.feature_names))
    if len(data.class_names) == 2:
        frame[LABEL] = (y == 1).astype(int)
        positive = data.class_names[1]
    else:
        majority = int(np.bincount(data.y_train[keep], minlength=len(data.class_names)).argmax())
        frame[LABEL] = (y != majority).astype(int)
        positive = f"not {data.class_names[majority]}"
    frame[SPLIT] = split
    frame[GROUP] = groups
    if len(frame) > max_rows:  # seeded sample, both sides kept in proportion
        frame = frame.sample(n=max_rows, random_state=seed).sort_index()
    return frame.reset_index(drop=True), positive


def audit_models(features: list[str], trees: int, seed: int) -> dict:
    """A linear model and a forest, each picking the feature columns of the frame."""

    def columns():
        return ColumnTransformer([("x", "passthrough", features)])

    return {
        "logistic regression": make_pipeline(
            columns(),
            StandardScaler(),
            LogisticRegression(max_iter=2000),
        ),
        "random forest": make_pipeline(
            columns(),
            RandomForestClassifier(
                n_estimators=trees, min_samples_leaf=2, random_state=seed, n_jobs=1
            ),
        ),
    }


def audit_table(data: MnistStyle, s: TableAudit, seed: int) -> tuple[AuditResult, str]:
    frame, positive = audit_frame(data, s.max_rows, seed)
    features = list(data.feature_names)
    # a column constant on these rows has no AUC of its own
    varying = [f for f in features if frame[f].nunique(dropna=True) > 1]
    filled = frame.fillna(frame[features].median())
    result = run_audit(
        filled,
        label=LABEL,
        split=SPLIT,
        group=GROUP,
        features=varying,
        duplicate_columns=features,
        models=audit_models(features, s.forest_trees, seed),
        n_resplits=s.resplits,
        seed=seed,
        leak_threshold=s.leak_auc,
        inversion_sd=s.inversion_sd,
        perfect_auc=s.perfect_auc,
        report_shift=True,
    )
    return result, positive


def findings_text(name: str, data: MnistStyle, result: AuditResult, positive: str) -> str:
    """results/audit/<table>/findings.txt: what was audited, then one finding a line."""
    grouped = "by group" if data.groups_train else "row by row (no group column)"
    head = [
        f"Leakage audit of table {name} ({data.source}): label '{positive}' vs the rest; "
        f"{int((data.y_train >= 0).sum())} labelled training rows, {len(data.y_test)} test "
        f"rows, {len(data.feature_names)} features; re-splits {grouped}.",
        "",
    ]
    findings = [f.replace("FLAG ", "FLAG: ", 1) for f in result.findings]
    return "\n".join(head + findings) + "\n"
