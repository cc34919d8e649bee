"""The start-up build: the engine's finished arrays made once, before the workers fork, in parallel where it pays.

It reads a data file in ranges or generates ``--count`` customers in chunks (``building``), in forked worker
processes (``parallel``) that hand their results back as mapped files (``mapped``), possibly all in a child
process (``apart``); summarizes and merges the chunks (``chunks``, ``indexing``), assembles the store
(``storing``) and minds the building process's memory (``memory``).

May import: ``mockserver.engine`` (what it builds), ``mockserver.data`` (what it reads or generates),
``mockserver.config``, ``customers_spec``. Never ``mockserver.http``.
"""
