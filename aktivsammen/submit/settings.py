"""The service's settings: one class, read from AKTIVSAMMEN_SUBMIT_* environment variables.

The defaults suit `make serve` on a laptop (local Git forge, the built site served alongside);
`environment=production` refuses to start with any of them that are unsafe on the internet.
"""

from __future__ import annotations

import binascii
import json
import re
from pathlib import Path
from typing import Annotated, Literal

from cryptography.fernet import Fernet
from pydantic import SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# An origin is a scheme, a host and maybe a port: no path, no "null" (sandboxed pages send that).
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AKTIVSAMMEN_SUBMIT_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database: Path = Path(".indsendelser/koe.sqlite3")
    content_dir: Path = Path("content")  # vocabularies, and the activities an edit may change
    content_path: str = "content/activities"  # where activity files live in the forge's repository
    site_dir: Path | None = None  # a built site to serve alongside (local use) and take the page shell from

    forge: Literal["local", "github"] = "local"
    local_repository: Path = Path(".")
    base_branch: str = "main"
    github_repository: str = ""  # owner/name
    github_token: SecretStr | None = None  # fine-grained: contents + pull requests, this repository only
    github_api_url: str = "https://api.github.com"

    secret_key: SecretStr | None = None  # signs the form tokens; random per process when unset
    # Sites whose pages may post to the service: comma-separated (or a JSON list) in the environment.
    allowed_origins: Annotated[list[str], NoDecode] = []
    min_fill_seconds: float = 4.0
    # A form on a static page posted without JavaScript carries no fill-time token. Up to this many
    # such posts an hour (from everyone together) are sent on the first press; beyond it (a robot's
    # flood) each needs a second press from a page the service made, so the fill time counts again.
    unsigned_posts_per_hour: int = 30
    rate_limit: int = 10  # submissions per address per window
    rate_window_seconds: float = 600.0
    preview_rate_limit: int = 120  # previews (and added rows) per address per window: each is a page render
    max_body_bytes: int = 64 * 1024
    # Behind a proxy you run (docs/nginx): the right-most X-Forwarded-For entry is the client.
    trust_proxy_headers: bool = False
    max_connections: int = 200  # open connections at once; more are closed at once (aktivsammen serve)
    request_timeout_seconds: float = 10.0  # to send a request's headers and body (aktivsammen serve)

    # "Jeg vil gerne følges": requests go by e-mail to the coordinators of the activity's area
    # (from content/data/coordinators.yaml) or to companion_to when set.
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str = ""
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "AktivSammen <ikke-svar@localhost>"
    companion_to: str = ""
    # "Meld en fejl": where the reports go (the editors' function mailbox); when unset, to the
    # coordinators of the activity's area.
    editors_to: str = ""
    # Fernet key (cryptography) for requests waiting to be sent; made and kept beside the
    # database in development, required in production.
    companion_key: SecretStr | None = None
    site_url: str = ""  # the guide's address, for the activity's link in the e-mail

    worker: bool = True
    # How often an open pull request is looked at, to e-mail the sender when it is merged or closed.
    decision_check_seconds: float = 600.0
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 1800.0

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """`https://a.dk,https://b.dk` as well as `["https://a.dk"]`; a trailing slash is forgiven."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    value = json.loads(text)
                except ValueError:
                    raise ValueError(
                        "skal være adresser adskilt af komma, fx https://guide.example.dk"
                    ) from None
            else:
                value = [part for part in text.split(",") if part.strip()]
        if isinstance(value, list):
            return [str(item).strip().rstrip("/") for item in value]
        return value

    @model_validator(mode="after")
    def _safe_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        problems = []
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
            problems.append("AKTIVSAMMEN_SUBMIT_SECRET_KEY skal være sat (mindst 32 tegn)")
        if not self.allowed_origins or "*" in self.allowed_origins:
            problems.append("AKTIVSAMMEN_SUBMIT_ALLOWED_ORIGINS skal nævne guidens adresse(r), ikke *")
        for origin in self.allowed_origins:
            if origin != "*" and not (_ORIGIN.match(origin) and origin.startswith("https://")):
                problems.append(
                    f"AKTIVSAMMEN_SUBMIT_ALLOWED_ORIGINS: {origin!r} er ikke en https-adresse uden sti "
                    "(fx https://guide.example.dk)"
                )
        if self.forge == "github" and (self.github_token is None or not self.github_repository):
            problems.append("github-forgen kræver AKTIVSAMMEN_SUBMIT_GITHUB_TOKEN og _GITHUB_REPOSITORY")
        if self.companion_key is None or not self.companion_key.get_secret_value().strip():
            problems.append("AKTIVSAMMEN_SUBMIT_COMPANION_KEY skal være sat (en Fernet-nøgle)")
        elif not _is_fernet_key(self.companion_key.get_secret_value()):
            problems.append(
                "AKTIVSAMMEN_SUBMIT_COMPANION_KEY er ikke en gyldig Fernet-nøgle (44 tegn, lav en med "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
            )
        if self.smtp_tls == "none" and self.smtp_host not in _LOCAL_HOSTS:
            problems.append(
                "AKTIVSAMMEN_SUBMIT_SMTP_TLS skal være starttls eller ssl for en fjern mailserver"
            )
        if not self.site_url.startswith("https://"):
            problems.append("AKTIVSAMMEN_SUBMIT_SITE_URL skal være guidens https-adresse (til e-mailene)")
        if "@localhost" in self.mail_from:
            problems.append("AKTIVSAMMEN_SUBMIT_MAIL_FROM skal være en rigtig afsenderadresse")
        if problems:
            raise ValueError("usikre indstillinger til drift: " + "; ".join(problems))
        return self


def _is_fernet_key(text: str) -> bool:
    try:
        Fernet(text.strip().encode())
    except (ValueError, binascii.Error):
        return False
    return True


def settings_problem(error: Exception) -> str:
    """What is wrong with the settings, in one plain paragraph (no traceback, no pydantic dump)."""
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors():
            name = "AKTIVSAMMEN_SUBMIT_" + "_".join(str(part) for part in item["loc"]).upper()
            message = str(item.get("ctx", {}).get("error") or item["msg"]).removeprefix("Value error, ")
            parts.append(message if not item["loc"] else f"{name}: {message}")
        return "; ".join(parts)
    return f"{type(error).__name__}: {error}"
