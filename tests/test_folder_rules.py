"""Odd image files and odd folders, as users' folders hold them: every kind is a real
file written by Pillow (or by hand, byte for byte, where Pillow would need the memory
the file is meant to exhaust)."""

from __future__ import annotations

import logging
import os
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image
from test_folder_dataset import _settings, bitmap

from dsplaybook.data.folder import build_folder_dataset, image_files, scan_folder
from dsplaybook.data.images import ImageRefused
from dsplaybook.errors import InputError

INK = (slice(8, 32), slice(8, 32))  # a block of ink in the middle of a 40×40 image


def _ink_is_visible(image: np.ndarray) -> None:
    """Ink bright where it was drawn (centre), ground dark (corners)."""
    assert image[10:18, 10:18].min() > 150, image[10:18, 10:18]
    for corner in (image[:2, :2], image[:2, -2:], image[-2:, :2], image[-2:, -2:]):
        assert corner.max() < 40, corner


def _block(background, ink, shape=(40, 40), dtype=np.uint8):
    pixels = np.full(shape, background, dtype)
    pixels[INK] = ink
    return pixels


def _kind(path, kind):
    if kind == "16-bit dark ink on light":
        Image.fromarray(_block(60000, 3000, dtype=np.uint16)).save(path)
    elif kind == "16-bit light ink on dark":
        Image.fromarray(_block(0, 50000, dtype=np.uint16)).save(path)
    elif kind in ("RGBA black ink on transparent", "RGBA white ink on transparent"):
        colour = 0 if "black" in kind else 255
        rgba = np.zeros((40, 40, 4), np.uint8)
        rgba[..., :3] = colour
        rgba[(*INK, slice(3, 4))] = 255
        Image.fromarray(rgba, "RGBA").save(path)
    elif kind == "LA black ink on transparent":
        la = np.zeros((40, 40, 2), np.uint8)
        la[(*INK, slice(1, 2))] = 255
        Image.fromarray(la, "LA").save(path)
    elif kind == "palette with a transparent index":
        image = Image.fromarray(_block(0, 1), "P")
        image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)  # 0: white, 1: black
        image.save(path, transparency=0)
    elif kind == "palette opaque":
        image = Image.fromarray(_block(0, 1), "P")
        image.putpalette([250, 250, 250, 20, 20, 120] + [0] * 762)
        image.save(path)
    elif kind == "CMYK JPEG":
        cmyk = np.zeros((40, 40, 4), np.uint8)
        cmyk[(*INK, slice(3, 4))] = 255  # black ink on white paper
        Image.fromarray(cmyk, "CMYK").save(path, quality=95)
    elif kind == "1-bit":
        Image.fromarray(_block(255, 0).astype(bool)).convert("1").save(path)
    elif kind == "float TIFF":
        Image.fromarray(_block(1.0, 0.05, dtype=np.float32), "F").save(path)
    elif kind == "GIF":
        Image.fromarray(_block(255, 0)).save(path)
    else:
        raise AssertionError(kind)


KINDS = {
    "16-bit dark ink on light": "a.png", "16-bit light ink on dark": "b.png",
    "RGBA black ink on transparent": "c.png", "RGBA white ink on transparent": "d.png",
    "LA black ink on transparent": "e.png", "palette with a transparent index": "f.png",
    "palette opaque": "g.png", "CMYK JPEG": "h.jpg", "1-bit": "i.png",
    "float TIFF": "j.tif", "GIF": "k.gif",
}  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_image_kind_keeps_its_ink_visible(tmp_path, kind):
    path = tmp_path / KINDS[kind]
    _kind(path, kind)
    _ink_is_visible(bitmap(path))


