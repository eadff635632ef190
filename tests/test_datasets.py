import h5py
import numpy as np
import pytest

from dsplaybook.data.datasets import MnistStyle, read_mnist_style, write_mnist_style
from dsplaybook.errors import InputError


def _dataset(n_train=12, n_test=4):
    rng = np.random.default_rng(1)
    return MnistStyle(
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=np.arange(n_train) % 3,
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=np.arange(n_test) % 3,
        class_names=("a", "b c", "d/e"),
        source="unit test",
        synthetic=True,
    )


def test_hdf5_round_trip_keeps_arrays_names_and_flags(tmp_path):
    data = _dataset()
    path = tmp_path / "set.h5"
    write_mnist_style(path, data)
    back = read_mnist_style(path)
    for key in ("x_train", "y_train", "x_test", "y_test"):
        assert np.array_equal(getattr(back, key), getattr(data, key))
    assert back.class_names == ("a", "b c", "d/e")
    assert back.synthetic is True and back.source == "unit test"
    with h5py.File(path) as h5:
        assert h5["x_train"].dtype == np.uint8 and h5["x_train"].shape == (12, 28, 28)
        assert np.issubdtype(h5["y_train"].dtype, np.integer)


def test_same_data_gives_identical_bytes_across_a_second_boundary(tmp_path):
    import time

    write_mnist_style(tmp_path / "a.h5", _dataset())
    time.sleep(1.1)  # any timestamp stored in the file would now differ
    write_mnist_style(tmp_path / "b.h5", _dataset())
    assert (tmp_path / "a.h5").read_bytes() == (tmp_path / "b.h5").read_bytes()


def test_invalid_data_writes_nothing(tmp_path):
    bad = _dataset()
    bad = MnistStyle(bad.x_train, bad.y_train + 5, bad.x_test, bad.y_test, bad.class_names)
    with pytest.raises(InputError, match="labels outside"):
        write_mnist_style(tmp_path / "bad.h5", bad)
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_leaves_old_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "set.h5"
    write_mnist_style(path, _dataset())
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(h5py.Group, "create_dataset", explode)
    with pytest.raises(RuntimeError):
        write_mnist_style(path, _dataset(20, 5))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["set.h5"]


def test_reading_a_non_hdf5_file_names_it(tmp_path):
    path = tmp_path / "junk.h5"
    path.write_bytes(b"not hdf5")
    with pytest.raises(InputError, match="junk.h5"):
        read_mnist_style(path)
