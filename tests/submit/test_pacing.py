"""The GitHub worker stays within GitHub's secondary limits and backs off when told to.

GitHub documents about 80 content-creating requests a minute and 500 an hour. An hour of
submissions is simulated: the clocks of the pacer, the queue and the GitHub stand-in move by
hand, while every request still goes over HTTP to the stand-in, which enforces the limits the
way GitHub does (403 "secondary rate limit").
"""

from __future__ import annotations

import types

import pytest

from aktivsammen.submit import store as store_module
from aktivsammen.submit.forges import ForgeBusy
from aktivsammen.submit.forges.github import WRITES_PER_CHANGE, GitHubForge
from aktivsammen.submit.forges.pacing import GITHUB_WRITE_LIMITS, WritePacer
from aktivsammen.submit.store import State, SubmissionStore
from aktivsammen.submit.worker import PullRequestWorker
from tests.conftest import VALID_ACTIVITY
from tests.submit.conftest import Clock, make_settings
from tests.submit.github_standin import CONTENT_CREATING, github_standin
from tests.submit.test_github_forge import CHANGE, assert_one_complete_change

__all__ = ["github_standin"]  # the fixture, imported for pytest

START = Clock().now  # a fixed moment, so the simulated hours are the same every run


@pytest.fixture
def clock(github_standin, monkeypatch) -> Clock:
    """One simulated clock for the pacer, the queue's due times and the stand-in's arrivals."""
    simulated = Clock()
    monkeypatch.setattr(store_module, "time", types.SimpleNamespace(time=simulated))
    github_standin.clock = simulated
    return simulated


def most_writes_in_any(window: float, times: list[float]) -> int:
    """The most content-creating requests in any `window` seconds."""
    most, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        most = max(most, end - start + 1)
    return most


# --- the pacer on its own ------------------------------------------------------------------------


def test_the_pacer_waits_for_the_oldest_writes_to_leave_the_window():
    clock = Clock(0.0)
    pacer = WritePacer(limits=((60.0, 8),), clock=clock)
    for _ in range(6):
        pacer.spend()
        clock.advance(1)
    assert pacer.ready_in(2) == 0  # 6 + 2 fit in 8
    pacer.spend(2)
    assert pacer.ready_in(1) == pytest.approx(60 - 6)  # the write at t=0 leaves at t=60
    assert pacer.ready_in(3) == pytest.approx(62 - 6)  # the writes at 0, 1 and 2 must leave
    clock.advance(54.5)
    assert pacer.ready_in(1) == 0


def test_holds_follow_retry_after_or_start_at_a_minute_and_double():
    clock = Clock(0.0)
    pacer = WritePacer(clock=clock)
    assert pacer.hold(7) == 7 and pacer.ready_in(1) == 7
    clock.advance(7)
    assert pacer.hold(None) == 120  # the second hold in a row, without Retry-After
    assert pacer.hold(None) == 240
    pacer.settled()
    assert pacer.hold(None) == 60


# --- the forge -----------------------------------------------------------------------------------


def test_a_secondary_limit_without_retry_after_holds_the_forge_a_minute(github_standin, clock):
    forge = GitHubForge(**github_standin.forge_kwargs(), pacer=WritePacer(clock=clock))
    github_standin.fail("POST", r"/pulls$", 403, message="You have exceeded a secondary rate limit.")
    with pytest.raises(ForgeBusy) as raised:
        forge.open_change(CHANGE)
    assert raised.value.retry_after == 60
    asked = len(github_standin.requests)
    with pytest.raises(ForgeBusy):  # held: not even asked
        forge.open_change(CHANGE)
    assert len(github_standin.requests) == asked
    clock.advance(60)
    forge.open_change(CHANGE)
    assert_one_complete_change(github_standin)


def test_429_with_retry_after_waits_as_long_as_github_says(github_standin, clock):
    forge = GitHubForge(**github_standin.forge_kwargs(), pacer=WritePacer(clock=clock))
    github_standin.fail("POST", r"/git/refs$", 429, headers={"retry-after": "30"})
    with pytest.raises(ForgeBusy) as raised:
        forge.open_change(CHANGE)
    assert raised.value.retry_after == 30
    clock.advance(29)
    assert forge.ready_in() == pytest.approx(1)
    clock.advance(1)
    forge.open_change(CHANGE)
    assert_one_complete_change(github_standin)


# --- an hour of submissions ----------------------------------------------------------------------


def test_600_submissions_in_an_hour_are_all_opened_within_githubs_limits(github_standin, clock, tmp_path):
    github_standin.enforce_write_limits(GITHUB_WRITE_LIMITS)
    store = SubmissionStore(tmp_path / "koe.sqlite3")
    settings = make_settings(tmp_path, tmp_path, content_dir=tmp_path / "content")
    forge = GitHubForge(**github_standin.forge_kwargs(), pacer=WritePacer(clock=clock))
    worker = PullRequestWorker(store, forge, settings)
    arrivals = [START + 6.0 * n for n in range(600)]  # one every six seconds for an hour
    references = []
    while True:
        while arrivals and arrivals[0] <= clock.now:
            arrivals.pop(0)
            number = len(references) + 1
            submission, _ = store.add(
                idempotency_key=f"key-{number}",
                kind="new",
                slug=f"aktivitet-{number}",
                title=f"Aktivitet {number}",
                yaml=VALID_ACTIVITY,
                note="",
                held=False,
            )
            references.append(submission.reference)
        if worker.run_once():
            continue
        waits = [wait for wait in (worker.next_due_in(), arrivals and arrivals[0] - clock.now) if wait]
        if not waits:
            break
        clock.advance(max(min(waits), 0.001))
    forge.close()

    assert store.counts() == {State.OPENED: 600}
    assert len({pull.head for pull in github_standin.pulls()}) == 600
    assert {store.get(reference).state for reference in references} == {State.OPENED}
    writes = [r.at for r in github_standin.requests if r.method in CONTENT_CREATING]
    assert len(writes) == 600 * WRITES_PER_CHANGE
    assert github_standin.limited == 0  # GitHub never had to refuse
    assert most_writes_in_any(60, writes) <= 80
    assert most_writes_in_any(3600, writes) <= 500
    hours = (clock.now - START) / 3600
    # 2,400 writes at 500 an hour: four full hours, then the rest; the limit is used, not wasted
    assert 4.0 < hours < 4.5
