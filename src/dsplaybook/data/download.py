"""Verified downloads: mirror folder first, then the official URL, retried, atomic.

Checksums are taken on the *content* (after gunzip), so the same data is accepted
whichever mirror served it, compressed or not (Debian, for instance, recompresses
Fashion-MNIST, which changes the .gz bytes but not the images).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import shutil
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pooch
import requests
from pydantic import Field

from dsplaybook.atomic import atomic_path
from dsplaybook.config import Section
from dsplaybook.errors import InputError

log = logging.getLogger("dsplaybook")

GZIP_MAGIC = b"\x1f\x8b"

# A check reads the finished, decompressed file and raises ContentError if it is wrong.
ContentCheck = Callable[[Path], None]


class ContentError(Exception):
    """The obtained file is not the expected content (checksum, format, truncation)."""


class SourceUnavailable(Exception):
    """A source could not deliver the file at all (missing, 404, network down)."""


class NetworkUnreachable(SourceUnavailable):
    """The URL's server could not be reached at all (no network, DNS, refused)."""


class RetryPolicy(Section):
    """How hard to try one URL before giving up on it (config ``download``)."""

    attempts: int = Field(3, ge=1, description="Tries per URL on transient errors (timeouts, 5xx).")
    backoff_s: float = Field(2.0, ge=0, description="First wait between tries, doubled after each.")
    timeout_s: float = Field(
        60.0, gt=0, description="Seconds before a silent connection counts as failed."
    )


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def expect_sha256(expected: str) -> ContentCheck:
    """A check that the decompressed content has this SHA-256."""

    def check(path: Path) -> None:
        actual = sha256_of(path)
        if actual != expected.lower():
            raise ContentError(
                f"sha256 {actual[:12]}… does not match the expected {expected[:12]}…"
            )

    return check


def fetch_verified(
    dest: str | Path,
    *,
    url: str | None,
    mirror_files: Sequence[Path] = (),
    check: ContentCheck,
    fix_hint: str,
    offline_hint: str | None = None,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 (frozen, so safe to share)
) -> str:
    """Obtain ``dest`` from the first source that delivers valid content.

    Sources are tried in order: each file in ``mirror_files`` (each name once), then
    ``url``. Gzip data is decompressed; ``check`` validates the content. Only a valid
    file is renamed to ``dest``. Returns a description of the source used. If every
    source fails, raises :class:`InputError` with one line listing what was tried, in
    order, and ``fix_hint`` (``offline_hint`` instead when the URL's server could not be
    reached at all: the network, not the name, is then what to fix).
    """
    dest = Path(dest)
    tried: list[str] = []
    sources: list[tuple[str, Callable[[Path], None] | None]] = [
        (f"mirror {mirror_file}", _copy_from(mirror_file) if mirror_file.is_file() else None)
        for mirror_file in dict.fromkeys(Path(m) for m in mirror_files)
    ]
    if url:
        sources.append((url, _download_from(url, retry)))
    unreachable = False
    for label, obtain in sources:
        if obtain is None:
            tried.append(f"{label} (not there)")
            continue
        try:
            with atomic_path(dest) as final_tmp:
                raw_tmp = final_tmp.with_name(final_tmp.name + ".raw")
                try:
                    obtain(raw_tmp)
                    _decompress_if_gzip(raw_tmp, final_tmp)
                finally:
                    raw_tmp.unlink(missing_ok=True)
                check(final_tmp)
        except (ContentError, SourceUnavailable) as err:
            log.warning("%s: %s", label, err)
            tried.append(f"{label} ({err})")
            unreachable = isinstance(err, NetworkUnreachable)
            continue
        log.info("obtained %s from %s", dest.name, label)
        return label

    if not tried:
        tried.append("no mirror and no URL configured")
    fix = offline_hint if unreachable and offline_hint else fix_hint
    raise InputError(f"could not obtain {dest.name}: tried {'; '.join(tried)}. Fix: {fix}")


def _copy_from(source: Path) -> Callable[[Path], None]:
    def obtain(target: Path) -> None:
        try:
            shutil.copyfile(source, target)
        except OSError as err:
            raise SourceUnavailable(f"unreadable: {err.strerror}") from err

    return obtain


def _download_from(url: str, retry: RetryPolicy) -> Callable[[Path], None]:
    downloader = pooch.HTTPDownloader(progressbar=False, timeout=retry.timeout_s)

    def obtain(target: Path) -> None:
        last: Exception | None = None
        for attempt in range(1, retry.attempts + 1):
            try:
                downloader(url, str(target), None)
                return
            except requests.HTTPError as err:
                status = err.response.status_code if err.response is not None else 0
                if status < 500 and status != 429:
                    # 404 and friends will not change on a retry.
                    raise SourceUnavailable(f"HTTP {status}") from err
                last = err
            except requests.RequestException as err:
                last = err
            log.warning("attempt %d/%d for %s failed: %s", attempt, retry.attempts, url, last)
            if attempt < retry.attempts:
                time.sleep(retry.backoff_s * 2 ** (attempt - 1))
        message = f"failed {retry.attempts} times, last: {_short(last)}"
        if isinstance(last, requests.ConnectionError | requests.Timeout):
            raise NetworkUnreachable(message)
        raise SourceUnavailable(message)

    return obtain


def _short(err: Exception | None) -> str:
    if isinstance(err, requests.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code}"
    return type(err).__name__ if err else "unknown error"


def _decompress_if_gzip(source: Path, target: Path) -> None:
    with open(source, "rb") as fh:
        magic = fh.read(2)
    if magic != GZIP_MAGIC:
        source.replace(target)
        return
    try:
        with gzip.open(source, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except (OSError, EOFError, zlib.error) as err:
        raise ContentError(f"corrupt or truncated gzip ({err})") from err
