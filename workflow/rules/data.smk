# Data branch (library: dsplaybook.data): verified downloads -> MNIST-style HDF5 -> sample pictures.
# Download URL and mirror are read by the scripts from config, not params: the
# content is checksummed, so moving a mirror must not trigger a re-download.


wildcard_constraints:
    part=one_of(fashion_mnist.FILES),
    category="[A-Za-z0-9_'-]+",
    dataset="[a-z0-9_]+",


rule download_fashion_mnist:
    output:
        idx="resources/fashion_mnist/{part}",
    log:
        "logs/data/download_fashion_mnist/{part}.log",
    benchmark:
        "benchmarks/data/download_fashion_mnist/{part}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        source="fashion_mnist",
        item="{part}",
        sha256=fashion_mnist_sha256,  # a changed expected checksum re-downloads
    script:
        "../scripts/download_file.py"


rule download_quickdraw:
    output:
        npy="resources/quickdraw/official/{category}.npy",
    log:
        "logs/data/download_quickdraw/{category}.log",
    benchmark:
        "benchmarks/data/download_quickdraw/{category}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        source="quickdraw",
        item=quickdraw_category_name,
    script:
        "../scripts/download_file.py"


rule download_quickdraw_strokes:
    output:
        ndjson="resources/quickdraw/strokes/{category}.ndjson",
    log:
        "logs/data/download_quickdraw_strokes/{category}.log",
    benchmark:
        "benchmarks/data/download_quickdraw_strokes/{category}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        source="quickdraw_strokes",
        item=quickdraw_category_name,
    script:
        "../scripts/download_file.py"


rule draw_synthetic_doodles:
    output:
        npy="resources/quickdraw/synthetic/{category}.npy",
    log:
        "logs/data/draw_synthetic_doodles/{category}.log",
    benchmark:
        "benchmarks/data/draw_synthetic_doodles/{category}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        category=quickdraw_category_name,
        n_drawings=config["quickdraw"]["per_category"],
        seed=config["seed"],
    script:
        "../scripts/draw_synthetic_doodles.py"


rule build_fashion_mnist:
    input:
        train_images="resources/fashion_mnist/train-images-idx3-ubyte",
        train_labels="resources/fashion_mnist/train-labels-idx1-ubyte",
        test_images="resources/fashion_mnist/t10k-images-idx3-ubyte",
        test_labels="resources/fashion_mnist/t10k-labels-idx1-ubyte",
    output:
        h5="results/data/fashion_mnist.h5",
    log:
        "logs/data/build_fashion_mnist.log",
    benchmark:
        "benchmarks/data/build_fashion_mnist.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/build_fashion_mnist.py"


rule build_quickdraw:
    input:
        categories=quickdraw_category_files,
    output:
        h5=f"results/data/{QUICKDRAW_ID}.h5",
    log:
        f"logs/data/build_{QUICKDRAW_ID}.log",
    benchmark:
        f"benchmarks/data/build_{QUICKDRAW_ID}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=10,
    params:
        quickdraw=QuickDrawBuild.pick(SETTINGS.quickdraw),
        seed=config["seed"],
    script:
        "../scripts/build_quickdraw.py"


rule build_folder_dataset:
    input:
        images=folder_images,
    output:
        h5="results/data/{folder}.h5",
    log:
        "logs/data/build_folder_dataset/{folder}.log",
    benchmark:
        "benchmarks/data/build_folder_dataset/{folder}.tsv"
    wildcard_constraints:
        folder=one_of(FOLDER_DATASETS),
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        folder=folder_settings,
        seed=config["seed"],
    script:
        "../scripts/build_folder_dataset.py"


rule download_table:
    output:
        table="resources/tables/{table}/{file}",
    log:
        "logs/data/download_table/{table}/{file}.log",
    benchmark:
        "benchmarks/data/download_table/{table}/{file}.tsv"
    wildcard_constraints:
        table=one_of(TABLE_DATASETS),
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        source="table",
        item=table_file_name,
        table=table_settings,
    script:
        "../scripts/download_file.py"


rule build_table_dataset:
    input:
        files=table_file_names,
    output:
        h5="results/data/{table}.h5",
    log:
        "logs/data/build_table_dataset/{table}.log",
    benchmark:
        "benchmarks/data/build_table_dataset/{table}.tsv"
    wildcard_constraints:
        table=one_of(TABLE_DATASETS),
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=15,
    params:
        table=table_settings,
        seed=config["seed"],
    script:
        "../scripts/build_table_dataset.py"


rule plot_dataset_samples:
    input:
        h5="results/data/{dataset}.h5",
    output:
        png=report(
            "results/data/{dataset}_samples.png",
            caption="../report/dataset_samples.rst",
            category="data",
            subcategory="{dataset}",
        ),
    log:
        "logs/data/plot_dataset_samples/{dataset}.log",
    benchmark:
        "benchmarks/data/plot_dataset_samples/{dataset}.tsv"
    conda:
        "../../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        per_class=config["samples_per_class"],
        seed=config["seed"],
    script:
        "../scripts/plot_dataset_samples.py"
