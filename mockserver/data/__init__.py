"""The mock's data: generated datasets, the chunked data-file layout start-up reads in ranges, and payload checks.

``generate`` makes deterministic datasets chunk by chunk (``customers`` draws each record from the ``pools``
with ``draw``'s fast primitives); ``chunked`` writes a data file a record per line and reads it back in ranges;
``payloads`` checks what ``mockserver validate`` is given. Reading and checking one whole data file is the spec
layer's (``customers_spec.datafile``), which the contract kit may share.

May import: ``customers_spec``, Faker, numpy, orjson and the standard library. Never ``mockserver.engine``,
``mockserver.startup``, ``mockserver.http`` or the mock's top level.
"""
