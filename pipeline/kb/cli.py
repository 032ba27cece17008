"""`rufakt kb add | query | export | evaluate`: the knowledge base from the command line.

Imports stay inside the functions: building the parser must not load pandas or the models.
"""

import argparse
import sys
from pathlib import Path

from ..run_options import add_run_options, run_options

DEFAULT_KB = "kb.sqlite"


def add_kb_parser(commands: argparse._SubParsersAction) -> None:
    """The `kb` command group (called from `pipeline.cli.build_parser`)."""
    kb = commands.add_parser(
        "kb", help="a knowledge base across documents (add, query, export, evaluate)",
        description="Entities with stable ids, facts merged with all their sources, post "
        "intervals, route series and conflicts, in one SQLite file.")
    group = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")

    add = group.add_parser(
        "add", help="merge facts files and documents into a knowledge base",
        description="Merge into FILE (created if absent) what is new or changed among the "
        "inputs: facts files (.jsonl written by `rufakt extract`, with their .docs.jsonl "
        "beside them, or gold files) and documents (files and folders as for `rufakt "
        "extract`, extracted here). All or nothing: an interrupted add leaves FILE as it was. "
        "Exit codes: 0 done, 1 done but some lines or documents could not be used, "
        "2 usage error.")
    add.add_argument("inputs", nargs="+", metavar="INPUT")
    _kb_option(add)
    add.add_argument("--gazetteer", action="append", default=[], metavar="YAML",
                     help="your own gazetteer file (the form of pipeline/kb/data/gazetteer.yml"
                     "); given when the knowledge base is created, kept in it")
    add.add_argument("--texts", metavar="FOLDER",
                     help="where the documents of facts files are (doc_id relative to it), "
                     "for dates from datelines and reprint detection (default: the path in "
                     "the documents file)")
    add_run_options(add, "documents")
    add.add_argument("-q", "--quiet", action="store_true", help="no summary")

    query = group.add_parser(
        "query", help="ask the knowledge base",
        description="who PHRASE [--on DATE]: who held a post («министр энергетики "
        "Казахстана»); volumes ROUTE: a route's series; conflicts; timeline ENTITY; "
        "entities [--type T]; facts [--predicate P]; sources FACT_ID; documents.")
    query.add_argument("question", choices=("who", "volumes", "conflicts", "timeline",
                                            "entities", "facts", "sources", "documents"))
    query.add_argument("subject", nargs="?", default=None,
                       help="the post, route, entity or fact id the question is about")
    _kb_option(query)
    query.add_argument("--on", metavar="DATE", help="who: the date (yyyy-mm-dd)")
    query.add_argument("--of", metavar="NAME",
                       help="who: the country or organisation, when PHRASE is only the post")
    query.add_argument("--type", choices=("PER", "ORG", "LOC", "ROUTE", "PROJECT"))
    query.add_argument("--predicate", choices=("holds_position", "route_volume",
                                               "project_participant", "met_with"))
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    export = group.add_parser(
        "export", help="write every table and view as Parquet or CSV files",
        description="One file per table and view (documents, entities, aliases, mentions, "
        "facts, sources, conflicts, post_intervals, route_series).")
    _kb_option(export)
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("-o", "--output", required=True, metavar="DIR")

    evaluate = group.add_parser(
        "evaluate", help="score the knowledge base against the gold of corpus/kb",
        description="Entity clustering (B-cubed), merged facts (P/R/F1) and conflicts, from "
        "the gold per-document facts; with --extract also end to end (the extractors on "
        "the corpus documents), with --pred from a facts file.")
    evaluate.add_argument("--corpus", default="corpus/kb", metavar="FOLDER")
    evaluate.add_argument("--extract", action="store_true",
                          help="also end to end: extract the documents' facts first")
    evaluate.add_argument("--pred", metavar="FACTS", help="also from this facts file")
    evaluate.add_argument("-j", "--jobs", type=int, default=1)
    evaluate.add_argument("-v", "--verbose", action="store_true",
                          help="list missed and extra merged facts")


def _kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", default=DEFAULT_KB, metavar="FILE",
                        help=f"the knowledge base file (default: {DEFAULT_KB})")


def run_kb(args: argparse.Namespace) -> int:
    """Dispatch `rufakt kb …`; a user's mistake raises `pipeline.cli.UsageError`."""
    from ..cli import UsageError
    from .gazetteer import GazetteerError
    from .store import StoreError

    try:
        if args.kb_command == "add":
            return _add(args)
        if args.kb_command == "query":
            return _query(args)
        if args.kb_command == "export":
            return _export(args)
        return _evaluate(args)
    except (StoreError, GazetteerError) as error:
        raise UsageError(str(error)) from None


