"""The GitHub forge backend against the GitHub stand-in (every request checked against GitHub's description).

Whatever fails halfway, a retry must end with exactly one branch, one commit with the file and one
pull request, and the error must say whether a retry can help (`ForgeError`) or an editor is
needed (`ForgeRejected`).
"""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from aktivsammen.submit.forges import ChangeRequest, ForgeBusy, ForgeError, ForgeRejected
from aktivsammen.submit.forges.github import GitHubForge
from aktivsammen.submit.forges.pacing import WritePacer
from tests.submit.conftest import Clock
from tests.submit.github_standin import GitHubStandIn, github_standin, match_template

__all__ = ["github_standin"]  # the fixture, imported for pytest

PATH = "content/activities/gaaklub-i-jelling.yaml"
CONTENT = "title: Gåklub i Jelling\nsummary: Vi går 5 km og drikker kaffe bagefter.\n"
CHANGE = ChangeRequest(
    reference="AS-2026-00042",
    branch="indsendelse/as-2026-00042-gaaklub-i-jelling",
    path=PATH,
    content=CONTENT,
    commit_message="Ny aktivitet: Gåklub i Jelling (AS-2026-00042)",
    title="Ny aktivitet: Gåklub i Jelling",
    body="Indsendt via formularen.\n\n**Reference:** AS-2026-00042",
    labels=("indsendelse", "ny-aktivitet"),
)


@pytest.fixture
def forge(github_standin: GitHubStandIn):
    """The forge with its pacer on a hand-moved clock: `forge.pacer.clock.advance(s)` ends a hold."""
    forge = GitHubForge(**github_standin.forge_kwargs(), pacer=WritePacer(clock=Clock()))
    yield forge
    forge.close()


def assert_one_complete_change(standin: GitHubStandIn, change: ChangeRequest = CHANGE) -> None:
    """The end state every retry must reach: one branch, one commit, one labelled PR."""
    assert set(standin.branches()) == {"main", change.branch}
    assert standin.file(change.branch, change.path) == change.content
    assert standin.commits_ahead(change.branch) == 1
    assert standin.changed_files(change.branch) == {change.path}
    [pull] = standin.pulls()
    assert (pull.title, pull.body, pull.head, pull.base, pull.state) == (
        change.title,
        change.body,
        change.branch,
        "main",
        "open",
    )
    assert pull.labels == list(change.labels)


# --- the happy paths -----------------------------------------------------------------------------


def test_new_file_becomes_branch_commit_and_labelled_pull_request(github_standin, forge):
    opened = forge.open_change(CHANGE)

    assert_one_complete_change(github_standin)
    assert opened.number == github_standin.pulls()[0].number
    assert opened.url == f"{github_standin.url}/{github_standin.repository}/pull/{opened.number}"
    assert opened.branch == CHANGE.branch
    assert github_standin.file("main", PATH) is None  # nothing lands on main without review
    for request in github_standin.requests:
        assert request.headers["Accept"] == "application/vnd.github+json"
        assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_update_replaces_the_existing_file_and_changes_nothing_else(github_standin, forge):
    github_standin.put_file("main", PATH, "title: Gammel tekst\n")
    github_standin.put_file("main", "content/activities/andet.yaml", "title: Andet\n")

    forge.open_change(CHANGE)

    assert_one_complete_change(github_standin)
    assert github_standin.file("main", PATH) == "title: Gammel tekst\n"


def test_calling_twice_returns_the_same_pull_request_without_writing(github_standin, forge):
    first = forge.open_change(CHANGE)
    writes = github_standin.count("POST") + github_standin.count("PUT")

    assert forge.open_change(CHANGE) == first
    assert github_standin.count("POST") + github_standin.count("PUT") == writes
    assert_one_complete_change(github_standin)


def test_two_submissions_get_two_pull_requests(github_standin, forge):
    other = dataclasses.replace(
        CHANGE,
        reference="AS-2026-00043",
        branch="indsendelse/as-2026-00043-banko",
        path="content/activities/banko.yaml",
    )
    first, second = forge.open_change(CHANGE), forge.open_change(other)

    assert first.number != second.number
    assert [p.head for p in github_standin.pulls()] == [CHANGE.branch, other.branch]


