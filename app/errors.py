"""Domain errors raised by services; the web and API layers map them to HTTP answers."""

from typing import Any

from pydantic import BaseModel

from app.labels import label, label_of_loc


class DomainError(Exception):
    status_code = 400
    headers: dict[str, str] | None = None  # added to the HTTP answer (e.g. Retry-After)
    code: str | None = None  # the API's machine code (app/web/problems.py); by status if None

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.code


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    """A concurrent edit or a state that forbids the change (e.g. an approved plan)."""

    status_code = 409


class Invalid(DomainError):
    """Input that breaks a rule: the message names the field and the rule, in Danish."""

    status_code = 422


class VersionConflict(Conflict):
    """An edit made from an outdated copy; the answer tells the current version."""

    code = "version_conflict"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, field="version")
        self.current_version = current_version


class VersionRequired(DomainError):
    """An edit that does not say which version it was made from (HTTP 428)."""

    status_code = 428
    code = "version_required"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, field="version")
        self.current_version = current_version


def require_version(obj: Any, expected: int | None) -> None:
    """Refuse an edit that names no version, or an outdated one: every update and delete of a
    versioned thing says which version it was made from (docs/api.md)."""
    if expected is None:
        raise VersionRequired(
            f"Angiv den version, ændringen bygger på (feltet »version« eller If-Match); "
            f"nu version {obj.version}.",
            current_version=obj.version,
        )
    check_version(obj, expected)


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse an edit made from an outdated copy (optimistic concurrency)."""
    current = obj.version
    if expected is not None and expected != current:
        raise VersionConflict(
            f"Posten er ændret af en anden, siden du hentede den (version {expected}, "
            f"nu version {current}). Hent den igen og gentag din ændring.",
            current_version=current,
        )


def missing(field: str) -> Invalid:
    """The refusal of a required field left empty, naming it by its Danish label."""
    return Invalid(f"Feltet »{label(field)}« skal udfyldes.", field=field)


class TooManyAttempts(DomainError):
    """Too many failed sign-ins: the caller may try again after `retry_after` seconds."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


_RULES = {
    "missing": "skal udfyldes",
    "string_too_short": "skal have mindst {min_length} tegn",
    "string_too_long": "må højst have {max_length} tegn",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than_equal": "må højst være {le}",
    "greater_than": "skal være større end {gt}",
    "less_than": "skal være mindre end {lt}",
    "int_parsing": "skal være et helt tal",
    "int_type": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "float_parsing": "skal være et tal",
    "decimal_parsing": "skal være et tal, f.eks. 1000.50",
    "decimal_max_places": "må højst have {decimal_places} decimaler",
    "date_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_out_of_range": "skal ligge mellem {min} og {max}",
    "bool_parsing": "skal være sand eller falsk",
    "enum": "skal være en af: {expected}",
    "literal_error": "skal være en af: {expected}",
    "string_pattern_mismatch": "har et ugyldigt format",
    "string_type": "skal være tekst",
    "json_invalid": "er ikke gyldig JSON",
    "model_attributes_type": "skal være et JSON-objekt",
    "dict_type": "skal være et JSON-objekt",
    "list_type": "skal være en liste",
    "extra_forbidden": "er ikke et kendt felt",
    "finite_number": "skal være et endeligt tal",
    "too_short": "skal have mindst {min_length}",
    "too_long": "må højst have {max_length}",
    "int_parsing_size": "er et for stort tal",
    "float_type": "skal være et tal",
    "decimal_type": "skal være et tal",
    "decimal_max_digits": "må højst have {max_digits} cifre",
    "decimal_whole_digits": "må højst have {whole_digits} cifre før kommaet",
    "multiple_of": "skal være et multiplum af {multiple_of}",
    "string_unicode": "skal være gyldig tekst (UTF-8)",
    "date_from_datetime_inexact": "skal være en dato uden klokkeslæt",
    "datetime_parsing": "skal være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_type": "skal være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_from_date_parsing": "skal være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "time_parsing": "skal være et klokkeslæt (tt:mm)",
    "time_type": "skal være et klokkeslæt (tt:mm)",
    "json_type": "skal være JSON",
    "recursion_loop": "er for dybt indlejret",
    "url_parsing": "skal være en webadresse",
    "url_scheme": "skal være en webadresse (https://…)",
    "union_tag_invalid": "har en ukendt type",
    "none_required": "skal være tomt",
}
# What "too_short"/"too_long" count: a list's elements (a text's characters have their own rule).
_ITEMS = ("too_short", "too_long")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    names = [str(part) for part in loc if part not in ("body", "query", "path", "form")]
    return ".".join(names) or "forespørgslen"


def danish_message(error: dict[str, Any], schema: type[BaseModel] | None = None) -> str:
    """'Feltet »Fremdrift« må højst være 100.' for one pydantic error (the field by its Danish
    label: app/labels.py)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        kind = "missing"  # an empty text where one is required
    rule = _RULES.get(kind)
    if rule:
        try:
            text = rule.format(**ctx)
        except (KeyError, IndexError):
            text = rule
        if kind in _ITEMS:
            text += (
                " element" if ctx.get("min_length", ctx.get("max_length")) == 1 else " elementer"
            )
    else:
        # Never pydantic's English: the field and that its value is not accepted.
        text = "har en ugyldig værdi"
    if error.get("type") == "value_error" and ctx.get("error"):
        text = str(ctx["error"])
        return text if text.endswith(".") else f"{text}."
    return f"Feltet »{label_of_loc(error.get('loc', ()), schema)}« {text}."


class InvalidDocument(DomainError):
    """A project document that cannot be imported: every error with its JSON path."""

    status_code = 422

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"Dokumentet er ugyldigt ({len(errors)} fejl).")
        self.errors = errors
