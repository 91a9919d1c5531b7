"""Pacing for a forge's content-creating requests, within the forge's secondary rate limits.

GitHub documents secondary limits for requests that create content: about 80 a minute and 500 an
hour (docs.github.com, "Rate limits for the REST API"), and asks clients that are limited anyway to
wait for `Retry-After`, or, without it, at least a minute and longer each time. The submission
worker asks the pacer before it takes a submission, so a burst of submissions waits in the queue
(where nothing is lost) instead of being refused by GitHub.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# (window in seconds, most content-creating requests in it)
GITHUB_WRITE_LIMITS: tuple[tuple[float, int], ...] = ((60.0, 80), (3600.0, 500))

FIRST_HOLD_SECONDS = 60.0  # GitHub: "wait for at least one minute" when no Retry-After is given
LONGEST_HOLD_SECONDS = 30 * 60.0


class WritePacer:
    """Counts content-creating requests in sliding windows and says how long to wait for more.

    `clock` is `time.monotonic` in the service; tests pass a clock they move by hand.
    """

    def __init__(
        self,
        limits: tuple[tuple[float, int], ...] = GITHUB_WRITE_LIMITS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = tuple(sorted(limits))
        self.clock = clock
        self._writes: deque[float] = deque()
        self._held_until = 0.0
        self._holds_in_a_row = 0
        self._lock = threading.Lock()

    def ready_in(self, writes: int) -> float:
        """Seconds until `writes` more requests fit in every window and any hold is over (0: now)."""
        with self._lock:
            now = self.clock()
            self._forget(now)
            wait = max(0.0, self._held_until - now)
            for span, limit in self.limits:
                in_window = [at for at in self._writes if at > now - span]
                over = len(in_window) + writes - limit
                if over > 0:
                    # the oldest `over` writes must leave the window first
                    wait = max(wait, in_window[over - 1] + span - now)
            return wait

    def spend(self, writes: int = 1) -> None:
        """Record content-creating requests made now."""
        with self._lock:
            now = self.clock()
            self._writes.extend([now] * writes)
            self._forget(now)

    def hold(self, retry_after: float | None) -> float:
        """The forge said "too many": wait `retry_after` seconds, or a minute, doubling each time.

        Returns the seconds held.
        """
        with self._lock:
            if retry_after is None or retry_after <= 0:
                seconds = min(FIRST_HOLD_SECONDS * 2**self._holds_in_a_row, LONGEST_HOLD_SECONDS)
            else:
                seconds = min(retry_after, LONGEST_HOLD_SECONDS)
            self._holds_in_a_row += 1
            self._held_until = max(self._held_until, self.clock() + seconds)
            return seconds

    def settled(self) -> None:
        """A change went through: the next hold starts from a minute again."""
        with self._lock:
            self._holds_in_a_row = 0

    def _forget(self, now: float) -> None:
        longest = self.limits[-1][0] if self.limits else 0.0
        while self._writes and self._writes[0] <= now - longest:
            self._writes.popleft()
