"""Pelican plugin: activity pages from content/activities/*.yaml; listings by letter, area, category."""

from pelican import signals

from .generator import ActivitiesGenerator
from .reader import ActivityReader
from .settings import apply_defaults


def _add_reader(readers):
    for extension in ActivityReader.file_extensions:
        readers.reader_classes[extension] = ActivityReader


def _get_generators(pelican):
    return ActivitiesGenerator


def register():
    signals.initialized.connect(apply_defaults)
    signals.readers_init.connect(_add_reader)
    signals.get_generators.connect(_get_generators)
