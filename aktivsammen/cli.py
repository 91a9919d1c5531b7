"""The editors' command line: `aktivsammen validate | format | stale | examples | schema | queue | serve`
(a thin layer over the library)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from .dates import notes_with_dates
from .freshness import STALE_AFTER_DAYS, as_csv, as_text, stale
from .loading import (
    ActivityEntry,
    dump_activity,
    load_content,
    load_vocabularies,
    parse_yaml,
    read_text,
    root_links,
    source_name,
)
from .model import danish_today
from .problems import ContentError, Problem, format_field, format_report
from .readability import DEFAULT_MAX_LIX, warnings
from .sample_data import example_data
from .schedule import danish_date, danish_time
from .schema import SCHEMA_FILE, render_schema
from .submit.reminders import EVERY_DAYS

DEFAULT_CONTENT = Path("content")


def _content_folder(args: argparse.Namespace) -> Path | None:
    """The content folder: --content, else `content` here, else the one the named files are in.

    So `aktivsammen validate ~/guide/content/activities/x.yaml` works from any folder.
    """
    if (args.content / "data").is_dir() or args.content != DEFAULT_CONTENT:
        return args.content if (args.content / "data").is_dir() else None
    for path in getattr(args, "paths", None) or []:
        for folder in Path(path).resolve().parents:
            if (folder / "data").is_dir() and (folder / "activities").is_dir():
                return folder
    return None


def _validate(args: argparse.Namespace) -> int:
    content = _content_folder(args)
    if content is None:
        where = args.content.resolve()
        print(
            f"Mappen med indhold findes ikke: {where} (der skal være en mappe data/ i den). Kør "
            "kommandoen i guidens mappe, eller skriv hvor indholdet er med --content STI.",
            file=sys.stderr,
        )
        return 1
    try:
        vocabularies = load_vocabularies(content / "data")
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    paths = args.paths or [content / "activities", content / "projects"]
    result = load_content(paths, vocabularies)
    if not args.paths:  # the Markdown pages: only their links can be wrong in a way a build hides
        for page in sorted((content / "pages").glob("*.md")):
            source = source_name(page)
            result.problems.extend(root_links(read_text(page, source), source))
        result.problems.extend(_reference_problems(content, result, vocabularies))
    if result.problems:
        print(format_report(result.problems), file=sys.stderr)
        return 1
    advice = language_warnings(result.activities, args.lix) + date_warnings(result.activities, vocabularies)
    for problem in advice:
        print(problem)
    note = f" ({len(advice)} {'advarsel' if len(advice) == 1 else 'advarsler'})" if advice else ""
    counts = f"{len(result.activities)} aktiviteter og {len(result.projects)} projekter"
    print(f"Alt i orden: {counts} er gyldige{note}.")
    return 0


def _reference_problems(content: Path, result, vocabularies) -> list[Problem]:
    """{aktivitet}, {kategori} and {soegeord} links in pages and projects to names the guide lacks
    (the build stops on the same ones, with the same words)."""
    from .links import reference_problems

    known = {
        "aktivitet": {entry.slug for entry in result.activities},
        "kategori": {term.id for term in vocabularies.categories},
        "soegeord": {group.id for group in vocabularies.search_words if not group.one_word},
    }
    found = []
    for path in sorted([*(content / "pages").glob("*.md"), *(content / "projects").glob("*.md")]):
        source = source_name(path)
        found += reference_problems(read_text(path, source), source, known)
    return found


def language_warnings(entries: list[ActivityEntry], max_lix: int) -> list[Problem]:
    """Plain-language advice; lines are looked up only for the files that get some."""
    found = []
    for entry in entries:

        def line_of(path, source=entry.source):
            return parse_yaml(read_text(Path(source), source), source).line_of(path)

        found.extend(warnings(entry.activity, entry.source, line_of, max_lix))
    return found


def date_warnings(entries: list[ActivityEntry], vocabularies) -> list[Problem]:
    """Notes that still tell dates the data does not hold (the calendars cannot know them)."""
    found = []
    for entry in entries:
        mentioned = notes_with_dates(entry.activity, vocabularies)
        if not mentioned:
            continue
        document = parse_yaml(read_text(Path(entry.source), entry.source), entry.source)
        for path, words in mentioned:
            found.append(Problem(entry.source, document.line_of(path), format_field(path),
                                 f"advarsel: bemærkningen nævner '{words}', men det står ikke i datoerne; "
                                 "skriv lukninger under closed og særlige dage under special_dates, "
                                 "så kalenderen og 'Næste gang' passer"))  # fmt: skip
    return found


def _format(args: argparse.Namespace) -> int:
    """Write activity files in the form the submission form writes, so its edits diff cleanly."""
    vocabularies = load_vocabularies(args.content / "data")
    result = load_content(args.paths or [args.content / "activities"], vocabularies)
    if result.problems:  # only valid files are rewritten, and only when all are valid
        print(format_report(result.problems), file=sys.stderr)
        return 1
    changed = []
    for entry in result.activities:
        path, text = Path(entry.source), dump_activity(entry.activity)
        if path.read_text(encoding="utf-8") != text:
            changed.append(entry.source)
            if not args.check:
                temporary = path.with_name(path.name + ".ny")
                temporary.write_text(text, encoding="utf-8")
                temporary.replace(path)  # whole file or nothing
    verb = "skal skrives om" if args.check else "er skrevet om"
    for source in changed:
        print(f"{source}: {verb}")
    print(f"{len(changed)} af {len(result.activities)} aktivitetsfiler {verb}.")
    return 1 if args.check and changed else 0


def _valid_activities(args: argparse.Namespace):
    """The vocabularies and the activities, or None after printing what is wrong with them."""
    vocabularies = load_vocabularies(args.content / "data")
    result = load_content([args.content / "activities"], vocabularies)
    if result.problems:
        print(format_report(result.problems), file=sys.stderr)
        return None
    return vocabularies, result.activities


def _stale(args: argparse.Namespace) -> int:
    if not (loaded := _valid_activities(args)):
        return 1
    items = stale(loaded[1], args.today, args.older_than)
    if args.send:
        return _remind(args, items)
    print(as_csv(items) if args.csv else as_text(items, args.older_than), end="" if args.csv else "\n")
    return 0


def _remind(args: argparse.Namespace, items) -> int:
    """`stale --send`: who would be asked to confirm (a dry run), or with --confirm, ask them."""
    from .submit.outbox import Outbox, load_or_create_key
    from .submit.reminders import (
        ASKED_LATELY,
        NO_EMAIL,
        SEND,
        InviteLinks,
        ReminderLog,
        link_key,
        plan,
        send_reminders,
    )
    from .submit.settings import Settings, settings_problem
    from .submit.store import SubmissionStore

    try:
        settings = Settings(**({"database": args.database} if args.database else {}))
    except ValueError as error:
        print(f"Indstillingerne er ikke i orden: {settings_problem(error)}", file=sys.stderr)
        return 1
    store = SubmissionStore(settings.database)
    log = ReminderLog(store)
    planned = plan(items, log, args.today, args.every)
    if not planned:
        print(
            f"Alle aktiviteter er bekræftet inden for de seneste {args.older_than} dage. Ingen skal spørges."
        )
        return 0
    for item in planned:
        activity = item.stale.entry.activity
        line = f"- {item.action}: {activity.title} ({item.stale.entry.source})"
        if item.action == SEND:
            line += f"\n  til {activity.contact.email}, sidst bekræftet {danish_date(activity.verified)}"
        elif item.action == ASKED_LATELY:
            asked = date.fromisoformat(item.asked_on)
            again = asked + timedelta(days=args.every)
            line += f"\n  spurgt {danish_date(asked)}, igen tidligst {danish_date(again)}"
        elif item.action == NO_EMAIL:
            line += f"\n  ring i stedet: {activity.contact.phone or '(intet nummer)'}"
        print(line)
    count = sum(item.action == SEND for item in planned)
    if not args.confirm:
        print(f"\nPrøvekørsel: intet er sendt. {count} ville få en e-mail. "
              "Kør igen med --send --confirm for at sende dem.")  # fmt: skip
        return 0
    site_url = args.site_url or settings.site_url
    if not site_url:
        print("Linket i e-mailen skal pege på guiden: brug --site-url https://... eller "
              "AKTIVSAMMEN_SUBMIT_SITE_URL. Intet er sendt.", file=sys.stderr)  # fmt: skip
        return 1
    key = settings.companion_key.get_secret_value() if settings.companion_key else None
    outbox = Outbox(store, load_or_create_key(key, settings.database))
    sent = send_reminders(
        planned, outbox=outbox, log=log, links=InviteLinks(link_key(settings)), site_url=site_url,
        sender=settings.mail_from, guide_name="aktivitetsguiden", today=args.today,
    )  # fmt: skip
    references = ", ".join(reference for _, reference in sent) or "-"
    print(f"\n{len(sent)} e-mails lagt i tjenestens udbakke ({references}). Tjenesten sender dem "
          "inden for et minut; 'aktivsammen queue' viser dem, der ikke er sendt.")  # fmt: skip
    return 0


def _examples(args: argparse.Namespace) -> int:
    """The demo's example contacts still in the content: each with file, line and field."""
    if not (loaded := _valid_activities(args)):
        return 1
    vocabularies, activities = loaded
    found = example_data(activities, vocabularies, args.content / "data")
    for problem in found:
        print(problem)
    print(f"{len(found)} eksempeloplysninger." if found else "Ingen eksempeloplysninger.")
    return 1 if found else 0


