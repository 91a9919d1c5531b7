"""Pelican plugin: activity pages from content/activities/*.yaml; listings by letter, area, category."""

from pelican import signals

from ..plugin_kit import generator_plugin
from .generator import ActivitiesGenerator
from .reader import ActivityReader
from .settings import apply_defaults, quicker_template_imports

# Defaults are filled in (and checked) by settings.apply_defaults, which also adds the filters.
_register_generator = generator_plugin(ActivitiesGenerator, {})


def _add_reader(readers):
    for extension in ActivityReader.file_extensions:
        readers.reader_classes[extension] = ActivityReader


def register():
    _register_generator()
    signals.initialized.connect(apply_defaults)
    signals.generator_init.connect(quicker_template_imports)
    signals.readers_init.connect(_add_reader)
