"""How a parameter is written in a query string and read back: one encoder and decoder per parameter style.

The mock's parser, the kit's strategies and its checks all write and read queries here, so the wire format
is coded once and read from the spec: deep objects are ``name[key]=value`` pairs (``style: deepObject``);
arrays are repeated keys (``style: form, explode: true``) and, with ``x-comma-separated``, values joined by
the spec's list separator (``components.x-list-separator``), which also joins the values of ``in`` and
``nin``; integers are ASCII digits within the schema's ``minimum`` and ``maximum``. ``sort`` has its own
grammar and separator in ``x-sort`` (``SortGrammar``): requests carry sort as ``SortKey``s, written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode

from customers_spec.errors import SpecError
from customers_spec.model import Parameter, SortKey
from customers_spec.suggestions import did_you_mean

Pairs = tuple[tuple[str, str], ...]  # a query as ``(name, value)`` pairs, in order, names repeated where written


@dataclass(frozen=True)
class Bounds:
    """The inclusive range an integer parameter's schema allows."""

    minimum: int
    maximum: int


@dataclass(frozen=True)
class WireFormat:
    """The spec's choices for writing values in a query; built by the loader, held by ``Spec.wire``."""

    list_separator: str

    def split_list(self, raw: str) -> list[str]:
        """The values of one written list (``a,b`` -> ``['a', 'b']``)."""
        return raw.split(self.list_separator)

    def join_list(self, values: Iterable[str]) -> str:
        return self.list_separator.join(values)

    def array_items(self, parameter: Parameter, raws: Sequence[str]) -> list[str]:
        """An array parameter's items from its repeated values, each split when the parameter takes lists."""
        if not parameter.comma_separated:
            return list(raws)
        return [item for raw in raws for item in self.split_list(raw)]

    def array_pairs(self, parameter: Parameter, values: Sequence[str], *, repeated: bool) -> Pairs:
        """An array parameter written as repeated keys, or (where it takes lists and not ``repeated``) one list."""
        if repeated or not parameter.comma_separated:
            return tuple((parameter.name, value) for value in values)
        return ((parameter.name, self.join_list(values)),)

    def value_pairs(self, parameter: Parameter, values: Sequence[str], *, repeated: bool = False) -> Pairs:
        """A plain parameter's values as query pairs: an array as ``array_pairs`` writes it, any other as one
        list (a single value alone)."""
        if parameter.is_array:
            return self.array_pairs(parameter, values, repeated=repeated)
        return ((parameter.name, self.join_list(values)),)


@dataclass(frozen=True)
class SortGrammar:
    """How ``sort`` is written (``x-sort``): keys ``path:direction`` joined by ``separator``, paths from ``fields``."""

    parameter: str
    fields: tuple[str, ...]
    separator: str
    directions: Mapping[str, bool]  # written direction -> descending?

    def key(self, path: str, direction: str) -> str:
        """One key as written (any direction text: invalid requests write ones the grammar refuses)."""
        return f"{path}:{direction}"

    def direction(self, descending: bool) -> str:
        """The text the spec first gives a direction (``1``, ``-1``); ValueError when it gives none."""
        for text, down in self.directions.items():
            if down == descending:
                return text
        raise ValueError(f"x-sort names no {'descending' if descending else 'ascending'} direction")

    def write(self, keys: Iterable[SortKey]) -> str:
        """The text of ``keys``, in order: ``name:-1,number:1``."""
        return self.separator.join(self.key(key.path, self.direction(key.descending)) for key in keys)

    def pairs(self, keys: Sequence[SortKey]) -> Pairs:
        """``keys`` as the query's ``sort`` pair; no pair at all when there are none (the default order)."""
        return ((self.parameter, self.write(keys)),) if keys else ()

    def read(self, raw: str) -> tuple[SortKey, ...]:
        """Every key written in ``raw``, in order, a repeated path too; ValueError names what is wrong."""
        keys: list[SortKey] = []
        for part in raw.split(self.separator):
            path, colon, direction = part.rpartition(":")
            if not colon:
                raise ValueError(f"'{part}' is not 'path:1' or 'path:-1'")
            if path not in self.fields:
                hint = did_you_mean(path, self.fields)
                raise ValueError(f"'{path}' is not sortable{hint}; sortable paths: {', '.join(self.fields)}")
            if direction not in self.directions:
                raise ValueError(f"direction '{direction}' of '{path}' must be 1 or -1")
            keys.append(SortKey(path, self.directions[direction]))
        return tuple(keys)


def decode_query(query: bytes | str, *, max_fields: int | None = None) -> Pairs:
    """A raw query string as decoded ``(name, value)`` pairs, in request order, blank values kept (``c`` is
    ``('c', '')``); ValueError past ``max_fields`` pairs."""
    text = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    return tuple(parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields))


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The query string of ``pairs``, repeated names kept, spaces as ``%20`` (``decode_query`` reads it back)."""
    return urlencode(list(pairs), quote_via=quote)


def deep_name(parameter: str, key: str) -> str:
    """The query name of one key of a deep-object parameter: ``generalField[field]``."""
    return f"{parameter}[{key}]"


def deep_pairs(parameter: str, written: Mapping[str, str]) -> Pairs:
    """A deep-object parameter as query pairs, its keys in the order given."""
    return tuple((deep_name(parameter, key), value) for key, value in written.items())


def split_deep_name(name: str) -> tuple[str, str | None]:
    """``('generalField', 'field')`` for ``generalField[field]``; ``(name, None)`` for a name of no such form."""
    owner, bracket, rest = name.partition("[")
    if bracket and rest.endswith("]"):
        return owner, rest[:-1]
    return name, None


def base_name(name: str) -> str:
    """The parameter a query name belongs to: ``generalField`` for ``generalField[operator]``, else the name."""
    return name.partition("[")[0]


def bounds(parameter: Parameter) -> Bounds:
    """The range of an integer parameter (the loader checks ``limit`` and ``offset`` have one)."""
    schema = parameter.schema
    if schema.get("type") != "integer" or "minimum" not in schema or "maximum" not in schema:
        raise SpecError(f"parameter {parameter.name!r} must be an integer with a minimum and a maximum")
    return Bounds(int(schema["minimum"]), int(schema["maximum"]))
