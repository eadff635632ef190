# Input functions, params and targets of the label_budget branch (its rules: ../label_budget.smk).
from dsplaybook.label_budget.cells import selection_cells
from dsplaybook.label_budget.selection import SelectionSettings, selection_keys
from dsplaybook.label_budget.settings import SweepDraws
from dsplaybook.labelling.queue import queue_file
from dsplaybook.labelling.settings import PoolLabelling

SWEEP = SweepDraws.pick(SETTINGS.label_budget)  # what a cell reads of label_budget
LABELLING = PoolLabelling.pick(SETTINGS.labelling)  # the queue has its own rule


def label_store(wildcards):
    """The dataset's SQLite store (annotations/), written by the app, never by a rule."""
    return f"{SETTINGS.annotations}/{wildcards.dataset}.sqlite"


def label_store_if_present(wildcards):
    """The store as an input once it exists, so new labels re-run what depends on them."""
    store = label_store(wildcards)
    return [store] if Path(store).exists() else []


def queue_features_file(wildcards):
    return feature_file(wildcards.dataset, SETTINGS.labelling.queue.features)


def human_labelling_summary(wildcards):
    """The sweep's summary when the cell is 'best' (fashion_mnist/quickdraw only)."""
    if SETTINGS.labelling.features != "best" or wildcards.dataset in FOLDER_DATASETS:
        return []
    return f"results/label_budget/{wildcards.dataset}/summary.csv"


def table_sweep(dataset):
    """A table's own sweep block (None for an image set)."""
    table = TABLE_DATASETS.get(dataset)
    return table.sweep if table else None


def dataset_budgets(wildcards):
    table = table_sweep(wildcards.dataset)
    return list(table.budgets) if table else config["label_budget"]["budgets"]


def selection_settings(wildcards):
    """The label_budget.selection keys this selection reads (changing another re-runs none
    of its cells), measuring in the table's selection_features for a table."""
    table = table_sweep(wildcards.dataset)
    selection = config["label_budget"]["selection"]
    if table:
        selection = {**selection, "features": table.selection_features}
    keys = selection_keys(wildcards.selection, selection["seed_selection"])
    return {key: selection[key] for key in keys}


def sweep_settings(wildcards):
    """What a cell reads: the draws, a table's budgets, its recall precision, and the
    all-labels fit (random selection of a table only)."""
    table = table_sweep(wildcards.dataset)
    if not table:
        return SWEEP
    return {
        **SWEEP,
        "budgets": list(table.budgets),
        "precision": table.precision,
        "all_labels": table.all_labels and wildcards.selection == "random",
    }


def dataset_metric(wildcards):
    table = table_sweep(wildcards.dataset)
    return table.metric if table else "accuracy"


def reference_shares(wildcards):
    table = table_sweep(wildcards.dataset)
    return list(table.reference_shares) if table and table.all_labels else []


def selection_features_file(wildcards):
    """random needs no features (its draws depend on the seed alone)."""
    if not SELECTIONS[wildcards.selection].measures:
        return []
    table = table_sweep(wildcards.dataset)
    features = (
        table.selection_features if table else SETTINGS.label_budget.selection.features
    )
    return feature_file(wildcards.dataset, features)


def selection_hyperparameters(wildcards):
    """uncertainty's model's block only (the other selections train no model)."""
    if wildcards.selection != "uncertainty":
        return {}
    return hyperparameters(SETTINGS.label_budget.selection.method)


def sweep_features_file(wildcards):
    return feature_file(wildcards.dataset, wildcards.features)


def method_hyperparameters(wildcards):
    """Only the cell's own method: changing another method's knobs reruns nothing here."""
    return hyperparameters(wildcards.method)


def dataset_cells(dataset):
    """(selection, features, method) cells of the dataset's sweep (label_budget.skip and
    selection_cells applied)."""
    lb, table = SETTINGS.label_budget, table_sweep(dataset)
    features, cells = (
        (table.features, table.selection_cells)
        if table
        else (lb.features, lb.selection_cells)
    )
    return selection_cells(dataset, lb.selections, features, lb.methods, lb.skip, cells)


def sweep_cell_files(wildcards):
    return [
        f"results/label_budget/{wildcards.dataset}/cells/{s}/{f}__{m}.csv"
        for s, f, m in dataset_cells(wildcards.dataset)
    ]


def labelling_feature_files(wildcards):
    """The named cell's feature file; when the sweep picks ('best'), that of every
    feature set with a cell for this dataset; when cross-validation picks ('auto', or
    'best' without a sweep), every candidate's."""
    named = SETTINGS.labelling.features
    swept = dict.fromkeys(f for _, f, _ in dataset_cells(wildcards.dataset))
    by_cross_validation = named == "auto" or (named == "best" and not swept)
    if by_cross_validation:  # the candidates' features (model_choice)
        candidates = dict.fromkeys(c.features for c in SETTINGS.labelling.candidates)
    else:
        candidates = swept if named == "best" else [named]
    return [feature_file(wildcards.dataset, f) for f in candidates if f != "raw"]


def label_budget_targets():
    sweep = [
        "sweep.csv",
        "summary.csv",
        "labels_needed.csv",
        "learning_curves.png",
        "learning_curves.svg",
        "selections.png",
    ]
    represent = ["reconstructions.png", "latent_map.png"]
    simulated = ["labels.csv", "coverage.png"]
    human = [
        "queue.csv",
        "labels.csv",
        "review.csv",
        "final_labels.csv",
        "agreement.csv",
    ]

    def files(folder, names, ids):
        return expand(f"results/{folder}/{{dataset}}/{{name}}", dataset=ids, name=names)

    return (
        files("label_budget", sweep, BUILTIN_IDS + list(TABLE_DATASETS))
        + files("represent", represent, SETTINGS.dataset_ids())
        + files("label_budget", simulated, SETTINGS.simulated_labelled_ids())
        + files("label_budget", human, SETTINGS.human_labelled_ids())
    )
