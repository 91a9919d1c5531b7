"""The submission service's web app (FastAPI): thin handlers around the store, the model and the forge.

The association form is a question flow (`/indsend/trin`, flow_pages.py): every page is made
here, posted plainly without JavaScript and swapped in place with it. `POST /api/indsendelser`
(JSON) takes a whole activity at once. Both validate with the activity model, store before
anything else, then wake the worker that opens the pull request.

The short forms on an activity's page take the same way in:
- "Jeg vil gerne følges" (`POST /api/foelgeskab`, and `POST /foelgeskab/send` without
  JavaScript): personal data, sealed in the outbox, e-mailed to the coordinators by the mail
  worker and deleted once delivered; never in Git or the queue;
- "Meld en fejl" (`POST /fejl/send`): what is wrong goes on the editors' list (`aktivsammen
  queue`); the e-mail to the editors, with the reader's contact, waits sealed in the outbox.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..loading import load_activity, load_vocabularies
from ..model import COPENHAGEN, Activity, danish_today
from ..problems import danish_message, format_field
from ..schema import activity_schema
from .companion import CompanionRequest, check_request, compose
from .flow_pages import FlowPages, submitter_json
from .forges import Forge
from .form import field_kinds, form_spec
from .guards import (
    TOO_FAST,
    TOO_MANY,
    BodyLimit,
    RateLimiter,
    SecurityHeaders,
    Tokens,
    client_address,
    client_key,
    html_page,
    method_not_allowed,
    refusal,
)
from .mail import Mailer, SmtpMailer
from .outbox import RECEIPT, REPORT, Outbox, load_or_create_key
from .page import PageRenderer
from .receipts import decision_mail, receipt_mail
from .reminders import InviteLinks, link_key
from .report import ErrorReport, ReportList, check_report
from .report import compose as compose_report
from .settings import Settings
from .store import Submission, SubmissionStore
from .submission import (
    CONFIRMED_NOTE,
    NEW,
    Prepared,
    SubmissionInvalid,
    check_note,
    existing_file,
    free_slug,
    prepare,
    slug_for,
)
from .worker import DecisionWorker, MailWorker, PullRequestWorker

log = logging.getLogger("aktivsammen.submit")

CONSENT_MISSING = "sæt kryds for at bekræfte, at oplysningerne må offentliggøres"


# --- API models (the OpenAPI schema schemathesis fuzzes) ---------------------------------------


class SubmissionIn(BaseModel):
    """A submission from the form's script."""

    activity: dict[str, Any] = Field(
        description="The activity, as in an activity file (see the JSON Schema)."
    )
    edit: str | None = Field(default=None, max_length=100, description="The slug of the activity to change.")
    note: str = Field(default="", description="The note to the editors (checked: at most 1000 characters).")
    consent: bool = Field(default=False, description="The submitter agrees the details are published.")
    token: str = Field(default="", max_length=200, description="From GET /api/formular when the form opened.")
    idempotency_key: str = Field(default="", max_length=100, description="Same key, same receipt.")
    website: str = Field(default="", max_length=500, description="Leave empty (a trap for robots).")


class CompanionIn(BaseModel):
    """A request for a companion or a call, from the form on an activity's page."""

    activity: str = Field(max_length=100, description="The slug of the activity.")
    # The lengths of what the person writes are checked with the other rules (companion.py), so a
    # too long name gets the same Danish message whatever its length.
    name: str = Field(default="")
    phone: str = Field(default="")
    email: str = Field(default="")
    wish: str = Field(default="foelges", max_length=20, description="foelges or ringes-op.")
    contact_time: str = Field(default="ligegyldigt", max_length=20)
    note: str = Field(default="")
    token: str = Field(default="", max_length=200, description="From GET /api/formular when the page opened.")
    idempotency_key: str = Field(default="", max_length=100, description="Same key, one e-mail.")
    website: str = Field(default="", max_length=500, description="Leave empty (a trap for robots).")


class CompanionReceipt(BaseModel):
    reference: str
    message: str


class Receipt(BaseModel):
    reference: str
    state: str
    message: str


class FieldErrors(BaseModel):
    message: str
    errors: dict[str, str]


# What a post can be refused with, always as FieldErrors with a Danish message: not readable as
# UTF-8 JSON (400), from another site (403), too large (413), field errors or too fast (422), too
# many (429). A GET on a POST address answers 405 the same way.
REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": FieldErrors} for code in (400, 403, 413, 422, 429)
}


