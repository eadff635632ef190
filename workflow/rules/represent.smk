# Representations (library: dsplaybook.represent) learned without labels: PCA, dense
# autoencoder, conv VAE, self-supervised CNN, 2-D VAE. Fitted on training images only;
# `embed_features` writes train/test features. Hand-made ones (HOG) fit nothing:
# `compute_handmade_features`.


wildcard_constraints:
    features=FEATURE_NAMES,
    learned=LEARNED_NAMES,


rule fit_pca:
    input:
        h5="results/data/{dataset}.h5",
    output:
        model="results/represent/{dataset}/pca.pkl",
    log:
        "logs/represent/fit_pca/{dataset}.log",
    benchmark:
        "benchmarks/represent/fit_pca/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=4000,
        runtime=15,
    params:
        n_components=config["represent"]["pca_components"],
        train_subset=config["represent"]["train_subset"],
        seed=config["seed"],
    script:
        "../scripts/fit_pca.py"


rule fit_tree_embedding:
    input:
        h5="results/data/{dataset}.h5",
    output:
        model="results/represent/{dataset}/trees.pkl",
    log:
        "logs/represent/fit_tree_embedding/{dataset}.log",
    benchmark:
        "benchmarks/represent/fit_tree_embedding/{dataset}.tsv"
    wildcard_constraints:
        dataset=one_of(TABLE_DATASETS),
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=15,
    params:
        trees=config["represent"]["trees"],
        seed=config["seed"],
    script:
        "../scripts/fit_tree_embedding.py"


rule train_autoencoder:
    input:
        h5="results/data/{dataset}.h5",
    output:
        encoder="results/represent/{dataset}/autoencoder_encoder.keras",
        decoder="results/represent/{dataset}/autoencoder_decoder.keras",
        history="results/represent/{dataset}/autoencoder_history.json",
    log:
        "logs/represent/train_autoencoder/{dataset}.log",
    benchmark:
        "benchmarks/represent/train_autoencoder/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # dense nets: 2 threads are only 1.2x faster (README)
    resources:
        mem_mb=6000,
        runtime=60,
        gpu=training_gpus(),
    params:
        model=network_params("autoencoder", kind="autoencoder"),
        train_subset=config["represent"]["train_subset"],
        seed=config["seed"],
    script:
        "../scripts/train_representation.py"


rule train_cvae:
    input:
        h5="results/data/{dataset}.h5",
    output:
        encoder="results/represent/{dataset}/cvae_encoder.keras",
        decoder="results/represent/{dataset}/cvae_decoder.keras",
        history="results/represent/{dataset}/cvae_history.json",
    log:
        "logs/represent/train_cvae/{dataset}.log",
    benchmark:
        "benchmarks/represent/train_cvae/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 2
    resources:
        mem_mb=8000,
        runtime=120,
        gpu=training_gpus(),
    params:
        model=network_params("cvae", kind="conv"),
        train_subset=config["represent"]["train_subset"],
        seed=config["seed"],
    script:
        "../scripts/train_representation.py"


rule train_sslcnn:
    input:
        h5="results/data/{dataset}.h5",
    output:
        encoder="results/represent/{dataset}/sslcnn_encoder.keras",
        history="results/represent/{dataset}/sslcnn_history.json",
    log:
        "logs/represent/train_sslcnn/{dataset}.log",
    benchmark:
        "benchmarks/represent/train_sslcnn/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 2
    resources:
        mem_mb=6000,
        runtime=600,
        gpu=training_gpus(),
    params:
        model=SETTINGS.represent.sslcnn.at_scale(),
        train_subset=config["represent"]["train_subset"],
        seed=config["seed"],
    script:
        "../scripts/train_self_supervised.py"


rule train_vae2d:
    input:
        h5="results/data/{dataset}.h5",
    output:
        encoder="results/represent/{dataset}/vae2d_encoder.keras",
        decoder="results/represent/{dataset}/vae2d_decoder.keras",
        history="results/represent/{dataset}/vae2d_history.json",
    log:
        "logs/represent/train_vae2d/{dataset}.log",
    benchmark:
        "benchmarks/represent/train_vae2d/{dataset}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # dense nets: 2 threads are only 1.2x faster (README)
    resources:
        mem_mb=6000,
        runtime=60,
        gpu=training_gpus(),
    params:
        model=network_params("vae2d", latent=2, kind="dense"),
        train_subset=config["represent"]["train_subset"],
        seed=config["seed"],
    script:
        "../scripts/train_representation.py"


rule embed_features:
    input:
        h5="results/data/{dataset}.h5",
        model=representation_model,
    output:
        features="results/represent/{dataset}/{learned}_features.npz",
    log:
        "logs/represent/embed_features/{dataset}_{learned}.log",
    benchmark:
        "benchmarks/represent/embed_features/{dataset}_{learned}.tsv"
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=6000,
        runtime=30,
    script:
        "../scripts/embed_features.py"


rule compute_handmade_features:
    input:
        h5="results/data/{dataset}.h5",
    output:
        features="results/represent/{dataset}/{handmade}_features.npz",
    log:
        "logs/represent/compute_handmade_features/{dataset}_{handmade}.log",
    benchmark:
        "benchmarks/represent/compute_handmade_features/{dataset}_{handmade}.tsv"
    wildcard_constraints:
        handmade=HANDMADE_NAMES,
    conda:
        "../../envs/learning.yaml"
    threads: 1  # one core: a 2-thread job waits behind every 1-core job (README)
    resources:
        mem_mb=4000,
        runtime=20,
    params:
        settings=lambda wc: config["represent"][FEATURE_SETS[wc.handmade].settings],
    script:
        "../scripts/compute_handmade_features.py"


rule combine_features:
    input:
        parts=lambda wc: [
            f"results/represent/{wc.dataset}/{part}_features.npz"
            for part in FEATURE_SETS[wc.combined].parts
        ],
    output:
        features="results/represent/{dataset}/{combined}_features.npz",
    log:
        "logs/represent/combine_features/{dataset}_{combined}.log",
    benchmark:
        "benchmarks/represent/combine_features/{dataset}_{combined}.tsv"
    wildcard_constraints:
        combined=COMBINED_NAMES,
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=10,
    params:
        # a plain combination has no components: changing them re-runs reduced ones only
        components=lambda wc: (
            config["represent"]["combined_components"]
            if FEATURE_SETS[wc.combined].reduced
            else 0
        ),
    script:
        "../scripts/combine_features.py"


rule plot_reconstructions:
    input:
        h5="results/data/{dataset}.h5",
        encoders=reconstruction_files("encoder"),
        decoders=reconstruction_files("decoder"),
    output:
        png=report(
            "results/represent/{dataset}/reconstructions.png",
            caption="../report/reconstructions.rst",
            category="represent",
            subcategory="{dataset}",
        ),
    log:
        "logs/represent/plot_reconstructions/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=10,
    params:
        models=reconstruction_models(),
        n_images=config["represent"]["reconstruction_images"],
        seed=config["seed"],
    script:
        "../scripts/plot_reconstructions.py"


rule plot_latent_map:
    input:
        h5="results/data/{dataset}.h5",
        encoder="results/represent/{dataset}/vae2d_encoder.keras",
    output:
        png=report(
            "results/represent/{dataset}/latent_map.png",
            caption="../report/latent_map.rst",
            category="represent",
            subcategory="{dataset}",
        ),
    log:
        "logs/represent/plot_latent_map/{dataset}.log",
    conda:
        "../../envs/learning.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=10,
    script:
        "../scripts/plot_latent_map.py"