def test_a_merged_pull_request_is_returned_not_reopened(github_standin, forge):
    opened = forge.open_change(CHANGE)
    github_standin.merge_pull(opened.number, delete_branch=True)

    assert forge.open_change(CHANGE) == opened
    assert set(github_standin.branches()) == {"main"}
    assert len(github_standin.pulls()) == 1
    assert github_standin.file("main", PATH) == CONTENT


def test_a_closed_pull_request_is_returned_not_duplicated(github_standin, forge):
    opened = forge.open_change(CHANGE)
    github_standin.close_pull(opened.number)

    assert forge.open_change(CHANGE) == opened
    assert len(github_standin.pulls()) == 1


# --- failing halfway, then retrying --------------------------------------------------------------

PULLS = r"/pulls$"
REFS = r"/git/refs$"
CONTENTS = r"/contents/"
LABELS = r"/labels$"


@pytest.mark.parametrize(
    ("method", "path", "fault", "error"),
    [
        pytest.param(
            "POST", REFS, {"status": 502, "after": True}, ForgeError, id="branch-created-answer-lost"
        ),
        pytest.param("PUT", CONTENTS, {"status": 500}, ForgeError, id="after-branch-commit-500"),
        pytest.param(
            "PUT", CONTENTS, {"status": 502, "after": True}, ForgeError, id="commit-made-answer-lost"
        ),
        pytest.param(
            "PUT", CONTENTS, {"drop": True, "after": True}, ForgeError, id="commit-made-connection-dropped"
        ),
        pytest.param("PUT", CONTENTS, {"status": 409}, ForgeError, id="commit-conflict-409"),
        pytest.param("POST", PULLS, {"status": 500}, ForgeError, id="after-commit-pull-500"),
        pytest.param(
            "POST", PULLS, {"status": 502, "body": b"<html>Unicorn!</html>"}, ForgeError, id="html-502"
        ),
        pytest.param(
            "GET", PULLS, {"status": 200, "body": b'[{"number": 1, "ti'}, ForgeError, id="cut-off-json"
        ),
        pytest.param("POST", PULLS, {"status": 422}, ForgeRejected, id="after-commit-pull-422"),
        pytest.param("POST", PULLS, {"status": 502, "after": True}, ForgeError, id="pull-opened-answer-lost"),
        pytest.param("POST", LABELS, {"status": 503}, ForgeError, id="after-pull-labels-503"),
        pytest.param("GET", PULLS, {"status": 429}, ForgeError, id="secondary-rate-limit"),
    ],
)
def test_a_retry_after_a_failure_halfway_ends_in_one_pull_request(
    github_standin, forge, method, path, fault, error
):
    if fault.get("drop"):
        github_standin.drop(method, path, after=fault["after"])
    else:
        github_standin.fail(method, path, **fault)

    with pytest.raises(error):
        forge.open_change(CHANGE)
    forge.pacer.clock.advance(60)  # a rate limit holds the forge a minute
    forge.open_change(CHANGE)

    assert_one_complete_change(github_standin)


def test_a_pull_request_the_list_does_not_show_yet_is_found_after_422(github_standin, forge):
    """GitHub's lists can lag; "A pull request already exists" then leads to the existing one."""
    opened = forge.open_change(CHANGE)
    github_standin.fail("GET", PULLS, 200, body=[])

    assert forge.open_change(CHANGE) == opened
    assert_one_complete_change(github_standin)


def test_server_down_is_retryable_and_the_retry_finishes(github_standin, forge):
    github_standin.fail("POST", PULLS, 500)  # leave a branch with the commit behind
    with pytest.raises(ForgeError):
        forge.open_change(CHANGE)

    with github_standin.offline(), pytest.raises(ForgeError, match="unreachable"):
        forge.open_change(CHANGE)
    forge.open_change(CHANGE)

    assert_one_complete_change(github_standin)


def test_a_slow_answer_times_out_and_the_retry_finds_the_pull_request(github_standin, forge):
    """GitHub opens the pull request although the client gave up waiting: the retry must find it."""
    github_standin.delay("POST", PULLS, seconds=1.5)  # the forge waits 1 s

    with pytest.raises(ForgeError, match="ReadTimeout"):
        forge.open_change(CHANGE)
    github_standin.wait_idle()
    forge.open_change(CHANGE)

    assert_one_complete_change(github_standin)


