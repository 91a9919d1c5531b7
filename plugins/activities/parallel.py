"""Reading activity files on every core: at thousands of activities, reading is half the build.

Each worker process reads whole files (YAML, validation, Markdown) exactly as the serial
reader does and sends back what the reader would return, or the file's ContentError with its
lines. The results are handed to the reader in file order, so the build and its error report
are the same whichever way the files were read.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from aktivsammen.loading import cached_vocabularies
from aktivsammen.problems import ContentError

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
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def read_many(paths: list[str], data_dir: Path, processes: int) -> dict[str, Outcome]:
    """read_activity() for every path, in `processes` worker processes; outcomes by path."""
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    outcomes: dict[str, Outcome] = {}
    with ProcessPoolExecutor(processes, initializer=_start_worker, initargs=(str(data_dir),)) as pool:
        for chunk, results in zip(chunks, pool.map(_read_chunk, chunks), strict=True):
            outcomes.update(zip(chunk, results, strict=True))
    return outcomes


_vocabularies = None


def _start_worker(data_dir: str) -> None:
    global _vocabularies
    _vocabularies = cached_vocabularies(Path(data_dir))


def _read_chunk(paths: list[str]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for path in paths:
        try:
            outcomes.append(read_activity(Path(path), _vocabularies))
        except ContentError as error:
            outcomes.append(error)
    return outcomes
