"""The activity reader: one YAML file in, the rendered description and the Activity model out."""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from pelican.readers import BaseReader

from aktivsammen.loading import load_activity, source_name
from aktivsammen.model import Vocabularies
from aktivsammen.problems import ContentError
from aktivsammen.text import render_markdown

from .settings import vocabularies_for


class ActivityReader(BaseReader):
    """Reads content/activities/<slug>.yaml; raises ContentError with every problem in the file."""

    enabled = True
    file_extensions = ("yaml",)

    def __init__(self, settings):
        super().__init__(settings)
        self.vocabularies: Vocabularies | None = None
        # Files already read by worker processes (see parallel.py): absolute path -> outcome.
        self.preread: dict = {}

    def read(self, source_path):
        outcome = self.preread.pop(source_path, None)
        if isinstance(outcome, ContentError):
            raise outcome
        if outcome is not None:
            return outcome
        if self.vocabularies is None:  # a reader lives for one build: look them up once
            self.vocabularies = vocabularies_for(self.settings)
        return read_activity(Path(source_path), self.vocabularies)


def read_activity(path: Path, vocabularies: Vocabularies) -> tuple[str, dict]:
    """One activity file as Pelican wants it: the description's HTML and the metadata."""
    entry = load_activity(path, vocabularies, source_name(path))
    activity = entry.activity
    content = render_markdown(activity.description) if activity.description else ""
    metadata = {
        "title": activity.title,
        "summary": str(escape(activity.summary)),  # Pelican treats summary as HTML
        "slug": entry.slug,
        "activity": activity,
        "template": "activity",
    }
    return content, metadata
