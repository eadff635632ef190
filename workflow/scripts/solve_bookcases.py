"""Rule solve_bookcases: the LP toy -> JSON plan and a feasible-region picture."""

import json

from dsplaybook.atomic import write_text
from dsplaybook.lineups.bookcases import (
    BookcaseProblem,
    plan_as_dict,
    plot_feasible_region,
    solve_bookcases,
)
from dsplaybook.logs import run_rule


def main(log) -> None:
    problem = BookcaseProblem.from_config(snakemake.params.problem)
    plan = solve_bookcases(problem)
    write_text(snakemake.output.plan, json.dumps(plan_as_dict(problem, plan), indent=2) + "\n")
    plot_feasible_region(problem, plan, snakemake.output.plot)
    log.info("optimum: %s large, %s small, profit %s", plan.large, plan.small, plan.profit)


run_rule(main, snakemake)
