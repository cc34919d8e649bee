"""How one customer and its sites are drawn: German cleaning businesses with realistic names, addresses,
contacts, statuses, contracts and invoicing.

Values are drawn from pools built once per seed (``mockserver.data.pools``) with ``Draw``'s fast primitives.
Optional fields are sometimes absent and sometimes null, as the Customer schema allows, so filters and sorts
meet both.
"""

from __future__ import annotations

import random
import time
from itertools import accumulate
from typing import Any

from mockserver.data.draw import Draw, ObjectIds, leitweg_id, slug, timestamp, vat_number
from mockserver.data.pools import (
    BRANDS,
    CONTRACT_INTERVALS,
    CONTRACT_TYPES,
    FREE_MAIL,
    LEGAL_FORMS,
    MAILBOXES,
    MOBILE_PREFIXES,
    SERVICES,
    SITE_KINDS,
    SITE_PLACES,
    SMS_STATUSES,
    Pools,
    Town,
    build_pools,
)

FIRST_NUMBER = 1001
EPOCH_START = 1514764800  # 2018-01-01T00:00:00Z: the oldest customer
EPOCH_END = 1751328000  # 2025-07-01T00:00:00Z: the newest customer
MODIFIED_END = 1759276800  # 2025-10-01T00:00:00Z: the latest modification
IMPORT_TIME = 1583020800  # 2020-03-01T00:00:00Z: one bulk import, so some customers share createdAt
USER_COUNT = 25
COMPANY_WEIGHTS = tuple(accumulate((50, 25, 15, 7, 3)))
STATUS_WEIGHTS = tuple(accumulate((10, 55, 20, 10, 5)))  # status.status 0..4, as running totals
SITE_WEIGHTS = tuple(accumulate((20, 30, 20, 15, 10, 5)))  # 0..5 sites per customer


