"""`rufakt export label-studio|brat|docbin` and `rufakt import label-studio|brat`.

Exit codes: 0 everything exported or imported; 1 some facts, documents, tasks or relations
were not (each is listed on stderr, the rest is written); 2 usage error.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_SOME_SKIPPED = 0, 1


def add_parsers(commands: Any) -> None:
    """Add the `export` and `import` commands to the CLI's subparsers."""
    export = commands.add_parser(
        "export", help="facts out for review: Label Studio tasks, BRAT standoff, spaCy DocBin",
        description="Write facts (or gold facts) in the formats annotators and spaCy use.")
    formats = export.add_subparsers(dest="format", required=True, metavar="FORMAT")
    ls = formats.add_parser(
        "label-studio", help="one Label Studio task per document, facts as pre-annotations",
        description="Tasks for Label Studio: one per document, its facts as predictions "
        "(or, with --annotations, as finished annotations). --config prints the labelling "
        "config the project needs.")
    ls.add_argument("facts", nargs="?", metavar="FACTS", help="facts or gold facts (JSON Lines)")
    ls.add_argument("--docs", nargs="+", metavar="INPUT", help="the documents' files/folders")
    ls.add_argument("-o", "--output", default="-", help="tasks file (JSON); '-': stdout")
    ls.add_argument("--annotations", action="store_true",
                    help="write the facts as annotations (for gold), not as predictions")
    ls.add_argument("--config", action="store_true",
                    help="write the labelling config (XML) instead of tasks")
    brat = formats.add_parser(
        "brat", help="BRAT standoff: .txt + .ann per document and annotation.conf",
        description="BRAT standoff: T lines for arguments, R lines for facts, A/# lines for "
        "qualifiers, N lines for normal forms, plus annotation.conf.")
    brat.add_argument("facts", metavar="FACTS", help="facts or gold facts (JSON Lines)")
    brat.add_argument("--docs", nargs="+", required=True, metavar="INPUT",
                      help="the documents' files/folders")
    brat.add_argument("-o", "--output", required=True, metavar="FOLDER", help="output folder")
    docbin = formats.add_parser(
        "docbin", help="spaCy DocBin (.spacy) of the parsed documents with their facts",
        description="Runs the pipeline on the inputs and stores every doc (tokens, "
        "morphology, syntax, entities, span groups, facts) in one .spacy file.")
    docbin.add_argument("inputs", nargs="+", metavar="INPUT", help="files and/or folders")
    docbin.add_argument("-o", "--output", required=True, help="the .spacy file")

    imp = commands.add_parser(
        "import", help="reviewed annotations back in as gold facts",
        description="Read a reviewed export and write gold facts for `rufakt evaluate --gold`.")
    sources = imp.add_subparsers(dest="format", required=True, metavar="FORMAT")
    ls_in = sources.add_parser(
        "label-studio", help="a Label Studio JSON export → gold JSON Lines",
        description="A Label Studio JSON export (or a task file with annotations) → gold "
        "facts. Per task the annotation that counts is the ground-truth one, else the latest; "
        "tasks nobody annotated are listed and skipped.")
    ls_in.add_argument("export", metavar="EXPORT", help="Label Studio export (JSON)")
    ls_in.add_argument("-o", "--output", required=True, help="gold facts file (JSON Lines)")
    brat_in = sources.add_parser(
        "brat", help="a BRAT folder in rufakt's schema (an export, corrected) → gold JSON Lines",
        description="The .txt/.ann files of `rufakt export brat`, corrected in BRAT → gold "
        "facts: R lines are the facts, their object entities' A and # lines the qualifiers.")
    brat_in.add_argument("folder", metavar="FOLDER", help="the BRAT folder")
    brat_in.add_argument("-o", "--output", required=True, help="gold facts file (JSON Lines)")


def _usage(message: str) -> Exception:
    from ..cli import UsageError

    return UsageError(message)


