"""Command line: `rufakt extract`, `evaluate`, `bench`, `schema`, `export`, `import`, `kb` (also
`python -m pipeline`).

Exit codes of `extract`: 0 every document processed; 1 some documents failed (each is listed,
the others are processed and written), a worker process died, or the output could not be
written (disk full); 2 usage error (bad option, missing input path, unwritable output,
unreachable scheduler); 3 no document could be processed.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import OutputFailed, UsageError, WorkerDied
from .review.commands import add_parsers as add_review_parsers
from .run_options import add_run_options, run_options

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rufakt",
        description="Facts from Russian energy, transport and diplomacy news, as JSON Lines.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = commands.add_parser(
        "extract", help="extract facts from files and folders",
        description="Extract facts from files and folders (walked recursively) into JSON Lines. "
        "Exit codes: 0 all processed, 1 some documents failed, 2 usage error, "
        "3 nothing could be processed.",
    )
    ex.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="files and/or folders (.txt .md .html .htm .jsonl .json, each also .gz)")
    ex.add_argument("-o", "--output", default="-",
                    help="facts file (JSON Lines); '-' or omitted: standard output; with "
                    "--engine dask also DIR/: one part file per batch plus manifest.jsonl")
    ex.add_argument("--docs", default=None,
                    help="documents file: one record per input document (status, encoding, "
                    "error, number of facts); default: OUTPUT with .docs.jsonl beside it")
    ex.add_argument("--resume", action="store_true",
                    help="continue an interrupted run: keep what OUTPUT and the documents file "
                    "hold and process only the missing documents (without it OUTPUT is "
                    "overwritten)")
    add_run_options(ex, "files")
    ex.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local processes, or a Dask cluster (needs the [dask] extra)")
    ex.add_argument("--scheduler", default=None,
                    help="Dask scheduler address (default: a LocalCluster on this machine)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    ev = commands.add_parser(
        "evaluate", help="score predicted facts against gold facts",
        description="Precision, recall and F1 per predicate: --gold/--pred for the project's "
        "corpus, --factru for the FactRuEval-2016 development set (real news).",
    )
    ev.add_argument("--gold", help="gold facts (JSON Lines), e.g. corpus/dev/gold.jsonl")
    ev.add_argument("--pred", help="predicted facts (JSON Lines), e.g. out/facts.jsonl")
    ev.add_argument("--factru", metavar="FOLDER",
                    help="FactRuEval-2016 folder (book_N.txt + .facts): runs the extractors on "
                    "its texts and scores holds_position and met_with")
    ev.add_argument("--annotated", metavar="FOLDER",
                    help="folder of the annotated documents: each counts as scored even when it "
                    "has no gold fact (default: docs/ beside the gold file, if present)")
    ev.add_argument("--brat", metavar="FOLDER",
                    help="BRAT corpus with NEREL's conventions (.txt + .ann): scores "
                    "holds_position against its WORKS_AS/WORKPLACE triples; runs the extractors "
                    "on its texts unless --pred is given")
    ev.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    ev.add_argument("--by-rule", action="store_true",
                    help="also print precision per rule (the facts' provenance) and how many "
                    "facts of each confidence band are right")

    be = commands.add_parser(
        "bench", help="throughput of the NLP core against natasha's Doc pipeline",
        description="Times the project's NLP core and natasha's own Doc pipeline on the same "
        "documents (in separate processes) and prints docs/s, ratio, cold start and peak RSS.",
    )
    be.add_argument("folder", nargs="?", default=None,
                    help="folder of .txt files "
                    "(default: ../shared/factru-dev, else corpus/dev/docs)")
    be.add_argument("--whole", action="store_true",
                    help="the whole job instead: rufakt extract (load, read, NLP, facts, write) "
                    "against natasha with its load, --jobs 2 against --jobs 1, cold start, "
                    "peak RSS; the NLP core's and the facts stage's times apart")
    be.add_argument("--copies", type=int, default=4,
                    help="with --whole: copies of the folder's texts (default 4)")
    be.add_argument("--repeats", type=int, default=3,
                    help="with --whole: alternating runs of each side (default 3)")

    commands.add_parser("schema", help="print the JSON Schema of a fact record")
    add_review_parsers(commands)
    from .kb.cli import add_kb_parser

    add_kb_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args)
        if args.command == "evaluate":
            return run_evaluate(args)
        if args.command == "bench":
            folder = Path(args.folder) if args.folder else None
            if args.whole:
                from .bench_whole import main as bench_whole

                return bench_whole(folder, copies=args.copies, copies_jobs=args.copies * 3 // 2,
                                   repeats=args.repeats)
            from .bench import main as bench

            return bench(folder)
        if args.command in ("export", "import"):
            from .review.commands import run as run_review

            return run_review(args)
        if args.command == "schema":
            import json

            from .facts import fact_schema

            print(json.dumps(fact_schema(), ensure_ascii=False, indent=2))
            return EXIT_OK
        if args.command == "kb":
            from .kb.cli import run_kb

            return run_kb(args)
    except UsageError as error:
        print(f"rufakt {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (WorkerDied, OutputFailed) as error:
        print(f"rufakt {args.command}: error: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print("rufakt: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # «rufakt evaluate … | head»: the reader has seen enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so Python's exit flush does not fail again
        return EXIT_OK
    return EXIT_USAGE


def _check_output(path: str, folder_ok: bool = False) -> None:
    if path == "-":
        return
    target = Path(path)
    if path.endswith(("/", os.sep)) or target.is_dir():
        if not folder_ok:
            raise UsageError(f"output {path} is a folder (a folder of parts needs --engine dask)")
        target = target / "manifest.jsonl"
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create folder for {path}: {error.strerror}") from None
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UsageError(f"cannot write {path}: permission denied")


def docs_path_for(output: str, docs: str | None, engine: str = "local") -> str | None:
    if docs:
        return docs
    if output == "-" or (engine == "dask" and (output.endswith(("/", os.sep))
                                               or os.path.isdir(output))):
        return None  # standard output, or parts with their own documents files
    base = output[: -len(".jsonl")] if output.endswith(".jsonl") else output
    return f"{base}.docs.jsonl"


def run_extract(args: argparse.Namespace) -> int:
    missing = [p for p in args.inputs if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    docs_path = docs_path_for(args.output, args.docs, args.engine)
    dask = args.engine == "dask"
    if dask and args.output == "-":
        raise UsageError("--engine dask writes files: give -o FILE or -o DIR/ (on a file "
                         "system the workers share)")
    if args.resume and not docs_path and not dask:
        raise UsageError("--resume needs a facts file (-o FILE), not standard output")
    _check_output(args.output, folder_ok=dask)
    if docs_path:
        _check_output(docs_path)
    options, jobs = run_options(args, "rufakt extract", local=not dask)
    from .batch import run_batch

    began = time.perf_counter()
    summary = run_batch(
        args.inputs, options, output=args.output, docs_path=docs_path, resume=args.resume,
        jobs=jobs, batch_size=args.batch_size, engine=args.engine,
        scheduler=args.scheduler, progress=not args.no_progress and sys.stderr.isatty(),
    )
    if not args.quiet:
        print(summary.format(time.perf_counter() - began, args.output, docs_path),
              file=sys.stderr)
    if summary.processed == 0 and summary.errors:
        return EXIT_NOTHING
    return EXIT_SOME_FAILED if summary.errors else EXIT_OK


def run_evaluate(args: argparse.Namespace) -> int:
    from . import evaluate as ev

    if args.factru:
        if not Path(args.factru).is_dir():
            raise UsageError(f"no such folder: {args.factru}")
        from .api import extract
        from .evaluate.factru import evaluate_factru, factru_texts, load_factru

        facts = [f.model_dump() for doc_id, text in factru_texts(args.factru)
                 for f in extract(text, doc_id)]
        report = evaluate_factru(load_factru(args.factru), facts)
        print(ev.format_report(report, verbose=args.verbose))
        if args.by_rule:
            print("\n" + ev.format_by_rule(report))
        return EXIT_OK
    if args.brat:
        return run_evaluate_brat(args)
    if not args.gold or not args.pred:
        raise UsageError("give --gold and --pred, or --factru FOLDER, or --brat FOLDER")
    for path in (args.gold, args.pred):
        if not Path(path).is_file():
            raise UsageError(f"no such file: {path}")
    try:
        gold, pred = ev.load_facts(args.gold), ev.load_facts(args.pred)
    except ValueError as error:
        raise UsageError(str(error)) from None
    annotated = Path(args.annotated) if args.annotated else Path(args.gold).parent / "docs"
    doc_ids = None
    if annotated.is_dir():
        doc_ids = {p.relative_to(annotated).as_posix() for p in annotated.rglob("*") if p.is_file()}
        doc_ids |= {fact["doc_id"] for fact in gold}
    elif args.annotated:
        raise UsageError(f"no such folder: {args.annotated}")
    docs_file = Path(args.pred).with_suffix(".docs.jsonl")
    if docs_file.is_file():
        from .evaluate.jsonl import as_file_ids, file_doc_ids

        known = doc_ids or {fact["doc_id"] for fact in gold}
        pred = as_file_ids(pred, file_doc_ids(docs_file), known)
    report = ev.evaluate(gold, pred, doc_ids=doc_ids)
    print(ev.format_report(report, verbose=args.verbose))
    if args.by_rule:
        print("\n" + ev.format_by_rule(report))
    return EXIT_OK


def run_evaluate_brat(args: argparse.Namespace) -> int:
    """`evaluate --brat FOLDER [--pred FACTS]`: problems in the BRAT files are listed on
    stderr (exit 1), the rest is scored."""
    from . import evaluate as ev
    from .evaluate.brat import evaluate_brat
    from .review.brat import load_brat

    if not Path(args.brat).is_dir():
        raise UsageError(f"no such folder: {args.brat}")
    docs, problems = load_brat(args.brat)
    if not docs:
        raise UsageError(f"no .txt files with .ann beside them under {args.brat}")
    if args.pred:
        if not Path(args.pred).is_file():
            raise UsageError(f"no such file: {args.pred}")
        try:
            facts = ev.load_facts(args.pred)
        except ValueError as error:
            raise UsageError(str(error)) from None
    else:
        from .api import extract

        facts = [f.model_dump() for doc in docs for f in extract(doc.text, doc.doc_id)]
    print(ev.format_report(evaluate_brat(docs, facts), verbose=args.verbose))
    for problem in problems:
        print(f"rufakt evaluate: {problem}", file=sys.stderr)
    return EXIT_SOME_FAILED if problems else EXIT_OK