class CustomerGenerator(Draw):
    """Draws one dataset: the seed's random source, its pools, and the ids records refer to."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.pools: Pools = build_pools(seed)
        self.ids = ObjectIds(self.rng)
        self.users = tuple(self.ids.next(EPOCH_START) for _ in range(USER_COUNT))
        self.companies = tuple(self.ids.next(EPOCH_START) for _ in COMPANY_WEIGHTS)
        self.payment_terms = tuple(self.ids.next(EPOCH_START) for _ in range(6))
        self.legal_forms = tuple(form for form, _ in LEGAL_FORMS)
        self.legal_weights = tuple(accumulate(weight for _, weight in LEGAL_FORMS))
        self.debitor_offset = self.between(1, 400)

    def reseed(self, seed: str, ids_used: int) -> None:
        """Draw from now on from a random source of ``seed``, and number new ids after the first ``ids_used``."""
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.ids = self.ids.after(ids_used)

    def person(self) -> tuple[str, str]:
        return self.pick(self.pools.first_names), self.pick(self.pools.last_names)

    def town(self) -> Town:
        return self.pick(self.pools.big_towns if self.chance(0.55) else self.pools.small_towns)

    def address(self, town: Town) -> dict[str, Any]:
        number = f"{self.between(1, 180)}{self.pick(('', '', '', '', 'a', 'b'))}"
        address: dict[str, Any] = {
            "street": f"{self.pick(self.pools.streets)} {number}",
            "zip": f"{self.pick(town.zip_prefixes)}{self.between(0, 999):03d}",
            "city": town.city,
            "country": "Deutschland",
        }
        if self.chance(0.3):
            first, last = self.person()
            co = f"Hausverwaltung {last}" if self.chance(0.6) else f"{first} {last}"
            self.optional(address, "co", co, 0.5, 0.5)
        self.optional(address, "state", town.state, 0.7, 0.15)
        return address

    def company_name(self, town: Town) -> tuple[str, str]:
        """The customer's name and the part of it its mail and web domain derive from."""
        last = self.pick(self.pools.last_names)
        service = self.pick(SERVICES)
        pattern = self.between(0, 6)
        if pattern == 0:
            core = f"{self.pick(BRANDS)} {service}"
        elif pattern == 1:
            core = f"{last} {service}"
        elif pattern == 2:
            core = f"{service} {last}"
        elif pattern == 3:
            core = f"{last} & {self.pick(self.pools.last_names)} {service}"
        elif pattern == 4:
            core = f"{service} {town.city}"
        elif pattern == 5:
            core = self.pick(BRANDS)
        else:
            core = f"{self.pick(self.pools.first_names)} {last} {service}"
        legal = self.legal_forms[self.weighted(self.legal_weights)]
        name = f"{core} {legal}" if legal else core
        if self.chance(0.03):
            name = name.upper()
        elif self.chance(0.02):
            name = name.lower()
        return name, core

    def phone(self, town: Town) -> str:
        line = str(self.between(10**5, 10**8 - 1))
        form = self.between(0, 3)
        if form == 0:
            return f"+49 {town.area_code} {line}"
        if form == 1:
            return f"0{town.area_code} {line}"
        if form == 2:
            return f"0{town.area_code}/{line}"
        return f"+49 (0){town.area_code} {line[:-1]}-0"

    def mobile(self) -> str:
        prefix, line = self.pick(MOBILE_PREFIXES), self.between(10**6, 10**8 - 1)
        return f"+49 {prefix} {line}" if self.chance(0.5) else f"0{prefix} {line}"

    def email(self, domain: str, person: tuple[str, str] | None) -> str:
        if person is not None and self.chance(0.3):
            local = f"{slug(person[0])}.{slug(person[1])}"
            return f"{local}@{self.pick(FREE_MAIL) if self.chance(0.3) else domain}"
        return f"{self.pick(MAILBOXES)}@{domain}"

    def contact(self, town: Town, core: str, person: tuple[str, str] | None, created: int) -> dict[str, Any]:
        contact: dict[str, Any] = {}
        if self.chance(0.04):
            return contact
        domain = f"{slug(core)}.{self.pick(('de', 'de', 'de', 'de', 'com', 'eu', 'net'))}"
        self.optional(contact, "telephone", self.phone(town), 0.8, 0.1)
        self.optional(contact, "mobile", self.mobile(), 0.5, 0.2)
        self.optional(contact, "email", self.email(domain, person), 0.85, 0.08)
        if self.chance(0.45):
            self.sms(contact, created)
        else:
            for key in ("sms", "smsCount", "smsSendDate", "lastSMSStatus"):
                self.optional(contact, key, None, 0.0, 0.3)
        website = f"{self.pick(('https://www.', 'https://', 'http://www.'))}{domain}{self.pick(('', '/'))}"
        self.optional(contact, "website", website, 0.6, 0.15)
        return contact

    def sms(self, contact: dict[str, Any], created: int) -> None:
        """The SMS fields of a customer who has been texted."""
        sent = self.between(created, MODIFIED_END)
        contact["sms"] = f"+49{self.pick(MOBILE_PREFIXES)}{self.between(10**6, 10**8 - 1)}"
        contact["smsCount"] = self.between(0, 60)
        self.optional(contact, "smsChatCount", self.between(0, 250), 0.8, 0.1)
        self.optional(contact, "smsSendDate", timestamp(sent, self.between(0, 999)), 0.85, 0.1)
        self.optional(contact, "smsSendBy", self.pick(self.users), 0.8, 0.1)
        self.optional(contact, "lastSMSStatus", self.pick(SMS_STATUSES), 0.85, 0.1)
        second = timestamp(sent + self.between(3600, 14 * 86400))
        self.optional(contact, "secondSmsSendDate", second, 0.4, 0.2)

    def status(self, created: int) -> dict[str, Any]:
        millis = self.between(0, 999) if self.chance(0.3) else None
        status: dict[str, Any] = {
            "status": self.weighted(STATUS_WEIGHTS),
            "createdAt": timestamp(created, millis),
            "createdBy": self.pick(self.users) if self.chance(0.9) else self.pick(("system", "import")),
        }
        if self.chance(0.75):  # modified since: by whom is known for most
            status["lastModifiedAt"] = timestamp(self.between(created + 1, MODIFIED_END), self.between(0, 999))
            self.optional(status, "lastModifiedBy", self.pick(self.users), 0.9, 0.05)
        else:
            self.optional(status, "lastModifiedAt", None, 0.0, 0.5)
            self.optional(status, "lastModifiedBy", None, 0.0, 0.5)
        return status

    def contract(self, created: int) -> dict[str, Any] | None:
        """Free-form contract terms: often ``{}``, sometimes a few properties."""
        if self.chance(0.45):
            return {}
        return {
            "type": self.pick(CONTRACT_TYPES),
            "interval": self.pick(CONTRACT_INTERVALS),
            "startDate": time.strftime("%Y-%m-01", time.gmtime(created)),
            "monthlyFee": self.between(8000, 450000) / 100,
            "noticePeriodMonths": self.pick((1, 3, 6)),
        }

    def other_customer(self, index: int, customer_ids: list[str]) -> str:
        """Another customer of the dataset, never the one at ``index``."""
        offset = self.between(1, len(customer_ids) - 1)
        return customer_ids[(index + offset) % len(customer_ids)]

    def invoicing(self, record: dict[str, Any], index: int, customer_ids: list[str]) -> None:
        """Invoice recipients are other customers of the dataset (none when it has only one)."""
        copies: list[str] = []
        if len(customer_ids) > 1:
            self.optional(record, "invoiceRecipientId", self.other_customer(index, customer_ids), 0.2, 0.3)
            if self.chance(0.15):
                drawn = (self.other_customer(index, customer_ids) for _ in range(self.between(1, 3)))
                copies = list(dict.fromkeys(drawn))
        record["invoiceCCRecipientIds"] = copies

    def customer(self, index: int, customer_ids: list[str], created: int) -> dict[str, Any]:
        town = self.town()
        name, core = self.company_name(town)
        person = self.person() if self.chance(0.85) else None
        record: dict[str, Any] = {
            "_id": customer_ids[index],
            "number": FIRST_NUMBER + index,
            "companyId": self.companies[self.weighted(COMPANY_WEIGHTS)],
            "status": self.status(created),
        }
        self.optional(record, "chatId", self.ids.next(self.between(created, MODIFIED_END)), 0.4, 0.3)
        record["name"] = name
        title = "Dr. " if self.chance(0.05) else ""
        self.optional(record, "contactPerson", f"{title}{person[0]} {person[1]}" if person else None, 0.75, 0.1)
        record["address"] = self.address(town)
        record["contact"] = self.contact(town, core, person, created)
        self.optional(record, "contract", self.contract(created), 0.75, 0.1)
        self.invoicing(record, index, customer_ids)
        record["hideRecipientOnDocuments"] = self.chance(0.15)
        self.optional(record, "buyerReference", leitweg_id(self), 0.15, 0.15)
        self.optional(record, "orderReferenceId", f"SUP-{self.between(10000, 99999)}", 0.3, 0.2)
        self.optional(record, "vatNumber", vat_number(self), 0.7, 0.1)
        self.optional(record, "debitorNumber", f"DEB-{self.debitor_offset + index:05d}", 0.75, 0.1)
        self.optional(record, "paymentTermId", self.pick(self.payment_terms), 0.6, 0.2)
        return record

    def site_name(self, town: Town) -> str:
        kind = self.pick(SITE_KINDS)
        if kind.endswith("Dr.") or kind == "Kanzlei":
            return f"{kind} {self.pick(self.pools.last_names)}"
        if kind in ("Filiale", "Rathaus"):
            return f"{kind} {town.city}"
        if kind in ("Wohnanlage", "Treppenhaus"):
            return f"{kind} {self.pick(self.pools.streets)}"
        return f"{kind} {self.pick(SITE_PLACES)}"

    def sites(self, customer_id: str, created: int) -> list[dict[str, Any]]:
        sites = []
        for _ in range(self.weighted(SITE_WEIGHTS)):
            town = self.town()
            site: dict[str, Any] = {
                "_id": self.ids.next(self.between(created, EPOCH_END)),
                "customerId": customer_id,
                "name": self.site_name(town),
                "address": self.address(town),
            }
            self.optional(site, "objectManagerId", self.pick(self.users), 0.75, 0.15)
            sites.append(site)
        return sites

    def creation_times(self, count: int) -> list[int]:
        """When each customer was created; a bulk import gives some the same instant."""
        return [IMPORT_TIME if self.chance(0.04) else self.between(EPOCH_START, EPOCH_END) for _ in range(count)]
