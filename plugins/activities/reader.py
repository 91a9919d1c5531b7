"""The activity reader: one YAML file in, the rendered description and the Activity model out."""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from pelican.readers import BaseReader

from aktivsammen.loading import load_activity, source_name
from aktivsammen.text import render_markdown

from .settings import vocabularies_for


class ActivityReader(BaseReader):
    """Reads content/activities/<slug>.yaml; raises ContentError with every problem in the file."""

    enabled = True
    file_extensions = ("yaml",)

    def read(self, source_path):
        path = Path(source_path)
        entry = load_activity(path, vocabularies_for(self.settings), source_name(path))
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
