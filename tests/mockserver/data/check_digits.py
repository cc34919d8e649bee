"""The check-digit rules of German identifiers, written out independently of the generator's own."""

from __future__ import annotations


def leitweg_check_ok(value: str) -> bool:
    """ISO 7064 MOD 97-10 over the digits, check digits included (the IDs here have no letters)."""
    return int(value.replace("-", "")) % 97 == 1


def vat_check_ok(value: str) -> bool:
    """ISO 7064 MOD 11,10 over the 8 digits after ``DE``, as the Federal Central Tax Office specifies it."""
    product = 10
    for digit in value[2:10]:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10 == int(value[10])
