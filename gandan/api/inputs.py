"""What every API input shares: text without control characters (issue 13).

``In`` is the base of every request body and query schema: each text value (also inside
lists and dicts) goes through ``core.text.plain_text``, so NUL, C0/C1 control characters and
bidi overrides are a 422 naming the field; tab and line breaks pass in the fields a class
lists in ``MULTILINE``. ``Text`` is the same rule for a single query or path parameter.
``gandan/tests/test_text_hygiene.py`` sends a forbidden character in every string the
OpenAPI description declares.
"""

from typing import Annotated, Any, ClassVar

from ninja import Schema
from pydantic import AfterValidator, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from gandan.core.text import ForbiddenCharacter, plain_text


def _checked(value: Any, *, label: str, multiline: bool) -> Any:
    if isinstance(value, str):
        try:
            return plain_text(value, label=label, multiline=multiline)
        except ForbiddenCharacter as error:
            raise PydanticCustomError("forbidden_character", error.message) from None
    if isinstance(value, list):
        return [_checked(item, label=label, multiline=multiline) for item in value]
    if isinstance(value, dict):
        return {
            _checked(key, label=label, multiline=False): _checked(
                item, label=f"{label}.{key}", multiline=multiline
            )
            for key, item in value.items()
        }
    return value


class In(Schema):
    """The base of every API input schema: text is refused if it holds a control character."""

    MULTILINE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        return _checked(value, label=name, multiline=name in cls.MULTILINE)


def _parameter(value: str, info: ValidationInfo) -> str:
    return str(_checked(value, label=info.field_name or "", multiline=False))


Text = Annotated[str, AfterValidator(_parameter)]
