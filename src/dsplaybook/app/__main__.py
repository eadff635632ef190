"""`python -m dsplaybook.app --dataset NAME`: serve the label page (see `make app`)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from pathlib import Path

import yaml

from dsplaybook.app.http import STORE_BUSY_MS
from dsplaybook.app.security import allowed_hosts
from dsplaybook.app.server import create_app
from dsplaybook.app.serving import check_port, serve
from dsplaybook.data.datasets import dataset_file, read_mnist_style
from dsplaybook.errors import InputError
from dsplaybook.labelling.queue import queue_file
from dsplaybook.labelling.settings import PoolLabelling
from dsplaybook.sessions.drawing import DrawingSession
from dsplaybook.sessions.labelling import LabelSession, load_queue
from dsplaybook.settings import Config, load_config
from dsplaybook.store import LabelStore

PASSWORD_VARIABLE = "DSPLAYBOOK_APP_PASSWORD"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def session_from_config(config: Config, name: str, results: Path = Path("results")) -> LabelSession:
    name = config.dataset_id(name)
    h5, queue = dataset_file(name, results), queue_file(name, results)
    for path in (h5, queue):
        if not path.exists():
            raise InputError(
                f"{path}: not built yet; run `snakemake --cores 2 {queue}` first "
                f"(`make app DATASET={name}` does)"
            )
    data = read_mnist_style(h5)
    folders = config.folder_datasets
    folder = Path(folders[name].path) if name in folders else None
    store = LabelStore(
        Path(config.annotations) / f"{name}.sqlite",
        busy_ms=STORE_BUSY_MS,
        classes=data.class_names,
    )
    queue_rows = load_queue(queue, len(data.x_train))
    return LabelSession(
        name,
        data,
        queue_rows,
        store,
        folder,
        live_ranking(config, name, data),
        review_size=config.labelling.review_size,
        overlap=config.labelling.overlap,
        seed=config.seed,
    )


def page_features(config: Config, name: str, results: Path = Path("results")) -> list[Path]:
    """The feature files the label page's model reads: the queue's and every candidate's
    (``labelling.candidates``: it chooses among them as the workflow does)."""
    from dsplaybook.represent.features import feature_path

    wanted = dict.fromkeys(
        [config.labelling.queue.features, *(c.features for c in config.labelling.candidates)]
    )
    found = (feature_path(name, f, results) for f in wanted)
    return [path for path in found if path is not None]


def live_ranking(config: Config, name: str, data, results: Path = Path("results")):
    """The model in the loop: the workflow's choice among the candidates, on their
    features (built before the page starts, with the queue)."""
    from dsplaybook.label_budget.selection import SelectionSettings
    from dsplaybook.labelling.live import LiveRanking
    from dsplaybook.labelling.pool_labelling import LabellingSettings
    from dsplaybook.labelling.queue import QueueSettings
    from dsplaybook.represent.features import feature_path, train_test_matrices

    every, labelling = config.labelling.retrain_every, config.labelling
    queue = labelling.queue
    if not every:
        return None
    wanted = dict.fromkeys([queue.features, *(c.features for c in labelling.candidates)])
    matrices = {f: train_test_matrices(data, feature_path(name, f, results))[0] for f in wanted}
    settings = QueueSettings.from_config(
        queue.to_data(),
        seed=config.seed,
        hyperparameters=getattr(config.classifiers, queue.method).to_data(),
        selection=SelectionSettings.pick(config.label_budget.selection),
    )
    choice = LabellingSettings.from_config(
        PoolLabelling.pick(labelling),
        pool_size=config.label_budget.pool_size,
        classifiers=config.classifiers.to_data(),
        seed=config.seed,
    )
    n_classes = len(data.class_names)
    return LiveRanking(matrices, n_classes, settings, every, dict, labelling.precision, choice)


def drawing_from_config(config: Config, results: Path = Path("results")) -> DrawingSession | None:
    """The drawing page's session, once the dataset people draw for is built."""
    from dsplaybook.dadc.drawing_store import DrawingStore
    from dsplaybook.dadc.drawings import drawing_extent
    from dsplaybook.dadc.round_model import HumanRoundSettings
    from dsplaybook.sessions.drawing import DrawingRounds

    human = config.dadc.human
    name = config.dataset_id(human.dataset)
    h5 = dataset_file(name, results)
    if not h5.exists():
        return None
    data = read_mnist_style(h5)
    settings = HumanRoundSettings.from_config(
        human,
        seed=config.seed,
        hyperparameters=getattr(config.classifiers, human.method).to_data(),
    )
    annotations = Path(config.annotations)
    store = DrawingStore(annotations / f"{name}.sqlite", busy_ms=STORE_BUSY_MS)
    rounds = DrawingRounds(data, store, annotations / f"{name}.models", settings)
    return DrawingSession(name, rounds, drawing_extent(data))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dsplaybook.app", description=__doc__)
    parser.add_argument("--dataset", help="a dataset of config `datasets` (the label page's)")
    parser.add_argument(
        "--draw-only",
        action="store_true",
        help="serve the drawing page alone (dadc.human.dataset): no label queue is built",
    )
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--host", help="default: config app.host (127.0.0.1)")
    parser.add_argument("--port", type=int, help="default: config app.port (7860)")
    parser.add_argument(
        "--password",
        default=os.environ.get(PASSWORD_VARIABLE),
        help=f"required to listen beyond loopback (or set {PASSWORD_VARIABLE})",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        help="another host name the page answers to (repeatable; adds to app.allowed_hosts)",
    )
    parser.add_argument(
        "--queue-path",
        action="store_true",
        help="print the queue file the page needs, and exit (the drawing page is served when "
        "its dataset is built: make app DATASET=<dadc.human.dataset> builds it)",
    )
    parser.add_argument(
        "--check-port", action="store_true", help="fail, naming who holds it, if the port is taken"
    )
    args = parser.parse_args(argv)
    try:
        with open(args.config, encoding="utf-8") as fh:
            config = load_config(yaml.safe_load(fh), args.config)
        known = [d if isinstance(d, str) else d.name for d in config.datasets]
        if args.dataset is None and not args.draw_only:
            raise InputError("app: give --dataset NAME (the label page's) or --draw-only")
        if args.dataset is not None and args.dataset not in known:
            raise InputError(
                f"app: dataset {args.dataset!r} is not in config datasets {known}; add it there"
            )
        if args.dataset in config.table_datasets:
            raise InputError(
                f"app: dataset {args.dataset!r} is a table and the label page shows images; "
                f"its rows are labelled in results/label_budget/{args.dataset}/labels.csv "
                "(docs/tables.md)"
            )
        host = args.host or config.app.host
        port = args.port or config.app.port
        if args.check_port:  # `make app` asks before it builds or rewrites anything
            check_port(host, port)
            return
        if args.queue_path and args.draw_only:  # the drawing page's dataset alone
            print(dataset_file(config.dataset_id(config.dadc.human.dataset)))
            return
        if args.queue_path:  # what `make app` builds first: only what this page needs
            name = config.dataset_id(args.dataset)
            print(" ".join(map(str, [queue_file(name), *page_features(config, name)])))
            return
        if not is_loopback(host) and not args.password:
            raise InputError(
                f"app: host {host} is reachable from other machines; give --password "
                f"(or {PASSWORD_VARIABLE}) or use 127.0.0.1"
            )
        check_port(host, port)
        session = None
        if not args.draw_only:
            session = session_from_config(config, args.dataset)
            session.refresh()  # every stored row read once now, not by the first request
            session.learn()  # a folder's labels (or a store's) give a model before any click
        drawing = drawing_from_config(config)
        if drawing is None and args.draw_only:
            h5 = dataset_file(config.dataset_id(config.dadc.human.dataset))
            raise InputError(f"{h5}: not built yet; `make draw` builds it")
    except (InputError, OSError) as err:
        sys.exit(f"dsplaybook error: {err}")
    hosts = allowed_hosts(host, (*config.app.allowed_hosts, *args.allowed_host))
    logging.basicConfig(format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("dsplaybook").setLevel(logging.INFO)  # retrains and rounds
    if session is not None:
        print(f"dsplaybook: label page for {session.name} on http://{host}:{port}/", flush=True)
    if drawing:
        print(f"dsplaybook: drawing page for {drawing.name} on http://{host}:{port}/draw")
    if not is_loopback(host):  # reached by a name the server cannot guess: say which it takes
        print(f"dsplaybook: answering to host names {', '.join(hosts)} (add one: --allowed-host)")
    serve(create_app(session, args.password, drawing, hosts), host, port)


if __name__ == "__main__":
    main()
