"""Hostile input: Schemathesis generates valid and invalid requests from the app's own OpenAPI
description and sends them as every role. No answer may be a server error (5xx) or break the
documented response schema.

`make test` runs one example per API operation, mode (valid, invalid) and role with a fixed
seed; `make reliability` runs many more (REFORMSTYR_FUZZ_EXAMPLES) over the pages' routes too.
Cases are made both with generated ids and with the demo's real ids in the path, so requests
reach the services instead of stopping at 404. Roles refused at the door (all but the
administrator, the project leader and the group member) get valid requests with real ids only.
"""

import contextlib
import os
import re
import traceback
from collections import Counter
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.security.stage import Stage, fill

EXAMPLES = int(os.environ.get("REFORMSTYR_FUZZ_EXAMPLES", "1"))
# The short run covers the JSON API; the long run the pages' routes too.
EVERY_OPERATION = EXAMPLES > 2
SEED = int(os.environ.get("REFORMSTYR_FUZZ_SEED", "20121122"))
# Roles that get past authentication and so reach validation and the services; the others are
# refused at the door and need only a token number of examples.
DEEP_ROLES = ("admin", "leader", "member")
# The administrator last: a fuzzed id may deactivate an account or revoke a role on the way.
ROLES = (
    "anonymous",
    "outsider",
    "directorate",
    "steering",
    "secretariat",
    "member",
    "leader",
    "admin",
)


@dataclass
class Finding:
    role: str
    operation: str
    request: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.role}] {self.operation}\n  {self.request}\n  {self.problem}"


@pytest.fixture(scope="module")
def api_schema(stage: Stage):
    """The OpenAPI description, fetched from the app by a signed-in client."""
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", stage.app, headers=stage.bearer["admin"]
    )
    return schema


def _real_path_parameters(stage: Stage, path: str) -> dict[str, str]:
    names = re.findall(r"{([^}]+)}", path)
    filled = fill(path, stage.fillers)
    pattern = "^" + re.sub(r"\\{[^}]+\\}", "([^/]+)", re.escape(path)) + "$"
    return dict(zip(names, re.match(pattern, filled).groups(), strict=True))


def _run_operation(
    stage: Stage,
    operation,
    role: str,
    examples: int,
    findings: list[Finding],
    statuses: Counter,
    *,
    deep: bool,
) -> int:
    headers = dict(stage.bearer.get(role, {}))
    tried = 0
    variants = [{}] if deep or not operation.path_parameters else []
    if operation.path_parameters:
        with contextlib.suppress(AssertionError):
            variants.append({"path_parameters": _real_path_parameters(stage, operation.path)})
    modes = (
        (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if deep else (GenerationMode.POSITIVE,)
    )
    for variant in variants:
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode, **variant)

            @seed(SEED)
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case) -> None:
                nonlocal tried
                tried += 1
                try:
                    response = case.call(headers=headers)
                except Exception as exc:  # the app raised through the transport
                    findings.append(
                        Finding(
                            role,
                            operation.label,
                            _describe(case),
                            "".join(traceback.format_exception(exc))[-1500:],
                        )
                    )
                    return
                statuses[f"{response.status_code // 100}xx"] += 1
                try:
                    case.validate_response(
                        response,
                        checks=[not_a_server_error, response_schema_conformance],
                        headers=headers,
                    )
                except Exception as exc:
                    findings.append(
                        Finding(
                            role,
                            operation.label,
                            _describe(case),
                            f"{response.status_code}: {str(exc)[:1500]}",
                        )
                    )

            try:
                check()
            except Exception as exc:  # cannot generate for this operation/mode
                if "Unsatisfiable" not in type(exc).__name__:
                    findings.append(
                        Finding(
                            role,
                            operation.label,
                            "(generation)",
                            f"{type(exc).__name__}: {str(exc)[:300]}",
                        )
                    )
    return tried


def _describe(case) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    if case.query:
        parts.append(f"query={case.query!r}")
    if case.body is not None and not isinstance(case.body, NotSet):
        parts.append(f"body={str(case.body)[:500]!r}")
    return " ".join(parts)


@pytest.mark.parametrize("role", ROLES)
def test_no_server_errors_and_no_broken_responses(stage: Stage, api_schema, role: str):
    deep = role in DEEP_ROLES or EVERY_OPERATION
    examples = EXAMPLES if deep else 1
    findings: list[Finding] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    if not EVERY_OPERATION:
        operations = [o for o in operations if o.path.startswith("/api/")]
    assert len(operations) > 50
    assert all(o.path.startswith("/api/") for o in operations) or EVERY_OPERATION
    tried, statuses = 0, Counter()
    for operation in operations:
        if operation.path == "/logout":
            continue  # it would end the role's own session
        tried += _run_operation(stage, operation, role, examples, findings, statuses, deep=deep)
    print(
        f"\n{role}: {tried} requests over {len(operations)} operations "
        f"({dict(sorted(statuses.items()))}), {len(findings)} findings"
    )
    assert statuses["2xx"] or role == "anonymous", "no request got through: nothing was tested"
    assert not findings, "\n\n".join(map(str, findings[:40]))
