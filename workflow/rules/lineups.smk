# Lineups branch (library: dsplaybook.lineups): the bookcase LP, and fantasy lineups
# from site exports (exact, best first: the ranked-list engine, HiGHS as its fallback),
# with a simulated portfolio for top-heavy contests.


rule solve_bookcases:
    output:
        plan="results/lineups/bookcases.json",
        plot=report(
            "results/lineups/bookcases.png",
            caption="../report/bookcases.rst",
            category="lineups",
        ),
    log:
        "logs/lineups/solve_bookcases.log",
    benchmark:
        "benchmarks/lineups/solve_bookcases.tsv"
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        problem=config["lineups"]["bookcases"],
    script:
        "../scripts/solve_bookcases.py"


rule make_demo_pool:
    output:
        csv="resources/fantasy/demo_synthetic.csv",
    log:
        "logs/lineups/make_demo_pool.log",
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        n_teams=config["lineups"]["demo_pool_teams"],
        seed=config["seed"],
    script:
        "../scripts/make_demo_pool.py"


rule optimize_lineups:
    input:
        unpack(pool_inputs),
    output:
        lineups="results/lineups/{pool}/lineups.csv",
        exposure="results/lineups/{pool}/exposure.csv",
        summary="results/lineups/{pool}/summary.csv",
        upload="results/lineups/{pool}/upload.csv",
        readable="results/lineups/{pool}/lineups.md",
    log:
        "logs/lineups/optimize_lineups/{pool}.log",
    benchmark:
        "benchmarks/lineups/optimize_lineups/{pool}.tsv"
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        roster=pool_roster,
        projections=pool_projections,
        pool=PoolSettings.pick(SETTINGS.lineups),
        settings=LineupSettings.pick(SETTINGS.lineups),
        seed=config["seed"],
    script:
        "../scripts/optimize_lineups.py"


rule late_swap:
    input:
        unpack(pool_inputs),
        submitted=submitted_upload,
    output:
        upload="results/lineups/{pool}/late_swap.csv",
    log:
        "logs/lineups/late_swap/{pool}.log",
    benchmark:
        "benchmarks/lineups/late_swap/{pool}.tsv"
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        roster=pool_roster,
        projections=pool_projections,
        pool=PoolSettings.pick(SETTINGS.lineups),
        settings=LineupSettings.pick(SETTINGS.lineups),
        swap=late_swap_settings,
    script:
        "../scripts/late_swap.py"


rule simulate_lineups:
    input:
        unpack(pool_inputs),
        lineups="results/lineups/{pool}/lineups.csv",
    output:
        portfolio="results/lineups/{pool}/portfolio.csv",
        plot=report(
            "results/lineups/{pool}/score_distributions.png",
            caption="../report/score_distributions.rst",
            category="lineups",
            subcategory="{pool}",
        ),
    log:
        "logs/lineups/simulate_lineups/{pool}.log",
    benchmark:
        "benchmarks/lineups/simulate_lineups/{pool}.tsv"
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=20,
    params:
        roster=pool_roster,
        projections=pool_projections,
        pool=PoolSettings.pick(SETTINGS.lineups),
        simulation=config["lineups"]["simulation"],
        seed=config["seed"],
    script:
        "../scripts/simulate_lineups.py"


rule play_contest:
    input:
        unpack(contest_inputs),
    output:
        contest="results/lineups/{pool}/contest.csv",
        upload="results/lineups/{pool}/contest_upload.csv",
        lineups="results/lineups/{pool}/contest_lineups.csv",
        ownership="results/lineups/{pool}/ownership.csv",
        plot=report(
            "results/lineups/{pool}/contest_payouts.png",
            caption="../report/contest_payouts.rst",
            category="lineups",
            subcategory="{pool}",
        ),
    log:
        "logs/lineups/play_contest/{pool}.log",
    benchmark:
        "benchmarks/lineups/play_contest/{pool}.tsv"
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        roster=pool_roster,
        projections=pool_projections,
        pool=PoolSettings.pick(SETTINGS.lineups),
        settings=LineupSettings.pick(SETTINGS.lineups),
        contest=config["lineups"]["contest"],
        simulation=config["lineups"]["simulation"],
        seed=config["seed"],
    script:
        "../scripts/play_contest.py"


rule backtest_lineups:
    input:
        unpack(backtest_inputs),
    output:
        summary="results/lineups/{slate}/backtest.csv",
        lineups="results/lineups/{slate}/backtest_lineups.csv",
        plot=report(
            "results/lineups/{slate}/backtest.png",
            caption="../report/backtest.rst",
            category="lineups",
            subcategory="{slate}",
        ),
    log:
        "logs/lineups/backtest_lineups/{slate}.log",
    benchmark:
        "benchmarks/lineups/backtest_lineups/{slate}.tsv"
    wildcard_constraints:
        slate=one_of(SETTINGS.lineups.backtests),
    conda:
        "../../envs/lineups.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        slate=backtest_settings,
        settings=LineupSettings.pick(SETTINGS.lineups),
        contest=config["lineups"]["contest"],
        simulation=config["lineups"]["simulation"],
        seed=config["seed"],
    script:
        "../scripts/backtest_lineups.py"
