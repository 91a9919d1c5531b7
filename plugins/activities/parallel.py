"""Reading activity files on every core: at thousands of activities, reading is half the build.

Each worker process reads whole files (YAML, validation, Markdown) exactly as the serial
reader does and sends back what the reader would return, or the file's ContentError with its
lines. The results are handed to the reader in file order, so the build and its error report
are the same whichever way the files were read; the generator makes each page as soon as its
file's result is back, while the workers go on reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from aktivsammen.loading import cached_vocabularies
from aktivsammen.problems import ContentError

from ..plugin_kit import cores
from .reader import read_activity

# Below this many files a pool costs more than it saves (starting workers, sending results).
PARALLEL_FROM = 400
CHUNK = 200

Outcome = tuple[str, dict] | ContentError


def processes_for(setting: int, count: int) -> int:
    """How many processes read `count` files: ACTIVITIES_READ_PROCESSES, 0 meaning automatic."""
    if setting > 0:
        return setting
    if count < PARALLEL_FROM:
        return 1
    return cores()


def read_many(paths: list[str], data_dir: Path, processes: int) -> Iterator[Outcome]:
    """read_activity() for every path, in `processes` worker processes: the outcomes in the
    paths' order, each as soon as its chunk has been read, so the caller works on the first
    files while the workers read the rest."""
    pool = ProcessPoolExecutor(processes, initializer=_start_worker, initargs=(str(data_dir),))
    try:
        yield from pool.map(_read_one, paths, chunksize=CHUNK)
    finally:  # also when the caller stops early: nothing is left reading
        pool.shutdown(cancel_futures=True)


_vocabularies = None


def _start_worker(data_dir: str) -> None:
    global _vocabularies
    _vocabularies = cached_vocabularies(Path(data_dir))


def _read_one(path: str) -> Outcome:
    try:
        return read_activity(Path(path), _vocabularies)
    except ContentError as error:
        return error
