"""Lineups: the bookcase LP (bookcases) and daily-fantasy lineups.

Pools and their rules: rosters (site presets), player_pool / demo_pool (readers),
settings; the model: formulation; engines/ (ranked list, HiGHS) behind optimize (the
sequence, whatever the engine) and checks (an independent rule checker); outputs:
tables, upload, late_swap, simulation, plots; contest/ (prizes, ownership, field,
expected payout, play)."""
