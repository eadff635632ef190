# Config validation, registries and helper functions. No rules here.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from dsplaybook.audit.aftershock_data import GRID_NAME
from dsplaybook.config import at_scale, check_semantics, load_schema, validate_config
from dsplaybook.dadc.simulate import STRATEGIES
from dsplaybook.data import fashion_mnist, folder, quickdraw
from dsplaybook.errors import ConfigError
from dsplaybook.learning.methods import METHODS
from dsplaybook.learning.cells import sweep_cells
from dsplaybook.represent.features import FEATURE_SETS, HANDMADE, LEARNED

SCHEMA = Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml"

# Snakemake deep-merges nested --config values into config.yaml's; for the pools that
# would keep the demo pool beside the user's, so a --config pools mapping replaces them.
_given = workflow.config_settings.config or {}  # the --config values alone
if isinstance(_given.get("lineups"), dict) and "pools" in _given["lineups"]:
    config["lineups"]["pools"] = _given["lineups"]["pools"]

try:
    validate_config(config, load_schema(SCHEMA))
    for warning in check_semantics(config):
        print(f"dsplaybook warning: {warning}", file=sys.stderr)
except ConfigError as err:
    # One line, no traceback: the message names the key and the fix.
    sys.exit(f"dsplaybook error: {err}")


def one_of(names):
    """A wildcard constraint matching exactly the given names (none: matches nothing;
    an empty constraint would match anything)."""
    return "|".join(names) or "(?!)"


# Wildcard vocabularies come from the library's registries, never from hand-written lists.
METHOD_NAMES = one_of(METHODS)
FEATURE_NAMES = one_of(FEATURE_SETS)
LEARNED_NAMES = one_of(LEARNED)
HANDMADE_NAMES = one_of(HANDMADE)
STRATEGY_NAMES = one_of(STRATEGIES)


# ---- datasets ---------------------------------------------------------------

QUICKDRAW_ID = quickdraw.dataset_name(config["quickdraw"]["source"])
FASHION_MNIST_FILES = fashion_mnist.FILES


FOLDER_DATASETS = {d["name"]: d for d in config["datasets"] if isinstance(d, dict)}
FOLDER_NAMES = one_of(FOLDER_DATASETS)


def builtin_dataset_ids():
    """fashion_mnist / quickdraw as named in results/ (quickdraw marked when synthetic)."""
    ids = [d for d in config["datasets"] if isinstance(d, str)]
    return [QUICKDRAW_ID if d == "quickdraw" else d for d in ids]


def dataset_ids():
    """Every image dataset as it appears in results/, your own folders included."""
    return builtin_dataset_ids() + list(FOLDER_DATASETS)


def human_labelled_ids():
    """Datasets whose pool labelling trains on the label store: every folder dataset,
    and fashion_mnist/quickdraw when labelling.source is human."""
    builtin = builtin_dataset_ids() if config["labelling"]["source"] == "human" else []
    return builtin + list(FOLDER_DATASETS)


def simulated_labelled_ids():
    return [d for d in builtin_dataset_ids() if d not in human_labelled_ids()]


def folder_settings(wildcards):
    """FolderSettings.from_config keys of one folder dataset."""
    return FOLDER_DATASETS[wildcards.folder]


def folder_images(wildcards):
    """Every image file of the folder: adding, changing or removing one rebuilds the set."""
    return [
        str(p) for p in folder.image_files(FOLDER_DATASETS[wildcards.folder]["path"])
    ]


def label_store(wildcards):
    """The dataset's SQLite store (annotations/), written by the app, never by a rule."""
    return f"{config['annotations']}/{wildcards.dataset}.sqlite"


def label_store_if_present(wildcards):
    """The store as an input once it exists, so new labels re-run what depends on them."""
    store = label_store(wildcards)
    return [store] if Path(store).exists() else []


def queue_settings():
    return config["labelling"]["queue"]


def queue_hyperparameters():
    return config["classifiers"][config["labelling"]["queue"]["method"]]


def queue_features_file(wildcards):
    return feature_file(wildcards.dataset, config["labelling"]["queue"]["features"])


