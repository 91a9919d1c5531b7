"""Links by reference from the editors' texts to pages the guide builds from its data.

A page or project links an activity by its file name, `[Stolegymnastik i Egtved]({aktivitet}
stolegymnastik-egtved)`, a category by its id, `({kategori}motion)`, and a page of search words
by its id, `({soegeord}svoemning)`. The build writes the address, so a link keeps working when
the guide is served from a folder; and when the activity is renamed or deleted, the build stops
and says which file and line still name it, instead of a reader finding a dead link.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from .problems import Problem


@dataclass(frozen=True)
class LinkKind:
    """One kind of reference: what it names, and where an editor finds the names allowed."""

    name: str  # as written between the braces
    noun: str  # "en aktivitet"
    missing: str  # why a name is not allowed, with {name}: "der er ingen fil activities/{name}.yaml"
    example: str  # a name of this kind, for the message when the name is left out
    list_allowed: bool  # name every allowed value in the message (the short vocabularies)


KINDS = {
    kind.name: kind
    for kind in (
        LinkKind(
            "aktivitet", "en aktivitet", "der er ingen fil activities/{name}.yaml", "gaaklub-egtved", False
        ),
        LinkKind(
            "kategori", "en kategori", "der er intet id '{name}' i data/categories.yaml", "motion", True
        ),
        LinkKind(
            "soegeord", "et søgeord", "der er intet id '{name}' i data/search_words.yaml", "kortspil", True
        ),
    )
}

# As Pelican reads {filename}: the kind in braces, then the name up to the end of the address.
REFERENCE = re.compile(r"\{(?P<kind>" + "|".join(KINDS) + r")\}(?P<name>[^\s)\"'<>#?]*)")
TEXT = "(tekst)"  # the field of a problem in a page's or project's text (as loading.root_links)


@dataclass(frozen=True)
class Reference:
    kind: str
    name: str
    line: int  # in the file, from 1
    field: str = TEXT  # where: the text, or a field of the front matter ("activities[0]")


def references(text: str, first_line: int = 1) -> Iterator[Reference]:
    """Every {aktivitet}, {kategori} and {soegeord} reference in a text, with its line."""
    for match in REFERENCE.finditer(text):
        yield Reference(match["kind"], match["name"], first_line + text.count("\n", 0, match.start()))


def unknown_reference(reference: Reference, source: str, known: Collection[str]) -> Problem:
    """The problem to report for a reference to something the guide does not have: which file
    and line, the name, why it is not allowed, and the nearest names the guide has."""
    kind, name = KINDS[reference.kind], reference.name
    written = f"{{{kind.name}}}{name}"
    if not name:
        message = f"linket {written} mangler et navn (fx {written}{kind.example})"
        return Problem(source, reference.line, reference.field, message)
    advice = []
    if kind.name == "aktivitet":
        advice.append("er den omdøbt eller slettet?")
    # A renamed file usually keeps the old name in the new one (gaaklub -> gaaklub-vejle-nord).
    close = [c for c in sorted(known) if name in c or c in name]
    close = list(dict.fromkeys(close + difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.75)))[:3]
    if close:
        names = [f"'{c}'" for c in close]
        advice.append(
            f"mente du {' eller '.join([', '.join(names[:-1]), names[-1]] if names[:-1] else names)}?"
        )
    if kind.list_allowed:
        advice.append(f"tilladt: {', '.join(sorted(known)) or 'ingen'}")
    else:
        advice.append("skriv filnavnet uden .yaml")
    why = f"{kind.missing.format(name=name)} ({' '.join(advice)})"
    if reference.field == TEXT:
        message = f"linket {written} peger på {kind.noun}, der ikke findes: {why}"
    else:
        message = f"'{name}' er ikke {kind.noun} i guiden: {why}"
    return Problem(source, reference.line, reference.field, message)


def reference_problems(
    text: str, source: str, known: Mapping[str, Collection[str]], first_line: int = 1
) -> list[Problem]:
    """A problem for each reference in `text` (a file's source: Markdown, front matter and all) to
    an activity, category or search word that `known` (kind -> the names the guide has) does not
    have: for checking files without a build, as an editors' command would."""
    return [
        unknown_reference(ref, source, known.get(ref.kind, ()))
        for ref in references(text, first_line)
        if ref.name not in known.get(ref.kind, ())
    ]


def line_of(text: str, written: str) -> int:
    """The line `written` is first on in `text` (1 when it is not there)."""
    at = text.find(written)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1
