"""Command line: ``python -m sample_exports generate --leads 10000 --seed 7 --out data/landing``."""

import argparse
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sample_exports.generator import DEFAULT_CHUNK_SIZE, generate
from sample_exports.writers import FORMATS

JAPAN = timezone(timedelta(hours=9))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sample_exports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write realistic CRM/MA sample exports")
    gen.add_argument("--leads", type=int, default=10_000, help="number of leads (default 10000)")
    gen.add_argument(
        "--seed", type=int, default=7, help="random seed; same seed and as-of give identical files"
    )
    gen.add_argument(
        "--out", type=Path, default=Path("data/landing"), help="folder to write the exports into"
    )
    gen.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="export date YYYY-MM-DD (default: today in Japan)",
    )
    gen.add_argument("--months", type=int, default=18, help="months of history before the export date")
    gen.add_argument("--format", choices=FORMATS, default="csv", help="csv (UTF-8, default) or parquet")
    gen.add_argument(
        "--activity-scale",
        type=float,
        default=1.0,
        help="multiplies MA activity volume (benchmarks use ~6 for ~50 events per lead)",
    )
    gen.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    as_of = args.as_of or datetime.now(JAPAN).date()
    rows = generate(
        args.out,
        args.leads,
        args.seed,
        as_of,
        months=args.months,
        file_format=args.format,
        activity_scale=args.activity_scale,
        chunk_size=args.chunk_size,
    )
    width = max(len(name) for name in rows)
    print(f"Sample exports as of {as_of} (seed {args.seed}) in {args.out}:")
    for name, count in rows.items():
        print(f"  {name:<{width}}  {count:>12,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
