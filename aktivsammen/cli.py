"""The editors' command line: `aktivsammen validate | schema` (a thin layer over the library)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loading import load_content, load_vocabularies
from .problems import ContentError, format_report
from .schema import SCHEMA_FILE, render_schema

DEFAULT_CONTENT = Path("content")


def _validate(args: argparse.Namespace) -> int:
    content = args.content
    try:
        vocabularies = load_vocabularies(content / "data")
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    paths = args.paths or [content / "activities", content / "projects"]
    result = load_content(paths, vocabularies)
    if result.problems:
        print(format_report(result.problems), file=sys.stderr)
        return 1
    print(
        f"Alt i orden: {len(result.activities)} aktiviteter og {len(result.projects)} projekter er gyldige."
    )
    return 0


def _schema(args: argparse.Namespace) -> int:
    vocabularies = load_vocabularies(args.content / "data")
    text = render_schema(vocabularies)
    target: Path = args.output
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(
                f"{target} er forældet: kør 'aktivsammen schema' og commit filen.",
                file=sys.stderr,
            )
            return 1
        print(f"{target} er opdateret.")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Skrev {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aktivsammen",
        description="Værktøjer til redaktører af aktivitetsguiden.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=DEFAULT_CONTENT,
        help="mappen med indhold (standard: content)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    validate = commands.add_parser(
        "validate",
        help="tjek aktiviteter og projekter mod datamodellen og ordlisterne",
        description="Tjek filer eller mapper. Uden stier tjekkes content/activities og content/projects.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="STI", help="filer eller mapper")
    validate.set_defaults(run=_validate)

    schema = commands.add_parser(
        "schema",
        help="skriv aktivitetens JSON Schema (bruges af indsendelsesformularen)",
        description="Skriv JSON Schema for en aktivitet, med ordlisternes værdier.",
    )
    schema.add_argument("--output", type=Path, default=SCHEMA_FILE, help=f"standard: {SCHEMA_FILE}")
    schema.add_argument("--check", action="store_true", help="fejl, hvis filen ikke er opdateret")
    schema.set_defaults(run=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
