# dsplaybook: five practical data-science techniques as reproducible file targets.
# Run `snakemake --cores 2` (or `make demo`); see README.md for targets and config.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/helpers/data.smk"
include: "workflow/rules/helpers/lineups.smk"
include: "workflow/rules/helpers/represent.smk"
include: "workflow/rules/helpers/label_budget.smk"
include: "workflow/rules/helpers/aftershock.smk"
include: "workflow/rules/helpers/dadc.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/lineups.smk"
include: "workflow/rules/represent.smk"
include: "workflow/rules/label_budget.smk"
include: "workflow/rules/aftershock.smk"
include: "workflow/rules/dadc.smk"


rule all:
    default_target: True
    input:
        all_targets(),
