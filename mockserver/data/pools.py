"""Word pools for the generated customers: Faker (de_DE) is asked once per pool entry, never per record.

Drawing from pools with ``random.Random`` is what makes 100,000 customers take seconds instead of minutes;
the curated lists guarantee cleaning-business names and cities shared by many customers, so substring
filters have several matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

SERVICES = (
    "Reinigung",
    "Gebäudereinigung",
    "Glas- und Gebäudereinigung",
    "Facility Services",
    "Hausmeisterservice",
    "Gebäudeservice",
    "Reinigungsservice",
    "Gebäudemanagement",
    "Sauberkeit",
    "Reinigungsdienst",
    "Unterhaltsreinigung",
    "Fensterreinigung",
    "Hygieneservice",
    "Clean Service",
)
BRANDS = (
    "Glanzwerk",
    "Blitzblank",
    "Putzteufel",
    "Sauberwerk",
    "Glanzstück",
    "Reinweiß",
    "Kristallklar",
    "Sonnenschein",
    "Frischwerk",
    "Perlweiß",
    "Saubermann",
    "Blütenrein",
    "Spiegelglanz",
    "Klarsicht",
    "ProClean",
    "CleanTeam",
    "Wisch & Weg",
    "Putzperle",
    "Glanzlicht",
    "Schneeweiß",
    "Großputz",
    "Fleißige Bienen",
)
# (legal form, weight): the forms German cleaning businesses typically have; "" is a sole trader without one.
LEGAL_FORMS = (
    ("GmbH", 34),
    ("UG (haftungsbeschränkt)", 10),
    ("e.K.", 12),
    ("GmbH & Co. KG", 10),
    ("OHG", 5),
    ("GbR", 5),
    ("KG", 4),
    ("AG", 2),
    ("", 18),
)
# (city, state, zip prefixes, area code): big cities, drawn often so city filters match many customers.
BIG_CITIES = (
    ("Berlin", "Berlin", ("10", "12", "13", "14"), "30"),
    ("Hamburg", "Hamburg", ("20", "21", "22"), "40"),
    ("München", "Bayern", ("80", "81"), "89"),
    ("Köln", "Nordrhein-Westfalen", ("50", "51"), "221"),
    ("Frankfurt am Main", "Hessen", ("60", "65"), "69"),
    ("Stuttgart", "Baden-Württemberg", ("70",), "711"),
    ("Düsseldorf", "Nordrhein-Westfalen", ("40",), "211"),
    ("Leipzig", "Sachsen", ("04",), "341"),
    ("Dortmund", "Nordrhein-Westfalen", ("44",), "231"),
    ("Essen", "Nordrhein-Westfalen", ("45",), "201"),
    ("Bremen", "Bremen", ("28",), "421"),
    ("Dresden", "Sachsen", ("01",), "351"),
    ("Hannover", "Niedersachsen", ("30",), "511"),
    ("Nürnberg", "Bayern", ("90",), "911"),
    ("Würzburg", "Bayern", ("97",), "931"),
    ("Lübeck", "Schleswig-Holstein", ("23",), "451"),
    ("Münster", "Nordrhein-Westfalen", ("48",), "251"),
    ("Saarbrücken", "Saarland", ("66",), "681"),
    ("Mönchengladbach", "Nordrhein-Westfalen", ("41",), "2161"),
    ("Göttingen", "Niedersachsen", ("37",), "551"),
)
COMMON_STREETS = (
    "Hauptstraße",
    "Bahnhofstraße",
    "Schillerstraße",
    "Goethestraße",
    "Lindenstraße",
    "Gartenstraße",
    "Mühlenweg",
    "Am Markt",
    "Kirchplatz",
    "Schloßallee",
    "Große Straße",
    "Weißdornweg",
    "Industriestraße",
    "Hafenstraße",
    "Königsallee",
    "Rosenstraße",
    "Am Sägewerk",
    "Fußgängerzone",
    "Grüner Weg",
    "Marktstraße",
)
MOBILE_PREFIXES = ("151", "152", "157", "160", "162", "163", "170", "171", "172", "173", "175", "176", "177")
SMS_STATUSES = ("delivered", "sent", "pending", "failed", "undeliverable")
FREE_MAIL = ("web.de", "gmx.de", "t-online.de", "gmail.com", "outlook.de", "posteo.de")
MAILBOXES = ("info", "kontakt", "buero", "service", "office", "verwaltung", "rechnung")
SITE_KINDS = (
    "Bürogebäude",
    "Praxis Dr.",
    "Zahnarztpraxis Dr.",
    "Kanzlei",
    "Kita",
    "Grundschule",
    "Autohaus",
    "Wohnanlage",
    "Filiale",
    "Lager",
    "Treppenhaus",
    "Arztpraxis",
    "Fitnessstudio",
    "Rathaus",
)
SITE_PLACES = ("Hafen", "Nord", "Süd", "Altstadt", "am Park", "Mitte", "Ost", "West", "Weststadt", "am See")
CONTRACT_TYPES = (
    "Unterhaltsreinigung",
    "Glasreinigung",
    "Grundreinigung",
    "Treppenhausreinigung",
    "Winterdienst",
)
CONTRACT_INTERVALS = ("täglich", "wöchentlich", "14-tägig", "monatlich")


@dataclass(frozen=True)
class Town:
    """A city with its state, the first digits of its zips, and a telephone area code."""

    city: str
    state: str | None
    zip_prefixes: tuple[str, ...]
    area_code: str


@dataclass(frozen=True)
class Pools:
    """Everything the generator draws from, built once per seed."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    big_towns: tuple[Town, ...]
    small_towns: tuple[Town, ...]


def _distinct(make: object, size: int) -> tuple[str, ...]:
    """Up to ``size`` distinct values of a Faker method, in first-drawn order (deterministic per seed)."""
    return tuple(dict.fromkeys(make() for _ in range(size)))  # type: ignore[operator]


def build_pools(seed: int) -> Pools:
    """Faker-made pools for ``seed``: a few thousand calls in all, a small fraction of a second."""
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    small_towns = tuple(
        Town(city, fake.state(), (fake.postcode()[:2],), str(fake.random_int(2000, 9899)))
        for city in _distinct(fake.city, 600)
    )
    return Pools(
        first_names=_distinct(fake.first_name, 800),
        last_names=_distinct(fake.last_name, 3000),
        streets=COMMON_STREETS + _distinct(fake.street_name, 1200),
        big_towns=tuple(Town(*entry) for entry in BIG_CITIES),
        small_towns=small_towns,
    )
