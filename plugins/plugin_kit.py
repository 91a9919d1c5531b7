"""What the guide's Pelican plugins share: registering a generator with its default settings,
and writing files on a second core while the HTML pages are rendered."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican import signals

SHARED_DEFAULTS = {
    # Where npm installed the JavaScript libraries some pages load (package-lock.json).
    "NODE_MODULES": "node_modules",
}


class NodeModuleMissing(Exception):
    """An npm package the site ships is not installed (run `make`, which runs npm ci)."""


def node_module(settings: dict, name: str, plugin: str) -> Path:
    """The path of a file or folder in node_modules; a clear error when it is missing."""
    path = Path(settings["NODE_MODULES"]) / name
    if not path.exists():
        raise NodeModuleMissing(f"{plugin}: {path} is missing: run `make` (npm ci)")
    return path


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path`, making its folder only when it is missing.

    Thousands of files go into folders that usually exist already (another process made
    aktivitet/<slug>/); trying the write first saves a mkdir call per file.
    """
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def generator_plugin(generator: type, defaults: dict) -> Callable[[], None]:
    """A plugin's `register`: add `generator` to every build and fill in missing `defaults`.

    The receivers are made once per plugin module, so a second build in the same process
    (the tests make many) connects the same functions again, which blinker ignores, instead of
    adding the generator twice.
    """

    def apply_defaults(pelican) -> None:
        for key, value in {**SHARED_DEFAULTS, **defaults}.items():
            pelican.settings.setdefault(key, value)

    def get_generators(pelican):
        return generator

    def register() -> None:
        signals.initialized.connect(apply_defaults)
        signals.generator_init.connect(collect_less)
        signals.get_generators.connect(get_generators)
        signals.all_generators_finalized.connect(start_background_work)
        signals.finalized.connect(finish_background_work)

    return register


# --- Garbage collection -----------------------------------------------------------
# A build makes millions of objects and keeps most of them to its end (the activities, their
# pages and what is derived from them). With Python's default thresholds the collector runs
# full collections over that growing heap again and again; at thousands of activities that
# was a sixth of the build's time. Collecting young objects more rarely still frees the
# short-lived cycles; the thresholds are put back when the build has finished.
BUILD_GC_THRESHOLD = (50_000, 20, 100)
_gc_threshold_before: tuple[int, ...] | None = None


def collect_less(generator) -> None:
    """generator_init (each build): raise the collector's thresholds for the build."""
    global _gc_threshold_before
    if _gc_threshold_before is None:
        _gc_threshold_before = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLD)


# At exit the interpreter collects every object it still tracks, more than once: after a large
# build that took about a second, with nothing left to gain. Frozen objects are skipped.
atexit.register(gc.freeze)


def collect_as_before() -> None:
    global _gc_threshold_before
    if _gc_threshold_before is not None:
        gc.set_threshold(*_gc_threshold_before)
        _gc_threshold_before = None


# --- Background work ------------------------------------------------------------
# A generator may define write_in_background(): work that only writes files from what was
# read (the activity pages, calendars, open data, search data and list records). It starts in
# a process of its own as soon as every generator has its context, so it runs on another core
# while this process writes the listings. Each file is written by exactly one process, so the
# output is the same as writing everything here, which is what happens where fork() or a
# second core is missing. A generator with BACKGROUND_PARTS = n > 1 has its work split over n
# processes: write_in_background(part, n) for each part, so one long job does not leave a core
# idle at the end of the build.

_running: list[tuple[str, Any, Any]] = []


class BackgroundWorkFailed(Exception):
    """Work in a background process failed; carries its traceback."""


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _has_second_core() -> bool:
    return cores() > 1 and "fork" in multiprocessing.get_all_start_methods()


def start_background_work(generators) -> None:
    """all_generators_finalized: start every generator's write_in_background()."""
    # A build that stopped with an error may have left processes behind; its error was raised.
    with contextlib.suppress(BackgroundWorkFailed):
        wait_for_background_work()
    in_background = _has_second_core()
    if in_background:
        # Objects that exist now are left out of garbage collection from here on: the
        # collector would otherwise touch every one of them in every child, and each page
        # it touches is copied (copy-on-write). finish_background_work() undoes it.
        gc.freeze()
    for generator in generators:
        work = getattr(generator, "write_in_background", None)
        if work is None:
            continue
        if not in_background:
            work()
            continue
        parts = getattr(generator, "BACKGROUND_PARTS", 1)
        for part in range(parts):
            name = type(generator).__name__ + (f" part {part + 1}/{parts}" if parts > 1 else "")
            job = functools.partial(work, part, parts) if parts > 1 else work
            context = multiprocessing.get_context("fork")  # the child needs the whole build state
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run, args=(job, sender), name=name)
            process.start()
            sender.close()
            _running.append((name, process, receiver))


def _run(work: Callable[[], None], sender) -> None:
    try:
        work()
        sender.send(None)
    except BaseException:
        sender.send(traceback.format_exc())
    finally:
        sender.close()


def wait_for_background_work() -> None:
    """Wait until every background process has written its files; raise if one failed."""
    failures = []
    while _running:
        name, process, receiver = _running.pop(0)
        try:
            message = receiver.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            message = "stopped unexpectedly"
        process.join()
        receiver.close()
        if message or process.exitcode:
            failures.append(f"{name} (exit code {process.exitcode}): {message}")
    if failures:
        raise BackgroundWorkFailed("\n".join(failures))


def finish_background_work(pelican) -> None:
    """finalized: no build ends with files still being written."""
    wait_for_background_work()
    gc.unfreeze()
    collect_as_before()