# --- classification ------------------------------------------------------------------------------


def test_a_bad_token_is_rejected(github_standin):
    forge = GitHubForge(**github_standin.forge_kwargs(token="github_pat_revoked"))

    with pytest.raises(ForgeRejected, match="401"):
        forge.open_change(CHANGE)


def test_a_missing_repository_is_rejected(github_standin):
    forge = GitHubForge(**github_standin.forge_kwargs(repository="aktivsammen/findes-ikke"))

    with pytest.raises(ForgeRejected, match="404"):
        forge.open_change(CHANGE)


def test_a_missing_base_branch_is_rejected(github_standin):
    forge = GitHubForge(**github_standin.forge_kwargs(base_branch="udgivet"))

    with pytest.raises(ForgeRejected, match="404"):
        forge.open_change(CHANGE)
    assert github_standin.pulls() == []


def test_forbidden_is_rejected_but_the_rate_limit_is_retried(github_standin, forge):
    github_standin.fail("POST", REFS, 403)
    with pytest.raises(ForgeRejected, match="403"):
        forge.open_change(CHANGE)

    github_standin.rate_limit("POST", PULLS)
    with pytest.raises(ForgeError) as raised:
        forge.open_change(CHANGE)
    assert isinstance(raised.value, ForgeBusy) and raised.value.retry_after >= 1

    forge.pacer.clock.advance(raised.value.retry_after)
    forge.open_change(CHANGE)
    assert_one_complete_change(github_standin)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retryable(github_standin, forge, status):
    github_standin.fail("*", "", status)

    with pytest.raises(ForgeError) as raised:
        forge.open_change(CHANGE)
    assert not isinstance(raised.value, ForgeRejected)
    assert github_standin.count("*") == 1  # PyGithub did not retry on its own


def test_error_messages_carry_no_submission_content(github_standin, forge):
    github_standin.fail("POST", PULLS, 500)

    with pytest.raises(ForgeError) as raised:
        forge.open_change(CHANGE)
    assert CHANGE.body not in str(raised.value) and "Gåklub" not in str(raised.value)


# --- the stand-in's own honesty ------------------------------------------------------------------


def test_requests_the_description_does_not_allow_are_recorded(github_standin):
    headers = {"Authorization": f"token {github_standin.token}", "Accept": "application/vnd.github+json"}
    pulls = f"{github_standin.url}/repos/{github_standin.repository}/pulls"
    with httpx.Client(headers=headers) as client:
        client.post(pulls, json={"title": "Mangler head", "base": "main"})
        client.get(f"{github_standin.url}/repos/{github_standin.repository}/deployments")
        client.post(f"{pulls.removesuffix('/pulls')}/issues/1/labels", json=["bare-array"])
        client.get(pulls, params={"state": "åben"})
        client.get(pulls, params={"state": "all"}, headers={"Accept": "text/html"})
        client.get(pulls, params={"state": "all"})  # valid: recorded as nothing

    violations = github_standin.take_violations()
    assert len(violations) == 5, violations
    head, unknown, bare, state, accept = violations
    assert "POST" in head and "'head' is a required property" in head
    assert "/deployments" in unknown and "no such path" in unknown
    assert "labels" in bare and "not valid under any of the given schemas" in bare
    assert "state" in state
    assert "text/html" in accept


def test_the_fixture_fails_a_test_that_broke_the_description():
    standin = GitHubStandIn()
    standin.violations.append("POST /repos/x/y/pulls: 'head' is a required property")

    with pytest.raises(pytest.fail.Exception, match="head"):
        standin.assert_no_violations()


def test_slashes_in_multi_segment_parameters_are_encoded_for_matching_only():
    matched = match_template("/repos/o/r/contents/content/activities/%C3%A6bler.yaml")
    assert matched is not None
    template, params, matching = matched

    assert template == "/repos/{owner}/{repo}/contents/{path}"
    assert params["path"] == "content/activities/æbler.yaml"
    assert matching == "/repos/o/r/contents/content%2Factivities%2F%C3%A6bler.yaml"
    assert match_template("/repos/o/r/git/ref/heads/indsendelse/as-1")[1]["ref"] == "heads/indsendelse/as-1"
