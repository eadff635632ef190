"""Downloads against a real HTTP server on 127.0.0.1 serving generated files."""

import gzip
import hashlib

import pytest

from dsplaybook.data.download import RetryPolicy, expect_sha256, fetch_verified
from dsplaybook.errors import InputError

CONTENT = bytes(range(256)) * 400
SHA = hashlib.sha256(CONTENT).hexdigest()
FAST = RetryPolicy(attempts=3, backoff_s=0.0, timeout_s=5)


def _fetch(dest, url=None, mirror_files=(), retry=FAST):
    return fetch_verified(
        dest,
        url=url,
        mirror_files=mirror_files,
        check=expect_sha256(SHA),
        fix_hint="set the mirror",
        retry=retry,
    )


def test_gzip_download_is_decompressed_and_verified(file_server, tmp_path):
    file_server.files["/data.gz"] = gzip.compress(CONTENT)
    dest = tmp_path / "out" / "data"
    used = _fetch(dest, url=file_server.base_url + "/data.gz")
    assert used.endswith("/data.gz")
    assert dest.read_bytes() == CONTENT


def test_plain_and_gzip_copies_of_same_content_are_both_accepted(file_server, tmp_path):
    file_server.files["/plain"] = CONTENT
    file_server.files["/recompressed.gz"] = gzip.compress(CONTENT, compresslevel=1, mtime=123)
    _fetch(tmp_path / "a", url=file_server.base_url + "/plain")
    _fetch(tmp_path / "b", url=file_server.base_url + "/recompressed.gz")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes() == CONTENT


def test_checksum_mismatch_fails_and_leaves_nothing(file_server, tmp_path):
    file_server.files["/data.gz"] = gzip.compress(CONTENT[:-1] + b"\x00")
    with pytest.raises(InputError) as err:
        _fetch(tmp_path / "data", url=file_server.base_url + "/data.gz")
    message = str(err.value)
    assert "sha256" in message and "data.gz" in message and "set the mirror" in message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_truncated_transfer_is_retried_then_rejected(file_server, tmp_path):
    file_server.files["/data.gz"] = gzip.compress(CONTENT)
    file_server.truncate.add("/data.gz")
    with pytest.raises(InputError, match="could not obtain data"):
        _fetch(tmp_path / "data", url=file_server.base_url + "/data.gz")
    assert file_server.requests.count("/data.gz") == FAST.attempts
    assert list(tmp_path.iterdir()) == []


def test_truncated_gzip_file_is_a_content_error(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    packed = gzip.compress(CONTENT)
    (mirror / "data.gz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match="truncated gzip"):
        _fetch(tmp_path / "data", mirror_files=[mirror / "data.gz"])
    assert not (tmp_path / "data").exists()
    assert [p.name for p in mirror.iterdir()] == ["data.gz"]  # the mirror is never touched


def test_404_is_not_retried(file_server, tmp_path):
    with pytest.raises(InputError, match="HTTP 404"):
        _fetch(tmp_path / "data", url=file_server.base_url + "/missing.gz")
    assert file_server.requests == ["/missing.gz"]


def test_transient_503_is_retried(file_server, tmp_path):
    file_server.files["/data.gz"] = gzip.compress(CONTENT)
    file_server.fail_first["/data.gz"] = 2
    _fetch(tmp_path / "data", url=file_server.base_url + "/data.gz")
    assert file_server.requests.count("/data.gz") == 3
    assert (tmp_path / "data").read_bytes() == CONTENT


def test_mirror_is_used_first(file_server, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "data").write_bytes(CONTENT)
    file_server.files["/data.gz"] = gzip.compress(CONTENT)
    used = _fetch(
        tmp_path / "data",
        url=file_server.base_url + "/data.gz",
        mirror_files=[mirror / "data.gz", mirror / "data"],
    )
    assert used == f"mirror {mirror / 'data'}"
    assert file_server.requests == []


def test_bad_mirror_copy_falls_back_to_url(file_server, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "data").write_bytes(b"stale")
    file_server.files["/data.gz"] = gzip.compress(CONTENT)
    used = _fetch(
        tmp_path / "data", url=file_server.base_url + "/data.gz", mirror_files=[mirror / "data"]
    )
    assert used.startswith("http://127.0.0.1")
    assert (tmp_path / "data").read_bytes() == CONTENT


def test_nothing_works_lists_everything_tried(tmp_path):
    with pytest.raises(InputError) as err:
        _fetch(
            tmp_path / "data",
            url="http://127.0.0.1:9/data.gz",  # discard port: connection refused
            mirror_files=[tmp_path / "nowhere" / "data.gz"],
            retry=RetryPolicy(attempts=2, backoff_s=0, timeout_s=2),
        )
    message = str(err.value)
    assert "not there" in message and "127.0.0.1:9" in message and "failed 2 times" in message
    assert "Fix: set the mirror" in message
    assert list(tmp_path.iterdir()) == []


def test_existing_output_survives_a_failed_refresh(file_server, tmp_path):
    dest = tmp_path / "data"
    dest.write_bytes(b"previous good file")
    with pytest.raises(InputError):
        _fetch(dest, url=file_server.base_url + "/missing.gz")
    assert dest.read_bytes() == b"previous good file"


def test_tried_list_names_each_mirror_once_in_the_order_tried(file_server, tmp_path):
    corrupt = tmp_path / "m1" / "data"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"not it")
    missing = tmp_path / "m2" / "data"
    file_server.files["/data"] = b"wrong too"
    url = file_server.base_url + "/data"
    with pytest.raises(InputError) as err:
        _fetch(tmp_path / "out" / "data", url=url, mirror_files=[corrupt, missing, corrupt])
    tried = str(err.value).split("tried ", 1)[1].split(". Fix:")[0].split("; ")
    assert [t.split(" (")[0] for t in tried] == [f"mirror {corrupt}", f"mirror {missing}", url]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_gives_the_offline_hint_not_the_spelling_one(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/cat.npy"
    kwargs = dict(url=url, check=expect_sha256(SHA), retry=FAST)
    with pytest.raises(InputError) as err:
        fetch_verified(
            tmp_path / "a", fix_hint="check the spelling", offline_hint="go online", **kwargs
        )
    assert str(err.value).endswith("Fix: go online")


def test_a_404_keeps_the_spelling_hint(file_server, tmp_path):
    url = file_server.base_url + "/no-such-category.npy"
    with pytest.raises(InputError) as err:
        fetch_verified(
            tmp_path / "a",
            url=url,
            check=expect_sha256(SHA),
            fix_hint="check the spelling",
            offline_hint="go online",
            retry=FAST,
        )
    assert "HTTP 404" in str(err.value) and str(err.value).endswith("Fix: check the spelling")


def test_quickdraw_offline_message_blames_the_network(tmp_path):
    from dsplaybook.data.quickdraw import download_category

    cfg = {"url": f"http://127.0.0.1:{_closed_port()}/", "mirror": ""}
    with pytest.raises(InputError) as err:
        download_category("The Eiffel Tower", tmp_path / "x.npy", cfg, FAST)
    assert "could not be reached" in str(err.value) and "quickdraw.source: synthetic" in str(
        err.value
    )
    assert "spelling" not in str(err.value)
