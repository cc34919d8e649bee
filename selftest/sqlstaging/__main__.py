"""``python -m selftest.sqlstaging``: see ``selftest.sqlstaging.cli``."""

from selftest.sqlstaging.cli import main

raise SystemExit(main())
