"""Document keys ↔ database ids while a project document is exported, checked or imported."""

from typing import Any


class Refs:
    def __init__(self) -> None:
        self._keys: dict[tuple[str, Any], str] = {}
        self._ids: dict[tuple[str, str], Any] = {}
        self._declared: dict[str, set[str]] = {}
        self.errors: list[dict[str, str]] = []

    # Export: database id -> key.
    def name(self, kind: str, item_id: Any, key: str) -> None:
        self._keys[(kind, item_id)] = key

    def key(self, kind: str, item_id: Any) -> str | None:
        return None if item_id is None else self._keys[(kind, item_id)]

    # Check: every key declared once, every reference to a declared key.
    def error(self, path: str, message: str) -> None:
        self.errors.append({"path": path, "message": message})

    def declare_all(self, kind: str, path: str, keys: list[str]) -> None:
        declared = self._declared.setdefault(kind, set())
        for i, key in enumerate(keys):
            if key in declared:
                self.error(f"{path}[{i}].key", f"Nøglen »{key}« er brugt før.")
            declared.add(key)

    def check(self, kind: str, key: str | None, path: str) -> None:
        if key is not None and key not in self._declared.get(kind, set()):
            self.error(path, f"Nøglen »{key}« henviser ikke til noget i dokumentet.")

    # Import: key -> new database id.
    def bind(self, kind: str, key: str, item_id: Any) -> None:
        self._ids[(kind, key)] = item_id

    def id(self, kind: str, key: str | None) -> Any:
        return None if key is None else self._ids[(kind, key)]

    def created(self) -> dict[str, dict[str, Any]]:
        """Every key of the imported document → its new id, by kind (task, milestone, …)."""
        found: dict[str, dict[str, Any]] = {}
        for (kind, key), item_id in self._ids.items():
            found.setdefault(kind, {})[key] = item_id
        return found
