"""Backtests on real contests: the site's standings and payout table read as they are
exported, projections joined to the salaries export, our lineups scored with the real
points and placed in the real field (``standings``, ``payouts``, ``projections``,
``placement``, ``run``)."""
