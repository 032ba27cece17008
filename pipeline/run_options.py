"""The options of a run over files that `rufakt extract` and `rufakt kb add` share: worker
processes, batches, and which files are read and how; checked in one place."""

import argparse
import math
import sys
from typing import TYPE_CHECKING

from .errors import UsageError
from .machine import usable_cores, worker_count

if TYPE_CHECKING:
    from .read import ReadOptions


def add_run_options(parser: argparse.ArgumentParser, things: str = "files") -> None:
    """Add --jobs, --batch-size and the reading options; `things` names what is read."""
    parser.add_argument("-j", "--jobs", type=int, default=usable_cores(),
                        help="worker processes, each loading the models once (default: the "
                        "cores this process may use; never more than those, nor than fit in "
                        "the memory available at about 500 MB each)")
    parser.add_argument("--batch-size", type=int, default=16,
                        help="documents a worker processes together (default: 16)")
    parser.add_argument("--glob", action="append", default=[], metavar="PATTERN",
                        help=f"only {things} whose relative path matches PATTERN (repeatable)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                        help=f"skip {things} whose relative path matches PATTERN (repeatable)")
    parser.add_argument("--hidden", action="store_true",
                        help="also read hidden files and folders")
    parser.add_argument("--max-size", type=float, default=5.0, metavar="MB",
                        help=f"skip (and report) {things} larger than this (default: 5 MB)")
    parser.add_argument("--text-field", default="text",
                        help="text field of .json/.jsonl records")
    parser.add_argument("--id-field", default="id", help="id field of .json/.jsonl records")


def run_options(args: argparse.Namespace, command: str,
                local: bool = True) -> "tuple[ReadOptions, int]":
    """The reading options and the number of worker processes of `add_run_options`' options,
    checked; where the machine cannot run `--jobs` workers (`machine.worker_count`), fewer,
    said on stderr unless `args.quiet`. `local=False` (a Dask cluster): --jobs is not used."""
    from .read import ReadOptions

    if args.jobs < 1 or args.batch_size < 1:
        raise UsageError("--jobs and --batch-size must be at least 1")
    if not 0 < args.max_size < math.inf:  # NaN fails too
        raise UsageError(f"--max-size must be a number of MB above 0, not {args.max_size:g}")
    jobs = args.jobs
    if local:
        jobs, note = worker_count(args.jobs)
        if note and not args.quiet:
            print(f"{command}: {note}", file=sys.stderr)
    options = ReadOptions(
        include=tuple(args.glob), exclude=tuple(args.exclude), include_hidden=args.hidden,
        max_bytes=int(args.max_size * 1_000_000), text_field=args.text_field,
        id_field=args.id_field,
    )
    return options, jobs