def human_labelling_summary(wildcards):
    """The sweep's summary when the cell is 'best' (fashion_mnist/quickdraw only)."""
    if (
        config["labelling"]["features"] != "best"
        or wildcards.dataset in FOLDER_DATASETS
    ):
        return []
    return f"results/label_budget/{wildcards.dataset}/summary.csv"


def quickdraw_category_name(wildcards):
    """Map a resources/ file stem back to the configured category name (spaces kept)."""
    for category in config["quickdraw"]["categories"]:
        if quickdraw.category_filename(category) == f"{wildcards.category}.npy":
            return category
    raise WorkflowError(
        f"resources/quickdraw/*/{wildcards.category}.npy: not among quickdraw.categories; "
        "add the category to config.yaml"
    )


def quickdraw_category_files(wildcards):
    folder = "official" if config["quickdraw"]["source"] == "official" else "synthetic"
    return [
        f"resources/quickdraw/{folder}/{quickdraw.category_filename(c)}"
        for c in config["quickdraw"]["categories"]
    ]


def quickdraw_build_settings():
    """QuickDrawSettings.from_config keys: url and mirror only fetch files, so moving a
    mirror rebuilds nothing."""
    keys = ("source", "categories", "per_category", "test_fraction")
    return {k: config["quickdraw"][k] for k in keys}


def fashion_mnist_sha256(wildcards):
    return fashion_mnist.expected_sha256(
        wildcards.part, config["fashion_mnist"]["sha256"]
    )


def data_targets():
    ids = dataset_ids()
    return expand("results/data/{dataset}.h5", dataset=ids) + expand(
        "results/data/{dataset}_samples.png", dataset=ids
    )


# ---- lineups ----------------------------------------------------------------

POOL_KEYS = ("projection_column", "drop_injured", "injury_statuses")
LINEUP_KEYS = (
    "n_lineups max_overlap stack avoid_opposing_defense max_exposure max_per_team "
    "lock exclude mip_gap"
).split()


def _pool_entry(name):
    """A lineups.pools entry as {path, roster}: a plain path uses lineups.roster."""
    pools = config["lineups"]["pools"]
    if name not in pools:
        raise WorkflowError(
            f"results/lineups/{name}: no pool of that name; add it to lineups.pools"
        )
    entry = pools[name]
    if isinstance(entry, str):
        entry = {"path": entry}
    return {"roster": config["lineups"]["roster"], **entry}


def player_pool_csv(wildcards):
    """A configured export, or the generated demo pool when the path is empty."""
    return _pool_entry(wildcards.pool)["path"] or "resources/fantasy/demo_synthetic.csv"


def pool_roster(wildcards):
    """The pool's own roster, else lineups.roster (one run may mix sports)."""
    return _pool_entry(wildcards.pool)["roster"]


def lineup_pool_settings():
    """How the pool CSV is read and filtered (PoolSettings)."""
    return {k: config["lineups"][k] for k in POOL_KEYS}


def lineup_settings():
    """The rules every lineup obeys (LineupSettings)."""
    return {k: config["lineups"][k] for k in LINEUP_KEYS}


def lineup_targets():
    pools = list(config["lineups"]["pools"])
    return [
        "results/optimization/bookcases.json",
        "results/optimization/bookcases.png",
    ] + expand(
        "results/lineups/{pool}/{name}",
        pool=pools,
        name=[
            "lineups.csv",
            "exposure.csv",
            "summary.csv",
            "portfolio.csv",
            "score_distributions.png",
        ],
    )


# ---- representations and label budget ---------------------------------------


def training_gpus():
    """GPUs to request for training rules: none unless represent.gpu is on, because a
    gpu request makes sbatch fail on clusters without GPUs."""
    return 1 if config["represent"]["gpu"] else 0


def autoencoder_params():
    return {**config["represent"]["autoencoder"], "kind": "autoencoder"}


def vae2d_params():
    return {**config["represent"]["vae2d"], "latent": 2, "kind": "dense"}


def cvae_params():
    return {**config["represent"]["cvae"], "kind": "conv"}


def sslcnn_params():
    """represent.sslcnn with its represent.scale entry (the epochs) applied."""
    return at_scale(config["represent"]["sslcnn"], config["represent"]["scale"])


