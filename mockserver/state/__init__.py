"""The mock's memory of writes: a write log in SQLite (WAL mode) that every worker process shares, and each
worker's view of it per tenant (the start dataset with the writes laid over it, its stores rebuilt when the log
moved).

May import ``mockserver.engine`` (to query stores), ``mockserver.startup`` (to build them as at start-up) and
``customers_spec``; never ``mockserver.http`` (it serves nothing) nor ``mockserver.data``.
"""
