"""Rule solve_bookcases: the LP toy -> JSON plan and a feasible-region picture."""

import json

from dsplaybook.atomic import atomic_path
from dsplaybook.bookcases import (
    BookcaseProblem,
    plan_as_dict,
    plot_feasible_region,
    solve_bookcases,
)
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    problem = BookcaseProblem(**snakemake.params.problem)
    plan = solve_bookcases(problem)
    with atomic_path(snakemake.output.plan) as tmp:
        tmp.write_text(json.dumps(plan_as_dict(problem, plan), indent=2) + "\n")
    plot_feasible_region(problem, plan, snakemake.output.plot)
    log.info("optimum: %s large, %s small, profit %s", plan.large, plan.small, plan.profit)


exit_on_input_error(main, snakemake.log[0])
