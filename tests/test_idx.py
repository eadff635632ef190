import numpy as np
import pytest

from dsplaybook.data.idx import encode_idx, parse_idx
from dsplaybook.errors import InputError


def test_round_trip_images_and_labels():
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    assert np.array_equal(parse_idx(encode_idx(images)), images)
    assert np.array_equal(parse_idx(encode_idx(labels)), labels)


def test_header_is_big_endian_per_spec():
    # Hand-written: magic 0x00000801 (uint8, 1-D), length 3, then the bytes.
    data = bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9])
    assert parse_idx(data).tolist() == [7, 8, 9]


def test_int32_elements_are_read_big_endian():
    data = bytes([0, 0, 0x0C, 1, 0, 0, 0, 2]) + (1).to_bytes(4, "big") + (258).to_bytes(4, "big")
    assert parse_idx(data).tolist() == [1, 258]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x01\x02\x08\x01", "bad magic"),
        (bytes([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), "unknown IDX element type"),
        (bytes([0, 0, 8, 3, 0, 0]), "truncated IDX header"),
        (bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), "truncated or corrupt"),
    ],
)
def test_malformed_idx_names_the_file(data, fragment):
    with pytest.raises(InputError, match=fragment) as err:
        parse_idx(data, name="train-labels-idx1-ubyte")
    assert "train-labels-idx1-ubyte" in str(err.value)
    assert "\n" not in str(err.value)


def test_fashion_count_mismatch_names_both_files_to_delete(tmp_path):
    import numpy as np

    from dsplaybook.data.fashion_mnist import load_fashion_mnist
    from dsplaybook.errors import InputError

    paths = {}
    for name, array in (
        ("train_images", np.zeros((3, 28, 28), np.uint8)),
        ("train_labels", np.zeros(2, np.uint8)),
        ("test_images", np.zeros((1, 28, 28), np.uint8)),
        ("test_labels", np.zeros(1, np.uint8)),
    ):
        paths[name] = tmp_path / name
        paths[name].write_bytes(encode_idx(array))
    with pytest.raises(InputError) as err:
        load_fashion_mnist(**paths)
    message = str(err.value)
    assert f"delete {paths['train_images']} and {paths['train_labels']} and re-run" in message
