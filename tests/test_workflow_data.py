"""Real snakemake on a tiny config: build, nothing-to-do, targeted re-runs, bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dsplaybook.data.datasets import read_mnist_style

pytestmark = pytest.mark.workflow

OUTPUTS = [
    "results/data/fashion_mnist.h5",
    "results/data/fashion_mnist_samples.png",
    "results/data/quickdraw.h5",
    "results/data/quickdraw_samples.png",
    "results/lineups/bookcases.json",
    "results/lineups/bookcases.png",
    "results/lineups/demo_synthetic/lineups.csv",
    "results/lineups/demo_synthetic/exposure.csv",
    "results/lineups/demo_synthetic/summary.csv",
    "results/lineups/demo_synthetic/portfolio.csv",
    "results/lineups/demo_synthetic/score_distributions.png",
]


def _planned_rules(dry_run_output: str) -> set[str]:
    return set(re.findall(r"^rule (\w+):", dry_run_output, flags=re.M)) - {"all"}


def test_build_then_nothing_to_do_then_targeted_rerun(tiny_workflow):
    run = tiny_workflow
    run.snakemake()
    for rel in OUTPUTS:
        assert (run.workdir / rel).stat().st_size > 0, rel

    fm = read_mnist_style(run.workdir / "results/data/fashion_mnist.h5")
    assert fm.x_train.shape == (60, 28, 28) and fm.x_test.shape == (20, 28, 28)
    assert fm.class_names[0] == "T-shirt/top"
    qd = read_mnist_style(run.workdir / "results/data/quickdraw.h5")
    assert qd.class_names == ("hot air balloon", "hat", "snowman")
    assert len(qd.x_train) == 72 and len(qd.x_test) == 18  # 3×30, 20% held out
    assert np.bincount(qd.y_test).tolist() == [6, 6, 6]
    assert (run.workdir / "resources/quickdraw/official/hot_air_balloon.npy").exists()

    again = run.snakemake("-n")
    assert "Nothing to be done" in again.stdout + again.stderr

    # Changing one QuickDraw setting re-runs only what depends on it.
    config = __import__("yaml").safe_load(run.configfile.read_text())
    config["quickdraw"]["test_fraction"] = 0.5
    run.write_config(config)
    plan = run.snakemake("-n")
    assert _planned_rules(plan.stdout) == {"build_quickdraw", "plot_dataset_samples"}
    assert "wildcards: dataset=quickdraw\n" in plan.stdout
    assert "dataset=fashion_mnist" not in plan.stdout


def test_bad_config_value_stops_with_one_line(tiny_workflow):
    result = tiny_workflow.snakemake("--config", "samples_per_class=lots", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "dsplaybook error" in line]
    assert errors == [
        "dsplaybook error: config: key 'samples_per_class': 'lots': Input should be a valid "
        "integer, unable to parse string as an integer "
        "(Images per class in results/data/<dataset>_samples.png)"
    ]
    assert not (tiny_workflow.workdir / "results").exists()


def test_kmeans_sample_smaller_than_the_initial_set_stops_with_one_line(tiny_workflow):
    result = tiny_workflow.snakemake("-n", "--config", "dadc={kmeans_sample: 10}", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "dsplaybook error" in line]
    assert errors == [
        "dsplaybook error: config: key 'dadc.kmeans_sample': 10 images cannot seed 50 k-means "
        "clusters (dadc.scales.demo.initial_labels); raise kmeans_sample"
    ]


def test_corrupt_download_fails_with_one_line_and_no_output(tiny_workflow, tmp_path):
    mirror = tmp_path / "mirror" / "fashion-mnist"
    packed = (mirror / "train-labels-idx1-ubyte.gz").read_bytes()
    (mirror / "train-labels-idx1-ubyte.gz").write_bytes(packed[: len(packed) // 2])
    result = tiny_workflow.snakemake("results/data/fashion_mnist.h5", check=False)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("dsplaybook error")]
    assert lines, result.stderr
    assert "train-labels-idx1-ubyte" in lines[0] and "truncated gzip" in lines[0]
    assert "fashion_mnist.mirror" in lines[0]
    assert not (tiny_workflow.workdir / "resources/fashion_mnist/train-labels-idx1-ubyte").exists()
    assert not (tiny_workflow.workdir / "results/data/fashion_mnist.h5").exists()
    leftovers = list((tiny_workflow.workdir / "resources").rglob("*.part*"))
    assert leftovers == []
    # the user's mirror copy is left exactly as it was
    assert (mirror / "train-labels-idx1-ubyte.gz").stat().st_size == len(packed) // 2


def test_wrong_checksum_fails_naming_the_file(tiny_workflow):
    config = __import__("yaml").safe_load(tiny_workflow.configfile.read_text())
    config["fashion_mnist"]["sha256"]["t10k-labels-idx1-ubyte"] = "0" * 64
    tiny_workflow.write_config(config)
    result = tiny_workflow.snakemake("results/data/fashion_mnist.h5", check=False)
    assert result.returncode != 0
    assert re.search(
        r"dsplaybook error: could not obtain t10k-labels-idx1-ubyte: .*sha256", result.stderr
    )
    assert not (tiny_workflow.workdir / "results/data/fashion_mnist.h5").exists()


def test_missing_category_fails_with_one_line(tiny_workflow, file_server):
    config = __import__("yaml").safe_load(tiny_workflow.configfile.read_text())
    config["quickdraw"]["categories"].append("unicorn horn")
    config["quickdraw"]["url"] = file_server.base_url + "/numpy_bitmap/"
    tiny_workflow.write_config(config)
    result = tiny_workflow.snakemake("results/data/quickdraw.h5", check=False)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("dsplaybook error")]
    assert len(set(lines)) == 1, result.stderr  # printed once, and again from the shown log
    assert "unicorn_horn.npy" in lines[0] and "HTTP 404" in lines[0]
    assert "quickdraw.mirror" in lines[0]
    assert "/numpy_bitmap/unicorn%20horn.npy" in file_server.requests
    assert not (tiny_workflow.workdir / "results/data/quickdraw.h5").exists()
    assert not (tiny_workflow.workdir / "resources/quickdraw/official/unicorn_horn.npy").exists()
