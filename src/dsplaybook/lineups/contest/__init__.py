"""Contests: payout tables (prizes), ownership, the simulated field, expected payout and
the portfolio that plays against the field (play)."""
