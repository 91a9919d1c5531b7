"""Plain language: the LIX readability index used for Danish, and warnings for editors."""

from __future__ import annotations

import re

from .model import Activity
from .problems import Problem

DEFAULT_MAX_LIX = 40
MIN_WORDS = 30  # shorter texts get no LIX warning
SUMMARY_FOR_LISTS = 110  # characters a summary can have and still read well in a list

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)|\n\s*\n|\n\s*[-*]\s")
_MARKUP = re.compile(r"[*_#>`]|\[([^\]]*)\]\([^)]*\)")


def lix(text: str) -> float:
    """LIX = words per sentence + percentage of long words (more than six letters)."""
    plain = _MARKUP.sub(r"\1", text).strip()
    words = _WORD.findall(plain)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(plain) if _WORD.search(s)]))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def warnings(activity: Activity, source: str, line_of, max_lix: int = DEFAULT_MAX_LIX) -> list[Problem]:
    """Texts that will be hard for the guide's readers: each a Problem marked as a warning."""
    found = []
    for field in ("description", "first_visit"):
        text = getattr(activity, field)
        # LIX describes running text; on a line or two it mostly measures chance.
        if text and len(_WORD.findall(text)) >= MIN_WORDS and (score := lix(text)) > max_lix:
            found.append(Problem(source, line_of((field,)), field,
                                 f"advarsel: svær at læse (LIX {score:.0f}, højst {max_lix}); "
                                 "brug kortere sætninger og kortere ord"))  # fmt: skip
    if len(activity.summary) > SUMMARY_FOR_LISTS:
        found.append(Problem(source, line_of(("summary",)), "summary",
                             f"advarsel: for lang til en liste ({len(activity.summary)} tegn, højst "
                             f"{SUMMARY_FOR_LISTS}); skriv det vigtigste kort"))  # fmt: skip
    return found
