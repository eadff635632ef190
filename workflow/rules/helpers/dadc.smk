# Input functions, params and targets of the dadc branch (its rules: ../dadc.smk).
from dsplaybook.dadc.drawing_store import DrawingStore
from dsplaybook.errors import InputError

HUMAN_DATASET = SETTINGS.dataset_id(SETTINGS.dadc.human.dataset)


def hard_test_reference():
    reference = config["dadc"]["hard_test"]
    return {**reference, "hyperparameters": hyperparameters(reference["method"])}


def dadc_model_features(wildcards):
    model = SETTINGS.dadc.model
    features = "raw" if model.kind == "cnn" else model.features
    return feature_file(wildcards.dataset, features)


def dadc_reference_features(wildcards):
    return feature_file(wildcards.dataset, SETTINGS.dadc.hard_test.features)


def dadc_threads():
    """A CNN trains on two threads; a scikit-learn loop model on one (runs go in parallel)."""
    return 2 if SETTINGS.dadc.model.kind == "cnn" else 1


def dadc_run_files(wildcards):
    return expand(
        "results/dadc/{dataset}/runs/{strategy}/seed{replicate}.csv",
        dataset=wildcards.dataset,
        strategy=SETTINGS.dadc.strategies,
        replicate=range(SETTINGS.dadc.current.seeds),
    )


def human_store():
    """The drawings: a store made by a script (dadc.human.drawings) or the app's."""
    given = SETTINGS.dadc.human.drawings
    return given or f"{SETTINGS.annotations}/{HUMAN_DATASET}.sqlite"


def human_round_numbers():
    """Rounds that hold drawings: one read-only query of that column (parsing the
    workflow never writes to what people entered)."""
    try:
        return DrawingStore.round_numbers(human_store())
    except InputError as err:
        sys.exit(f"dsplaybook error: dadc.human: {err}")


HUMAN_ROUNDS = human_round_numbers()  # read once per parse


def human_round_targets():
    folder = f"results/dadc/{HUMAN_DATASET}/human"
    rounds = expand(f"{folder}/round_{{k}}.h5", k=HUMAN_ROUNDS)
    return rounds + [f"{folder}/rounds.csv", f"{folder}/rounds.png"]


def human_round_files(wildcards):
    return expand(
        "results/dadc/{dataset}/human/round_{k}.h5",
        dataset=wildcards.dataset,
        k=HUMAN_ROUNDS,
    )


def player_round_model():
    """The round model's keys the drawing players' study reads (the page's model)."""
    human = SETTINGS.dadc.human
    return {
        "method": human.method,
        "features": human.features,
        "hog_cell_size": human.hog_cell_size,
        "hog_orientations": human.hog_orientations,
    }


def player_hyperparameters():
    """Per method the study fits: the round model's, the peer's and the references'."""
    methods = {SETTINGS.dadc.human.method, SETTINGS.dadc.players.peer_method, "logreg"}
    return {m: hyperparameters(m) for m in sorted(methods)}


def player_run_files(wildcards):
    return expand(
        "results/dadc/{dataset}/players/seed{replicate}.csv",
        dataset=wildcards.dataset,
        replicate=range(SETTINGS.dadc.players.seeds),
    )


def player_targets():
    """The drawing players' study: only on real drawings as strokes."""
    if SETTINGS.quickdraw.source != "strokes" or HUMAN_DATASET not in BUILTIN_IDS:
        return []
    folder = f"results/dadc/{HUMAN_DATASET}/players"
    return [f"{folder}/rounds.csv", f"{folder}/summary.csv", f"{folder}/players.png"]


def dadc_targets():
    names = ["rounds.csv", "summary.csv", "summary.txt", "error_vs_labels.png"]
    simulated = expand("results/dadc/{dataset}/{name}", dataset=BUILTIN_IDS, name=names)
    return (
        simulated + (human_round_targets() if HUMAN_ROUNDS else []) + player_targets()
    )
