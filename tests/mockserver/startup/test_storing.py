"""The store assembled from chunks: the serialized customers laid out in position order."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from customers_spec.errors import DataError
from mockserver.startup.storing import bodies_of_chunks, serialized


def test_the_bodies_of_chunks_are_laid_out_in_position_order() -> None:
    chunks = [serialized([{"a": 1}, {"b": "ß"}]), serialized([{"c": [3]}])]
    bodies = bodies_of_chunks(chunks, np.array([2, 0, 1]))
    assert orjson.loads(bodies.array(np.arange(3, dtype=np.int32))) == [{"c": [3]}, {"a": 1}, {"b": "ß"}]
    assert bodies.array(np.array([2, 2], dtype=np.int32)) == '[{"b":"ß"},{"b":"ß"}]'.encode()
    assert bodies.array(np.zeros(0, dtype=np.int32)) == b"[]"
    assert bodies_of_chunks([], np.zeros(0, dtype=np.int64)).array(np.zeros(0, dtype=np.int32)) == b"[]"


def test_a_customer_that_cannot_be_serialized_is_a_data_error_naming_it() -> None:
    with pytest.raises(DataError, match="customer 'x' cannot be serialized"):
        serialized([{"_id": "ok"}, {"_id": "x", "number": 2**70}])  # beyond 64 bits: orjson refuses it
    with pytest.raises(DataError, match="customer 7 cannot be serialized"):
        serialized([{"number": 2**70}], first=7)  # no id: numbered among all
