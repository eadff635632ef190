"""The represent branch's settings: what each representation learns from and how long
(a light module: the networks that use it import TensorFlow, this does not)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveInt

from dsplaybook.config import Scaled, Section, block

LEARNING_RATE = "Adam's learning rate."
EPOCHS = "Passes over the training images."


class HogSettings(Section):
    """Hand-made HOG features (hog, and hog2 = two cell sizes side by side); nothing is
    fitted, ~30 s for 70k images."""

    orientations: int = Field(9, ge=2, description="Gradient direction bins.")
    cell_size: int = Field(
        4, ge=2, le=14, description="Pixels per cell side of hog (the fine scale of hog2)."
    )
    coarse_cell_size: int = Field(7, ge=2, le=14, description="The second cell size of hog2.")


class ScatteringSettings(Section):
    """Hand-made wavelet-scattering features (kymatio): nothing is fitted; ~80 s for 70k
    28×28 images on one core (3,969 dims at the defaults)."""

    scales: int = Field(2, ge=1, le=4, description="Dyadic scales J (averaging over 2**J px).")
    angles: int = Field(8, ge=2, le=16, description="Wavelet directions L.")
    log_scale: float = Field(
        50.0, gt=0, description="Features are log(1 + log_scale * coefficient)."
    )


class Autoencoder(Section):
    """Dense autoencoder 784 -> hidden -> latent -> hidden -> 784."""

    hidden: tuple[PositiveInt, ...] = Field((512, 256), description="Dense layer widths.")
    latent: int = Field(128, ge=2, description="Code size (the features).")
    epochs: int = Field(20, ge=1, description=EPOCHS + " ~8 s an epoch on 60k images, 2 cores.")
    batch_size: int = Field(256, ge=1)
    learning_rate: float = Field(0.001, gt=0, description=LEARNING_RATE)


class Cvae(Section):
    """Convolutional VAE (its mean code is the feature set cvae)."""

    filters: tuple[PositiveInt, ...] = Field(
        (32, 64), min_length=1, max_length=2, description="Conv layer widths."
    )
    latent: int = Field(128, ge=2, description="Code size (the features).")
    epochs: int = Field(12, ge=1, description=EPOCHS + " ~60 s an epoch on 60k images, 2 cores.")
    batch_size: int = Field(128, ge=1)
    learning_rate: float = Field(0.001, gt=0, description=LEARNING_RATE)
    beta: float = Field(1.0, ge=0, description="Weight of the KL term.")


class Vae2d(Section):
    """Dense VAE with a 2-D latent, for the latent-space map."""

    hidden: tuple[PositiveInt, ...] = Field((512, 256), description="Dense layer widths.")
    epochs: int = Field(15, ge=1, description=EPOCHS)
    batch_size: int = Field(256, ge=1)
    learning_rate: float = Field(0.001, gt=0, description=LEARNING_RATE)


class SslEpochs(Section):
    """What a scale of the self-supervised CNN sets."""

    epochs: int = Field(ge=1, description=EPOCHS)


class SelfSupervised(Section):
    """The self-supervised CNN's architecture and augmentations (VICReg)."""

    filters: tuple[PositiveInt, ...] = Field(
        (32, 64, 128),
        min_length=1,
        description="Conv blocks 28 -> 14 -> 7 -> 7, global average pooling (the last is "
        "the feature size).",
    )
    projector: int = Field(512, ge=2, description="What the loss sees; dropped after training.")
    batch_size: int = Field(256, ge=2)
    learning_rate: float = Field(0.002, gt=0, description="Cosine decay to 0.")
    shift: float = Field(
        0.12, ge=0, le=0.5, description="Random translation, fraction of the side."
    )
    zoom: float = Field(0.15, ge=0, le=0.5, description="Random zoom, fraction of the side.")
    erase: int = Field(8, ge=0, le=20, description="Side of the erased square in pixels (0: none).")
    flip: bool = Field(True, description="Mirror left-right (off for digits and text).")


class SelfSupervisedSettings(SelfSupervised, SslEpochs):
    """``represent.sslcnn`` at its scale: what training reads."""


class SslCnn(SelfSupervised, Scaled[SslEpochs]):
    """Self-supervised small CNN (VICReg: two augmented views, one code); not in the
    default sweep: at the default scale it is behind hog2 (docs/benchmarks.md)."""

    scale: str = Field(
        "default",
        description="How long it trains: default (~10 min on 2 CPU cores) or full (~50 min "
        "on 2 CPU cores; minutes on a GPU); an entry of scales.",
    )
    scales: dict[str, SslEpochs] = Field(
        default_factory=lambda: {"default": SslEpochs(epochs=12), "full": SslEpochs(epochs=50)},
        description="Named presets of epochs.",
    )

    def at_scale(self) -> dict:
        """What training reads (``SelfSupervisedSettings``): the block at its scale."""
        return {**SelfSupervised.pick(self), **self.current.to_data()}


class TreeEmbedding(Section):
    """A table's ``trees`` features: which leaf of each of many random trees a row falls in
    (scikit-learn's RandomTreesEmbedding, no labels), reduced to dense dimensions by SVD."""

    n_estimators: int = Field(100, ge=1, description="Random trees.")
    max_depth: int = Field(5, ge=1, le=20, description="Depth of each tree (2^depth leaves).")
    components: int = Field(32, ge=2, description="Dimensions kept by the SVD.")


class NetworkSettings(Section):
    """A ``represent.<network>`` block plus its ``kind``: autoencoder (dense), conv (conv
    VAE) or dense (dense VAE). Only the layer list of the kind's own shape is used."""

    kind: Literal["autoencoder", "conv", "dense"]
    latent: int
    epochs: int
    batch_size: int
    learning_rate: float
    hidden: tuple[int, ...] = ()  # dense layers (autoencoder, dense VAE)
    filters: tuple[int, ...] = ()  # conv layers (conv VAE)
    beta: float = 1.0  # the KL weight: represent.cvae.beta; the 2-D VAE's is plain


class Represent(Section):
    """Representations learned without labels (training images only; test images are
    only embedded). Sized for ~30 min on 2 CPU cores for Fashion-MNIST; a GPU is used
    automatically when TensorFlow sees one."""

    train_subset: int = Field(
        0, ge=0, description="Train on the first N training images (0 for all); quick runs."
    )
    pca_components: int = Field(
        50, ge=2, description="Dimensions of the pca features (a table: at most its columns)."
    )
    trees: TreeEmbedding = block(TreeEmbedding)
    hog: HogSettings = block(HogSettings)
    scattering: ScatteringSettings = block(ScatteringSettings)
    combined_components: int = Field(
        128,
        ge=2,
        description="Principal components a reduced combination (hog2_scattering_pca) keeps, "
        "fitted on the training rows.",
    )
    autoencoder: Autoencoder = block(Autoencoder)
    reconstruction_images: int = Field(
        10, ge=1, le=30, description="Images drawn in reconstructions.png."
    )
    cvae: Cvae = block(Cvae)
    gpu: bool = Field(False, description="Request a GPU for training rules (cluster runs).")
    sslcnn: SslCnn = block(SslCnn)
    vae2d: Vae2d = block(Vae2d)
