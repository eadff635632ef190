# Label-budget branch (library: dsplaybook.label_budget): which images are labelled
# (one job per selection), the sweep (one job per (dataset, selection, features, method)
# cell), then aggregate, learning curves, and labelling of the whole unlabelled pool
# (results/label_budget/), from the sweep or from people.


wildcard_constraints:
    method=METHOD_NAMES,
    selection=SELECTION_NAMES,


rule select_labels:
    input:
        h5="results/data/{dataset}.h5",
        features=selection_features_file,
    output:
        selected="results/label_budget/{dataset}/selected/{selection}.csv",
    log:
        "logs/label_budget/select_labels/{dataset}/{selection}.log",
    benchmark:
        "benchmarks/label_budget/select_labels/{dataset}/{selection}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        budgets=dataset_budgets,
        draws=config["label_budget"]["draws"],
        selection=selection_settings,
        hyperparameters=selection_hyperparameters,
        seed=config["seed"],
    script:
        "../scripts/select_labels.py"


rule run_sweep_cell:
    input:
        h5="results/data/{dataset}.h5",
        features=sweep_features_file,
        selected="results/label_budget/{dataset}/selected/{selection}.csv",
    output:
        cell="results/label_budget/{dataset}/cells/{selection}/{features}__{method}.csv",
    log:
        "logs/label_budget/run_sweep_cell/{dataset}/{selection}/{features}__{method}.log",
    benchmark:
        "benchmarks/label_budget/run_sweep_cell/{dataset}/{selection}/{features}__{method}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=6000,
        runtime=120,
    params:
        sweep=sweep_settings,
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
        labels_needed="results/label_budget/{dataset}/labels_needed.csv",
    log:
        "logs/label_budget/aggregate_sweep/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        goals=config["label_budget"]["accuracy_goals"],
        metric=dataset_metric,
        reference_shares=reference_shares,
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
        selections=report(
            "results/label_budget/{dataset}/selections.png",
            caption="../report/selections.rst",
            category="label_budget",
            subcategory="{dataset}",
        ),
    log:
        "logs/label_budget/plot_learning_curves/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        metric=dataset_metric,
    script:
        "../scripts/plot_learning_curves.py"


rule label_pool:
    input:
        h5="results/data/{dataset}.h5",
        summary="results/label_budget/{dataset}/summary.csv",
        features=labelling_feature_files,
    output:
        labels="results/label_budget/{dataset}/labels.csv",
        coverage="results/label_budget/{dataset}/coverage.csv",
        plot=report(
            "results/label_budget/{dataset}/coverage.png",
            caption="../report/coverage.rst",
            category="label_budget",
            subcategory="{dataset}",
        ),
    log:
        "logs/label_budget/label_pool/{dataset}.log",
    benchmark:
        "benchmarks/label_budget/label_pool/{dataset}.tsv"
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
        metric=dataset_metric,
        seed=config["seed"],
    script:
        "../scripts/label_pool.py"


rule export_human_labels:
    input:
        h5="results/data/{dataset}.h5",
        store=label_store_if_present,
    output:
        labels="results/label_budget/{dataset}/human_labels.csv",
        agreement="results/label_budget/{dataset}/agreement.csv",
    log:
        "logs/label_budget/export_human_labels/{dataset}.log",
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
        human="results/label_budget/{dataset}/human_labels.csv",
    output:
        queue=str(queue_file("{dataset}")),
    log:
        "logs/label_budget/select_images_to_label/{dataset}.log",
    benchmark:
        "benchmarks/label_budget/select_images_to_label/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=15,
    params:
        queue=config["labelling"]["queue"],
        selection=SelectionSettings.pick(SETTINGS.label_budget.selection),
        hyperparameters=hyperparameters(SETTINGS.labelling.queue.method),
        seed=config["seed"],
    script:
        "../scripts/select_images_to_label.py"


rule label_pool_from_people:
    input:
        h5="results/data/{dataset}.h5",
        human="results/label_budget/{dataset}/human_labels.csv",
        summary=human_labelling_summary,
        features=labelling_feature_files,
    output:
        labels="results/label_budget/{dataset}/labels.csv",
        review="results/label_budget/{dataset}/review.csv",
    log:
        "logs/label_budget/label_pool_from_people/{dataset}.log",
    benchmark:
        "benchmarks/label_budget/label_pool_from_people/{dataset}.tsv"
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
        metric=dataset_metric,
        seed=config["seed"],
    script:
        "../scripts/label_pool.py"


rule final_labels:
    input:
        h5="results/data/{dataset}.h5",
        human="results/label_budget/{dataset}/human_labels.csv",
        labels="results/label_budget/{dataset}/labels.csv",
        review="results/label_budget/{dataset}/review.csv",
    output:
        final="results/label_budget/{dataset}/final_labels.csv",
    log:
        "logs/label_budget/final_labels/{dataset}.log",
    benchmark:
        "benchmarks/label_budget/final_labels/{dataset}.tsv"
    wildcard_constraints:
        dataset=one_of(SETTINGS.human_labelled_ids()),
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/final_labels.py"
