"""``uv run python -m benchmarks [--scale 1,10] [--quick] [--output FILE]``: run every benchmark, print the
table and write it with the machine description to ``BENCHMARKS.md`` (``--quick``: a tiny scale in seconds,
written to ``benchmarks/out/BENCHMARKS-quick.md`` unless ``--output`` says otherwise).

Generated files and databases go under ``--workdir`` (default ``benchmarks/out/``, git-ignored); 10x needs
about 3 GB of disk there and a few GB of memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks import machine, report, suite
from benchmarks.timing import ROOT

SHARED = ROOT.parent / "shared" / "data"
QUICK_SCALE = 0.004


def _scales(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scale takes numbers separated by commas, e.g. 1,10 (not {text!r})"
        ) from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("--scale needs positive numbers, e.g. 1,10")
    return values


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=_scales, default=(1.0, 10.0), help="scale factors (default 1,10)")
    parser.add_argument(
        "--quick", action="store_true", help=f"a tiny scale ({QUICK_SCALE:g}x), few runs: seconds"
    )
    parser.add_argument("--output", type=Path, help="the Markdown file to write (default BENCHMARKS.md)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "out", help="generated files")
    parser.add_argument("--runs", type=int, help="runs per ingest / publish figure (default 3; quick 1)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic history")
    parser.add_argument("--no-shared", action="store_true", help="ignore ../shared/data even when present")
    return parser.parse_args(argv)


def options(args: argparse.Namespace) -> suite.Options:
    shared = None if args.no_shared or not SHARED.is_dir() else SHARED
    if args.quick:
        return suite.Options(
            scales=(QUICK_SCALE,),
            workdir=args.workdir,
            shared=shared,
            runs=args.runs or 1,
            query_reps=3,
            pandas_reps=3,
            dashboard_runs=1,
            poll_runs=3,
            parse_runs=3,
            startup_runs=1,
            up_runs=1,
            seed=args.seed,
            quick=True,
        )
    return suite.Options(
        scales=args.scale, workdir=args.workdir, shared=shared, runs=args.runs or 3, seed=args.seed
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    opts = options(args)
    output = args.output or (args.workdir / "BENCHMARKS-quick.md" if args.quick else ROOT / "BENCHMARKS.md")
    command = "uv run python -m benchmarks " + (
        "--quick" if args.quick else "--scale " + ",".join(f"{s:g}" for s in opts.scales)
    )
    start_load, started = machine.load_average(), time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    log(f"benchmarks: scales {', '.join(f'{s:g}x' for s in opts.scales)}; load average {start_load[0]:.2f}")
    result = suite.run(opts, log=log)
    load = machine.load_note(start_load, machine.load_average())
    result.notes.append(f"Total run time {time.perf_counter() - started:,.0f} s.")
    report.write(output, result, machine.describe(), load, command)
    print(report.console(result))
    print(f"\nwritten to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
