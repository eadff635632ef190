import numpy as np
import pytest

from dsplaybook.data.doodles import SHAPES, draw_category
from dsplaybook.data.download import ContentError
from dsplaybook.data.quickdraw import (
    category_filename,
    category_url,
    check_bitmap_file,
    combine_categories,
    load_category,
)
from dsplaybook.errors import InputError


def test_category_names_with_spaces():
    assert category_url("https://x/numpy_bitmap/", "The Eiffel Tower") == (
        "https://x/numpy_bitmap/The%20Eiffel%20Tower.npy"
    )
    assert category_filename("hot air balloon") == "hot_air_balloon.npy"


def _blobs(n, value):
    return np.full((n, 28, 28), value, dtype=np.uint8)


def test_combine_labels_by_position_and_stratifies():
    per_class = [_blobs(50, 10), _blobs(50, 20), _blobs(50, 30)]
    data = combine_categories(per_class, ["a", "b", "c"], test_fraction=0.2, seed=3, source="t")
    assert len(data.x_train) == 120 and len(data.x_test) == 30
    assert np.bincount(data.y_test).tolist() == [10, 10, 10]
    # every image still carries its own class' pixel value
    for x, y in ((data.x_train, data.y_train), (data.x_test, data.y_test)):
        assert np.array_equal(x[:, 0, 0], (y + 1) * 10)


def test_split_is_seeded():
    per_class = [
        np.random.default_rng(i).integers(0, 255, (30, 28, 28), dtype=np.uint8) for i in range(2)
    ]
    a = combine_categories(per_class, ["a", "b"], 0.25, seed=1, source="t")
    b = combine_categories(per_class, ["a", "b"], 0.25, seed=1, source="t")
    c = combine_categories(per_class, ["a", "b"], 0.25, seed=2, source="t")
    assert np.array_equal(a.x_test, b.x_test)
    assert not np.array_equal(a.x_test, c.x_test)


def test_load_category_takes_first_n_and_reshapes(tmp_path):
    bitmaps = np.arange(5 * 784, dtype=np.int64).reshape(5, 784).astype(np.uint8)
    np.save(tmp_path / "hat.npy", bitmaps)
    out = load_category(tmp_path / "hat.npy", 3)
    assert out.shape == (3, 28, 28)
    assert np.array_equal(out.reshape(3, 784), bitmaps[:3])


def test_too_few_drawings_says_how_to_fix(tmp_path):
    np.save(tmp_path / "hat.npy", np.zeros((5, 784), np.uint8))
    with pytest.raises(InputError, match=r"hat.npy.*per_category.*at most 5"):
        load_category(tmp_path / "hat.npy", 10)


@pytest.mark.parametrize(
    "array",
    [np.zeros((4, 28, 28), np.uint8), np.zeros((4, 784), np.float32), np.zeros((0, 784), np.uint8)],
)
def test_wrong_bitmap_format_is_rejected(tmp_path, array):
    np.save(tmp_path / "x.npy", array)
    with pytest.raises(ContentError):
        check_bitmap_file(tmp_path / "x.npy")


def test_truncated_npy_is_rejected(tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((10, 784), np.uint8))
    data = (tmp_path / "x.npy").read_bytes()
    (tmp_path / "x.npy").write_bytes(data[: len(data) // 2])
    with pytest.raises(ContentError):
        check_bitmap_file(tmp_path / "x.npy")


def test_synthetic_doodles_are_seeded_and_distinguishable():
    a = draw_category("circle", 20, seed=5)
    assert a.shape == (20, 784) and a.dtype == np.uint8
    assert np.array_equal(a, draw_category("circle", 20, seed=5))
    assert not np.array_equal(a, draw_category("circle", 20, seed=6))
    # A nearest-centroid rule on raw pixels must tell the shapes apart well above chance.
    names = sorted(SHAPES)
    train = [draw_category(n, 100, seed=1).astype(float) for n in names]
    test = [draw_category(n, 50, seed=2).astype(float) for n in names]
    centroids = np.stack([t.mean(0) for t in train])
    correct = sum(
        (np.argmin(((x[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1) == k).sum()
        for k, x in enumerate(test)
    )
    assert correct / (50 * len(names)) > 0.6  # chance is 0.25
