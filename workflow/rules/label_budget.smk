# Label-budget branch (library: dsplaybook.learning): the sweep, one job per
# (dataset, features, method) cell, then aggregate, learning curves, and labelling of
# the whole unlabelled pool (results/labels/), from the sweep or from people.
from dsplaybook.learning.cells import sweep_cells
from dsplaybook.learning.pool_labelling import PoolLabelling
from dsplaybook.learning.sweep import SweepDraws

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


def sweep_features_file(wildcards):
    return feature_file(wildcards.dataset, wildcards.features)


def method_hyperparameters(wildcards):
    """Only the cell's own method: changing another method's knobs reruns nothing here."""
    return hyperparameters(wildcards.method)


def dataset_cells(dataset):
    """(features, method) cells of the dataset's sweep (label_budget.skip applied)."""
    lb = SETTINGS.label_budget
    return sweep_cells(dataset, lb.features, lb.methods, lb.skip)


def sweep_cell_files(wildcards):
    return [
        f"results/label_budget/{wildcards.dataset}/cells/{f}__{m}.csv"
        for f, m in dataset_cells(wildcards.dataset)
    ]


def labelling_feature_files(wildcards):
    """The named cell's feature file, or, when the sweep picks ('best'), that of every
    feature set with a cell for this dataset."""
    named = SETTINGS.labelling.features
    swept = dict.fromkeys(f for f, _ in dataset_cells(wildcards.dataset))
    candidates = swept if named == "best" else [named]
    return [feature_file(wildcards.dataset, f) for f in candidates if f != "raw"]


def label_budget_targets():
    sweep = ["sweep.csv", "summary.csv", "learning_curves.png", "learning_curves.svg"]
    represent = ["reconstructions.png", "latent_map.png"]
    simulated = ["labels.csv", "coverage.png"]
    human = ["queue.csv", "labels.csv", "review.csv"]

    def files(folder, names, ids):
        return expand(f"results/{folder}/{{dataset}}/{{name}}", dataset=ids, name=names)

    return (
        files("label_budget", sweep, BUILTIN_IDS)
        + files("represent", represent, SETTINGS.dataset_ids())
        + files("labels", simulated, SETTINGS.simulated_labelled_ids())
        + files("labels", human, SETTINGS.human_labelled_ids())
    )


wildcard_constraints:
    method=METHOD_NAMES,


rule run_sweep_cell:
    input:
        h5="results/data/{dataset}.h5",
        features=sweep_features_file,
    output:
        cell="results/label_budget/{dataset}/cells/{features}__{method}.csv",
    log:
        "logs/label_budget/run_sweep_cell/{dataset}/{features}__{method}.log",
    benchmark:
        "benchmarks/label_budget/run_sweep_cell/{dataset}/{features}__{method}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=6000,
        runtime=120,
    params:
        sweep=SWEEP,
        hyperparameters=method_hyperparameters,
        seed=config["seed"],
    script:
        "../scripts/run_sweep_cell.py"


rule aggregate_sweep:
    input:
        cells=sweep_cell_files,
    output:
        sweep="results/label_budget/{dataset}/sweep.csv",
        fit_times="results/label_budget/{dataset}/fit_times.csv",
        summary="results/label_budget/{dataset}/summary.csv",
    log:
        "logs/label_budget/aggregate_sweep/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        accuracy_goal=config["label_budget"]["accuracy_goal"],
    script:
        "../scripts/aggregate_sweep.py"


rule plot_learning_curves:
    input:
        summary="results/label_budget/{dataset}/summary.csv",
    output:
        png=report(
            "results/label_budget/{dataset}/learning_curves.png",
            caption="../report/learning_curves.rst",
            category="label_budget",
            subcategory="{dataset}",
        ),
        svg="results/label_budget/{dataset}/learning_curves.svg",
    log:
        "logs/label_budget/plot_learning_curves/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plot_learning_curves.py"


rule label_pool:
    input:
        h5="results/data/{dataset}.h5",
        summary="results/label_budget/{dataset}/summary.csv",
        features=labelling_feature_files,
    output:
        labels="results/labels/{dataset}/labels.csv",
        coverage="results/labels/{dataset}/coverage.csv",
        plot=report(
            "results/labels/{dataset}/coverage.png",
            caption="../report/coverage.rst",
            category="label_budget",
            subcategory="{dataset}",
        ),
    log:
        "logs/labels/label_pool/{dataset}.log",
    benchmark:
        "benchmarks/labels/label_pool/{dataset}.tsv"
    wildcard_constraints:
        dataset=one_of(SETTINGS.simulated_labelled_ids()),
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=6000,
        runtime=60,
    params:
        labelling=LABELLING,
        sweep=SWEEP,
        classifiers=config["classifiers"],
        seed=config["seed"],
    script:
        "../scripts/label_pool.py"


rule export_human_labels:
    input:
        h5="results/data/{dataset}.h5",
        store=label_store_if_present,
    output:
        labels="results/labels/{dataset}/human_labels.csv",
    log:
        "logs/labels/export_human_labels/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        store=label_store,
    script:
        "../scripts/export_human_labels.py"


rule select_images_to_label:
    input:
        h5="results/data/{dataset}.h5",
        features=queue_features_file,
        human="results/labels/{dataset}/human_labels.csv",
    output:
        queue="results/labels/{dataset}/queue.csv",
    log:
        "logs/labels/select_images_to_label/{dataset}.log",
    benchmark:
        "benchmarks/labels/select_images_to_label/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=15,
    params:
        queue=config["labelling"]["queue"],
        hyperparameters=hyperparameters(SETTINGS.labelling.queue.method),
        seed=config["seed"],
    script:
        "../scripts/select_images_to_label.py"


rule label_pool_from_people:
    input:
        h5="results/data/{dataset}.h5",
        human="results/labels/{dataset}/human_labels.csv",
        summary=human_labelling_summary,
        features=labelling_feature_files,
    output:
        labels="results/labels/{dataset}/labels.csv",
        review="results/labels/{dataset}/review.csv",
    log:
        "logs/labels/label_pool_from_people/{dataset}.log",
    benchmark:
        "benchmarks/labels/label_pool_from_people/{dataset}.tsv"
    wildcard_constraints:
        dataset=one_of(SETTINGS.human_labelled_ids()),
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=6000,
        runtime=60,
    params:
        labelling=LABELLING,
        sweep=SWEEP,
        classifiers=config["classifiers"],
        seed=config["seed"],
    script:
        "../scripts/label_pool.py"
