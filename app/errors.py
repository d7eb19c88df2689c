"""Domain errors raised by services; the web and API layers map them to HTTP answers."""

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def check_version(obj: object, expected: int | None) -> None:
    """Refuse an edit made from an outdated copy (optimistic concurrency)."""
    current = obj.version
    if expected is not None and expected != current:
        raise Conflict(
            f"Posten er ændret af en anden, siden du hentede den (version {expected}, "
            f"nu version {current}). Hent den igen og gentag din ændring.",
            field="version",
        )


class TooManyAttempts(DomainError):
    status_code = 429


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
    "decimal_parsing": "skal være et beløb, f.eks. 1000.00",
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
}


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    names = [str(part) for part in loc if part not in ("body", "query", "path", "form")]
    return ".".join(names) or "forespørgslen"


def danish_message(error: dict[str, Any]) -> str:
    """'Feltet »progress« må højst være 100.' for one pydantic error."""
    rule = _RULES.get(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if rule:
        try:
            text = rule.format(**ctx)
        except (KeyError, IndexError):
            text = rule
    else:
        text = f"er ugyldigt ({error.get('msg', '')})"
    if error.get("type") == "value_error" and ctx.get("error"):
        text = str(ctx["error"])
        return text if text.endswith(".") else f"{text}."
    return f"Feltet »{field_name(error.get('loc', ()))}« {text}."


class InvalidDocument(DomainError):
    """A project document that cannot be imported: every error with its JSON path."""

    status_code = 422

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"Dokumentet er ugyldigt ({len(errors)} fejl).")
        self.errors = errors
