"""The generic leakage audit on tables built so the right answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dsplaybook.aftershock.aftershock_data import (
    LABEL,
    STRESS_COLUMNS,
    network_inputs,
    stress_metrics,
)
from dsplaybook.aftershock.aftershock_models import (
    StressMetric,
    audit_study,
    one_neuron,
    random_forest,
)
from dsplaybook.aftershock.aftershock_synthetic import SyntheticSettings, as_table, generate
from dsplaybook.aftershock.leakage import (
    ColumnScore,
    duplicates_across_split,
    run_audit,
    split_scores,
)


def _table(leaky: bool, seed: int = 1) -> pd.DataFrame:
    split, grids = generate(
        SyntheticSettings(n_events=16, half_width_km=30, leaky=leaky, seed=seed)
    )
    return as_table(split, grids)


FAST_MODELS = {
    "one neuron": one_neuron(),
    "random forest": random_forest(n_estimators=20, seed=0),
    "von Mises": StressMetric("von_mises"),
}


def _audit(table):
    return audit_study(table, FAST_MODELS, n_resplits=3, seed=0)


def test_leaky_split_is_flagged_for_group_overlap_and_duplicates():
    table = _table(leaky=True)
    result = _audit(table)
    truth = table.groupby("earthquake")["split"].nunique()
    assert result.groups_on_both_sides == sorted(truth[truth > 1].index)
    assert result.groups_on_both_sides  # the generator did put an event on both sides
    assert any(f.startswith("FLAG group overlap") for f in result.flags)
    assert result.exact_duplicates > 0
    assert len(result.resplit_scores) == 3 * len(FAST_MODELS)


def test_clean_split_flags_nothing():
    result = _audit(_table(leaky=False))
    assert result.flags == [], result.flags
    assert result.findings[0] == "No leakage found: every check passed."


def test_inversion_is_flagged_only_for_informative_models():
    table = pd.DataFrame(
        {
            LABEL: [0, 1, 0, 1, 0, 1, 0, 1],
            "split": ["train"] * 4 + ["test"] * 4,
            "good": [0.2, 0.9, 0.6, 0.5, 0.1, 0.9, 0.2, 0.8],  # train AUC 0.75, test 1.0
            "noise": [0.5, 0.4, 0.3, 0.2, 0.1, 0.9, 0.2, 0.8],  # train AUC 0.0: not informative
        }
    )
    models = {c: ColumnScore(c) for c in ("good", "noise")}
    scores = split_scores(table, LABEL, "split", models, margin=0.005).set_index("model")
    assert scores.loc["good", "train_auc"] == 0.75 and scores.loc["good", "test_auc"] == 1.0
    assert bool(scores.loc["good", "inverted"]) and not bool(scores.loc["noise", "inverted"])


def test_duplicates_exact_and_near():
    table = pd.DataFrame(
        {
            "split": ["train", "train", "test", "test", "test"],
            "a": [1.0, 2.0, 1.0, 2.0004, 7.0],
            "b": [10.0, 20.0, 10.0, 20.0, 70.0],
        }
    )
    assert duplicates_across_split(table, "split", ["a", "b"], significant=3) == (1, 2)


def test_a_leaked_target_column_is_flagged():
    table = _table(leaky=False)
    table["leak"] = table[LABEL] + np.random.default_rng(0).normal(0, 0.01, len(table))
    result = run_audit(
        table,
        label=LABEL,
        split="split",
        group="earthquake",
        features=["leak"],
        duplicate_columns=["x", "y", "z"],
        models={"von Mises": StressMetric("von_mises")},
        n_resplits=2,
    )
    assert any(f.startswith("FLAG leaked feature: leak") for f in result.flags)


def test_network_inputs_and_metrics_follow_the_study():
    table = _table(leaky=False).head(50)
    inputs = network_inputs(table)
    assert inputs.shape == (50, 12)
    assert np.allclose(inputs[:, :6], np.abs(table[list(STRESS_COLUMNS)].to_numpy()) / 1e6)
    assert np.allclose(inputs[:, 6:], -inputs[:, :6])
    metrics = stress_metrics(table)
    assert (metrics["max_shear"] >= 0).all() and (metrics["von_mises"] >= 0).all()
    # von Mises = sqrt(3) × max shear for pure shear: check one analytic case
    pure = pd.DataFrame({c: [0.0] for c in STRESS_COLUMNS}).assign(stresses_full_xy=[2.0])
    m = stress_metrics(pure).iloc[0]
    assert m["max_shear"] == pytest.approx(2.0) and m["von_mises"] == pytest.approx(2 * np.sqrt(3))


def test_grouped_resplits_match_a_hand_written_group_split():
    from sklearn.model_selection import GroupShuffleSplit

    from dsplaybook.aftershock.leakage import auc, grouped_resplits, positive_scores

    table = _table(leaky=True)
    model = random_forest(n_estimators=10, seed=0)
    got = grouped_resplits(table, LABEL, "earthquake", {"rf": model}, 3, 0.25, seed=4)
    splits = GroupShuffleSplit(n_splits=3, test_size=0.25, random_state=4)
    for k, (tr, te) in enumerate(splits.split(table, groups=table["earthquake"])):
        train, test = table.iloc[tr], table.iloc[te]
        assert not set(train["earthquake"]) & set(test["earthquake"])
        fitted = random_forest(n_estimators=10, seed=0).fit(train, train[LABEL])
        expected = auc(test[LABEL].to_numpy(), positive_scores(fitted, test))
        assert got.loc[k, "auc"] == pytest.approx(expected)


@pytest.mark.parametrize(
    "name", ["../../../../escaped_grid.csv", "/tmp/x_grid.csv", "a/b.csv", ".."]
)
def test_split_list_names_that_leave_the_folder_are_rejected(tmp_path, name):
    from dsplaybook.aftershock.aftershock_data import read_split_list
    from dsplaybook.errors import InputError

    path = tmp_path / "names.csv"
    path.write_text(f"Name,Original,ID\nok_grid.csv,TRAIN,1\n{name},TEST,2\n")
    with pytest.raises(InputError, match=r"row 3 column 'Name': .* is not a plain file name"):
        read_split_list(path)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("abc", "'abc' is not a finite number"),
        ("", "'' is not a finite number"),
        ("inf", "'inf' is not a finite number"),
        ("nan", "'nan' is not a finite number"),
    ],
)
def test_grid_reader_quotes_the_bad_cell_as_written(tmp_path, cell, expected):
    from dsplaybook.aftershock.aftershock_data import read_grid
    from dsplaybook.errors import InputError

    header = ["x", "y", "z", *STRESS_COLUMNS, LABEL]
    rows = [",".join(["1"] * len(header)), ",".join([cell] + ["1"] * (len(header) - 1))]
    path = tmp_path / "g_grid.csv"
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match=f"row 3 column 'x': {expected}"):
        read_grid(path)
    path.write_text(",".join(header) + "\n")
    with pytest.raises(InputError, match="has a header but no rows"):
        read_grid(path)
