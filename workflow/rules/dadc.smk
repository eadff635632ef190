# DADC branch (library: dsplaybook.dadc): dynamic adversarial data collection vs
# standard collection and active learning: a hard test subset, one job per
# (strategy, seed) run, then aggregate and plot; and drawing rounds with people.


wildcard_constraints:
    strategy=STRATEGY_NAMES,
    replicate="[0-9]+",


rule build_hard_test_set:
    input:
        h5="results/data/{dataset}.h5",
        features=dadc_reference_features,
    output:
        table="results/dadc/{dataset}/hard_test.csv",
    log:
        "logs/dadc/build_hard_test_set/{dataset}.log",
    benchmark:
        "benchmarks/dadc/build_hard_test_set/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=6000,
        runtime=30,
    params:
        reference=hard_test_reference(),
        seed=config["seed"],
    script:
        "../scripts/build_hard_test_set.py"


rule simulate_dadc:
    input:
        h5="results/data/{dataset}.h5",
        features=dadc_model_features,
        hard="results/dadc/{dataset}/hard_test.csv",
    output:
        rounds="results/dadc/{dataset}/runs/{strategy}/seed{replicate}.csv",
        picks="results/dadc/{dataset}/picks/{strategy}/seed{replicate}.csv",
    log:
        "logs/dadc/simulate_dadc/{dataset}/{strategy}_seed{replicate}.log",
    benchmark:
        "benchmarks/dadc/simulate_dadc/{dataset}/{strategy}_seed{replicate}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: dadc_threads()
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        settings=SETTINGS.dadc.run_settings(),
        model=SETTINGS.dadc.loop_model(SETTINGS.classifiers),
        seed=config["seed"],
    script:
        "../scripts/simulate_dadc.py"


rule aggregate_dadc:
    input:
        runs=dadc_run_files,
    output:
        rounds="results/dadc/{dataset}/rounds.csv",
        summary="results/dadc/{dataset}/summary.csv",
        line="results/dadc/{dataset}/summary.txt",
    log:
        "logs/dadc/aggregate_dadc/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/aggregate_dadc.py"


rule plot_dadc:
    input:
        rounds="results/dadc/{dataset}/rounds.csv",
    output:
        png=report(
            "results/dadc/{dataset}/error_vs_labels.png",
            caption="../report/dadc.rst",
            category="dadc",
            subcategory="{dataset}",
        ),
    log:
        "logs/dadc/plot_dadc/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/plot_dadc.py"


rule export_drawing_round:
    input:
        h5="results/data/{dataset}.h5",
        store=human_store(),
    output:
        h5="results/dadc/{dataset}/human/round_{k}.h5",
    log:
        "logs/dadc/export_drawing_round/{dataset}/round_{k}.log",
    wildcard_constraints:
        dataset=HUMAN_DATASET,
        k="[0-9]+",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/export_drawing_round.py"


rule evaluate_human_rounds:
    input:
        h5="results/data/{dataset}.h5",
        hard="results/dadc/{dataset}/hard_test.csv",
        store=human_store(),
        rounds=human_round_files,
    output:
        rounds="results/dadc/{dataset}/human/rounds.csv",
        plot=report(
            "results/dadc/{dataset}/human/rounds.png",
            caption="../report/dadc_human.rst",
            category="dadc",
            subcategory="{dataset}",
        ),
    log:
        "logs/dadc/evaluate_human_rounds/{dataset}.log",
    benchmark:
        "benchmarks/dadc/evaluate_human_rounds/{dataset}.tsv"
    wildcard_constraints:
        dataset=HUMAN_DATASET,
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        human=config["dadc"]["human"],
        hyperparameters=hyperparameters(SETTINGS.dadc.human.method),
        seed=config["seed"],
    script:
        "../scripts/evaluate_human_rounds.py"


rule simulate_drawing_players:
    input:
        strokes=quickdraw_category_files,
    output:
        rounds="results/dadc/{dataset}/players/seed{replicate}.csv",
    log:
        "logs/dadc/simulate_drawing_players/{dataset}/seed{replicate}.log",
    benchmark:
        "benchmarks/dadc/simulate_drawing_players/{dataset}/seed{replicate}.tsv"
    wildcard_constraints:
        dataset=HUMAN_DATASET,
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    params:
        study=SETTINGS.dadc.players.to_data(),
        round_model=player_round_model(),
        hyperparameters=player_hyperparameters(),
        recognized_only=SETTINGS.quickdraw.recognized_only,
        seed=config["seed"],
    script:
        "../scripts/simulate_drawing_players.py"


rule aggregate_drawing_players:
    input:
        runs=player_run_files,
    output:
        rounds="results/dadc/{dataset}/players/rounds.csv",
        summary="results/dadc/{dataset}/players/summary.csv",
        plot=report(
            "results/dadc/{dataset}/players/players.png",
            caption="../report/dadc_players.rst",
            category="dadc",
            subcategory="{dataset}",
        ),
    log:
        "logs/dadc/aggregate_drawing_players/{dataset}.log",
    wildcard_constraints:
        dataset=HUMAN_DATASET,
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        budget=SETTINGS.dadc.players.round_budget,
    script:
        "../scripts/aggregate_drawing_players.py"