class Preview(BaseModel):
    preview: str
    yaml: str
    slug: str


class FormToken(BaseModel):
    token: str
    min_seconds: float


class Status(BaseModel):
    reference: str
    state: str
    label: str


# --- The service ---------------------------------------------------------------------------------


class Service:
    """Everything the handlers share, built once from the settings."""

    def __init__(self, settings: Settings, forge: Forge | None = None, mailer: Mailer | None = None):
        self.settings = settings
        self.store = SubmissionStore(settings.database)
        self.forge = forge or make_forge(settings)
        self.worker = PullRequestWorker(self.store, self.forge, settings)
        self.decisions = DecisionWorker(self.store, self.forge, settings, self.decided)
        key = settings.companion_key.get_secret_value() if settings.companion_key else None
        self.outbox = Outbox(self.store, load_or_create_key(key, settings.database))
        self.mail_worker = MailWorker(self.outbox, mailer or SmtpMailer(settings), settings)
        self.reports = ReportList(self.store)
        self.vocabularies = load_vocabularies(settings.content_dir / "data")
        self.schema = activity_schema(self.vocabularies)
        self.fields = form_spec(self.schema)
        self.kinds = field_kinds(self.fields)
        secret = (
            settings.secret_key.get_secret_value().encode()
            if settings.secret_key
            else secrets.token_bytes(32)
        )
        self.tokens = Tokens(secret, settings.min_fill_seconds)
        self.limiter = RateLimiter(settings.rate_limit, settings.rate_window_seconds)
        # Previews cost a page render each and need no token: their own, wider limit.
        self.preview_limiter = RateLimiter(settings.preview_rate_limit, settings.rate_window_seconds)
        self.unsigned_posts = RateLimiter(settings.unsigned_posts_per_hour, 3600.0)
        self.pages = PageRenderer(
            settings.site_dir, self.vocabularies, self.fields, self.kinds, settings.site_url
        )
        self.links = InviteLinks(link_key(settings))  # in the reminders of `aktivsammen stale --send`
        self.flow = FlowPages(self)

    @property
    def activities_dir(self) -> Path:
        return self.settings.content_dir / "activities"

    def prepare(self, activity: Any, edit: str | None) -> Prepared:
        return prepare(
            activity,
            edit=edit or None,
            vocabularies=self.vocabularies,
            activities_dir=self.activities_dir,
            today=danish_today(),
        )

    def check(
        self, activity: Any, edit: str | None, note: str, consent: bool | None
    ) -> tuple[Prepared | None, str, dict[str, str]]:
        """Every rule a submission must meet, all errors at once (the form shows them together).

        `consent` is None for a preview, which does not ask for it yet.
        """
        errors: dict[str, str] = {}
        prepared = None
        try:
            prepared = self.prepare(activity, edit)
        except SubmissionInvalid as invalid:
            errors.update(invalid.errors)
        try:
            note = check_note(note)
        except SubmissionInvalid as invalid:
            errors.update(invalid.errors)
        if consent is False:
            errors["consent"] = CONSENT_MISSING
        return prepared, note, errors

    def accept(
        self, prepared: Prepared, note: str, key: str, held: bool, submitter: dict[str, Any] | None = None
    ) -> Submission:
        """Store durably (committed before this returns), then wake the workers (the PR, the receipt)."""
        if not key:
            key = (
                "indhold:" + hashlib.sha256(f"{prepared.slug}\n{prepared.yaml}\n{note}".encode()).hexdigest()
            )

        def free(queued: set[str]) -> str:  # a new file's name: free in the content and in the queue
            return free_slug(slug_for(prepared.activity.title), self.activities_dir, queued)

        submission, new = self.store.add(
            idempotency_key=key,
            kind=prepared.kind,
            slug=free if prepared.kind == NEW else prepared.slug,
            title=prepared.activity.title,
            yaml=prepared.yaml,
            note=note,
            held=held,
            submitter=submitter_json(submitter or {}),
        )
        log.info("%s: %s (%s)", submission.reference, "stored" if new else "repeated", submission.state)
        if new and submitter and submitter.get("email"):
            self.outbox.add(
                f"kvittering:{submission.reference}", self._receipt_mail(submission, submitter), RECEIPT
            )
            self.mail_worker.wake.set()
        self.worker.wake.set()
        return submission

    def decided(self, submission: Submission, merged: bool) -> None:
        """The editors merged or closed the pull request: tell the sender, if they gave an e-mail."""
        submitter = json.loads(submission.submitter) if submission.submitter else {}
        if not submitter.get("email"):
            return
        confirmed = submission.note.startswith(CONFIRMED_NOTE)

        def compose(_: str) -> EmailMessage:
            return decision_mail(
                submission, submitter, merged=merged, confirmed=confirmed,
                sender=self.settings.mail_from, site_url=self.settings.site_url,
            )  # fmt: skip

        self.outbox.add(f"afgjort:{submission.reference}", compose, RECEIPT)
        self.mail_worker.wake.set()

    def _receipt_mail(
        self, submission: Submission, submitter: dict[str, Any]
    ) -> Callable[[str], EmailMessage]:
        def compose(_: str) -> EmailMessage:
            return receipt_mail(
                submission, submitter, sender=self.settings.mail_from, site_url=self.settings.site_url
            )

        return compose

    def _activity_of(self, fields: dict[str, str]) -> tuple[Activity | None, str]:
        """The activity a short form was posted from (None if there is no such file), and its slug."""
        slug = fields.get("activity", "")
        path = existing_file(slug, self.activities_dir)
        return (load_activity(path, self.vocabularies).activity if path else None), slug

    def check_companion(self, fields: dict[str, str]) -> CompanionRequest:
        """A checked companion request, or SubmissionInvalid with a Danish message per field."""
        return check_request(fields, *self._activity_of(fields))

    def accept_companion(self, request: CompanionRequest, key: str, trapped: bool, site_url: str) -> str:
        """Seal the request's e-mail in the outbox (committed before this returns), wake the mail worker."""
        key = key or "indhold:" + repr(request)  # hashed with a secret key before it is stored
        reference, new = self.outbox.add(
            key, lambda reference: self._companion_mail(request, reference, trapped, site_url)
        )
        log.info("%s: companion request %s", reference, "stored" if new else "repeated")
        self.mail_worker.wake.set()
        return reference

    def _companion_mail(
        self, request: CompanionRequest, reference: str, trapped: bool, site_url: str
    ) -> EmailMessage:
        coordinator = self.vocabularies.coordinator_for(request.activity.area)
        recipient = self.settings.companion_to or (coordinator.email if coordinator else "")
        message = compose(
            request,
            reference,
            vocabularies=self.vocabularies,
            sender=self.settings.mail_from,
            recipient=recipient,
            site_url=self.settings.site_url or site_url,
            received=datetime.now(COPENHAGEN),  # the coordinators read Danish time
        )
        if trapped:  # maybe a robot, maybe a person whose browser filled the trap: flag, never drop
            subject = message["Subject"]
            message.replace_header("Subject", f"[Muligvis spam] {subject}")
        return message

    def check_report(self, fields: dict[str, str]) -> ErrorReport:
        """A checked error report, or SubmissionInvalid with a Danish message per field."""
        return check_report(fields, *self._activity_of(fields))

    def accept_report(self, report: ErrorReport, key: str, trapped: bool, site_url: str) -> str:
        """Put the report on the editors' list and its e-mail in the outbox, then wake the mail worker."""
        key = key or "indhold:" + hashlib.sha256(repr(report).encode()).hexdigest()
        reference, new = self.reports.add(report, key, suspect=trapped)
        if new:
            coordinator = self.vocabularies.coordinator_for(report.activity.area)
            recipient = self.settings.editors_to or (coordinator.email if coordinator else "")

            def mail(_: str) -> EmailMessage:
                message = compose_report(
                    report, reference, vocabularies=self.vocabularies, sender=self.settings.mail_from,
                    recipient=recipient, site_url=self.settings.site_url or site_url,
                    received=datetime.now(COPENHAGEN),
                )  # fmt: skip
                if trapped:
                    message.replace_header("Subject", f"[Muligvis spam] {message['Subject']}")
                return message

            self.outbox.add(f"fejlmelding:{reference}", mail, REPORT)
            self.mail_worker.wake.set()
        log.info("%s: error report %s", reference, "stored" if new else "repeated")
        return reference

    def existing(self, slug: str) -> dict[str, Any] | None:
        """The current record of an activity, to prefill the form for "Ret oplysninger"."""
        path = existing_file(slug, self.activities_dir)
        if path is None:
            return None
        entry = load_activity(path, self.vocabularies)
        return entry.activity.model_dump(mode="json", by_alias=True, exclude_none=True)


