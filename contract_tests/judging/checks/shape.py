"""Shape: the status is documented, the Content-Type and body match it, the documented headers are there."""

from __future__ import annotations

from contract_tests.generation.cases import Case
from contract_tests.judging.context import Context, Documented
from contract_tests.judging.failures import (
    HeaderViolation,
    SchemaViolation,
    ServerError,
    UndocumentedStatus,
    WrongContentType,
)
from contract_tests.judging.registry import NOT_JUDGED, ROLES, Verdict, check
from contract_tests.sending.transport import Response
from customers_spec.values import parse_integer

EXCERPT = 200


def excerpt(response: Response) -> str:
    """The start of the body, for messages (bodies can be long)."""
    text = response.body[:EXCERPT].decode("utf-8", "replace")
    return text + ("…" if len(response.body) > EXCERPT else "")


@check(on=ROLES)
def not_server_error(ctx: Context, case: Case, response: Response) -> None:
    """No request, however odd, makes the server fail (5xx)."""
    if response.status >= 500:
        raise ServerError("a status below 500", f"{response.status} {excerpt(response)}")


@check(on=ROLES)
def status_code_documented(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The status code is one the operation documents."""
    if response.status >= 500:
        return NOT_JUDGED  # not_server_error's finding
    if ctx.documented(response.status) is None:
        documented = ", ".join(str(status) for status in sorted(ctx.spec.statuses))
        raise UndocumentedStatus(f"one of {documented}", str(response.status))
    return None


@check(on=ROLES)
def content_type(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The Content-Type is the documented media type (application/json, application/problem+json for errors)."""
    documented = ctx.documented(response.status)
    if documented is None or not documented.media_type:
        return NOT_JUDGED
    if response.media_type != documented.media_type:
        raise WrongContentType(documented.media_type, repr(response.header("Content-Type")))
    return None


@check(on=ROLES)
def response_schema(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """The body is valid against the documented schema (formats enforced); a problem's status is the HTTP one."""
    documented = ctx.documented(response.status)
    if documented is None or not documented.media_type:
        return NOT_JUDGED
    if ctx.body_valid(response):
        body = response.json
    else:
        _first_schema_error(documented, response)
        body = response.json
    if response.status >= 400 and isinstance(body, dict) and body.get("status") != response.status:
        raise SchemaViolation(f"status {response.status} in the problem", repr(body.get("status")), "$.status")
    return None


def _first_schema_error(documented: Documented, response: Response) -> None:
    try:
        body = response.json
    except ValueError:
        raise SchemaViolation("a JSON body", excerpt(response) or "an empty body") from None
    if documented.item_schema is not None and isinstance(body, list):
        # Item by item, stopping at the first bad one: a huge body must not be explained in full.
        for index, item in enumerate(body):
            for error in documented.item_schema.iter_errors(item, root=f"$[{index}]"):
                raise SchemaViolation(f"{error.rule} to hold", error.message, error.path)
        return
    for error in documented.schema.iter_errors(body):
        raise SchemaViolation(f"{error.rule} to hold", error.message, error.path)


@check(on=ROLES)
def headers_documented(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every documented response header (X-Total-Count, Link) is present and valid against its schema."""
    documented = ctx.documented(response.status)
    if documented is None or not documented.headers:
        return NOT_JUDGED
    for name, header in documented.headers.items():
        value = response.header(name)
        if value is None:
            if header.required:
                raise HeaderViolation(f"a {name} header", "none")
            continue
        number = parse_integer(value) if header.is_integer else None
        typed: object = value if number is None else number
        for error in header.schema.iter_errors(typed, root=name):
            raise HeaderViolation(f"{name} valid ({error.rule})", repr(value), name)
    return None
