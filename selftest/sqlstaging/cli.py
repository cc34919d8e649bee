"""``python -m selftest.sqlstaging``: the SQL staging as a server of its own, for a person or a test to run the
kit against (``selftest.servers.running`` starts it on a free port and waits until it answers).

The data is a data file (``--data``, the layout ``mockserver serve --data`` reads; a problem in it is one line
and exit 2) or generated (``--count``, ``--seed``); ``--fault`` picks a misreading of ``readings.FAULTS``,
``--rate`` the writes per second, ``--latency`` the milliseconds each answer waits (``low,high``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from werkzeug.serving import make_server

from customers_spec import KitError, load_spec
from customers_spec.datafile import Dataset, load_dataset
from selftest.forked import QuietHandler
from selftest.sqlstaging.readings import FAULTS
from selftest.sqlstaging.server import staging


def parser() -> argparse.ArgumentParser:
    parsing = argparse.ArgumentParser(prog="python -m selftest.sqlstaging", description=__doc__.split("\n\n")[0])
    parsing.add_argument("--host", default="127.0.0.1")
    parsing.add_argument("--port", type=int, default=3000)
    parsing.add_argument("--data", type=Path, help="a data file ({customers, objects})")
    parsing.add_argument("--count", type=int, default=1000, help="customers generated without --data")
    parsing.add_argument("--seed", type=int, default=11, help="of the generated data, the writes and the waits")
    parsing.add_argument("--fault", default="correct", choices=["correct", *FAULTS])
    parsing.add_argument("--rate", type=float, default=0.0, help="writes per second")
    parsing.add_argument("--latency", default="0,0", help="milliseconds each answer waits: low,high")
    parsing.add_argument("--api-key", action="append", default=[], help="an accepted key (default: any)")
    return parsing


def dataset_of(arguments: argparse.Namespace) -> Dataset:
    if arguments.data is not None:
        return load_dataset(arguments.data, load_spec())
    from mockserver.data.generate import generate_dataset

    return generate_dataset(arguments.count, arguments.seed)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    low, _, high = arguments.latency.partition(",")
    try:
        dataset = dataset_of(arguments)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sqlstaging-") as directory:
        served = staging(
            dataset,
            Path(directory),
            fault=arguments.fault,
            rate=arguments.rate,
            latency_ms=(float(low), float(high or low)),
            seed=arguments.seed,
            api_keys=frozenset(arguments.api_key),
        )
        server = make_server(arguments.host, arguments.port, served.app, threaded=True, request_handler=QuietHandler)
        print(f"SQL staging ({arguments.fault}) on http://{arguments.host}:{arguments.port}", flush=True)
        served.writer.start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            served.writer.stop()
    return 0
