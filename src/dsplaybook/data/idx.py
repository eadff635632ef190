"""Parse the IDX format used by MNIST and Fashion-MNIST (uncompressed bytes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dsplaybook.errors import InputError

# Third byte of the magic number -> element type (the IDX spec).
_IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Return the array stored in IDX ``data``; raise InputError naming ``name`` if malformed."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise InputError(f"{name}: not an IDX file (bad magic number); re-download it")
    dtype = _IDX_DTYPES.get(data[2])
    if dtype is None:
        raise InputError(f"{name}: unknown IDX element type 0x{data[2]:02x}; re-download it")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise InputError(f"{name}: truncated IDX header; re-download it")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise InputError(
            f"{name}: IDX body has {len(data) - header} bytes, shape {shape} needs {expected}; "
            "the file is truncated or corrupt, re-download it"
        )
    return (
        np.frombuffer(data, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


def read_idx(path: str | Path) -> np.ndarray:
    path = Path(path)
    return parse_idx(path.read_bytes(), name=str(path))


def encode_idx(array: np.ndarray) -> bytes:
    """Inverse of :func:`parse_idx` for uint8 arrays (used to build test fixtures)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    head = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return head + array.tobytes()
