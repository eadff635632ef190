"""Logging set-up shared by rule scripts: each line goes to the rule's log file and, so a
long job shows how far it is, to the terminal Snakemake runs in."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from dsplaybook.atomic import remove_stale_temporaries
from dsplaybook.errors import exit_on_input_error

LOG_FILE_ONLY = {"log_file_only": True}


def log_to_file(path: str | None, level: int = logging.INFO, echo: bool = False) -> logging.Logger:
    """Send the ``dsplaybook`` logger (and warnings) to ``path`` (stderr if none); with
    ``echo`` also to stderr, prefixed so lines of parallel jobs can be told apart."""
    logger = logging.getLogger("dsplaybook")
    logger.setLevel(level)
    handler: logging.Handler = (
        logging.FileHandler(path, mode="w", encoding="utf-8") if path else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handlers = [handler]
    if echo and path:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(logging.Formatter(f"[{echo_name(path)}] %(message)s"))
        # log.info(..., extra=LOG_FILE_ONLY): for the log file, not the terminal
        terminal.addFilter(lambda record: not getattr(record, "log_file_only", False))
        handlers.append(terminal)
    logger.handlers[:] = handlers
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").handlers[:] = handlers
    return logger


def echo_name(log_path: str) -> str:
    """A short job name from its log path: …/logs/<branch>/<rule>/<x>.log -> <rule>/<x>."""
    parts = Path(log_path).with_suffix("").parts
    if "logs" not in parts:
        return parts[-1]
    after = parts[len(parts) - parts[::-1].index("logs") :]
    return "/".join(after[1:] or after)


def run_rule(main: Callable[[logging.Logger], None], job) -> None:
    """How every rule script runs, given Snakemake's ``snakemake`` object as ``job``:
    remove temporaries a killed earlier attempt left beside the outputs, log to the
    rule's log file and the terminal, call ``main(log)``, and turn an InputError into
    one line (in the log and on stderr) and exit status 1."""
    log_path = job.log[0] if len(job.log) else None
    log = log_to_file(log_path, echo=True)
    for output in job.output:
        for stale in remove_stale_temporaries(output):
            log.info("removed %s, left by an interrupted earlier run", stale)
    exit_on_input_error(lambda: main(log), log_path)
