"""`snakemake --report` on the tiny config: every plot and its caption are in the HTML."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.workflow

PLOTS = {
    "results/data/fashion_mnist_samples.png": "A few training images of every class",
    "results/data/quickdraw_samples.png": "A few training images of every class",
    "results/lineups/bookcases.png": "The bookcase LP solved with cvxpy",
    "results/lineups/demo_synthetic/score_distributions.png": "Simulated fantasy points",
}


def test_report_holds_every_plot_with_its_caption(tiny_workflow):
    tiny_workflow.snakemake()
    report = tiny_workflow.workdir / "report.html"
    tiny_workflow.snakemake("--report", str(report))
    html = report.read_text(encoding="utf-8")
    assert len(html) > 100_000  # self-contained: the pictures are embedded
    # the workflow-level description says what each branch shows
    assert "turns five practical data-science techniques" in html
    for plot, caption in PLOTS.items():
        assert (tiny_workflow.workdir / plot).exists()
        assert plot.rsplit("/", 1)[-1] in html, plot
        assert caption in html, caption
