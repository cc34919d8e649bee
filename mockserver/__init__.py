"""The mock server of GET /v2/customers, in four sub-packages by concern, each stating what it may import.

``http`` is the HTTP face, ``engine`` answers a query from finished arrays, ``startup`` builds those arrays (in
parallel where it pays) and ``data`` generates data, lays data files out in chunks and checks payloads. Only the
top level may import them all: ``app.create_app`` (the composition root), the ``mockserver`` command (``cli``,
``data_commands``) and its settings (``config``, which ``http`` and ``startup`` read too).
"""
