"""What the guide's Pelican plugins share: registering a generator with its default settings."""

from __future__ import annotations

from collections.abc import Callable

from pelican import signals


def generator_plugin(generator: type, defaults: dict) -> Callable[[], None]:
    """A plugin's `register`: add `generator` to every build and fill in missing `defaults`.

    The receivers are made once per plugin module, so a second build in the same process
    (the tests make many) connects the same functions again, which blinker ignores, instead of
    adding the generator twice.
    """

    def apply_defaults(pelican) -> None:
        for key, value in defaults.items():
            pelican.settings.setdefault(key, value)

    def get_generators(pelican):
        return generator

    def register() -> None:
        signals.initialized.connect(apply_defaults)
        signals.get_generators.connect(get_generators)

    return register
