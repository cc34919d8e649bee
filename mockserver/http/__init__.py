"""The mock's HTTP face: the operation's route, and everything a request meets on its way to the store and back.

Auth, CORS, ``Prefer``, the problem+json errors, the query string read into ``Criteria`` (``params``, worded by
``reasons``), the request limits, the ``Link`` header, the docs pages, the request log, and serving under
gunicorn with its head-first worker.

May import: ``mockserver.engine`` (to query the store), ``mockserver.config``, ``customers_spec``,
``customers_serving``. Never ``mockserver.startup`` or ``mockserver.data``: the store arrives built.
"""