def _add(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from .base import KnowledgeBase
    from .inputs import check_paths

    missing = check_paths(args.inputs)
    if missing:
        raise UsageError(f"no such file or folder: {missing}")
    if args.texts and not Path(args.texts).is_dir():
        raise UsageError(f"no such folder: {args.texts}")
    options, jobs = run_options(args, "rufakt kb add")
    problems: list[str] = []
    undated: list[str] = []

    def report(message: str) -> None:  # every problem, but only the first 20 undated
        if "no date" in message:
            undated.append(message)
            if len(undated) > 20:
                return
        else:
            problems.append(message)
        print(f"rufakt kb add: {message}", file=sys.stderr)

    with KnowledgeBase(args.kb, create=True) as kb:
        if args.gazetteer:
            kb.use_gazetteer(args.gazetteer)
        summary = kb.add(args.inputs, texts=args.texts, options=options, jobs=jobs,
                         batch_size=args.batch_size, report=report)
        if not args.quiet:
            counts = kb.conn.execute(
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM entities), "
                "(SELECT COUNT(*) FROM facts), (SELECT COUNT(*) FROM conflicts)").fetchone()
            print(summary.format(), file=sys.stderr)
            print(f"{args.kb}: {counts[0]} documents, {counts[1]} entities, {counts[2]} "
                  f"facts, {counts[3]} conflicts", file=sys.stderr)
    if len(undated) > 20:
        print(f"rufakt kb add: … and {len(undated) - 20} more documents without a date "
              "(`rufakt kb query documents` lists them)", file=sys.stderr)
    return 1 if problems else 0


def _query(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from .base import open as open_kb

    needs_subject = ("who", "volumes", "timeline", "sources")
    if args.question in needs_subject and not args.subject:
        raise UsageError(f"`query {args.question}` needs what it is about, e.g. "
                         + {"who": "'министр энергетики Казахстана'", "volumes": "КТК",
                            "timeline": "'Ержан Кудайбергенов'", "sources": "f:…"}[
                                args.question])
    if args.on:
        from datetime import date

        try:
            date.fromisoformat(args.on)
        except ValueError:
            raise UsageError(f"--on {args.on}: not a date (yyyy-mm-dd)") from None
    with open_kb(args.kb) as kb:
        try:
            if args.question == "who":
                data = kb.holders(args.subject, of=args.of, on=args.on)
            elif args.question == "volumes":
                data = kb.route_volumes(args.subject)
            elif args.question == "conflicts":
                data = kb.conflicts()
            elif args.question == "timeline":
                data = kb.timeline(args.subject)
            elif args.question == "entities":
                data = kb.entities(args.type)
            elif args.question == "facts":
                data = kb.facts(args.predicate)
            elif args.question == "documents":
                data = kb.documents()
            else:
                data = kb.sources(args.subject)
        except KeyError as error:
            raise UsageError(str(error.args[0])) from None
    _print(data, args.format)
    if args.question == "who" and args.on and len(data):
        print(_who_answer(data, args.on))
    return 0


def _who_answer(data, on: str) -> str:
    held = data[data["on_date"] == "held"]
    if len(held):
        names = "; ".join(f"{r.person} (seen {r.first_seen} – {r.last_seen}, {r.sources} "
                          f"sources, {r.independent} independent)" for r in held.itertuples())
        return f"On {on}: {names}"
    before = data[data["on_date"] == "before"].sort_values("last_seen").tail(1)
    after = data[data["on_date"] == "after"].sort_values("first_seen").head(1)
    undated = data[data["on_date"] == "undated"]
    parts = [f"last seen before: {r.person} ({r.last_seen})" for r in before.itertuples()]
    parts += [f"first seen after: {r.person} ({r.first_seen})" for r in after.itertuples()]
    parts += [f"in undated documents: {r.person}" for r in undated.itertuples()]
    return f"On {on}: no dated source places anyone in the post; " + "; ".join(parts)


def _print(data, format: str) -> None:
    import pandas as pd

    if format == "csv":
        data.to_csv(sys.stdout, index=False)
    elif format == "json":
        print(data.to_json(orient="records", force_ascii=False, indent=1))
    elif data.empty:
        print("(nothing)")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            print(data.to_string(index=False))


def _export(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from .base import open as open_kb
    from .export import export

    if Path(args.output).is_file():
        raise UsageError(f"output {args.output} is a file, not a folder")
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError("Parquet needs pyarrow: pip install pyarrow") from None
    with open_kb(args.kb) as kb:
        for path in export(kb.conn, args.output, args.format):
            print(path)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from .evaluate import evaluate, format_report

    corpus = Path(args.corpus)
    for name in ("docs", "gold.jsonl", "entities.jsonl", "merged.jsonl", "conflicts.jsonl"):
        if not (corpus / name).exists():
            raise UsageError(f"{corpus / name} is missing (give --corpus FOLDER)")
    if args.pred and not Path(args.pred).is_file():
        raise UsageError(f"no such file: {args.pred}")
    print(format_report(evaluate(corpus, jobs=args.jobs), verbose=args.verbose))
    if args.extract:
        print()
        print(format_report(evaluate(corpus, extract=True, jobs=args.jobs),
                            verbose=args.verbose))
    if args.pred:
        print()
        print(format_report(evaluate(corpus, pred=args.pred, jobs=args.jobs),
                            verbose=args.verbose))
    return 0