def make_forge(settings: Settings) -> Forge:
    if settings.forge == "github":
        from .forges.github import GitHubForge

        return GitHubForge(
            repository=settings.github_repository,
            token=settings.github_token.get_secret_value() if settings.github_token else "",
            base_branch=settings.base_branch,
            api_url=settings.github_api_url,
        )
    from .forges.local import LocalGitForge

    return LocalGitForge(settings.local_repository, settings.base_branch)


def _site_url(request: Request) -> str:
    """Where the guide is when the service also serves it (locally); in production SITE_URL says."""
    return str(request.base_url) if request.app.state.service.settings.site_dir else ""


def create_app(
    settings: Settings | None = None, forge: Forge | None = None, mailer: Mailer | None = None
) -> FastAPI:
    settings = settings or Settings()
    service = Service(settings, forge, mailer)
    production = settings.environment == "production"

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        workers = (service.worker, service.mail_worker, service.decisions)
        if settings.worker:
            for worker in workers:
                worker.start()
        yield
        for worker in workers:
            worker.stop()

    app = FastAPI(
        title="AktivSammen indsendelser",
        version="1",
        description="Foreninger indsender og retter aktiviteter; hver indsendelse bliver en pull request.",
        lifespan=lifespan,
        # The API description is for developers: on the internet it only helps an attacker.
        docs_url=None if production else "/docs",
        redoc_url=None if production else "/redoc",
        openapi_url=None if production else "/openapi.json",
    )
    app.state.service = service
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        max_age=3600,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.middleware("http")
    async def same_site_only(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Posts only from the site's own pages (browsers send Origin with every cross-site post);
        and a route's own methods only, also where the site served alongside would answer 404."""
        allowed = methods.get(request.url.path)
        if allowed is not None and request.method not in allowed | {"OPTIONS"}:
            return method_not_allowed(allowed)
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.url.netloc}"
        if request.method == "POST" and origin and origin not in (own, *settings.allowed_origins):
            return refusal("Indsendelser modtages kun fra guidens egne sider.", 403)
        return await call_next(request)

    app.add_middleware(SecurityHeaders, own_page=lambda path: path in methods)

    @app.exception_handler(RequestValidationError)
    async def malformed_body(request: Request, refused: RequestValidationError) -> JSONResponse:
        """A body the API models refuse (too long, wrong type) gets the same Danish FieldErrors."""
        errors: dict[str, str] = {}
        for error in refused.errors():
            name = format_field(tuple(part for part in error["loc"] if part != "body"))
            errors.setdefault(name, danish_message(error))
        return _field_errors(errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """FastAPI's own refusals (a body that is not JSON or not UTF-8, too deep), in Danish."""
        message = HTTP_MESSAGES.get(error.status_code, "Forespørgslen kunne ikke behandles.")
        return refusal(message, error.status_code, getattr(error, "headers", None))

    def limited(request: Request, limiter: RateLimiter | None = None) -> bool:
        address = client_address(request, settings.trust_proxy_headers)
        return not (limiter or service.limiter).allow(address)

    def first_press_refused(token: str) -> str | None:
        """Why a form posted without JavaScript must be pressed again, or None if it may go on.

        A page the service made carries a token: its fill time counts. The static page does not:
        a person's first press is sent (the guide cannot know when they opened it), as long as
        such posts stay few; in a flood they are asked to press again on a page with a token.
        """
        if service.tokens.age(token) is not None:
            return None if service.tokens.ripe(token) else TOO_FAST
        return None if service.unsigned_posts.allow("alle") else CONFIRM

    def too_fast_or_too_many(token: str, request: Request) -> JSONResponse | None:
        """The guards every JSON post passes once its fields are valid: fill time, then rate."""
        if not service.tokens.ripe(token):
            return refusal(TOO_FAST, 422)
        if limited(request):
            return refusal(TOO_MANY, 429, {"Retry-After": "600"})
        return None

    # --- JSON API ---------------------------------------------------------------------------

    @app.get("/api/formular", response_model=FormToken, summary="A token to send with the submission")
    def form_token() -> FormToken:
        return FormToken(token=service.tokens.issue(), min_seconds=settings.min_fill_seconds)

    @app.post(
        "/api/forhaandsvisning",
        response_model=Preview,
        responses=REFUSALS,
        summary="Check an activity and show it as it will appear",
    )
    def preview(body: SubmissionIn, request: Request) -> Any:
        if limited(request, service.preview_limiter):
            return refusal(TOO_MANY, 429, {"Retry-After": "600"})
        try:
            prepared = service.prepare(body.activity, body.edit)
        except SubmissionInvalid as invalid:
            return _field_errors(invalid.errors)
        return Preview(
            preview=service.pages.preview(prepared.activity), yaml=prepared.yaml, slug=prepared.slug
        )

    @app.post(
        "/api/indsendelser",
        status_code=202,
        response_model=Receipt,
        responses=REFUSALS,
        summary="Submit a new or changed activity",
    )
    def submit(body: SubmissionIn, request: Request) -> Any:
        prepared, note, errors = service.check(body.activity, body.edit, body.note, consent=body.consent)
        if errors or prepared is None:
            return _field_errors(errors)
        if refused := too_fast_or_too_many(body.token, request):
            return refused
        submission = service.accept(
            prepared, note, client_key(body.idempotency_key), held=bool(body.website.strip())
        )
        state = submission.state.public  # the spam trap looks like any other receipt
        return Receipt(reference=submission.reference, state=state.value, message=_thanks(submission))

    @app.get(
        "/api/indsendelser/{reference}",
        response_model=Status,
        responses={404: {"model": FieldErrors}},
        summary="Where a submission is",
    )
    def status(reference: str) -> Any:
        found = service.store.get(reference)
        if found is None:
            return refusal("Ukendt referencenummer.", 404)
        state = found.state.public
        return Status(reference=found.reference, state=state.value, label=state.label)

    @app.get("/api/sundhed", summary="Health and queue counts")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "forge": service.forge.name,
            "queue": service.store.counts(),
            # numbers only: watch them in monitoring
            "companion_requests_waiting": len(service.outbox.waiting()),
            "companion_requests_given_up": len(service.outbox.given_up()),
        }

    # --- HTML (JavaScript off) ----------------------------------------------------------------

    @app.get("/indsend/trin", response_class=HTMLResponse, summary="The question flow's first page")
    def flow_start() -> HTMLResponse:
        page = service.flow.start()
        return html_page(page.html, page.status)

    @app.post("/indsend/trin", response_class=HTMLResponse, summary="A press in the question flow")
    async def flow_press(request: Request) -> HTMLResponse:
        form = await request.form()
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
        if limited(request, service.preview_limiter):  # every press costs a page render
            return html_page(service.pages.message("Vent lidt", TOO_MANY), 429)
        # Rendering is synchronous work: off the event loop, so one post never stalls the others.
        page = await run_in_threadpool(service.flow.press, pairs, lambda: not limited(request))
        return html_page(page.html, page.status)

    @app.get(
        "/indsend/ret", response_class=HTMLResponse, summary="An activity's answers, to change or confirm"
    )
    def edit_form(aktivitet: str = "", gyldig: str = "", signatur: str = "") -> HTMLResponse:
        page = service.flow.edit(aktivitet, invitation=f"{gyldig}.{signatur}" if signatur else "")
        if page is None:
            return html_page(service.pages.message("Aktiviteten findes ikke", "Tjek adressen."), 404)
        return html_page(page.html, page.status)

    # --- "Jeg vil gerne følges" -------------------------------------------------------------

    @app.post(
        "/api/foelgeskab",
        status_code=202,
        response_model=CompanionReceipt,
        responses=REFUSALS,
        summary="Ask the community coordinators for a companion or a call",
    )
    def companion(body: CompanionIn, request: Request) -> Any:
        try:
            checked = service.check_companion(body.model_dump(include=set(COMPANION_FIELDS)))
        except SubmissionInvalid as invalid:
            return _field_errors(invalid.errors)
        if refused := too_fast_or_too_many(body.token, request):
            return refused
        reference = service.accept_companion(
            checked, client_key(body.idempotency_key), bool(body.website.strip()), _site_url(request)
        )
        return CompanionReceipt(reference=reference, message=_companion_thanks(reference))

    def short_form_page(form: FormData, request: Request, kind: ShortForm) -> HTMLResponse:
        """A short form on an activity's page, posted without JavaScript: checked, guarded and sent,
        answered with a page of its own (the receipt, or the errors above the form)."""
        fields = {name: str(form.get(name, "")) for name in kind.fields}
        token = str(form.get("token", ""))
        fresh = token if service.tokens.age(token) is not None else service.tokens.issue()
        slug = fields["activity"]
        activity = service.existing(slug)
        if activity is None:
            return html_page(service.pages.message("Aktiviteten findes ikke", "Tjek adressen."), 404)

        def answer(status: int = 200, **shown: Any) -> HTMLResponse:
            return html_page(kind.render(slug, activity["title"], fields, **shown), status)

        try:
            checked = kind.check(fields)
        except SubmissionInvalid as invalid:
            return answer(422, errors=invalid.errors, token=fresh)
        if limited(request):
            return html_page(service.pages.message("Vent lidt", TOO_MANY), 429)
        if notice := first_press_refused(token):
            return answer(
                errors={}, token=fresh if notice == TOO_FAST else service.tokens.issue(), notice=notice
            )
        key = client_key(str(form.get("idempotency_key", "")))
        trapped = bool(str(form.get("website", "")).strip())
        reference = kind.accept(checked, key, trapped, _site_url(request))
        return answer(errors={}, reference=reference)

    companion_kind = ShortForm(
        COMPANION_FIELDS, service.check_companion, service.accept_companion, service.pages.companion
    )
    report_kind = ShortForm(REPORT_FIELDS, service.check_report, service.accept_report, service.pages.report)

    @app.post(
        "/foelgeskab/send", response_class=HTMLResponse, summary="The companion form without JavaScript"
    )
    async def companion_form(request: Request) -> HTMLResponse:
        form = await request.form()
        return await run_in_threadpool(short_form_page, form, request, companion_kind)

    # --- "Meld en fejl" ----------------------------------------------------------------------

    @app.post("/fejl/send", response_class=HTMLResponse, summary="Tell the editors something is wrong")
    async def report_form(request: Request) -> HTMLResponse:
        form = await request.form()
        return await run_in_threadpool(short_form_page, form, request, report_kind)

    # The service's own addresses and their methods (checked before the site served alongside).
    methods: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, APIRoute):
            methods.setdefault(route.path, set()).update(route.methods)
    if settings.site_dir is not None and Path(settings.site_dir).is_dir():
        app.mount("/", StaticFiles(directory=settings.site_dir, html=True), name="site")
    return app


