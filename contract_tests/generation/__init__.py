"""Requests from the spec: cases, strategies of valid and invalid requests, values biased by a data sample.

May import ``customers_spec`` and Hypothesis; never another sub-package of the kit (everything else builds on
what is generated here).
"""
