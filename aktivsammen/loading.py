"""Content files -> domain model, with the file and line of every problem; model -> canonical YAML."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .model import Activity, Area, Coordinator, Period, Project, SearchWords, Term, Vocabularies
from .problems import WHOLE_FILE, ContentError, Problem, format_field, problems_from_validation

ACTIVITY_SUFFIX = ".yaml"
PROJECT_SUFFIX = ".md"
VOCABULARY_FILES = {
    "areas": "areas.yaml",
    "categories": "categories.yaml",
    "target_groups": "target_groups.yaml",
    "accessibility": "accessibility.yaml",
    "coordinators": "coordinators.yaml",
    "periods": "periods.yaml",
    "search_words": "search_words.yaml",
}
OPTIONAL_VOCABULARIES = ("periods", "search_words")  # a guide may have no named periods or words
VOCABULARY_ITEMS = {
    "areas": Area,
    "categories": Term,
    "target_groups": Term,
    "accessibility": Term,
    "coordinators": Coordinator,
    "periods": Period,
    "search_words": SearchWords,
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


# --- YAML with line numbers ---------------------------------------------------


# libyaml's parser when PyYAML has it (it keeps line marks; resolving stays in Python, below).
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """YAML 1.1 with two surprises removed: 10:30 is not the number 630, 0700 is not octal."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)  # an impossible date stays text: the model says why


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _RepeatedKey(Exception):
    """A mapping holds the same key twice (PyYAML would silently keep the last one)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
    if len(keys) != len(set(keys)):
        raise _RepeatedKey
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.construct_mapping = _construct_mapping

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SPECIAL_KEY_TAGS = (_MERGE_TAG, "tag:yaml.org,2002:value")
MAX_YAML_CHARS = 200_000  # an activity file is a few kilobytes; a data file far less than this
# PyYAML's own words for what is wrong, in the editors' words (the rest say "tjek ..." plainly).
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "der står et kolon midt i en værdi (sæt teksten i anførselstegn)"),
    ("could not find expected ':'", "der mangler et kolon efter et feltnavn"),
    (
        "did not find expected key",
        "indrykningen passer ikke: felter i samme gruppe skal stå lige under hinanden",
    ),
    (
        "did not find expected '-'",
        "et punkt i en liste mangler sin bindestreg, eller indrykningen passer ikke",
    ),
    ("expected <block end>", "indrykningen passer ikke: felter i samme gruppe skal stå lige under hinanden"),
    ("found a tab character", "der er et tabulatortegn: ryk ind med mellemrum"),
    ("found unexpected end of stream", "et anførselstegn eller en parentes er ikke lukket"),
    ("while scanning a quoted scalar", "et anførselstegn er ikke lukket"),
    (
        "found unknown escape character",
        "en \\ i en tekst i \"anførselstegn\" skal skrives \\\\ (eller brug 'enkelte')",
    ),
    (
        "that cannot start any token",
        "en værdi begynder med et tegn, der ikke må stå først (sæt den i anførselstegn)",
    ),
    ("found undefined alias", "* bruges ikke i aktivitetsfiler (sæt teksten i anførselstegn)"),
    (
        "expected alphabetic or numeric character",
        "& og * bruges ikke i aktivitetsfiler (sæt teksten i anførselstegn)",
    ),
    ("found duplicate anchor", "& og * bruges ikke i aktivitetsfiler (sæt teksten i anførselstegn)"),
    ("expected a single document", "filen må kun have ét dokument (fjern linjen med ---)"),
    ("expected ',' or ']'", "en liste i [ ] er ikke lukket rigtigt (tjek kommaer og ])"),
    ("expected ',' or '}'", "en gruppe i { } er ikke lukket rigtigt (tjek kommaer og })"),
    ("found unhashable key", "et feltnavn er ikke en enkel tekst"),
)
ALIAS_MESSAGE = (
    "henvisninger med & og * (eller <<:) bruges ikke i aktivitetsfiler: skriv værdien ud, "
    "eller sæt teksten i anførselstegn, hvis den begynder med & eller *"
)


class _NotPlain(Exception):
    """The document uses a YAML feature the fast path leaves to PyYAML (tags, odd keys ...)."""


class _Alias(Exception):
    """The document refers back to an anchor (*name): refused, see parse_yaml."""

    def __init__(self, node: yaml.Node):
        self.node = node


def _construct_plain(loader: _Loader, node: yaml.Node, seen: set[int]) -> Any:
    """Mappings, lists and text built directly; other scalars through PyYAML's constructors.

    PyYAML's generic construction was the slowest part of reading an activity. The result is
    the same; anything out of the ordinary raises _NotPlain, and PyYAML builds the document.
    """
    tag = node.tag
    kind = type(node)
    if kind is yaml.ScalarNode:
        return node.value if tag == _STR_TAG else loader.construct_object(node, deep=True)
    if id(node) in seen:  # an alias (the composer hands back the anchored node)
        raise _Alias(node)
    seen.add(id(node))
    if kind is yaml.MappingNode and tag == _MAP_TAG:
        keys = []
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                raise _Alias(key_node)
            if key_node.tag in _SPECIAL_KEY_TAGS:
                raise _NotPlain
            if type(key_node) is yaml.ScalarNode:
                keys.append(key_node.value)
        if len(keys) != len(set(keys)):
            raise _RepeatedKey
        result = {}
        for key_node, value_node in node.value:
            key = _construct_plain(loader, key_node, seen)
            if not isinstance(key, str | int | float | bool | date | None):
                raise _NotPlain  # PyYAML says why the key cannot be used
            result[key] = _construct_plain(loader, value_node, seen)
        return result
    if kind is yaml.SequenceNode and tag == _SEQ_TAG:
        return [_construct_plain(loader, item, seen) for item in node.value]
    raise _NotPlain


def _construct_document(loader: _Loader, node: yaml.Node) -> Any:
    try:
        return _construct_plain(loader, node, set())
    except _NotPlain:
        _refuse_aliases(node, set())  # before PyYAML builds it: no alias reaches a slower walk
        return loader.construct_document(node)


def _refuse_aliases(node: yaml.Node, seen: set[int]) -> None:
    """Raise _Alias at the first node met twice. A few hundred bytes of nested aliases expand to
    gigabytes for anything that walks the data (validation, line recording): none get past here."""
    if id(node) in seen:
        raise _Alias(node)
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                raise _Alias(key)
            _refuse_aliases(key, seen)
            _refuse_aliases(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        for item in node.value:
            _refuse_aliases(item, seen)


def _unclosed_quote(text: str, upto: int) -> int | None:
    """The first line up to `upto` with an odd number of double quotes (not counting \\" or comments)."""
    for number, line in enumerate(text.splitlines()[: upto + 1]):
        quotes = line.replace('\\"', "").split(" #")[0].count('"')
        if quotes % 2:
            return number
    return None


def _indent_of(text: str, line: int) -> str:
    lines = text.splitlines()
    return re.match(r"[ \t]*", lines[line]).group(0) if line < len(lines) else ""


def _yaml_reason(problem: str, context: str) -> str:
    text = f"{context} {problem}"
    for english, danish in _YAML_PROBLEMS:
        if english in text:
            return danish
    return "opsætningen er forkert"


@dataclass
class YamlDocument:
    """Parsed YAML, and the line of every key and list item, to point editors at problems.

    Lines are worked out from the parsed nodes only when a problem needs one.
    """

    data: Any
    node: yaml.Node | None = None
    source: str = ""
    line_offset: int = 0
    _lines: dict[tuple[Any, ...], int] | None = None

    @property
    def first_line(self) -> int:
        return 1 + self.line_offset

    @property
    def lines(self) -> dict[tuple[Any, ...], int]:
        if self._lines is None:
            self._lines, repeats = {}, []
            if self.node is not None:
                _record_lines(self.node, (), self._lines, repeats, self.source, self.line_offset)
            if repeats:
                raise ContentError(repeats)
        return self._lines

    def line_of(self, path: tuple[Any, ...]) -> int:
        """The line of the deepest part of `path` that exists in the file."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return self.first_line


def parse_yaml(text: str, source: str, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; syntax errors and repeated keys become Problems."""
    if len(text) > MAX_YAML_CHARS:
        message = f"filen er for stor: {len(text)} tegn (højst {MAX_YAML_CHARS})"
        raise ContentError([Problem(source, 1 + line_offset, WHOLE_FILE, message)])
    loader = _Loader(text)
    node = None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, source=source, line_offset=line_offset)
        document = YamlDocument(_construct_document(loader, node), node, source, line_offset)
    except _RepeatedKey:
        repeats: list[Problem] = []
        _record_lines(node, (), {}, repeats, source, line_offset)
        raise ContentError(repeats) from None
    except _Alias as alias:
        line = alias.node.start_mark.line + 1 + line_offset
        raise ContentError([Problem(source, line, WHOLE_FILE, ALIAS_MESSAGE)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and re.search(r"quoted scalar|flow (sequence|mapping)", error.context or ""):
            mark = error.context_mark  # where the quote or bracket that is never closed begins
        line = (mark.line + 1 if mark else 1) + line_offset
        reason = _yaml_reason(error.problem or "", error.context or "")
        unclosed = _unclosed_quote(text, mark.line if mark else 0)
        if unclosed is not None:  # a quote left open runs on to the next lines, where YAML stumbles
            line, reason = unclosed + 1 + line_offset, 'et anførselstegn (") er ikke lukket i linjen'
        elif mark and "\t" in _indent_of(text, mark.line):
            reason = "der er et tabulatortegn i indrykningen: ryk ind med mellemrum"
        message = (
            f"kan ikke læses: {reason} "
            "(tjek indrykning, kolon efter hvert feltnavn og anførselstegn om tekst med kolon)"
        )
        raise ContentError([Problem(source, line, WHOLE_FILE, message)]) from None
    except yaml.YAMLError as error:
        raise ContentError(
            [Problem(source, 1 + line_offset, WHOLE_FILE, "kan ikke læses: " + _yaml_reason(str(error), ""))]
        ) from None
    finally:
        loader.dispose()
    return document


def _record_lines(
    node: yaml.Node, path: tuple[Any, ...], lines: dict, repeats: list, source: str, offset: int
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            where = (*path, key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key_node.value in seen:
                message = "feltet står mere end én gang (slet den ene)"
                repeats.append(Problem(source, line, format_field(where), message))
            seen.add(key_node.value)
            lines[where] = line
            _record_lines(value_node, where, lines, repeats, source, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*path, index), lines, repeats, source, offset)


def read_text(path: Path, source: str) -> str:
    """The file's text; bytes that are not UTF-8 are a problem with a line number."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            [
                Problem(
                    source,
                    line,
                    WHOLE_FILE,
                    f"filen er ikke gemt som UTF-8 (byte 0x{raw[error.start]:02x} "
                    "kan ikke læses; gem filen som UTF-8 i din editor)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def _require_mapping(document: YamlDocument, source: str, what: str) -> dict:
    if document.data is None:
        raise ContentError(
            [
                Problem(
                    source,
                    document.first_line,
                    WHOLE_FILE,
                    f"filen er tom (skriv {what} som linjer med nøgle: værdi, fx title: Gåklub)",
                )
            ]
        )
    if not isinstance(document.data, dict):
        kind = "en liste" if isinstance(document.data, list) else "en enkelt værdi"
        raise ContentError(
            [
                Problem(
                    source,
                    document.first_line,
                    WHOLE_FILE,
                    f"filen indeholder {kind}, men skal indeholde felter (linjer med nøgle: værdi)",
                )
            ]
        )
    return document.data


def _validate(
    model: type[BaseModel], document: YamlDocument, source: str, vocabularies: Vocabularies | None
) -> Any:
    try:
        return model.model_validate(document.data, context={"vocabularies": vocabularies})
    except ValidationError as error:
        raise ContentError(
            problems_from_validation(
                error,
                path=source,
                model=model,
                data=document.data,
                line_of=document.line_of,
            )
        ) from None


def checked_slug(path: Path, source: str, suffix: str) -> str:
    """The slug a content file's name gives; the name must be a valid, lowercase web address."""
    if path.suffix != suffix:
        raise ContentError(
            [
                Problem(
                    source,
                    1,
                    WHOLE_FILE,
                    f"filen skal ende på {suffix} (omdøb den, fx til {path.stem}{suffix})",
                )
            ]
        )
    if not _SLUG.match(path.stem):
        raise ContentError(
            [
                Problem(
                    source,
                    1,
                    WHOLE_FILE,
                    f"filnavnet '{path.stem}' bliver sidens adresse og må kun have små bogstaver a-z, "
                    "tal og bindestreg (fx gaaklub-jelling.yaml; skriv æ=ae, ø=oe, å=aa)",
                )
            ]
        )
    return path.stem


# --- Entries ------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityEntry:
    """An activity with where it came from; the file name is its stable slug."""

    slug: str
    source: str
    activity: Activity


@dataclass(frozen=True)
class ProjectEntry:
    """A project's metadata and its Markdown body."""

    slug: str
    source: str
    project: Project
    body: str
    # The front matter with the line of every field, for problems found later (the build's links).
    document: YamlDocument | None = field(default=None, compare=False, repr=False)


def source_name(path: Path, root: Path | None = None) -> str:
    """The path as editors know it: relative to the project when possible."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root or Path.cwd()))
    return str(path) if relative.startswith("..") else relative


def load_activity(path: Path, vocabularies: Vocabularies, source: str | None = None) -> ActivityEntry:
    """Read and validate one activity file; raise ContentError listing every problem."""
    source = source or source_name(path)
    slug = checked_slug(path, source, ACTIVITY_SUFFIX)
    document = parse_yaml(read_text(path, source), source)
    _require_mapping(document, source, "aktivitetens felter")
    return ActivityEntry(slug, source, _validate(Activity, document, source, vocabularies))


def load_project(path: Path, vocabularies: Vocabularies, source: str | None = None) -> ProjectEntry:
    """Read a project: YAML front matter between --- lines, then the Markdown body."""
    source = source or source_name(path)
    slug = checked_slug(path, source, PROJECT_SUFFIX)
    text = read_text(path, source)
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(
            [
                Problem(
                    source,
                    1,
                    WHOLE_FILE,
                    "projektet skal begynde med felter mellem to linjer med --- (title, summary, status ...)",
                )
            ]
        )
    document = parse_yaml(match[1] or "", source, line_offset=1)
    _require_mapping(document, source, "projektets felter")
    project = _validate(Project, document, source, vocabularies)
    body = text[match.end() :].strip()
    if not body:
        raise ContentError(
            [
                Problem(
                    source,
                    text[: match.end()].count("\n") + 1,
                    "(tekst)",
                    "projektet mangler en beskrivelse under felterne (skriv mindst et afsnit)",
                )
            ]
        )
    links = root_links(body, source, text[: match.end()].count("\n") + 1)
    if links:
        raise ContentError(links)
    return ProjectEntry(slug, source, project, body, document)


_ROOT_LINK = re.compile(r"\]\((/[^)\s]*)|href=[\"'](/[^\"']*)")


def root_links(markdown: str, source: str, first_line: int = 1) -> list[Problem]:
    """Links written from the site's root (`](/kategori/motion/)`): they break when the guide is
    served from a folder, so content links name what they point to and Pelican finds the address."""
    problems = []
    for match in _ROOT_LINK.finditer(markdown):
        target = match[1] or match[2]
        if target.startswith("//"):
            continue  # another site, scheme-relative
        problems.append(
            Problem(
                source,
                first_line + markdown.count("\n", 0, match.start()),
                "(tekst)",
                f"linket {target} begynder med / og virker ikke, når guiden ligger i en mappe; skriv"
                " {filename}side.md for en side eller et projekt, eller {site}"
                f"{target.lstrip('/')} for en side, guiden selv laver",
            )
        )
    return problems


def load_vocabularies(data_dir: Path) -> Vocabularies:
    """Read every vocabulary file in content/data/; ids must be unique within a vocabulary."""
    raw: dict[str, Any] = {}
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    for kind, name in VOCABULARY_FILES.items():
        path = data_dir / name
        source = source_name(path)
        if not path.exists() and kind in OPTIONAL_VOCABULARIES:
            continue
        if not path.exists():
            problems.append(Problem(source, 1, WHOLE_FILE, "ordlisten mangler (filen findes ikke)"))
            continue
        try:
            document = parse_yaml(read_text(path, source), source)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if not isinstance(document.data, list):
            problems.append(
                Problem(
                    source, 1, WHOLE_FILE, "ordlisten skal være en liste med ét punkt (- id: ...) pr. værdi"
                )
            )
            continue
        documents[kind] = document
        raw[kind] = document.data
        ids = [item.get("id") for item in document.data if isinstance(item, dict)]
        for index, term_id in enumerate(ids):
            if ids.index(term_id) != index:
                problems.append(
                    Problem(
                        source,
                        document.line_of((index, "id")),
                        f"[{index}].id",
                        f"id '{term_id}' står mere end én gang (hvert id skal være unikt)",
                    )
                )
    problems += _unknown_categories_in_search_words(raw, documents, data_dir)
    problems += _one_phone_one_set_of_hours(raw, documents, data_dir)
    if problems:
        raise ContentError(problems)
    try:
        return Vocabularies.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            kind, *rest = detail["loc"]
            problems.extend(
                problems_from_validation(
                    [{**detail, "loc": tuple(rest)}],
                    path=source_name(data_dir / VOCABULARY_FILES[kind]),
                    model=VOCABULARY_ITEMS[kind],
                    data=raw[kind],
                    line_of=documents[kind].line_of,
                )
            )
        raise ContentError(problems) from None


def _unknown_categories_in_search_words(
    raw: dict[str, Any], documents: dict[str, YamlDocument], data_dir: Path
) -> list[Problem]:
    """Search words may point at categories; each must be one of categories.yaml."""
    known = sorted(str(item.get("id")) for item in raw.get("categories", []) if isinstance(item, dict))
    found = []
    for index, group in enumerate(raw.get("search_words", [])):
        named = group.get("categories") if isinstance(group, dict) else None
        for number, category in enumerate(named if isinstance(named, list) else []):
            if category not in known:
                found.append(
                    Problem(
                        source_name(data_dir / VOCABULARY_FILES["search_words"]),
                        documents["search_words"].line_of((index, "categories", number)),
                        f"[{index}].categories[{number}]",
                        f"'{category}' er ikke en kendt kategori (tilladt: {', '.join(known)})",
                    )
                )
    return found


def _one_phone_one_set_of_hours(
    raw: dict[str, Any], documents: dict[str, YamlDocument], data_dir: Path
) -> list[Problem]:
    """Coordinators who answer the same phone answer it at the same hours: a page shows the
    area's coordinator and the general line, and must not give the one number two sets of hours."""
    first_with: dict[str, tuple[str, str]] = {}  # phone digits -> (id, hours) of the first entry
    found = []
    for index, entry in enumerate(raw.get("coordinators", [])):
        if not isinstance(entry, dict) or not entry.get("phone") or not entry.get("hours"):
            continue
        digits = "".join(char for char in str(entry["phone"]) if char.isdigit())[-8:]  # without +45
        other = first_with.setdefault(digits, (str(entry.get("id")), str(entry["hours"])))
        if other[1] != entry["hours"]:
            found.append(
                Problem(
                    source_name(data_dir / VOCABULARY_FILES["coordinators"]),
                    documents["coordinators"].line_of((index, "hours")),
                    f"[{index}].hours",
                    f"'{entry['hours']}' er ikke de samme tider som '{other[0]}', der har samme telefon"
                    f" ('{other[1]}'; skriv de samme, så siderne ikke giver ét nummer to åbningstider)",
                )
            )
    return found


_vocabulary_cache: dict[tuple, Vocabularies] = {}


def cached_vocabularies(data_dir: Path) -> Vocabularies:
    """load_vocabularies(), read again only when a file in the folder changed (for rebuilds)."""
    stamp = tuple(sorted((entry.name, entry.stat().st_mtime_ns) for entry in os.scandir(data_dir)))
    key = (str(data_dir.resolve()), stamp)
    if key not in _vocabulary_cache:
        _vocabulary_cache.clear()
        _vocabulary_cache[key] = load_vocabularies(data_dir)
    return _vocabulary_cache[key]


# --- Whole trees, as the build and the validate command see them ---------------


@dataclass
class ContentSet:
    """Everything valid that was read, and every problem found, across many files."""

    activities: list[ActivityEntry] = field(default_factory=list)
    projects: list[ProjectEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the activity and project files inside folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def load_content(paths: Iterable[Path], vocabularies: Vocabularies) -> ContentSet:
    """Load activities (.yaml under an activities folder) and projects (.md) and collect problems."""
    result = ContentSet()
    for path in content_files(paths):
        source = source_name(path)
        try:
            if path.suffix == PROJECT_SUFFIX:
                result.projects.append(load_project(path, vocabularies, source))
            else:
                result.activities.append(load_activity(path, vocabularies, source))
        except ContentError as error:
            result.problems.extend(error.problems)
        except FileNotFoundError:
            result.problems.append(Problem(source, 1, WHOLE_FILE, "filen findes ikke"))
    return result


# --- Canonical YAML -----------------------------------------------------------


_QUOTED = re.compile(r"^[+\d][\d :.+-]*$")


LONG_TEXT = 160  # fields allowing longer texts than this are folded (>-) when they do not fit a line
LINE = 100
FOLD_WIDTH = 76  # PyYAML breaks at the first space after this column


class _Folded(str):
    """A long one-paragraph text, written folded over several lines."""


class _Dumper(yaml.SafeDumper):
    """Block style, Danish letters as they are, keys in the model's order, written the way editors
    write by hand (indented lists, long texts folded), so a form edit's diff shows only real changes."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)  # "  - repeat: ..." under its key

    def write_folded(self, text: str) -> None:
        width, self.best_width = self.best_width, FOLD_WIDTH
        try:
            super().write_folded(text)
        finally:
            self.best_width = width


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:  # Markdown as a literal block, the way editors write it
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip("\n") + "\n", style="|")
    if _QUOTED.match(value):  # times and number-like text stay text in every YAML reader
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if isinstance(value, _Folded):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    """Lists of plain values on one line ([tirsdag, torsdag]); lists of mappings as blocks."""
    flow = all(not isinstance(item, dict | list) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Folded, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump_activity(activity: Activity) -> str:
    """The activity as YAML in canonical form: the model's key order, no empty fields."""
    data = activity.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True)
    for required in ("accessibility",):
        data.setdefault(required, [])
    data = _plain(data, _long_text_fields())
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)


@functools.cache
def _long_text_fields() -> frozenset[str]:
    """The model's fields for texts of a paragraph or more (first_visit, transport ...)."""
    schema = Activity.model_json_schema()
    nodes = [schema, *schema.get("$defs", {}).values()]
    return frozenset(
        name
        for node in nodes
        for name, field in node.get("properties", {}).items()
        for option in [field, *field.get("anyOf", [])]
        if option.get("maxLength", 0) > LONG_TEXT
    )


def _plain(value: Any, folded: frozenset[str], key: str = "") -> Any:
    """Enums to their text, recursively, so the YAML holds plain values; long texts marked to fold."""
    if isinstance(value, dict):
        return {name: _plain(item, folded, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, folded) for item in value]
    if isinstance(value, str):
        fold = key in folded and "\n" not in value and len(key) + len(value) > LINE
        return _Folded(value) if fold else str(value)
    return value