HTTP_MESSAGES = {
    400: "Indsendelsen kunne ikke læses. Send den fra formularen på guiden (som UTF-8-tekst).",
    404: "Adressen findes ikke.",
    405: "Denne adresse tager kun imod indsendelser fra formularen.",
}


def _field_errors(errors: dict[str, str]) -> JSONResponse:
    count = len(errors)
    them = "den" if count == 1 else "dem"
    return JSONResponse(
        {"message": f"Der er {count} fejl i formularen. Ret {them}, og send igen.", "errors": errors},
        status_code=422,
    )


COMPANION_FIELDS = ("activity", "name", "phone", "email", "wish", "contact_time", "note")
REPORT_FIELDS = ("activity", "problem", "description", "name", "contact")


@dataclass(frozen=True)
class ShortForm:
    """One of the short forms on an activity's page, for the handler that serves them without
    JavaScript: its fields, how they are checked and sent, and the page that answers."""

    fields: tuple[str, ...]
    check: Callable[[dict[str, str]], Any]
    accept: Callable[[Any, str, bool, str], str]  # (checked, key, trapped, site url) -> reference
    render: Callable[..., str]


CONFIRM = "Tjek, at oplysningerne er rigtige, og tryk så på knappen igen for at sende."


def _companion_thanks(reference: str) -> str:
    return (
        f"Tak. Vi har fået din besked, og den er sendt til fællesskabskoordinatorerne. Dit nummer er "
        f"{reference}. En koordinator kontakter dig, normalt inden for et par hverdage."
    )


def _thanks(submission: Submission) -> str:
    return (
        f"Tak! Vi har modtaget din indsendelse. Dit referencenummer er {submission.reference}. "
        "En redaktør i kommunen ser den igennem, normalt inden for få hverdage, og så kommer den på guiden."
    )
