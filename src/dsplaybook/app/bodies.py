"""The pages' JSON request bodies, checked by pydantic: one error shape for every page
(``{"error": "<one line naming the field>"}``, status 400). Ranges that
depend on the dataset (an image row, a class number) are checked by the routes."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from starlette.responses import JSONResponse

from dsplaybook.dadc.validation import VERDICTS

SESSION_CHARS = 64  # a tab's id is cut to this many characters
NONE_OF_THESE = "none"  # the drawer's answer when none of the classes fits

Session = Annotated[StrictStr, Field(min_length=1)]


class Body(BaseModel):
    """Every write names the tab it comes from."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    HINTS: ClassVar[dict[str, str]] = {"session": "session is required (a string)"}

    session: Session

    @field_validator("session")
    @classmethod
    def _cut(cls, value: str) -> str:
        return value[:SESSION_CHARS]


class LabelAction(Body):
    """``POST /api/<action>`` of the label page."""

    HINTS: ClassVar[dict[str, str]] = {
        **Body.HINTS,
        "who": "who: a name of 1 to 64 characters",
        "image": "image is not a row of the dataset",
        "label": "label is not a class of the dataset",
    }

    mode: Any = None  # "review", or anything else for labelling
    who: StrictStr | None = None
    image: StrictInt | StrictStr | None = None
    label: StrictInt | StrictStr | None = None

    @field_validator("who")
    @classmethod
    def _a_name(cls, value: str | None) -> str | None:
        if value is not None and not 0 < len(value.strip()) <= SESSION_CHARS:
            raise ValueError("a name of 1 to 64 characters")
        return None if value is None else value.strip()

    @property
    def page_mode(self) -> str:
        return "review" if self.mode == "review" else "label"


class DrawingSubmission(Body):
    """``POST /api/draw/submit``: the strokes are parsed by ``dadc.drawings``."""

    HINTS: ClassVar[dict[str, str]] = {
        **Body.HINTS,
        "true_class": f"true_class must be a class number or {NONE_OF_THESE!r}",
        "round": "round: the round the guess came from (a number)",
    }

    strokes: Any = None
    true_class: StrictInt | Literal["none"]
    round: StrictInt


class Verdict(Body):
    """``POST /api/draw/validate``."""

    HINTS: ClassVar[dict[str, str]] = {
        **Body.HINTS,
        "verdict": f"verdict: one of {', '.join(VERDICTS)}",
        "drawing": "drawing: the id of the drawing judged",
    }

    verdict: str
    drawing: StrictInt

    @field_validator("verdict")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in VERDICTS:
            raise ValueError(f"one of {', '.join(VERDICTS)}")
        return value


B = TypeVar("B", bound=Body)


def parse_body(model: type[B], body: dict) -> B | JSONResponse:
    """The body as ``model``, or the page's one-line 400 naming the first bad field."""
    try:
        return model.model_validate(body)
    except ValidationError as err:
        first = err.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "body"
        message = model.HINTS.get(name, f"{name}: {first['msg']}")
        return JSONResponse({"error": message}, status_code=400)
