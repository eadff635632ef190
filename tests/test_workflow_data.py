"""Real snakemake on a tiny config: build, nothing-to-do, targeted re-runs, bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import tiny_workflow_in

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


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The whole tiny workflow (rule all), built once for the tests that read it."""
    run = tiny_workflow_in(tmp_path_factory.mktemp("built"))
    run.snakemake()
    return run


def test_build_then_nothing_to_do_then_targeted_rerun(built):
    run = built
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
    original = run.configfile.read_text()
    config = __import__("yaml").safe_load(original)
    config["quickdraw"]["test_fraction"] = 0.5
    run.write_config(config)
    try:
        plan = run.snakemake("-n")
    finally:
        run.configfile.write_text(original)  # the module's other tests read the same tree
    assert _planned_rules(plan.stdout) == {"build_quickdraw", "plot_dataset_samples"}
    assert "wildcards: dataset=quickdraw\n" in plan.stdout
    assert "dataset=fashion_mnist" not in plan.stdout


# The report test lived in test_report.py; it reads the same full build, so it moved here
# (issue 35) instead of building the whole tiny workflow a second time.
PLOTS = {
    "results/data/fashion_mnist_samples.png": "A few training images of every class",
    "results/data/quickdraw_samples.png": "A few training images of every class",
    "results/lineups/bookcases.png": "The bookcase LP solved with cvxpy",
    "results/lineups/demo_synthetic/score_distributions.png": "Simulated fantasy points",
}


def test_report_holds_every_plot_with_its_caption(built):
    """`snakemake --report` on the tiny config: every plot and its caption are in the HTML."""
    report = built.workdir / "report.html"
    built.snakemake("--report", str(report))
    html = report.read_text(encoding="utf-8")
    assert len(html) > 100_000  # self-contained: the pictures are embedded
    # the workflow-level description says what each branch shows
    assert "turns five practical data-science techniques" in html
    for plot, caption in PLOTS.items():
        assert (built.workdir / plot).exists()
        assert plot.rsplit("/", 1)[-1] in html, plot
        assert caption in html, caption


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
