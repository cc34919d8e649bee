"""``python -m bench [--quick] [--only NAME] [--json PATH]``: every benchmark's figures in one table.

Each module ``bench/bench_<name>.py`` offers ``run(quick: bool = False) -> list[Figure]``. The table is headed
by the machine it ran on, since every number depends on it. A module that fails is reported in the table and
makes the exit status 1; a missed target is marked NO and counted below the table (numbers of a shared machine
vary, so a miss is a finding to look into, not a crash).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from bench.common import Figure

PACKAGE_DIR = Path(__file__).resolve().parent
PREFIX = "bench_"


def benchmark_names() -> list[str]:
    """The benchmark modules present, by short name (``http`` for ``bench/bench_http.py``)."""
    modules = pkgutil.iter_modules([str(PACKAGE_DIR)])
    return sorted(info.name.removeprefix(PREFIX) for info in modules if info.name.startswith(PREFIX))


def machine() -> dict[str, str]:
    """What the numbers depend on: CPU model, cores, memory, Python and OS."""
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{_meminfo_kib('MemTotal') / 1024**2:.1f} GiB",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "load": f"1-min load average {os.getloadavg()[0]:.2f} at start (others' processes skew the numbers)",
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _meminfo_kib(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_one(name: str, quick: bool) -> tuple[list[Figure], str | None]:
    """One module's figures, or the error that stopped it (a benchmark failing must not hide the others)."""
    try:
        module = importlib.import_module(f"bench.{PREFIX}{name}")
        return list(module.run(quick=quick)), None
    except Exception as exc:  # reported in the table; the traceback goes to stderr
        traceback.print_exc(file=sys.stderr)
        return [], f"{type(exc).__name__}: {exc}".splitlines()[0]


def format_value(value: float) -> str:
    """Three significant digits at most, without scientific notation for the sizes we meet."""
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}" if abs(value) >= 0.001 else f"{value:.2e}"


def render(rows: list[tuple[str, Figure]], errors: dict[str, str], header: dict[str, str]) -> str:
    """The machine header and one table of every figure, grouped by benchmark."""
    lines = [f"{key:>7}: {value}" for key, value in header.items()]
    table = [("benchmark", "figure", "value", "unit", "target", "met")]
    for name, figure in rows:
        met = "" if figure.met is None else ("yes" if figure.met else "NO")
        table.append((name, figure.name, format_value(figure.value), figure.unit, figure.target, met))
    for name, message in errors.items():
        table.append((name, f"FAILED: {message}", "", "", "", "NO"))
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    numeric = {2}
    for index, row in enumerate(table):
        cells = [cell.rjust(widths[col]) if col in numeric else cell.ljust(widths[col]) for col, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    available = benchmark_names()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke check")
    parser.add_argument(
        "--only",
        action="append",
        choices=available,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(available)}",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)

    header = machine()
    rows: list[tuple[str, Figure]] = []
    errors: dict[str, str] = {}
    started = time.perf_counter()
    for name in args.only or available:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        figures, error = run_one(name, args.quick)
        rows.extend((name, figure) for figure in figures)
        if error is not None:
            errors[name] = error
    header["ran"] = f"{time.strftime('%Y-%m-%d %H:%M')} in {time.perf_counter() - started:.0f} s" + (
        " (--quick)" if args.quick else ""
    )
    print(render(rows, errors, header))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "machine": header,
            "figures": [{"benchmark": name, **asdict(figure)} for name, figure in rows],
            "errors": errors,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    missed = sum(figure.met is False for _, figure in rows)
    if missed:
        print(f"{missed} target(s) missed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
