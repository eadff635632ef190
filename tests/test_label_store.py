"""The label store: append-only SQLite, undo as a row, nothing lost to concurrent writers."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from dsplaybook import store as store_module
from dsplaybook.errors import InputError
from dsplaybook.labelling.disputes import COLUMNS, people_labels_table
from dsplaybook.store import LabelStore


def test_rows_are_only_ever_added_and_undo_cancels_the_sessions_last(tmp_path):
    store = LabelStore(tmp_path / "a" / "set.sqlite")
    store.label(5, 1, "tab1")
    store.label(6, 2, "tab1")
    store.label(7, 0, "tab2")
    undone = store.undo("tab1")
    assert (undone.image, undone.label) == (6, 2)
    assert {i: e.label for i, e in store.current_labels().items()} == {5: 1, 7: 0}
    store.undo("tab1")  # then the one before
    assert set(store.current_labels()) == {7}
    assert [e.action for e in store.events()] == ["label"] * 3 + ["undo"] * 2
    assert store.undo("nobody") is None
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_skips_are_per_session_and_undoable(tmp_path):
    store = LabelStore(tmp_path / "s.sqlite")
    store.skip(3, "a")
    assert store.skipped_by("a") == {3} and store.skipped_by("b") == set()
    store.undo("a")
    assert store.skipped_by("a") == set()


def test_twenty_threads_writing_at_once_lose_nothing(tmp_path):
    store = LabelStore(tmp_path / "c.sqlite")

    def work(k):
        for j in range(10):
            store.label(k * 100 + j, j % 3, f"tab{k}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.events()) == 200 and len(store.current_labels()) == 200


def test_export_applies_undos_and_names_classes(tmp_path):
    store = LabelStore(tmp_path / "e.sqlite")
    store.label(1, 0, "x")
    store.label(1, 1, "x")  # relabelled: the latest counts
    store.label(2, 1, "y")
    store.undo("y")
    table = people_labels_table(store, ("cat", "dog"), ())
    assert table[["image_index", "label", "class_name"]].values.tolist() == [[1, 1, "dog"]]
    empty = people_labels_table(LabelStore(tmp_path / "none.sqlite"), ("a",), ())
    assert empty.empty and list(empty.columns) == list(COLUMNS)
    store.name_session("x", "Ann")  # a tab that said who it is
    assert people_labels_table(store, ("cat", "dog"), ())["annotator"].tolist() == ["Ann"]


def test_corrupt_database_is_one_line_and_is_not_overwritten(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError) as err:
        LabelStore(path).label(1, 1, "x")
    assert "not a readable SQLite database" in str(err.value) and "\n" not in str(err.value)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_locked_database_is_one_line_and_writes_no_row(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_MS", 200)
    store = LabelStore(tmp_path / "l.sqlite")
    store.label(1, 1, "x")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(InputError, match="locked by another program"):
            store.label(2, 1, "x")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [e.image for e in store.events()] == [1]
