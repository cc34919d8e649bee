"""A team's own contract checks: business rules the spec cannot say.

Load them with ``contract-tests --checks-module examples/team_checks.py`` (or the module's dotted name when
it is importable), ``pytest --contract-checks-module …``, or ``contract-tests proxy --checks-module …``.
"""

from __future__ import annotations

import os

from contract_tests import NOT_JUDGED, Case, Context, ContractViolation, Response, Verdict, check


class DuplicateDebitorNumber(ContractViolation):
    summary = "two customers share a debitorNumber"


class MissingVatNumber(ContractViolation):
    summary = "a customer of the company has no VAT number"


@check(kinds=["valid"], needs_page=True)
def debitor_number_unique(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """No two customers of a page share a debitorNumber."""
    seen: dict[str, int] = {}
    for index, customer in enumerate(ctx.items(response) or []):
        number = customer.get("debitorNumber")
        if number is None:
            continue
        if number in seen:
            raise DuplicateDebitorNumber(
                f"debitorNumber {number} once on the page", f"also at $[{seen[number]}]", f"$[{index}].debitorNumber"
            )
        seen[number] = index
    return None if seen else NOT_JUDGED


@check(kinds=["valid"], needs_page=True)
def vat_number_for_company(ctx: Context, case: Case, response: Response) -> Verdict | None:
    """Every customer of the company in $VAT_REQUIRED_COMPANY has a VAT number."""
    company = os.environ.get("VAT_REQUIRED_COMPANY")
    judged = False
    for index, customer in enumerate(ctx.items(response) or []):
        if customer.get("companyId") != company:
            continue
        judged = True
        if not customer.get("vatNumber"):
            raise MissingVatNumber(
                f"a vatNumber for customer {customer.get('number')} of company {company}",
                repr(customer.get("vatNumber")),
                f"$[{index}].vatNumber",
            )
    return None if judged else NOT_JUDGED