def reconstruction_models():
    """Networks with a decoder drawn in reconstructions.png: the dense autoencoder, and
    the conv VAE when the sweep uses it (otherwise it is trained only if DADC or the
    label queue asks for its features, and not drawn)."""
    uses_cvae = "cvae" in config["label_budget"]["features"]
    return ["autoencoder"] + (["cvae"] if uses_cvae else [])


def reconstruction_files(part):
    """Input function: the encoder or decoder file of every reconstruction model."""

    def files(wildcards):
        return [
            f"results/represent/{wildcards.dataset}/{model}_{part}.keras"
            for model in reconstruction_models()
        ]

    return files


def representation_model(wildcards):
    return (
        f"results/represent/{wildcards.dataset}/{FEATURE_SETS[wildcards.learned].model}"
    )


def feature_file(dataset, features):
    """The feature file (learned or hand-made) a rule reads; none for raw pixels."""
    if features == "raw":
        return []
    return f"results/represent/{dataset}/{features}_features.npz"


def sweep_features_file(wildcards):
    return feature_file(wildcards.dataset, wildcards.features)


def sweep_settings():
    """SweepSettings.from_config keys (the cell's method adds its hyperparameters)."""
    keys = ("budgets", "draws", "pool_size")
    return {k: config["label_budget"][k] for k in keys}


def labelling_settings():
    """LabellingSettings.from_config keys (the queue has its own rule)."""
    keys = ("budget", "features", "method", "source", "review_size")
    return {k: config["labelling"][k] for k in keys}


def method_hyperparameters(wildcards):
    """Only the cell's own method: changing another method's knobs reruns nothing here."""
    return config["classifiers"][wildcards.method]


def dataset_cells(dataset):
    """(features, method) cells of the dataset's sweep (label_budget.skip applied)."""
    lb = config["label_budget"]
    return sweep_cells(dataset, lb["features"], lb["methods"], lb["skip"])


def sweep_cell_files(wildcards):
    return [
        f"results/label_budget/{wildcards.dataset}/cells/{f}__{m}.csv"
        for f, m in dataset_cells(wildcards.dataset)
    ]


def labelling_feature_files(wildcards):
    """The named cell's feature file, or, when the sweep picks ('best'), that of every
    feature set with a cell for this dataset."""
    named = config["labelling"]["features"]
    swept = dict.fromkeys(f for f, _ in dataset_cells(wildcards.dataset))
    candidates = swept if named == "best" else [named]
    return [feature_file(wildcards.dataset, f) for f in candidates if f != "raw"]


def learning_targets():
    sweep = [
        "label_budget/{dataset}/sweep.csv",
        "label_budget/{dataset}/summary.csv",
        "label_budget/{dataset}/learning_curves.png",
        "label_budget/{dataset}/learning_curves.svg",
    ]
    represent = [
        "represent/{dataset}/reconstructions.png",
        "represent/{dataset}/latent_map.png",
    ]
    simulated = ["labels/{dataset}/labels.csv", "labels/{dataset}/coverage.png"]
    human = [
        "labels/{dataset}/queue.csv",
        "labels/{dataset}/labels.csv",
        "labels/{dataset}/review.csv",
    ]

    def files(names, ids):
        return expand([f"results/{name}" for name in names], dataset=ids)

    return (
        files(sweep + represent, builtin_dataset_ids())
        + files(represent, list(FOLDER_DATASETS))
        + files(simulated, simulated_labelled_ids())
        + files(human, human_labelled_ids())
    )


# ---- aftershock audit -------------------------------------------------------


def aftershock_grid_names():
    """File names in the configured split list (source: files), read at parse time."""
    from dsplaybook.audit.aftershock_data import read_split_list
    from dsplaybook.errors import InputError

    try:
        return list(read_split_list(config["aftershock"]["split_list"])["Name"])
    except (InputError, OSError) as err:
        sys.exit(f"dsplaybook error: aftershock.split_list: {err}")


def aftershock_inputs(wildcards):
    if config["aftershock"]["source"] == "synthetic":
        return {"grids": "resources/aftershock/synthetic"}
    return {
        "split_list": config["aftershock"]["split_list"],
        "grid_files": expand(
            "resources/aftershock/grids/{grid_file}", grid_file=aftershock_grid_names()
        ),
    }