def _import(args: argparse.Namespace) -> int:
    """A file of answers from the submission page without a service -> a checked activity file."""
    from .submit.answers import AnswersInvalid, import_answers

    try:
        imported = import_answers(args.file, args.content)
    except AnswersInvalid as invalid:
        for line in invalid.lines:
            print(line, file=sys.stderr)
        return 1
    print(f"Skrev {imported.path}: {imported.title}")
    for line in imported.for_editor:
        print(line)
    print("Se filen igennem, og læg den på guiden som en pull request (se docs/redaktoer.md).")
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


def _queue(args: argparse.Namespace) -> int:
    """The submission queue as editors need it: what waits, what failed and why, and the pull requests."""
    from .submit.outbox import send_again
    from .submit.settings import Settings
    from .submit.store import State, SubmissionStore

    store = SubmissionStore(args.database or Settings().database)
    if args.done:
        return _report_done(store, args.done)
    if args.retry and args.retry.strip().upper().startswith("FG-"):
        again = send_again(store, args.retry)
        if again is None:
            print(f"Ukendt referencenummer: {args.retry}", file=sys.stderr)
            return 1
        if again.outcome:
            print(f"{again.reference}: kan ikke sendes igen, indholdet er slettet ({again.outcome})")
            return 1
        print(f"{again.reference}: sendes igen ved næste forsøg")
        return 0
    if args.retry:
        found = store.release(args.retry)
        if found is None:
            print(f"Ukendt referencenummer: {args.retry}", file=sys.stderr)
            return 1
        print(f"{found.reference}: {found.state.value} (sendes igen ved næste forsøg)")
        return 0
    states = None if args.all else (State.RECEIVED, State.NEEDS_EDITOR, State.HELD)
    submissions = store.all(states)
    for item in submissions:
        received = danish_time(item.received_at)
        line = f"{item.reference}  {item.state.value:<16} {received}  {item.kind:<8} {item.title}"
        if item.submitter:  # kept here for the editors, never in the pull request
            who = json.loads(item.submitter)
            reach = ", ".join(who.get(key) for key in ("email", "phone") if who.get(key))
            line += f"\n          sendt af {who.get('name', '?')} ({reach})"
        if item.pr_url:
            line += f"\n          pull request #{item.pr_number}: {item.pr_url}"
        if item.last_error and item.state is not State.OPENED:
            line += f"\n          forsøg {item.attempts}, sidste fejl: {item.last_error}"
        print(line)
    counts = store.counts()
    summary = ", ".join(f"{counts.get(state, 0)} {state.value}" for state in State)
    print(f"{len(submissions)} vist ({summary})")
    _report_queue(store, every=args.all)
    _companion_queue(store)
    return 0


