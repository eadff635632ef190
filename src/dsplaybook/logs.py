"""Logging set-up shared by rule scripts: everything goes to the rule's log file."""

from __future__ import annotations

import logging


def log_to_file(path: str | None, level: int = logging.INFO) -> logging.Logger:
    """Send the ``dsplaybook`` logger (and warnings) to ``path``; return that logger."""
    logger = logging.getLogger("dsplaybook")
    logger.setLevel(level)
    handler: logging.Handler = (
        logging.FileHandler(path, mode="w", encoding="utf-8") if path else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.handlers[:] = [handler]
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").handlers[:] = [handler]
    return logger