def aftershock_targets():
    names = ["audit.md", "auc_table.csv", "roc.png", "train_vs_test.png"]
    return [f"results/aftershock/{name}" for name in names]


# ---- dynamic adversarial data collection ------------------------------------


def dadc_scale():
    """The configured scale (demo or full): rounds, round_budget, initial_labels, seeds."""
    return config["dadc"]["scales"][config["dadc"]["scale"]]


def dadc_loop_model():
    """Only the keys the chosen kind uses, so editing the other kind's knobs reruns nothing."""
    model = config["dadc"]["model"]
    if model["kind"] == "cnn":
        return {"kind": "cnn", "cnn": model["cnn"]}
    return {
        "kind": "classifier",
        "features": model["features"],
        "method": model["method"],
        "hyperparameters": config["classifiers"][model["method"]],
    }


def dadc_settings():
    """DadcSettings.from_config keys."""
    return {**dadc_scale(), "kmeans_sample": config["dadc"]["kmeans_sample"]}


def hard_test_reference():
    reference = config["dadc"]["hard_test"]
    return {**reference, "hyperparameters": config["classifiers"][reference["method"]]}


def dadc_model_features(wildcards):
    model = config["dadc"]["model"]
    features = "raw" if model["kind"] == "cnn" else model["features"]
    return feature_file(wildcards.dataset, features)


def dadc_reference_features(wildcards):
    return feature_file(wildcards.dataset, config["dadc"]["hard_test"]["features"])


def dadc_threads():
    """A CNN trains on two threads; a scikit-learn loop model on one (runs go in parallel)."""
    return 2 if config["dadc"]["model"]["kind"] == "cnn" else 1


def dadc_run_files(wildcards):
    return expand(
        "results/dadc/{dataset}/runs/{strategy}/seed{replicate}.csv",
        dataset=wildcards.dataset,
        strategy=config["dadc"]["strategies"],
        replicate=range(dadc_scale()["seeds"]),
    )


def dadc_targets():
    names = ["rounds.csv", "summary.csv", "summary.txt", "error_vs_labels.png"]
    simulated = expand(
        "results/dadc/{dataset}/{name}", dataset=builtin_dataset_ids(), name=names
    )
    return simulated + (human_round_targets() if human_round_numbers() else [])


# ---- adversarial drawing rounds with people ---------------------------------


def human_dataset_id():
    name = config["dadc"]["human"]["dataset"]
    return QUICKDRAW_ID if name == "quickdraw" else name


def human_store():
    """The drawings: a store made by a script (dadc.human.drawings) or the app's."""
    given = config["dadc"]["human"]["drawings"]
    return given or f"{config['annotations']}/{human_dataset_id()}.sqlite"


def human_round_numbers():
    """Rounds that hold drawings, read from the store when the workflow starts."""
    from dsplaybook.dadc.human import DrawingStore
    from dsplaybook.errors import InputError

    if not Path(human_store()).exists():
        return []
    try:
        drawings = DrawingStore(human_store()).drawings()
    except InputError as err:
        sys.exit(f"dsplaybook error: dadc.human: {err}")
    return sorted(set(drawings["round"].astype(int)))


def human_round_targets():
    folder = f"results/dadc/{human_dataset_id()}/human"
    return expand(f"{folder}/round_{{k}}.h5", k=human_round_numbers()) + [
        f"{folder}/rounds.csv",
        f"{folder}/rounds.png",
    ]


def human_round_files(wildcards):
    return expand(
        "results/dadc/{dataset}/human/round_{k}.h5",
        dataset=wildcards.dataset,
        k=human_round_numbers(),
    )


def human_settings():
    """HumanRoundSettings.from_config keys."""
    return config["dadc"]["human"]


def human_hyperparameters():
    return config["classifiers"][config["dadc"]["human"]["method"]]


def all_targets():
    """Targets of the branches listed in config `branches`."""
    per_branch = {
        "data": data_targets,
        "lineups": lineup_targets,
        "label_budget": learning_targets,
        "aftershock": aftershock_targets,
        "dadc": dadc_targets,
    }
    return [t for branch in config["branches"] for t in per_branch[branch]()]