def _report_queue(store, every: bool) -> None:
    """ "Meld en fejl": what readers said is wrong, until an editor marks it done."""
    from .submit.report import ReportList

    reports = ReportList(store)
    shown = reports.all() if every else reports.open()
    if not shown:
        return
    print(f"\nFejlmeldinger fra læserne{'' if every else ', der ikke er klaret'}: {len(shown)}")
    for item in shown:
        received = danish_time(item.received_at)
        line = f"{item.reference}  {received}  {item.title} ({item.slug}): {item.problem_label}"
        if item.suspect:
            line += "  [muligvis spam]"
        if item.done_at:
            line += f"  [klaret {danish_time(item.done_at)}]"
        for text in item.description.splitlines():
            line += f"\n          {text}"
        print(line)
    print("Læserens kontakt står i e-mailen til redaktionen. Klaret: 'aktivsammen queue --done FM-…'.")


def _report_done(store, reference: str) -> int:
    from .submit.report import ReportList

    found = ReportList(store).mark_done(reference)
    if found is None:
        print(f"Ukendt referencenummer: {reference} (en fejlmelding hedder FM-…)", file=sys.stderr)
        return 1
    print(f"{found.reference}: klaret ({found.title})")
    return 0


def _companion_queue(store) -> None:
    """Companion requests not delivered: only that they wait and why, as their content is personal."""
    from .submit.outbox import EXPIRED, RECEIPT, REFUSED, REMINDER, REPORT, undelivered

    companion = undelivered(store)
    if not companion:
        return

    print(f"\nE-mails, der ikke er afleveret (følgeskab, kvitteringer, fejlmeldinger): {len(companion)}")
    state = {"": "venter", REFUSED: "afvist af mailserveren", EXPIRED: "udløbet, slettet uden at være sendt"}
    for item in companion:
        what = {RECEIPT: "kvittering", REPORT: "fejlmelding", REMINDER: "påmindelse"}.get(
            item.kind, "følgeskab"
        )
        line = f"{item.reference}  {what}, {state[item.outcome]}, modtaget {danish_time(item.received_at)}"
        line += f", forsøg {item.attempts}, sidste fejl: {item.last_error or '-'}"
        if item.outcome != EXPIRED:
            line += f"\n          slettes {danish_time(item.deleted_on)}, hvis den ikke er sendt inden da"
        print(line)
    if any(not item.outcome for item in companion):
        print("Ventende sendes af tjenesten, så snart mailserveren svarer. Tjek AKTIVSAMMEN_SUBMIT_SMTP_*.")
    if any(item.outcome == REFUSED for item in companion):
        print("Afviste: ret modtagerens adresse eller mailen, og kør 'aktivsammen queue --retry FG-…'.")
    if any(item.outcome == EXPIRED for item in companion):
        print("Udløbne kan ikke sendes: borgeren har fået et FG-nummer og venter måske på et opkald.")


