"""``contract-tests proxy``: the contract judged on traffic the kit did not make, answers passed on unchanged.

May import every other sub-package of the kit and ``customers_serving``; never the kit's top-level modules
(``cli``, ``plugin``, ``interface``), which import it.
"""
