"""Table datasets: the CSV source, its one-line errors, its representations, the rare-class
scores, the leakage audit on the way in, and the two real tables in ../shared."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.metrics import average_precision_score, precision_score, recall_score

from dsplaybook.aftershock.settings import TableAudit
from dsplaybook.aftershock.table_audit import audit_table, findings_text
from dsplaybook.data.datasets import read_mnist_style, write_mnist_style
from dsplaybook.data.tables import TableSettings, build_table_dataset
from dsplaybook.errors import ConfigError, InputError
from dsplaybook.label_budget.sweep import (
    SweepSettings,
    labels_needed,
    ranking_scores,
    recall_at_precision,
    run_cell,
    summarise,
)
from dsplaybook.represent.features import fit_pca, fit_tree_embedding, train_test_matrices
from dsplaybook.settings import load_config

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "tabular"
EXAMPLE = REPO / "docs" / "examples" / "tables.yaml"


def table(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def settings(**overrides) -> TableSettings:
    base = {"name": "t", "source": "table", "file": "t.csv", "label": "y", "seed": 0}
    return TableSettings.from_config({**base, **overrides})


TINY = """id,size,colour,y
1,1.5,red,a
2,,blue,b
3,3.0,red,
4,4.0,green,a
5,5.0,blue,b
6,6.0,red,a
7,7.0,green,b
8,8.0,blue,a
9,9.0,red,b
10,10.0,green,a
"""


def test_a_tiny_table_is_encoded_as_computed_by_hand(tmp_path):
    t = settings(numeric=["size"], categorical=["colour"], drop=["id"], test_fraction=0.3)
    data = build_table_dataset(t, table(tmp_path / "t.csv", TINY))
    assert data.feature_names == ("size", "colour=blue", "colour=green", "colour=red")
    assert data.class_names == ("a", "b")
    # the unlabelled row (id 3) stays in training with label -1; 3 of 9 labelled are test
    assert len(data.y_test) == 3 and (data.y_test >= 0).all()
    assert len(data.y_train) == 7 and int((data.y_train == -1).sum()) == 1
    rows = {tuple(r) for r in np.vstack([data.x_train, data.x_test]).tolist()}
    assert (3.0, 0.0, 0.0, 1.0) in rows  # id 3: size 3, red
    assert any(np.isnan(r[0]) and r[1:] == (1.0, 0.0, 0.0) for r in rows)  # id 2: empty size
    assert data.x_train.dtype == np.float32
    # the HDF5 contract round-trips
    write_mnist_style(tmp_path / "t.h5", data)
    back = read_mnist_style(tmp_path / "t.h5")
    assert back.is_table and back.feature_names == data.feature_names
    np.testing.assert_array_equal(back.y_train, data.y_train)


def test_raw_features_are_filled_and_standardised_on_training_rows(tmp_path):
    t = settings(numeric=["size"], categorical=["colour"], drop=["id"])
    data = build_table_dataset(t, table(tmp_path / "t.csv", TINY))
    x_train, x_test = train_test_matrices(data, None)
    assert not np.isnan(x_train).any() and not np.isnan(x_test).any()
    np.testing.assert_allclose(x_train.mean(axis=0), 0, atol=1e-6)
    pca = fit_pca(data, 50, 0)
    assert pca[-1].n_components_ == 4  # at most the table's columns
    trees = fit_tree_embedding(data, n_estimators=5, max_depth=2, components=3, seed=0)
    assert trees.transform(data.x_test).shape == (len(data.x_test), 3)


def test_a_group_never_straddles_the_split_and_time_holds_out_the_latest(tmp_path):
    rows = ["g,t,x,y"] + [f"m{i % 7},{i},{i * 1.5},{'ab'[i % 2]}" for i in range(70)]
    path = table(tmp_path / "t.csv", "\n".join(rows) + "\n")
    grouped = build_table_dataset(settings(group="g"), path)
    assert not set(grouped.groups_train) & set(grouped.groups_test)
    assert set(grouped.groups_train) | set(grouped.groups_test) == {f"m{i}" for i in range(7)}
    timed = build_table_dataset(settings(time="t", drop=["g"]), path)
    # x = 1.5 t: the test rows are exactly the latest 20%
    assert timed.x_test[:, 0].min() > timed.x_train[:, 0].max()
    assert len(timed.y_test) == 14


BAD = [
    ("no label", "a,b\n1,2\n3,4\n", {}, ["'y'", "is not in the file", "fix the name"]),
    (
        "not a number",
        "x,y\n1,a\n2,b\nabc,a\n",
        {},
        ["column 'x' row 3", "'abc' is not a number", "declare the column categorical"],
    ),
    ("constant", "x,c,y\n1,k,a\n2,k,b\n", {"categorical": ["c"]}, ["'c'", "one value", "drop"]),
    ("all missing", "x,e,y\n1,,a\n2,,b\n", {}, ["'e'", "empty in every row", "drop"]),
    ("one class", "x,y\n1,a\n2,a\n", {}, ["fewer than two classes"]),
    ("no rows", "x,y\n", {}, ["no data rows"]),
    ("not a table", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", {}, ["not a readable CSV", "re-export"]),
    (
        "undeclared column",
        "x,z,y\n1,2,a\n2,3,b\n",
        {"numeric": ["x"]},
        ["'z' is not declared", "numeric, categorical or drop"],
    ),
]


@pytest.mark.parametrize(("case", "text", "extra", "expected"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_table_gets_one_line_naming_file_column_and_fix(
    tmp_path, case, text, extra, expected
):
    path = table(tmp_path / "bad.csv", text)
    with pytest.raises(InputError) as err:
        build_table_dataset(settings(**extra), path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for part in expected:
        assert part in message, (case, message)


def test_unknown_test_categories_and_labels_are_named_or_ignored(tmp_path):
    train = table(tmp_path / "train.csv", "x,c,y\n1,p,a\n2,q,b\n3,p,a\n4,q,b\n")
    test = table(tmp_path / "test.csv", "x,c,y\n1,p,a\n2,r,b\n")
    strict = settings(categorical=["c"], test_file="test.csv")
    with pytest.raises(InputError, match=r"test.csv: column 'c' has categories .*'r'.*ignore"):
        build_table_dataset(strict, train, test)
    data = build_table_dataset(settings(categorical=["c"], test_file="test.csv",
                                        unknown_categories="ignore"), train, test)  # fmt: skip
    np.testing.assert_array_equal(data.x_test[1, 1:], [0.0, 0.0])  # r: no category
    table(tmp_path / "test.csv", "x,c,y\n1,p,a\n2,q,zz\n")
    with pytest.raises(InputError, match=r"test\).*'zz'.*label_map"):
        build_table_dataset(strict, train, test)


def test_table_settings_refuse_contradictions():
    with pytest.raises(ConfigError, match="both numeric and drop"):
        settings(numeric=["x"], drop=["x"])
    with pytest.raises(ConfigError, match="columns"):
        settings(header=False)
    with pytest.raises(ConfigError, match="datasets.*twice|two datasets"):
        entry = {"name": "t", "source": "table", "file": "t.csv", "label": "y"}
        load_config({"datasets": [entry, {**entry, "file": "u.csv"}]})


def test_recall_at_precision_matches_brute_force():
    rng = np.random.default_rng(0)
    truth = rng.random(300) < 0.1
    score = truth * rng.normal(1, 1, 300) + rng.normal(0, 1, 300)
    best = 0.0
    for threshold in np.unique(score):
        flagged = score >= threshold
        if precision_score(truth, flagged, zero_division=0) >= 0.6:
            best = max(best, recall_score(truth, flagged))
    assert recall_at_precision(truth, score, 0.6) == pytest.approx(best)
    assert recall_at_precision(truth, -np.abs(score) * 0, 0.99) == 0.0  # no threshold works


def test_ranking_scores_use_the_positive_class_or_average_over_classes():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    scores = np.column_stack([rng.random(200), y + rng.random(200)])
    two = ranking_scores(scores, y, 0.9)
    assert two["average_precision"] == pytest.approx(average_precision_score(y == 1, scores[:, 1]))
    y3 = rng.integers(0, 3, 200)
    s3 = np.eye(3)[y3] + rng.random((200, 3))
    three = ranking_scores(s3, y3, 0.9)
    expected = np.mean([average_precision_score(y3 == c, s3[:, c]) for c in range(3)])
    assert three["average_precision"] == pytest.approx(expected)


def rare_class_table(n=1500, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(int)
    x = rng.normal(size=(n, 4)) + y[:, None] * np.array([2.5, 0, 1.5, 0])
    return x.astype(np.float32), y


def test_a_rare_class_sweep_beats_chance_and_survives_draws_without_a_positive():
    x, y = rare_class_table()
    s = SweepSettings(budgets=(10, 200), draws=3, seed=1, audit_size=100, accept_pool=200,
                      pool_size=200, all_labels=True)  # fmt: skip
    cells = run_cell(x[:1000], y[:1000], x[1000:], y[1000:], "logreg", s, n_classes=2)
    prevalence = y[1000:].mean()
    at_200 = cells[cells["budget"] == 200]
    # chance floor: average precision of a random ranking is the prevalence
    assert (at_200["average_precision"] > 3 * prevalence).all()
    assert (cells["budget"] == 1000).sum() == 1  # the all-labels fit
    # 10 labels at 5% prevalence: some draws see no positive and score chance, not crash
    assert cells["balanced_accuracy"].between(0, 1).all()
    cells.insert(0, "method", "logreg")
    cells.insert(0, "features", "raw")
    cells.insert(0, "selection", "random")
    cells.insert(0, "dataset", "rare")
    summary = summarise(cells)
    needed = labels_needed(summary, (), "average_precision", (0.5,))
    row = needed.iloc[0]
    reference = summary.loc[summary["budget"] == 1000, "average_precision_mean"].iloc[0]
    assert row["goal"] == pytest.approx(0.5 * reference)
    assert row["metric"] == "average_precision" and "all labels" in row["goal_is"]


def audit_of(x, y, x_test, y_test, names, **extra):
    from dsplaybook.data.datasets import MnistStyle

    data = MnistStyle(x.astype(np.float32), y, x_test.astype(np.float32), y_test,
                      ("ok", "fail"), source="test", feature_names=names, **extra)  # fmt: skip
    s = TableAudit(resplits=5, forest_trees=10, leak_auc=0.98, max_rows=5000)
    result, positive = audit_table(data, s, seed=0)
    return result, findings_text("t", data, result, positive)


def test_the_audit_flags_a_leaked_column_and_shared_rows_and_passes_a_clean_table():
    x, y = rare_class_table(2000, seed=3)
    clean, text = audit_of(x[:1500], y[:1500], x[1500:], y[1500:], ("a", "b", "c", "d"))
    assert not clean.flags, text
    assert "No leakage found" in text
    leak = np.column_stack([x, y + np.random.default_rng(0).normal(0, 0.01, len(y))])
    test = leak[1500:].copy()
    test[:20] = leak[:20]  # 20 test rows copied from training rows
    y_test = y[1500:].copy()
    y_test[:20] = y[:20]
    flagged, text = audit_of(leak[:1500], y[:1500], test, y_test, ("a", "b", "c", "d", "mode"))
    assert any("leaked feature: mode" in f for f in flagged.flags), text
    assert any("exact duplicates: 20 of 500" in f for f in flagged.flags), text


def test_the_audit_flags_groups_on_both_sides():
    x, y = rare_class_table(600, seed=4)
    groups = tuple(f"m{i % 30}" for i in range(600))
    result, text = audit_of(x[:400], y[:400], x[400:], y[400:], ("a", "b", "c", "d"),
                            groups_train=groups[:400], groups_test=groups[400:])  # fmt: skip
    assert any("group overlap" in f for f in result.flags), text


# ---- the two real tables (../shared: read by tests, never needed by the product) ----

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/tabular absent")


def example(name: str) -> TableSettings:
    entries = yaml.safe_load(EXAMPLE.read_text())["datasets"]
    entry = next(e for e in entries if e["name"] == name)
    return TableSettings.from_config({**entry, "seed": 42})


@needs_shared
def test_the_real_ai4i_table_builds_with_its_published_counts():
    data = build_table_dataset(example("ai4i"), SHARED / "ai4i2020.csv")
    assert len(data.y_train) + len(data.y_test) == 10_000
    assert int((data.y_train == 1).sum() + (data.y_test == 1).sum()) == 339
    assert data.feature_names[-3:] == ("Type=H", "Type=L", "Type=M")
    audit = TableAudit(resplits=5, forest_trees=20)
    clean, _ = audit_table(data, audit, seed=0)
    assert not clean.flags, clean.findings
    # left in, the five failure modes together restate the label (none does alone)
    modes = example("ai4i").model_copy(update={"drop": ("UDI", "Product ID"), "numeric": ()})
    leaky, _ = audit_table(build_table_dataset(modes, SHARED / "ai4i2020.csv"), audit, seed=0)
    assert leaky.leaky_features.empty
    assert any("near-perfect model" in f for f in leaky.flags), leaky.findings


@needs_shared
def test_the_real_nsl_kdd_files_build_and_the_strict_default_names_the_new_service():
    t = example("nsl_kdd")
    folder = SHARED / "nsl-kdd"
    data = build_table_dataset(t, folder / t.file, folder / t.test_file)
    assert (len(data.y_train), len(data.y_test)) == (25_192, 22_544)
    assert int((data.y_test == data.class_names.index("normal")).sum()) == 9_711
    strict = t.model_copy(update={"unknown_categories": "fail"})
    with pytest.raises(InputError, match="'service' has categories .*'tftp_u'"):
        build_table_dataset(strict, folder / t.file, folder / t.test_file)
    # its official test file holds new attacks: harder than any re-split, and said so
    audit = TableAudit(resplits=3, forest_trees=10, max_rows=8000)
    result, positive = audit_table(data, audit, seed=0)
    assert positive == "not normal" and not result.flags, result.findings
    assert any(f.startswith("NOTE shift: logistic regression") for f in result.findings)
    unmapped = t.model_copy(update={"label_map": {}})
    with pytest.raises(InputError, match="labels outside classes"):
        build_table_dataset(unmapped, folder / t.file, folder / t.test_file)


def test_the_label_page_refuses_a_table_in_one_line(tmp_path):
    from dsplaybook.app.__main__ import main

    entry = {"name": "parts", "source": "table", "file": "p.csv", "label": "y"}
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"datasets": [entry]}))
    with pytest.raises(SystemExit) as stop:
        main(["--config", str(config), "--dataset", "parts", "--queue-path"])
    assert "is a table" in str(stop.value) and "labels.csv" in str(stop.value)


def test_a_parquet_table_without_its_engine_or_broken_gets_one_line(tmp_path):
    path = table(tmp_path / "t.parquet", b"not parquet at all")
    with pytest.raises(InputError) as err:
        build_table_dataset(settings(file="t.parquet"), path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    assert "needs pyarrow" in message or "not a readable Parquet" in message


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"name": "fashion_mnist"}, "key 'datasets.0': name 'fashion_mnist' is a built-in"),
        ({"label": None}, "key 'datasets.0.label': Field required"),
        ({"bogus": 1}, "unknown key 'datasets.0.bogus'; allowed keys here: categorical, classes"),
        ({"sweep": {"metric": "auc"}}, "key 'datasets.0.sweep.metric': 'auc'"),
    ],
)
def test_a_bad_table_entry_names_its_own_key(entry, expected):
    base = {"name": "parts", "source": "table", "file": "p.csv", "label": "y"}
    given = {k: v for k, v in {**base, **entry}.items() if v is not None}
    with pytest.raises(ConfigError) as err:
        load_config({"datasets": [given]})
    assert expected in str(err.value)


def test_a_table_is_fetched_from_its_url_checked_and_never_half_written(file_server, tmp_path):
    import hashlib

    from dsplaybook.data.download import RetryPolicy
    from dsplaybook.data.tables import download_table_file

    fast = RetryPolicy(attempts=2, backoff_s=0.0, timeout_s=5)
    body = TINY.encode()
    file_server.files["/tables/t.csv"] = body
    t = settings(url=file_server.base_url + "/tables/", drop=["id"], categorical=["colour"])
    dest = tmp_path / "resources" / "t.csv"
    download_table_file(t, "t.csv", dest, fast)
    assert dest.read_bytes() == body
    # a pinned checksum that differs: one line, nothing left behind
    wrong = t.model_copy(update={"sha256": {"t.csv": hashlib.sha256(b"x").hexdigest()}})
    other = tmp_path / "other" / "t.csv"
    with pytest.raises(InputError) as err:
        download_table_file(wrong, "t.csv", other, fast)
    assert "sha256" in str(err.value) and "mirror" in str(err.value)
    assert not other.exists()
    # an HTML error page instead of the table: it does not have the declared columns
    file_server.files["/tables/t.csv"] = b"<html><body>Service moved</body></html>\n"
    with pytest.raises(InputError, match=r"t.csv \(not the table: no data rows"):
        download_table_file(t, "t.csv", other, fast)
    assert not other.exists()
    # the mirror folder is tried first
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "t.csv").write_bytes(body)
    requests = len(file_server.requests)
    download_table_file(t.model_copy(update={"mirror": str(mirror)}), "t.csv", other, fast)
    assert other.read_bytes() == body and len(file_server.requests) == requests


def test_the_example_run_config_is_valid_over_config_yaml():
    """docs/examples/tables.yaml as `--configfile` gives it: deep-merged over config.yaml."""

    def merged(base: dict, extra: dict) -> dict:
        out = dict(base)
        for key, value in extra.items():
            both = isinstance(value, dict) and isinstance(base.get(key), dict)
            out[key] = merged(base[key], value) if both else value
        return out

    base = yaml.safe_load((REPO / "config.yaml").read_text())
    config = load_config(merged(base, yaml.safe_load(EXAMPLE.read_text())))
    assert list(config.table_datasets) == ["ai4i", "nsl_kdd"]
    assert config.table_datasets["nsl_kdd"].sweep.metric == "macro_f1"


def test_a_time_column_of_dates_sorts_as_dates_and_a_bad_one_is_named(tmp_path):
    days = [f"2024-01-{d:02d}" for d in range(1, 31)]
    rows = ["t,x,y"] + [f"{day},{i},{'ab'[i % 2]}" for i, day in enumerate(days)]
    data = build_table_dataset(settings(time="t"), table(tmp_path / "t.csv", "\n".join(rows)))
    assert data.x_test[:, 0].min() > data.x_train[:, 0].max()  # the last days are the test
    rows[3] = "soon,2,a"
    with pytest.raises(InputError, match=r"column 't' \(time\): 'soon' is neither"):
        build_table_dataset(settings(time="t"), table(tmp_path / "t.csv", "\n".join(rows)))


def test_the_table_feature_vocabulary_is_the_registrys():
    """data.settings cannot import the represent registry (layers), so its list of the
    feature sets a table sweeps is checked against the registry's flags here."""
    from dsplaybook.data.settings import TABLE_FEATURES
    from dsplaybook.represent.features import FEATURE_SETS

    assert tuple(n for n, f in FEATURE_SETS.items() if f.tables) == TABLE_FEATURES