def _serve(args: argparse.Namespace) -> int:
    """Run the submission service (and, with --site, serve the built site from the same address)."""
    import uvicorn

    from .submit.app import create_app
    from .submit.server import server_config
    from .submit.settings import Settings, settings_problem

    overrides: dict[str, object] = {}
    if args.content is not None:  # otherwise AKTIVSAMMEN_SUBMIT_CONTENT_DIR (or its default) holds
        overrides["content_dir"] = args.content
    if args.site:
        overrides["site_dir"] = args.site
    try:
        settings = Settings(**overrides)
        app = create_app(settings)
    except Exception as error:  # every setting is checked before the service says it runs
        print(f"Tjenesten kan ikke starte: {settings_problem(error)}", file=sys.stderr)
        return 2
    print(f"Guiden og indsendelsesformularen kører på http://{args.host}:{args.port}/ (stop med Ctrl+C)")
    uvicorn.Server(server_config(app, args.host, args.port, settings)).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aktivsammen",
        description="Værktøjer til redaktører af aktivitetsguiden.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="mappen med indhold (standard: content; for serve: AKTIVSAMMEN_SUBMIT_CONTENT_DIR)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    validate = commands.add_parser(
        "validate",
        help="tjek aktiviteter og projekter mod datamodellen og ordlisterne",
        description="Tjek filer eller mapper. Uden stier tjekkes content/activities og content/projects.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="STI", help="filer eller mapper")
    validate.add_argument(
        "--lix", type=int, default=DEFAULT_MAX_LIX, metavar="TAL",
        help=f"advar om tekster med et højere LIX-tal (standard: {DEFAULT_MAX_LIX})",
    )  # fmt: skip
    validate.set_defaults(run=_validate)

    format_command = commands.add_parser(
        "format",
        help="skriv aktivitetsfiler i standardformen (den formularen bruger)",
        description="Skriv aktivitetsfilerne i den form, indsendelsesformularen skriver dem i, så en "
        "rettelse fra formularen kun viser det, der er ændret. Indholdet ændres ikke.",
    )
    format_command.add_argument("paths", nargs="*", type=Path, metavar="STI", help="filer eller mapper")
    format_command.add_argument("--check", action="store_true", help="vis kun, hvilke filer der ville ændres")
    format_command.set_defaults(run=_format)

    stale_command = commands.add_parser(
        "stale",
        help="vis aktiviteter, som ikke er bekræftet i lang tid, med kontaktoplysninger",
        description="Aktiviteter, hvis oplysninger ikke er bekræftet i over et år (eller --older-than dage), "
        "ældste først, med hvem der skal kontaktes.",
    )
    stale_command.add_argument(
        "--older-than", type=int, default=STALE_AFTER_DAYS, metavar="DAGE",
        help=f"antal dage (standard: {STALE_AFTER_DAYS})",
    )  # fmt: skip
    stale_command.add_argument("--csv", action="store_true", help="skriv listen som CSV (til regneark)")
    stale_command.add_argument(
        "--send", action="store_true",
        help="e-mail kontakterne et link, hvor de kan bekræfte eller rette (uden --confirm: prøvekørsel)",
    )  # fmt: skip
    stale_command.add_argument("--confirm", action="store_true", help="send e-mailene (med --send)")
    stale_command.add_argument(
        "--every", type=int, default=EVERY_DAYS, metavar="DAGE",
        help=f"spørg den samme aktivitet højst én gang på så mange dage (standard: {EVERY_DAYS})",
    )  # fmt: skip
    stale_command.add_argument(
        "--site-url", help="guidens adresse til linket (standard: AKTIVSAMMEN_SUBMIT_SITE_URL)"
    )
    stale_command.add_argument("--database", type=Path, help="tjenestens database (standard: som tjenesten)")
    stale_command.add_argument(
        "--today", type=date.fromisoformat, default=danish_today(), metavar="ÅÅÅÅ-MM-DD",
        help="regn fra denne dato i stedet for i dag",
    )  # fmt: skip
    stale_command.set_defaults(run=_stale)

    examples = commands.add_parser(
        "examples",
        help="vis eksempeldata (opdigtede navne, example.dk-adresser, falske numre), som ikke må udgives",
        description="Guidens eksempelindhold har opdigtede kontakter. Kommandoen viser dem, der er tilbage, "
        "med fil, linje og felt, og slutter med fejl, hvis der er nogen (som make publish med "
        "PUBLISH_REFUSE_EXAMPLE_DATA = True).",
    )
    examples.set_defaults(run=_examples)

    import_command = commands.add_parser(
        "import",
        help="lav en aktivitetsfil af en fil med svar fra indsendelsessiden (uden tjeneste)",
        description="Når guiden ikke har en indsendelsestjeneste, gemmer foreningerne deres svar som en "
        "fil og sender den til redaktionen. Kommandoen tjekker svarene med datamodellen og skriver "
        "aktivitetsfilen i content/activities (en ny fil; en eksisterende overskrives aldrig).",
    )
    import_command.add_argument(
        "file", type=Path, metavar="FIL", help="filen med svarene (indsendelse-….json)"
    )
    import_command.set_defaults(run=_import)

    schema = commands.add_parser(
        "schema",
        help="skriv aktivitetens JSON Schema (bruges af indsendelsesformularen)",
        description="Skriv JSON Schema for en aktivitet, med ordlisternes værdier.",
    )
    schema.add_argument("--output", type=Path, default=SCHEMA_FILE, help=f"standard: {SCHEMA_FILE}")
    schema.add_argument("--check", action="store_true", help="fejl, hvis filen ikke er opdateret")
    schema.set_defaults(run=_schema)

    queue = commands.add_parser(
        "queue",
        help="vis indsendelser fra formularen, der venter eller er gået galt, og send dem igen",
        description="Køen af indsendelser. Uden --all vises kun dem, der ikke er blevet til "
        "en pull request endnu.",
    )
    queue.add_argument("--all", action="store_true", help="vis også dem, der er blevet til pull requests")
    queue.add_argument("--retry", metavar="REFERENCE", help="send en indsendelse igen, fx AS-00042")
    queue.add_argument("--done", metavar="REFERENCE", help="marker en fejlmelding som klaret, fx FM-00007")
    queue.add_argument("--database", type=Path, help="køens database (standard: som tjenesten)")
    queue.set_defaults(run=_queue)

    serve = commands.add_parser(
        "serve",
        help="kør indsendelsestjenesten (og guiden, med --site)",
        description="Indsendelsestjenesten. Indstillinger læses fra AKTIVSAMMEN_SUBMIT_* i miljøet.",
    )
    serve.add_argument("--site", type=Path, help="en bygget guide, der vises fra samme adresse (fx output)")
    serve.add_argument("--host", default="127.0.0.1", help="standard: 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="standard: 8000")
    serve.set_defaults(run=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.content is None and args.run is not _serve:
        args.content = DEFAULT_CONTENT
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
