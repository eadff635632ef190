# Aftershock branch (library: dsplaybook.aftershock): the leakage audit of the aftershock
# study and its critique, on synthetic or released grids.


wildcard_constraints:
    grid_file=GRID_NAME,


rule make_synthetic_aftershocks:
    output:
        grids=directory("resources/aftershock/synthetic"),
    log:
        "logs/aftershock/make_synthetic_aftershocks.log",
    benchmark:
        "benchmarks/aftershock/make_synthetic_aftershocks.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=10,
    params:
        synthetic=config["aftershock"]["synthetic"],
    script:
        "../scripts/make_synthetic_aftershocks.py"


rule download_aftershock_grid:
    output:
        grid="resources/aftershock/grids/{grid_file}",
    log:
        "logs/aftershock/download_aftershock_grid/{grid_file}.log",
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        source="aftershock",
        item="{grid_file}",
    script:
        "../scripts/download_file.py"


rule audit_aftershocks:
    input:
        unpack(aftershock_inputs),
    output:
        audit="results/aftershock/audit.md",
        auc_table="results/aftershock/auc_table.csv",
        resplits="results/aftershock/resplit_auc.csv",
        selection="results/aftershock/model_selection.csv",
        roc=report(
            "results/aftershock/roc.png",
            caption="../report/aftershock_roc.rst",
            category="aftershock",
        ),
        train_vs_test=report(
            "results/aftershock/train_vs_test.png",
            caption="../report/aftershock_train_vs_test.rst",
            category="aftershock",
        ),
    log:
        "logs/aftershock/audit_aftershocks.log",
    benchmark:
        "benchmarks/aftershock/audit_aftershocks.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=8000,
        runtime=60,
    params:
        source=config["aftershock"]["source"],
        epochs=config["aftershock"]["network_epochs"],
        trees=config["aftershock"]["forest_trees"],
        resplits=config["aftershock"]["resplits"],
        test_size=config["aftershock"]["resplit_test_size"],
        model_selection=config["aftershock"]["model_selection"],
        seed=config["seed"],
    script:
        "../scripts/audit_aftershocks.py"


rule audit_table:
    input:
        h5="results/data/{table}.h5",
    output:
        findings="results/audit/{table}/findings.txt",
        scores="results/audit/{table}/split_scores.csv",
        leaky="results/audit/{table}/leaky_features.csv",
    log:
        "logs/aftershock/audit_table/{table}.log",
    benchmark:
        "benchmarks/aftershock/audit_table/{table}.tsv"
    wildcard_constraints:
        table=one_of(TABLE_DATASETS),
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        audit=config["aftershock"]["table_audit"],
        seed=config["seed"],
    script:
        "../scripts/audit_table.py"
