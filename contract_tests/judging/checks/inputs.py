"""Input handling: valid requests succeed, invalid ones get a 400 naming the culprit, keys are enforced."""

from __future__ import annotations

from typing import Any

from contract_tests.generation.cases import Case
from contract_tests.judging.checks.shape import excerpt
from contract_tests.judging.context import Context
from contract_tests.judging.failures import AuthNotEnforced, InvalidInputAccepted, ValidInputRejected
from contract_tests.judging.registry import NOT_JUDGED, ROLES, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.wire import base_name

BAD_REQUEST = 400
UNAUTHORIZED = 401


@check(kinds=["valid"], on=ROLES)
def valid_input_accepted(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A request the spec allows is answered with 200."""
    if response.status >= 500:
        return NOT_JUDGED  # not_server_error's finding
    if response.status != 200:
        raise ValidInputRejected("200", f"{response.status} {excerpt(response)}")
    return None


@check(kinds=["invalid"], on=("list", "sub", "item"))
def invalid_input_rejected(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """A request with an invalid parameter is answered with 400, and the problem names that parameter."""
    if response.status >= 500:
        return NOT_JUDGED  # not_server_error's finding
    if response.status != BAD_REQUEST:
        raise InvalidInputAccepted(f"400 for the invalid {case.invalid}", f"{response.status}")
    named = _named_parameters(response)
    if named is not None and case.invalid not in named:
        raise InvalidInputAccepted(f"errors naming {case.invalid}", f"errors naming {sorted(named)}", "$.errors")
    return None


@check(kinds=["no_key", "wrong_key"], on=ROLES)
def auth_enforced(ctx: Context, case: Case, response: Response) -> None:
    """A request without the API key (or, where keys are restricted, with a wrong one) is answered with 401."""
    if response.status != UNAUTHORIZED:
        what = "without an API key" if case.kind == "no_key" else "with a wrong API key"
        raise AuthNotEnforced(f"401 for a request {what}", str(response.status))


def _named_parameters(response: Response) -> set[str] | None:
    """The parameters a 400 problem's ``errors`` names (a deep object by its base name), or None if unreadable."""
    try:
        errors: Any = response.json.get("errors")
    except (ValueError, AttributeError):
        return None
    if not isinstance(errors, list):
        return None
    names = {str(error.get("name", "")) for error in errors if isinstance(error, dict)}
    return names | {base_name(name) for name in names}
