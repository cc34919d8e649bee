"""The query engine: a query (``Criteria``) answered from finished arrays, one page at a time.

It holds the store (query, matches, window), the columns and relation indexes over customer positions, the text
index, the matchers, the orderings, the result cache, the criteria and the lookup of the serialized bodies.

May import: ``customers_spec``, numpy and the standard library. Never: ``mockserver.startup``, ``mockserver.data``,
``mockserver.http`` or the mock's top level. It starts no process, opens or maps no file, and neither trims the
heap nor pauses the collector: how its arrays are built (in chunks, in parallel) is ``mockserver.startup``'s
business, so whoever fixes a query bug reads only this package.
"""
