"""The second e-mail: when the editors merge or close a submission's pull request, the sender hears
so. Against a real Git repository (the local forge: merged, squashed, or the branch deleted) and
the GitHub stand-in, with the mail through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import pytest

from aktivsammen.submit.app import create_app
from aktivsammen.submit.forges import CLOSED, MERGED, OPEN
from aktivsammen.submit.forges.github import GitHubForge
from aktivsammen.submit.store import State
from aktivsammen.submit.submission import CONFIRMED_NOTE
from tests.submit.conftest import activity_record, branches, free_port, git, make_settings, smtp_server

SENDER = {"name": "Hanne Eksempel", "email": "hanne@example.dk"}


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def decision_settings(content_repo, tmp_path, smtp_port):
    return make_settings(
        content_repo, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_port, decision_check_seconds=0,
        mail_from="AktivSammen <ikke-svar@example.dk>", site_url="https://aktivsammen.example.dk",
    )  # fmt: skip


def send(app, title: str, submitter: dict | None = SENDER, note: str = ""):
    """A submission as the flow accepts it, turned into a pull request by the worker."""
    service = app.state.service
    prepared = service.prepare(activity_record(title=title), None)
    submission = service.accept(prepared, note, "", held=False, submitter=submitter)
    assert service.worker.run_once()
    assert service.store.get(submission.reference).state is State.OPENED
    return submission


def mails(app, inbox) -> list:
    while app.state.service.mail_worker.run_once():
        pass
    return [message for _, message in inbox.messages]


def commit_as_editor(repo, *args: str) -> None:
    git(repo, "-c", "user.name=Redaktør", "-c", "user.email=redaktion@example.dk", *args)


@pytest.mark.parametrize("how", ["merge", "squash"])
def test_a_merged_pull_request_sends_the_approval(decision_settings, content_repo, smtp_port, how):
    app = create_app(decision_settings)
    service = app.state.service
    with smtp_server(smtp_port) as inbox:
        submission = send(app, "Gåklub på Æblevej")
        receipt = mails(app, inbox)
        assert [message["Subject"] for message in receipt] == [
            f"Kvittering: Gåklub på Æblevej ({submission.reference})"
        ]
        assert service.decisions.run_once()  # still open: nothing sent, asked again later
        assert service.store.get(submission.reference).state is State.OPENED
        assert len(mails(app, inbox)) == 1
        (branch,) = branches(content_repo)
        if how == "merge":
            commit_as_editor(content_repo, "merge", "-q", "--no-ff", "--no-edit", branch)
        else:  # GitHub's "squash and merge": main has the file, not the branch's commit
            git(content_repo, "merge", "-q", "--squash", branch)
            commit_as_editor(content_repo, "commit", "-qm", "Ny aktivitet")
            git(content_repo, "branch", "-D", branch)
        assert service.decisions.run_once()
        assert service.store.get(submission.reference).state is State.MERGED
        (approval,) = mails(app, inbox)[1:]
    assert approval["To"] == "Hanne Eksempel <hanne@example.dk>"
    assert approval["Subject"] == f"Godkendt: Gåklub på Æblevej ({submission.reference})"
    body = approval.get_content()
    assert "Redaktionen har godkendt Gåklub på Æblevej" in body
    assert "https://aktivsammen.example.dk/aktivitet/gaaklub-paa-aeblevej/" in body
    assert not service.decisions.run_once()  # decided: never asked (or mailed) again


def test_a_closed_pull_request_says_so_and_a_sender_without_email_gets_nothing(
    decision_settings, content_repo, smtp_port
):
    app = create_app(decision_settings)
    service = app.state.service
    with smtp_server(smtp_port) as inbox:
        declined = send(app, "Gåklub på Æblevej")
        silent = send(app, "Whist i Give", submitter={"name": "Ib Eksempel", "phone": "75 00 00 01"})
        for branch in branches(content_repo):
            git(content_repo, "branch", "-D", branch)  # the editors declined both
        assert service.decisions.run_once() and service.decisions.run_once()
        sent = mails(app, inbox)
    assert service.store.get(declined.reference).state is State.CLOSED
    assert service.store.get(silent.reference).state is State.CLOSED
    subjects = [message["Subject"] for message in sent]
    assert subjects == [
        f"Kvittering: Gåklub på Æblevej ({declined.reference})",
        f"Ikke på guiden: Gåklub på Æblevej ({declined.reference})",
    ]
    assert "fortæller hvorfor" in sent[1].get_content()
    assert State.CLOSED.label.startswith("Ikke taget med")


def test_a_confirmation_is_thanked_for(decision_settings, content_repo, smtp_port):
    app = create_app(decision_settings)
    with smtp_server(smtp_port) as inbox:
        submission = send(app, "Gåklub på Æblevej", note=CONFIRMED_NOTE)
        (branch,) = branches(content_repo)
        commit_as_editor(content_repo, "merge", "-q", "--no-ff", "--no-edit", branch)
        app.state.service.decisions.run_once()
        thanks = mails(app, inbox)[-1]
    assert thanks["Subject"] == f"Tjekket: Gåklub på Æblevej ({submission.reference})"
    assert "bekræftet i dag" in thanks.get_content()


def test_the_github_forge_reads_the_editors_decision(github_standin, decision_settings):
    forge = GitHubForge(**github_standin.forge_kwargs())
    app = create_app(decision_settings, forge=forge)
    service = app.state.service
    first, second, third = (send(app, title) for title in ("Gåklub", "Whist", "Kor"))
    numbers = {s.reference: service.store.get(s.reference).pr_number for s in (first, second, third)}
    assert forge.decision(numbers[first.reference]) == OPEN
    github_standin.merge_pull(numbers[first.reference])
    github_standin.close_pull(numbers[second.reference])
    assert forge.decision(numbers[first.reference]) == MERGED
    assert forge.decision(numbers[second.reference]) == CLOSED
    github_standin.fail("GET", r"/pulls/\d+$", status=502, times=1)
    for _ in range(4):  # the one that got a 502 comes last in line again
        assert service.decisions.run_once()
    states = {reference: service.store.get(reference).state for reference in numbers}
    assert states[first.reference] is State.MERGED and states[second.reference] is State.CLOSED
    assert states[third.reference] is State.OPENED  # still open (and one answer was a 502): asked again
    assert github_standin.count("GET", r"/pulls/\d+$") >= 5
