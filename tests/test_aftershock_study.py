"""The critique of the aftershock study, reproduced on the synthetic grids.

Slow-ish (the published 6×50 network is trained several times on ~200k rows), so it
runs once per module and every assertion reads the same audit.
"""

from __future__ import annotations

import pytest

from dsplaybook.aftershock.aftershock_models import (
    NETWORK,
    ONE_NEURON,
    StudyNetwork,
    audit_study,
    one_neuron,
)
from dsplaybook.aftershock.aftershock_synthetic import SyntheticSettings, as_table, generate

pytestmark = pytest.mark.slow  # tens of seconds of training: make test, not test-fast

NET, ONE = NETWORK, ONE_NEURON


def _audit(leaky: bool):
    split, grids = generate(SyntheticSettings(leaky=leaky, seed=0))
    table = as_table(split, grids)
    models = {NET: StudyNetwork(epochs=5, random_state=0), ONE: one_neuron()}
    return audit_study(table, models, n_resplits=5, seed=0)


@pytest.fixture(scope="module")
def leaky():
    return _audit(leaky=True)


def test_leaky_study_split_is_flagged(leaky):
    flags = " ".join(leaky.flags)
    assert "FLAG group overlap" in flags
    assert f"FLAG train/test inversion: {NET}" in flags
    scores = leaky.split_scores.set_index("model")
    assert scores.loc[NET, "test_auc"] > scores.loc[NET, "train_auc"]


def test_grouped_resplit_lowers_the_networks_auc(leaky):
    original = leaky.split_scores.set_index("model").loc[NET, "test_auc"]
    grouped = leaky.resplit_scores.groupby("model")["auc"].mean()[NET]
    assert grouped < original - 0.01


def test_one_neuron_matches_the_network_under_grouped_resplits(leaky):
    grouped = leaky.resplit_scores.groupby("model")["auc"].mean()
    assert abs(grouped[ONE] - grouped[NET]) < 0.03
    assert grouped[NET] > 0.7  # both genuinely predictive, far above 0.5
    assert any(
        f.startswith("Simple vs deep:") and "matches the network" in f for f in leaky.findings
    )


def test_clean_synthetic_set_flags_nothing():
    clean = _audit(leaky=False)
    assert clean.flags == [], clean.flags
