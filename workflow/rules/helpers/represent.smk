# Input functions, params and targets of the represent branch (its rules: ../represent.smk).
def training_gpus():
    """GPUs to request for training rules: none unless represent.gpu is on, because a
    gpu request makes sbatch fail on clusters without GPUs."""
    return 1 if SETTINGS.represent.gpu else 0


def network_params(name, **kind):
    """A network's represent block with what the trainer needs to know of its shape."""
    return {**config["represent"][name], **kind}


def reconstruction_models():
    """Networks with a decoder drawn in reconstructions.png: the dense autoencoder, and
    the conv VAE when the sweep uses it (otherwise it is trained only if DADC or the
    label queue asks for its features, and not drawn)."""
    uses_cvae = "cvae" in SETTINGS.label_budget.features
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
    model = FEATURE_SETS[wildcards.learned].model
    return f"results/represent/{wildcards.dataset}/{model}"
