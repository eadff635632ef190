"""One image file -> a 28×28 uint8 bitmap, light object on dark ground, within bounds.

The size is checked from the header before any pixel is decoded (a 39 KB PNG can claim
40,000,000×1 pixels); every mode Pillow opens is brought to an 8-bit gray in which the
object stays visible: 16-bit and float images are scaled, not clipped; palette, LA and
RGBA images are composited on the background their ink implies (dark ink: white, light
ink: black), since a transparent background read as black hides black ink; CMYK and
other colour spaces go through RGB. A large image is reduced by an integer factor
(box averaging, ``Image.reduce``) to at most ``WORK_SIDE`` pixels a side right after it is
decoded, before any conversion or float array; JPEGs are decoded at a reduced scale
(``draft``) to begin with. So the work after decoding follows the output size, and the
peak is the decoded image itself: about 4 bytes a pixel (RGBA), 200 MB at the default
``max_pixels`` of 50 million. The result is padded after it is shrunk, never the square
of its longer side.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from dsplaybook.errors import InputError

SIDE = 28
SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N")
WITH_ALPHA = ("LA", "La", "PA", "RGBA", "RGBa")
WORK_SIDE = 8 * SIDE  # a large image is box-reduced to about this before anything else
REDUCIBLE = ("L", "LA", "RGB", "RGBA", "I", "F", "I;16", "CMYK", "YCbCr")


class ImageRefused(InputError):
    """A file that is not read: unreadable, too large, too elongated."""


def to_bitmap(path: Path, max_pixels: int, max_aspect: float) -> np.ndarray:
    """One image file -> 28×28 uint8, light on dark, aspect kept. ImageRefused if not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header only
                _check_size(path, image.width, image.height, max_pixels, max_aspect)
                if image.format == "JPEG":  # decode at a reduced scale: far less work
                    image.draft(image.mode, (SIDE * 4, SIDE * 4))
                ImageOps.exif_transpose(image, in_place=True)  # no copy when upright
                gray = visible_gray(reduced(image))
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise ImageRefused(f"{path}: too large to decode ({err})") from err
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise ImageRefused(f"{path}: not a readable image ({err})") from err
    return light_on_dark_square(gray)


def _check_size(path: Path, width: int, height: int, max_pixels: int, max_aspect: float) -> None:
    if width < 1 or height < 1:
        raise ImageRefused(f"{path}: {width}×{height} pixels is empty")
    if width * height > max_pixels:
        raise ImageRefused(
            f"{path}: {width}×{height} pixels is more than max_pixels ({max_pixels:,}); "
            "shrink it or raise the dataset's max_pixels"
        )
    if max(width, height) > max_aspect * min(width, height):
        raise ImageRefused(
            f"{path}: {width}×{height} is more elongated than max_aspect ({max_aspect:g}:1); "
            "crop it or raise the dataset's max_aspect"
        )


def reduced(image: Image.Image) -> Image.Image:
    """``image`` box-reduced by the integer factor that brings its longer side near
    ``WORK_SIDE`` (palette and 1-bit images first to a mode that averages)."""
    factor = max(image.width, image.height) // WORK_SIDE
    if factor < 2:
        return image
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode == "1":
        image = image.convert("L")
    return image.reduce(factor) if image.mode in REDUCIBLE else image


def visible_gray(image: Image.Image) -> np.ndarray:
    """Any Pillow image -> 8-bit gray (H×W uint8) in which its object stays visible."""
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in SIXTEEN_BIT or mode == "I":
        values = np.asarray(image, dtype=np.float32)
        if mode in SIXTEEN_BIT or values.max() > 255:  # 16-bit range, whatever the mode
            values = values / 257.0
        return _to_uint8(values)
    elif mode == "F":
        values = np.asarray(image, dtype=np.float32)
        finite = values[np.isfinite(values)]
        top = float(finite.max()) if finite.size else 1.0
        return _to_uint8(np.nan_to_num(values) * (255.0 if top <= 1.0 else 1.0))
    elif mode == "1":
        image = image.convert("L")
    if image.mode in WITH_ALPHA:
        return _composited(image)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")  # CMYK, YCbCr, LAB, HSV
    return np.asarray(image.convert("L"), dtype=np.uint8)


def _composited(image: Image.Image) -> np.ndarray:
    """Gray + alpha on the background the ink implies: where the opaque pixels are dark
    on average the page behind them was light, and the other way round."""
    gray_alpha = np.asarray(image.convert("RGBA").convert("LA"), dtype=np.float32)
    gray, alpha = gray_alpha[..., 0], gray_alpha[..., 1] / 255.0
    weight = float(alpha.sum())
    ink = float((gray * alpha).sum() / weight) if weight else 0.0
    background = 255.0 if ink < 128 else 0.0
    return _to_uint8(alpha * gray + (1.0 - alpha) * background)


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def light_on_dark_square(pixels: np.ndarray) -> np.ndarray:
    """H×W gray -> 28×28: inverted if its ground is light (the datasets' look), shrunk so
    the longer side is 28, centred on the ground colour."""
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    if border.mean() > 127:  # dark object on a light ground: invert to the datasets' look
        pixels = 255 - pixels
        border = 255 - border
    height, width = pixels.shape
    scale = SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(
        Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS), dtype=np.uint8
    )
    square = np.full((SIDE, SIDE), int(np.median(border)), dtype=np.uint8)
    top, left = (SIDE - small.shape[0]) // 2, (SIDE - small.shape[1]) // 2
    square[top : top + small.shape[0], left : left + small.shape[1]] = small
    return square