def _load_facts(path: str) -> list[dict[str, Any]]:
    from ..evaluate import load_facts

    if not Path(path).is_file():
        raise _usage(f"no such file: {path}")
    try:
        return load_facts(path)
    except ValueError as error:
        raise _usage(str(error)) from None


def _documents(inputs: list[str] | None):
    from .documents import read_documents

    if not inputs:
        raise _usage("give the documents the facts were read from: --docs INPUT...")
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        raise _usage(f"no such file or folder: {missing[0]}")
    return read_documents(inputs)


def _report(problems: list[str], summary: str) -> int:
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(summary + (f"; {len(problems)} problems listed above" if problems else ""),
          file=sys.stderr)
    return EXIT_SOME_SKIPPED if problems else EXIT_OK


def _write(output: str, content: str) -> None:
    if output == "-":
        sys.stdout.write(content)
    else:
        Path(output).write_text(content, encoding="utf-8")


def export_label_studio(args: argparse.Namespace) -> int:
    from .documents import pair_up
    from .label_studio import count_facts, export_tasks, label_config

    if args.config:
        _write(args.output, label_config())
        return EXIT_OK
    if not args.facts:
        raise _usage("give a facts file, or --config for the labelling config")
    facts = _load_facts(args.facts)
    documents, problems = _documents(args.docs)
    paired, missing = pair_up(facts, documents)
    tasks, skipped = export_tasks([(name, d.text, d.date) for name, d, _ in paired],
                                  {name: found for name, _, found in paired},
                                  as_annotations=args.annotations)
    _write(args.output, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    return _report(problems + missing + skipped,
                   f"{len(tasks)} tasks, {count_facts(tasks)} facts → {args.output}")


def export_brat(args: argparse.Namespace) -> int:
    from .brat import write_brat
    from .documents import pair_up

    if Path(args.output).is_file():
        raise _usage(f"output {args.output} is a file, not a folder")
    facts = _load_facts(args.facts)
    documents, problems = _documents(args.docs)
    paired, missing = pair_up(facts, documents)
    written, skipped = write_brat(args.output, [(name, d.text) for name, d, _ in paired],
                                  {name: found for name, _, found in paired})
    return _report(problems + missing + skipped,
                   f"{len(documents)} documents, {written} facts → {args.output}/")


def export_docbin(args: argparse.Namespace) -> int:
    from .docbin import export_docbin as export

    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        raise _usage(f"no such file or folder: {missing[0]}")
    count, problems = export(args.inputs, args.output)
    return _report(problems, f"{count} documents → {args.output}")


def import_label_studio(args: argparse.Namespace) -> int:
    from .gold import write_gold
    from .label_studio import import_tasks

    path = Path(args.export)
    if not path.is_file():
        raise _usage(f"no such file: {args.export}")
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _usage(f"{args.export} is not JSON ({error}); export the project as JSON") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise _usage(f"{args.export} is not a Label Studio JSON export (a list of tasks)")
    imported = import_tasks(tasks)
    count = write_gold(imported.facts, args.output)
    for note in imported.notes:
        print(f"  {note}", file=sys.stderr)
    return _report(imported.problems,
                   f"{imported.tasks} tasks, {count} gold facts → {args.output}")


def import_brat(args: argparse.Namespace) -> int:
    from .brat import read_gold
    from .gold import write_gold

    if not Path(args.folder).is_dir():
        raise _usage(f"no such folder: {args.folder}")
    facts, problems = read_gold(args.folder)
    count = write_gold(facts, args.output)
    return _report(problems, f"{count} gold facts → {args.output}")


def run(args: argparse.Namespace) -> int:
    """Run `export FORMAT` or `import FORMAT`."""
    from ..cli import _check_output

    if (args.command, args.format) != ("export", "brat"):
        _check_output(args.output)
    handlers = {
        ("export", "label-studio"): export_label_studio,
        ("export", "brat"): export_brat,
        ("export", "docbin"): export_docbin,
        ("import", "label-studio"): import_label_studio,
        ("import", "brat"): import_brat,
    }
    return handlers[(args.command, args.format)](args)
