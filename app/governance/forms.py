"""Reading the organisation's HTML forms into the API's schemas, so pages and API validate alike.

A form's empty field means "no value" for dates and numbers, and "" for text; an unticked
checkbox is simply absent, so the form names its checkboxes. Errors come back per field, in
Danish, for the template to show next to the field.
"""

import types
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from app.errors import DomainError, danish_message, field_name

M = TypeVar("M", bound=BaseModel)
CHOICES = {
    "body_id": "Vælg et organ.",
    "person_id": "Vælg en person.",
    "kind": "Vælg organets type.",
}


class FormInvalid(Exception):
    """A form that did not pass its schema: the Danish message per field."""

    def __init__(self, errors: dict[str, str], values: dict[str, Any]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.values = values


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return str in get_args(annotation)
    return False


def read_form(
    form: FormData,
    schema: type[M],
    *,
    checkboxes: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> M:
    """The submitted form as the schema (FormInvalid with Danish messages when it does not fit);
    fields in `skip` are left out, as if the form had not had them. A required choice left on
    "Vælg …" gets a plain request (CHOICES) rather than a message about ids."""
    values: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name in skip:
            continue
        if name in checkboxes:
            values[name] = name in form
        elif name in form:
            value = form[name]
            values[name] = value if value != "" or _is_text(info.annotation) else None
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = field_name(error["loc"])
            chosen = values.get(name) is not None
            errors.setdefault(
                name,
                CHOICES[name] if name in CHOICES and not chosen else danish_message(dict(error)),
            )
        raise FormInvalid(errors, values) from None


def form_errors(exc: FormInvalid | DomainError) -> dict[str, str]:
    """The errors to show next to the fields (a domain error without a field goes under 'form')."""
    if isinstance(exc, FormInvalid):
        return exc.errors
    return {exc.field or "form": exc.message}
