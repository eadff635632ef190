"""The aftershock branch: a generic leakage audit, and the aftershock study (DeVries et
al. 2018) whose critique it reproduces."""
