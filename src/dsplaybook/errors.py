"""User-facing errors: one line that names the file, the field and the fix."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn


class InputError(Exception):
    """Bad input the user can fix (corrupt file, bad config value, missing category).

    The message is a single line; rule scripts print it as the job's error.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class ConfigError(InputError):
    """An invalid config value."""


def exit_on_input_error(main: Callable[[], None], log_path: str | None = None) -> None:
    """Run ``main``; turn an :class:`InputError` into one line on stderr and exit 1.

    Anything else is a bug and keeps its traceback.
    """
    try:
        main()
    except InputError as err:
        _fail(str(err), log_path)


def _fail(message: str, log_path: str | None) -> NoReturn:
    line = f"dsplaybook error: {message}"
    if log_path:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(line + "\n")
    print(line, file=sys.stderr)
    sys.exit(1)