def _png(path, width, height, rows=None):
    """A real 8-bit gray PNG of one colour, written by hand (zlib streaming) so that a
    20000×20000 file costs no 400 MB array to make. ``rows`` truncates the data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    deflate, body = zlib.compressobj(9), []
    row = b"\x00" + b"\x00" * width
    for _ in range(height if rows is None else rows):
        body.append(deflate.compress(row))
    body.append(deflate.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(body))
        + chunk(b"IEND", b"")
    )  # fmt: skip


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [(20000, 20000, "max_pixels|too large"), (40_000_000, 1, "max_pixels|elongated"),
     (20000, 1, "max_aspect")],
)  # fmt: skip
def test_bombs_are_refused_from_the_header_fast(tmp_path, width, height, message):
    path = tmp_path / "bomb.png"
    _png(path, width, height, rows=None if width * height <= 40_000_000 else 50)
    start = time.perf_counter()
    with pytest.raises(ImageRefused, match=message):
        bitmap(path)
    assert time.perf_counter() - start < 2.0  # refused before decoding, not after


def test_refused_images_are_logged_counted_and_can_stop_the_build(tmp_path, caplog):
    caplog.set_level(logging.INFO, "dsplaybook")
    root = tmp_path / "shoes"
    (root / "boots").mkdir(parents=True)
    Image.fromarray(_block(255, 0)).save(root / "boots" / "ok.png")
    _png(root / "boots" / "long.png", 20000, 1)
    _png(root / "boots" / "huge.png", 20000, 20000, rows=10)
    data, skipped = build_folder_dataset(_settings(root))
    assert sorted(skipped) == ["boots/huge.png", "boots/long.png"]
    assert len(data.x_train) + len(data.x_test) == 1
    assert caplog.text.count("skipped ") >= 2 and "2 skipped" in caplog.text
    with pytest.raises(InputError, match=r"huge\.png: .*on_bad_image"):
        build_folder_dataset(_settings(root, on_bad_image="fail"))
    data, skipped = build_folder_dataset(_settings(root, max_aspect=30000, max_pixels=10**9))
    assert skipped == ["boots/huge.png"]  # the long one read, within the raised caps


def test_folder_quirks(tmp_path, caplog):
    caplog.set_level(logging.INFO, "dsplaybook")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    Image.fromarray(_block(255, 0)).save(outside / "secret.png")
    root = tmp_path / "shoes"
    for folder in ("boots", "unlabeled", ".hidden", "__MACOSX", ".ipynb_checkpoints"):
        (root / folder).mkdir(parents=True)
        Image.fromarray(_block(255, 0)).save(root / folder / "a.png")
    (root / "boots" / "link.png").symlink_to(outside / "secret.png")
    (root / "linked_class").symlink_to(outside, target_is_directory=True)
    Image.fromarray(_block(255, 0)).save(root / "boots" / "brace{x}.png")
    for odd in ("<script>.png", "<logs>.png", "a>b.png"):  # Snakemake's <pathvar> syntax
        Image.fromarray(_block(255, 0)).save(root / "unlabeled" / odd)
    (root / "<cls>").mkdir()
    Image.fromarray(_block(255, 0)).save(root / "<cls>" / "a.png")
    latin1 = os.fsencode(root / "boots") + b"/caf\xe9.png"
    with open(latin1, "wb") as fh:
        Image.fromarray(_block(255, 0)).save(fh, format="PNG")
    (root / "boots" / "notes.txt").write_text("not an image")
    (root / "boots" / ".DS_Store").write_bytes(b"\0")
    (root / "README.md").write_text("a file at the top")

    scan = scan_folder(root)
    assert [p.relative_to(root).as_posix() for p in scan.images] == [
        "boots/a.png", "unlabeled/a.png"
    ]  # fmt: skip
    assert image_files(root) == scan.images
    assert scan.class_folders == ["boots"]  # unlabeled is not a class; the rest are ignored
    refused = dict(scan.refused)
    assert "outside" in refused["boots/link.png"] and "outside" in refused["linked_class"]
    assert "{" in refused["boots/brace{x}.png"] and "rename" in refused["boots/brace{x}.png"]
    assert "UTF-8" in refused["boots/caf\\udce9.png"]
    for name in ("unlabeled/<script>.png", "unlabeled/<logs>.png", "unlabeled/a>b.png", "<cls>"):
        assert "< or >" in refused[name] and "rename" in refused[name], name
    assert scan.other_suffixes == {".txt": 1}
    ignored = dict(scan.ignored)
    assert {".hidden", "__MACOSX", ".ipynb_checkpoints", "README.md", "boots/.DS_Store"} <= set(
        ignored
    )

    data, skipped = build_folder_dataset(_settings(root, test_fraction=0))
    assert data.class_names == ("boots",)
    assert sorted(data.files_train) == ["boots/a.png", "unlabeled/a.png"]
    assert list(data.y_train[np.argsort(data.files_train)]) == [0, -1]  # unlabeled: -1
    assert len(skipped) == 8  # link, linked folder, brace, latin-1, three <>, a <> folder
    for name in ("__MACOSX", ".ipynb_checkpoints", "link.png", "brace{x}.png", "1 .txt"):
        assert name in caplog.text, name


def test_the_build_log_names_the_first_files_and_counts_the_rest(tmp_path, caplog):
    caplog.set_level(logging.INFO, "dsplaybook")
    root = tmp_path / "shoes"
    (root / "boots").mkdir(parents=True)
    Image.fromarray(_block(255, 0)).save(root / "boots" / "ok.png")
    for k in range(30):
        (root / "boots" / f"bad{k:02d}.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
        (root / "boots" / f".hidden{k:02d}.png").write_bytes(b"")
    _, skipped = build_folder_dataset(_settings(root))
    assert len(skipped) == 30
    named = [r for r in caplog.records if r.getMessage().startswith("skipped ")]
    assert len(named) == 20 and "bad00.png" in named[0].getMessage()
    assert "1 images read, 30 skipped, 30 entries ignored" in caplog.text
    assert sum(r.getMessage().startswith("ignored ") for r in caplog.records) == 21  # 20 + 1
