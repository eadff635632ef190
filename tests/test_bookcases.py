import itertools

import pytest

from dsplaybook.errors import InputError
from dsplaybook.lineups.bookcases import BookcaseProblem, solve_bookcases


def test_known_answer():
    plan = solve_bookcases()
    assert (plan.large, plan.small, plan.profit) == (2, 6, 220)
    assert plan.hours_used == 24


def test_matches_brute_force_over_integer_plans():
    problem = BookcaseProblem(hours_available=40, min_large=1, min_small=3)
    best = max(
        50 * large + 20 * small
        for large, small in itertools.product(range(20), range(40))
        if 6 * large + 2 * small <= 40 and large >= 1 and small >= 3
    )
    plan = solve_bookcases(problem)
    assert plan.profit == pytest.approx(best)  # this LP's vertex is integral


def test_infeasible_minimums_explain_the_fix():
    with pytest.raises(InputError, match=r"need 28 h but only 24 h.*lower"):
        solve_bookcases(BookcaseProblem(min_large=4, min_small=2))
