"""Your own image folder -> MNIST-style set: real PNG/JPEG files written with Pillow."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dsplaybook.data.datasets import read_mnist_style, write_mnist_style
from dsplaybook.data.folder import FolderSettings, build_folder_dataset
from dsplaybook.data.images import to_bitmap
from dsplaybook.errors import InputError


def _settings(path, **extra) -> FolderSettings:
    return FolderSettings(name="mine", source="folder", path=str(path), **extra)


def bitmap(path, **limits):
    """``path`` read with the dataset defaults (or ``limits``) of the settings tree."""
    s = _settings(path.parent, **limits)
    return to_bitmap(path, s.max_pixels, s.max_aspect)


def make_folder(root, per_class=5, unlabelled=6, bad=True):
    """boots/ and sandals/ (dark shapes on white, like photos), unlabelled/, one corrupt
    PNG and one 300×200 colour JPEG."""
    rng = np.random.default_rng(0)
    for k, name in enumerate(("boots", "sandals")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            pixels = np.full((40, 40), 255, np.uint8)
            pixels[5 + 10 * k : 20 + 10 * k, 5:35] = rng.integers(0, 60)
            Image.fromarray(pixels).save(root / name / f"{i}.png")
    (root / "unlabelled").mkdir()
    for i in range(unlabelled):
        Image.fromarray(rng.integers(0, 255, (30, 30), dtype=np.uint8)).save(
            root / "unlabelled" / f"u{i}.png"
        )
    colour = np.zeros((200, 300, 3), np.uint8)
    colour[50:150, 100:200] = (250, 40, 40)  # a red block on black, wider than tall
    Image.fromarray(colour).save(root / "unlabelled" / "wide.jpg", quality=95)
    if bad:
        (root / "unlabelled" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")


def test_folder_builds_with_the_right_shapes_and_a_logged_skip(tmp_path, caplog):
    make_folder(tmp_path / "shoes")
    data, skipped = build_folder_dataset(_settings(tmp_path / "shoes", test_fraction=0.2))
    assert skipped == ["unlabelled/broken.png"]
    assert "skipped" in caplog.text and "broken.png" in caplog.text
    assert data.class_names == ("boots", "sandals")
    assert data.x_train.shape[1:] == (28, 28) and data.x_train.dtype == np.uint8
    assert len(data.x_train) + len(data.x_test) == 10 + 7  # 10 labelled, 7 readable others
    assert len(data.x_test) == 2 and set(data.y_test) <= {0, 1}  # 20% of the labelled
    assert (data.y_train == -1).sum() == 7
    files = dict(zip(data.files_train, data.y_train, strict=True))
    assert files["unlabelled/wide.jpg"] == -1
    assert all(files[f] == 0 for f in files if f.startswith("boots/"))
    write_mnist_style(tmp_path / "mine.h5", data)  # the contract holds, files included
    back = read_mnist_style(tmp_path / "mine.h5")
    assert back.files_train == data.files_train and np.array_equal(back.y_train, data.y_train)


def test_bad_image_can_stop_the_build_naming_the_file(tmp_path):
    make_folder(tmp_path / "shoes")
    with pytest.raises(InputError, match=r"broken\.png: not a readable image .*on_bad_image"):
        build_folder_dataset(_settings(tmp_path / "shoes", on_bad_image="fail"))


def test_wide_colour_photo_keeps_its_aspect_and_dark_photos_stay_light_on_dark(tmp_path):
    colour = np.zeros((200, 300, 3), np.uint8)
    colour[50:150, 100:200] = (250, 250, 250)
    Image.fromarray(colour).save(tmp_path / "wide.png")
    image = bitmap(tmp_path / "wide.png")
    rows, cols = np.nonzero(image > 128)
    # a square block stays square (aspect kept by padding, not stretched)
    assert abs((rows.max() - rows.min()) - (cols.max() - cols.min())) <= 1
    white = np.full((40, 40), 255, np.uint8)
    white[10:30, 10:30] = 0  # a dark object on white is inverted to light on dark
    Image.fromarray(white).save(tmp_path / "photo.png")
    assert bitmap(tmp_path / "photo.png")[14, 14] > 200


def test_unknown_class_folder_and_missing_classes_are_one_line_errors(tmp_path):
    make_folder(tmp_path / "shoes", bad=False)
    with pytest.raises(InputError, match="class folder not in the dataset's classes"):
        build_folder_dataset(_settings(tmp_path / "shoes", classes=("boots",)))
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "unlabelled").mkdir()
    Image.fromarray(np.zeros((5, 5), np.uint8)).save(tmp_path / "only" / "unlabelled" / "a.png")
    with pytest.raises(InputError, match="no class folders and no classes in config"):
        build_folder_dataset(_settings(tmp_path / "only"))
    data, _ = build_folder_dataset(_settings(tmp_path / "only", classes=("cat", "dog")))
    assert len(data.x_test) == 0 and data.class_names == ("cat", "dog")
