"""A documented SYNTHETIC stand-in for the aftershock study's grids (same columns).

Why synthetic: the study's data release is not reachable from here. What it keeps from
the real data is what matters for the audit:

* several mainshocks, some with two or three slip-model *versions* of the same event
  (the real list has 199 slip models of 103 earthquakes);
* 5 km cells around each fault, 0–30 km deep, in absolute coordinates;
* stress changes from a simple elastic approximation — NOT Okada: each fault is split
  into patches, every patch is a point double couple whose stress decays as 1/r³ with
  the four-lobed double-couple pattern (see ``_patch_stress``);
* aftershocks drawn once per *earthquake* with a probability that rises with the von
  Mises stress of the event's reference slip model (productivity and signal strength
  vary by event, and a cell-level noise term stands for what stress does not explain),
  so every version of an event carries the same aftershocks, as in the study, where all
  slip models of one earthquake share one aftershock catalogue;
* the study's file-level random split, which puts versions of one event on both sides
  (``leaky=True``), or one version per event and a split by event (``leaky=False``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.aftershock.aftershock_data import COMPONENTS, LABEL, STRESS_COLUMNS
from dsplaybook.aftershock.settings import SyntheticGrids
from dsplaybook.atomic import atomic_directory

SHEAR_MODULUS = 3e10  # Pa


class SyntheticSettings(SyntheticGrids):
    """``aftershock.synthetic`` plus the grid geometry (not a setting: the study's)."""

    cell_km: float = 5.0
    half_width_km: float = 50.0
    depths_km: tuple[float, ...] = (2.5, 7.5, 12.5, 17.5, 22.5, 27.5)


def _patch_stress(
    cells: np.ndarray, patch: np.ndarray, normal: np.ndarray, slip_dir: np.ndarray, moment: float
) -> np.ndarray:
    """(N, 3, 3) stress of a point double couple: 1/r³ decay, double-couple lobes."""
    r = cells - patch
    dist = np.sqrt((r**2).sum(1) + 3.0**2) * 1e3  # metres, softened 3 km from the source
    g = r / np.linalg.norm(r, axis=1, keepdims=True).clip(1e-9)
    d = (np.outer(normal, slip_dir) + np.outer(slip_dir, normal)) / 2  # moment-tensor direction
    gdg = np.einsum("ni,ij,nj->n", g, d, g)
    dg = g @ d
    tensor = (
        d[None]
        - 5 * gdg[:, None, None] * np.einsum("ni,nj->nij", g, g)
        + (np.einsum("ni,nj->nij", g, dg) + np.einsum("ni,nj->nij", dg, g))
        + gdg[:, None, None] * np.eye(3)[None]
    )
    return moment / (4 * np.pi * dist[:, None, None] ** 3) * tensor


def _fault_stress(
    cells: np.ndarray,
    center: np.ndarray,
    strike: float,
    dip: float,
    rake: float,
    length: float,
    slip: np.ndarray,
) -> np.ndarray:
    along = np.array([np.cos(strike), np.sin(strike), 0.0])
    normal = np.array([-np.sin(strike) * np.sin(dip), np.cos(strike) * np.sin(dip), np.cos(dip)])
    down = np.cross(normal, along)
    slip_dir = np.cos(rake) * along + np.sin(rake) * down
    area = (length / len(slip)) * 15.0 * 1e6  # m², 15 km wide
    total = np.zeros((len(cells), 3, 3))
    for k, s in enumerate(slip):
        offset = (k + 0.5) / len(slip) - 0.5
        patch = center + along * offset * length
        total += _patch_stress(cells, patch, normal, slip_dir, SHEAR_MODULUS * area * s)
    return total


def _von_mises(t: np.ndarray) -> np.ndarray:
    dev = t - np.trace(t, axis1=1, axis2=2)[:, None, None] / 3 * np.eye(3)[None]
    return np.sqrt(1.5 * (dev**2).sum((1, 2)))


def generate(s: SyntheticSettings) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Return the split list (Name, Original, ID) and one grid table per file name."""
    rng = np.random.default_rng(s.seed)
    axis = np.arange(-s.half_width_km + s.cell_km / 2, s.half_width_km, s.cell_km)
    gx, gy, gz = np.meshgrid(axis, axis, np.array(s.depths_km), indexing="ij")
    local = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], 1)
    grids: dict[str, pd.DataFrame] = {}
    names = []
    for event in range(s.n_events):
        origin = np.array([rng.uniform(-3000, 3000), rng.uniform(-3000, 3000), 0.0])
        cells = local + origin
        center = origin + np.array([0, 0, rng.uniform(8, 14)])
        strike, dip = rng.uniform(0, np.pi), rng.uniform(np.pi / 4, np.pi / 2)
        rake, length = rng.choice([0.0, np.pi / 2]), rng.uniform(20, 70)
        slip = rng.gamma(2.0, 1.0, size=8) * rng.uniform(0.5, 2.0)
        reference = _fault_stress(cells, center, strike, dip, rake, length, slip)
        # one aftershock catalogue per earthquake, shared by all its slip models
        strength = rng.uniform(0.8, 2.5)
        productivity = rng.normal(-4.2, 0.8)  # events differ in how many aftershocks they have
        logit = productivity + strength * (np.log10(_von_mises(reference) + 1.0) - 5.0) * 1.6
        logit = logit + rng.normal(0, 1.0, len(cells))  # what stress does not explain
        labels = (rng.random(len(cells)) < 1 / (1 + np.exp(-logit))).astype(int)
        n_versions = int(rng.integers(1, s.max_versions + 1)) if s.leaky else 1
        event_id = f"{1970 + event:04d}SYNTH{event:03d}"
        for v in range(n_versions):
            if v == 0:
                stress = reference
            else:  # another group's inversion of the same event: perturbed geometry and slip
                stress = _fault_stress(
                    cells,
                    center + rng.normal(0, 1.5, 3) * [1, 1, 0.5],
                    strike + rng.normal(0, 0.08),
                    dip + rng.normal(0, 0.05),
                    rake,
                    length * rng.uniform(0.85, 1.15),
                    slip * rng.lognormal(0, 0.3, len(slip)),
                )
            name = f"{event_id}{v + 1:02d}SYNT_grid.csv"
            grids[name] = _grid_table(cells, stress, labels)
            names.append({"Name": name, "ID": str(event + 1)})
    split = pd.DataFrame(names)
    split.insert(1, "Original", _study_split(split, s, rng))
    return split, grids


def _study_split(split: pd.DataFrame, s: SyntheticSettings, rng: np.random.Generator) -> list[str]:
    """Leaky: a random split of *files* (as in the study). Clean: a split of events."""
    if s.leaky:
        test = rng.random(len(split)) < s.test_fraction
    else:
        events = split["ID"].unique()
        held = set(
            rng.choice(events, size=max(1, round(len(events) * s.test_fraction)), replace=False)
        )
        test = split["ID"].isin(held).to_numpy()
    return ["TEST" if t else "TRAIN" for t in test]


def _grid_table(cells: np.ndarray, stress: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    index = {"xx": (0, 0), "yy": (1, 1), "zz": (2, 2), "xy": (0, 1), "xz": (0, 2), "yz": (1, 2)}
    table = pd.DataFrame(
        {
            "grid_id": np.arange(len(cells)),
            "x": cells[:, 0],
            "y": cells[:, 1],
            "z": cells[:, 2],
        }
    )
    for c, col in zip(COMPONENTS, STRESS_COLUMNS, strict=True):
        table[col] = stress[:, index[c][0], index[c][1]]
    table["stresses_full_cfs"] = stress[:, 0, 1] + 0.4 * stress[:, 1, 1]
    eig = np.linalg.eigvalsh(stress)
    table["stresses_full_max_shear"] = (eig[:, 2] - eig[:, 0]) / 2
    table["grid_aftershock_count"] = labels
    table[LABEL] = labels
    return table


def write(split: pd.DataFrame, grids: dict[str, pd.DataFrame], folder: str | Path) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, grid in grids.items():
        grid.to_csv(folder / name, index=False, float_format="%.6g")
    split.to_csv(folder / "names_train_ids.csv", index=False)


def as_table(split: pd.DataFrame, grids: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All grids in one table with ``file``, ``earthquake`` and ``split`` (like load_grids)."""
    meta = split.set_index("Name")
    return pd.concat(
        [
            grid.assign(
                file=name,
                earthquake=str(meta.loc[name, "ID"]),
                split=meta.loc[name, "Original"].lower(),
            )
            for name, grid in grids.items()
        ],
        ignore_index=True,
    )


def write_synthetic_folder(s: SyntheticSettings, dest: str | Path) -> tuple[pd.DataFrame, int]:
    """Generate and write the split list and grids into ``dest`` (atomically, as one
    folder); return the split list and the number of grid rows."""
    split, grids = generate(s)
    with atomic_directory(dest) as tmp:
        write(split, grids, tmp)
    return split, sum(len(g) for g in grids.values())
