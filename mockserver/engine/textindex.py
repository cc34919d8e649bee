"""Substring search over many case-folded strings through a trigram index: a needle's matches without a scan.

The strings are joined (each followed by NUL) and every character position is filed under the trigram that
starts there (the characters after a NUL count as NUL), sorted by trigram and then by position. A needle of
one or two characters is then one contiguous run of that list (all trigrams that begin with it); a longer one
is the positions of its first trigram whose following trigrams sit at the following offsets, checked in their
own runs, rarest first (by binary search, or by one merge where the candidates are many). Positions map back
to strings by binary search over the strings' starts; startsWith and endsWith keep only matches at a string's
start or end.

Everything is numpy arrays of code points and positions, so the search is exact for any Unicode text and
costs what its matches cost, not what the data costs. A needle containing NUL (never in real data) or an empty
one is answered by a plain scan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

BITS = 21  # a code point needs 21 bits; three fit one int64 key
SEPARATOR = "\x00"
OPERATORS = ("contains", "startsWith", "endsWith")


class TextIndex:
    """The trigram index of some strings (None: no string, never matches)."""

    def __init__(self, source: Callable[[], Sequence[str | None]]) -> None:
        """The index of ``source()``, which is called again only for the rare needles the index does not file
        (so the strings are not kept)."""
        self._source = source
        texts = source()
        self.count = len(texts)
        self.present = np.fromiter((text is not None for text in texts), dtype=np.bool_, count=self.count)
        strings = [text or "" for text in texts]
        del texts
        lengths = np.fromiter(map(len, strings), dtype=np.int64, count=self.count)
        self.starts = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=self.starts[1:])
        joined = SEPARATOR.join(strings) + SEPARATOR
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        del joined, strings
        size = len(codes)
        # Characters as dense ids (NUL is 0), so that a trigram and its position fit one int64 sort key.
        # Temporaries are dropped as soon as possible: at 1,000,000 customers the text runs to 60 M characters.
        self.alphabet = np.flatnonzero(np.bincount(codes))
        self.base = len(self.alphabet)
        dense = self.base**3 * size < 2**62
        if dense:
            table = np.zeros(int(self.alphabet[-1]) + 1, dtype=np.int32)
            table[self.alphabet] = np.arange(self.base, dtype=np.int32)
            ids = table[codes]
            del table
        else:  # a huge alphabet: code points themselves, sorted stably (slower)
            self.alphabet, self.base, ids = None, 1 << BITS, codes.astype(np.int32)  # type: ignore[assignment]
        del codes
        # No int64 temporaries beside ``keys`` (at 1,000,000 customers each is half a GiB).
        keys = ids.astype(np.int64)
        keys *= self.base
        keys[:-1] += ids[1:]
        keys *= self.base
        np.add(keys[:-2], ids[2:], out=keys[:-2], where=ids[1:-1] != 0)  # nothing after the end of a string
        filed = ids != 0
        del ids
        position_type = np.int32 if size < 2**31 else np.int64
        filed_keys = keys[filed]
        del keys
        if dense:  # key and position in one integer: a plain sort orders by trigram, then by position
            filed_keys *= size
            filed_keys += np.flatnonzero(filed)
            del filed
            filed_keys.sort()
            positions = np.empty(len(filed_keys), dtype=position_type)
            np.remainder(filed_keys, size, out=positions, casting="unsafe")
            filed_keys //= size
            sorted_keys = filed_keys
        else:
            order = np.argsort(filed_keys, kind="stable")  # stable: positions ascend within one trigram
            sorted_keys, positions = filed_keys[order], np.flatnonzero(filed)[order].astype(position_type)
            del order, filed
        self.positions = positions
        owner_of_code = np.repeat(np.arange(self.count, dtype=np.int32), lengths + 1)
        self.owners = owner_of_code[self.positions]  # the string each filed position belongs to
        del owner_of_code
        boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        firsts = np.concatenate(([0], boundaries)).astype(np.int64) if len(sorted_keys) else boundaries
        self.grams = sorted_keys[firsts]
        self.gram_starts = np.append(firsts, len(sorted_keys)).astype(np.int64)

    def search(self, operator: str, needle: str) -> npt.NDArray[np.bool_]:
        """Per string, whether ``operator`` accepts ``needle`` (both case-folded already)."""
        hits = np.zeros(self.count, dtype=np.bool_)
        hits[self.matching(operator, needle)] = True
        return hits

    def matching(self, operator: str, needle: str) -> npt.NDArray[np.integer]:
        """The strings (ascending indexes) that ``operator`` accepts with ``needle`` (both case-folded)."""
        owners = self.owners_matching(operator, needle)
        if len(owners) * 16 < self.count:
            return self.distinct(owners)
        hits = np.zeros(self.count, dtype=np.bool_)
        hits[owners] = True
        return np.flatnonzero(hits)

    @staticmethod
    def distinct(owners: npt.NDArray[np.integer]) -> npt.NDArray[np.integer]:
        """``owners`` ascending without repeats, by sorting (numpy's ``unique`` hashes: ten times slower)."""
        ordered = np.sort(owners)
        first = np.ones(len(ordered), dtype=np.bool_)
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        return ordered[first]

    def owners_matching(self, operator: str, needle: str) -> npt.NDArray[np.integer]:
        """The strings that ``operator`` accepts with ``needle``, once per match (unordered, may repeat):
        enough to mark them in a mask."""
        if operator not in OPERATORS:
            raise ValueError(f"'{operator}' is not a text operator")
        if not needle or SEPARATOR in needle:
            return np.flatnonzero(self._scan(operator, needle))
        found, owners = self._matches(needle)
        if operator == "startsWith":
            owners = owners[found == self.starts[owners]]
        elif operator == "endsWith":
            owners = owners[found + len(needle) == self.starts[owners + 1] - 1]
        return owners

    def _ids(self, needle: str) -> list[int] | None:
        """The needle's characters as the index's ids; None when one of them is in no string."""
        points = [ord(character) for character in needle]
        if self.alphabet is None:
            return points
        at = np.searchsorted(self.alphabet, points)
        if (at >= self.base).any() or (self.alphabet[np.minimum(at, self.base - 1)] != points).any():
            return None
        return at.tolist()

    def _range(self, ids: list[int]) -> tuple[int, int]:
        """The trigram keys [low, high) that begin with one or two characters."""
        if len(ids) == 1:
            return ids[0] * self.base**2, (ids[0] + 1) * self.base**2
        low = (ids[0] * self.base + ids[1]) * self.base
        return low, low + self.base

    def _run(self, low: int, high: int) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.int32]]:
        """The positions filed under trigram keys in [low, high), and the strings they belong to."""
        first, last = np.searchsorted(self.grams, [low, high])
        begin, end = self.gram_starts[first], self.gram_starts[last]
        return self.positions[begin:end], self.owners[begin:end]  # type: ignore[return-value]

    def _matches(self, needle: str) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.int32]]:
        """Every position where ``needle`` starts (a needle of at least one character, without NUL), and the
        string each belongs to."""
        points = self._ids(needle)
        if points is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        if len(points) <= 2:
            return self._run(*self._range(points))
        offsets = sorted({*range(0, len(points) - 2, 3), len(points) - 3})
        runs = []
        for offset in offsets:
            key = (points[offset] * self.base + points[offset + 1]) * self.base + points[offset + 2]
            runs.append((*self._run(key, key + 1), offset))
        runs.sort(key=lambda run: len(run[0]))
        rarest, owners, anchor = runs[0]
        candidates = rarest.astype(np.int64) - anchor
        for run, _, offset in runs[1:]:
            if not len(candidates):
                break
            kept = _followed(candidates, run, offset)
            candidates, owners = candidates[kept], owners[kept]
        return candidates, owners

    def _scan(self, operator: str, needle: str) -> npt.NDArray[np.bool_]:
        """The plain way, for the needles the index does not file (empty, or with NUL)."""
        test = {"contains": str.__contains__, "startsWith": str.startswith, "endsWith": str.endswith}[operator]
        return np.fromiter(
            (text is not None and test(text, needle) for text in self._source()), dtype=np.bool_, count=self.count
        )


