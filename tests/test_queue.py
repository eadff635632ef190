"""What to label next: never a labelled image; k-means spreads, uncertainty is the margin."""

from __future__ import annotations

import numpy as np
import pytest

from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.label_budget.selection import SelectionSettings, top_two_margin
from dsplaybook.labelling.queue import QueueSettings, queue_table, select_images


def _settings(strategy, size=10):
    return QueueSettings(
        strategy=strategy,
        size=size,
        features="raw",
        method="logreg",
        seed=3,
        selection=SelectionSettings(kmeans_sample=500),
    )


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 10, (4, 5))
    y = np.repeat(np.arange(4), 60)
    return centres[y] + rng.normal(0, 1, (240, 5)), y


def test_first_batch_by_kmeans_covers_every_cluster(blobs):
    x, y = blobs
    chosen, strategy = select_images(x, {}, _settings("auto", size=4))
    assert strategy == "kmeans" and len(set(chosen)) == 4
    assert sorted(y[chosen]) == [0, 1, 2, 3]  # random picks would often miss a cluster


def test_later_batches_take_the_smallest_margins_and_skip_labelled(blobs):
    x, y = blobs
    labels = {int(i): int(y[i]) for i in range(0, 240, 12)}
    chosen, strategy = select_images(x, labels, _settings("auto"))
    assert strategy == "uncertainty" and not set(chosen) & set(labels)
    model = make_classifier("logreg", 3).fit(x[list(labels)], list(labels.values()))
    rest = np.setdiff1d(np.arange(240), list(labels))
    margins = top_two_margin(model.predict_proba(x[rest]))
    expected = rest[np.argsort(margins, kind="stable")[:10]]
    assert list(chosen) == list(expected)


def test_random_batches_change_when_labels_arrive(blobs):
    x, y = blobs
    first, _ = select_images(x, {}, _settings("random"))
    second, _ = select_images(x, {int(first[0]): int(y[first[0]])}, _settings("random"))
    assert first[0] not in second and list(first) != list(second)
    again, _ = select_images(x, {}, _settings("random"))
    assert list(again) == list(first)  # seeded


def test_uncertainty_without_two_classes_is_a_clear_error(blobs):
    x, _ = blobs
    with pytest.raises(InputError, match="at least two classes"):
        select_images(x, {0: 1}, _settings("uncertainty"))


def test_queue_table_ranks_and_names_files():
    table = queue_table(np.array([7, 2]), ("a.png", "b.png", "c.png") + ("z",) * 5, "kmeans")
    assert table.to_dict("list") == {
        "rank": [1, 2],
        "image_index": [7, 2],
        "file": ["z", "c.png"],
        "strategy": ["kmeans"] * 2,
    }


def test_the_kmeans_batch_is_not_in_row_order(blobs):
    """The blobs are stored class by class: row order would give one class after another."""
    x, y = blobs
    chosen, _ = select_images(x, {}, _settings("kmeans", size=20))
    assert len(set(y[chosen[:8]])) >= 3  # the first picks already span the classes
    assert sorted(chosen) != list(chosen)
    again, _ = select_images(x, {}, _settings("kmeans", size=20))
    assert list(again) == list(chosen)  # seeded