def _followed(candidates: npt.NDArray[np.int64], run: npt.NDArray[np.integer], offset: int) -> npt.NDArray[np.intp]:
    """The indexes (ascending) of the ``candidates`` whose position + ``offset`` is in ``run`` (both ascending,
    without repeats). A few candidates are looked up by binary search; many are merged with the run in one
    linear pass: each value is tagged with its candidate's index (or, for the run, an index no candidate has)
    below its bits, so one sort of the two ascending halves (timsort merges them) puts a found candidate just
    before its equal in the run. Twice as fast as binary search at the sizes where it is chosen."""
    if (len(candidates) + len(run)) * 2 >= len(candidates) * max(len(run).bit_length(), 1):
        wanted = candidates + offset
        at = np.searchsorted(run, wanted)
        inside = at < len(run)
        kept = np.zeros(len(candidates), dtype=np.bool_)
        kept[inside] = run[at[inside]] == wanted[inside]
        return np.flatnonzero(kept)
    shift = len(candidates).bit_length()
    index_bits = (1 << shift) - 1
    tagged = np.empty(len(candidates) + len(run), dtype=np.int64)
    head, tail = tagged[: len(candidates)], tagged[len(candidates) :]
    np.add(candidates, offset, out=head)
    head <<= shift
    head += np.arange(len(candidates), dtype=np.int64)
    tail[:] = run
    tail <<= shift
    tail += index_bits
    tagged.sort(kind="stable")  # two ascending runs: one linear merge
    values = tagged >> shift
    return tagged[np.flatnonzero(values[1:] == values[:-1])] & index_bits
