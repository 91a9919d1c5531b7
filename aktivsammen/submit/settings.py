"""The service's settings: one class, read from AKTIVSAMMEN_SUBMIT_* environment variables.

The defaults suit `make serve` on a laptop (local Git forge, the built site served alongside);
`environment=production` refuses to start with any of them that are unsafe on the internet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    allowed_origins: list[str] = []  # sites whose pages may post to the service
    min_fill_seconds: float = 4.0
    rate_limit: int = 10  # submissions per address per window
    rate_window_seconds: float = 600.0
    max_body_bytes: int = 64 * 1024
    trust_proxy_headers: bool = False  # use X-Forwarded-For only behind a proxy you run

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
    # Fernet key (cryptography) for requests waiting to be sent; made and kept beside the
    # database in development, required in production.
    companion_key: SecretStr | None = None
    site_url: str = ""  # the guide's address, for the activity's link in the e-mail

    worker: bool = True
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 1800.0

    @model_validator(mode="after")
    def _safe_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        problems = []
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
            problems.append("AKTIVSAMMEN_SUBMIT_SECRET_KEY must be set (32+ characters)")
        if not self.allowed_origins or "*" in self.allowed_origins:
            problems.append("AKTIVSAMMEN_SUBMIT_ALLOWED_ORIGINS must list the site's origin(s), not *")
        if self.forge == "github" and (self.github_token is None or not self.github_repository):
            problems.append("the github forge needs AKTIVSAMMEN_SUBMIT_GITHUB_TOKEN and _GITHUB_REPOSITORY")
        if self.companion_key is None:
            problems.append("AKTIVSAMMEN_SUBMIT_COMPANION_KEY must be set (a Fernet key)")
        if self.smtp_tls == "none" and self.smtp_host not in ("localhost", "127.0.0.1", "::1"):
            problems.append("AKTIVSAMMEN_SUBMIT_SMTP_TLS must be starttls or ssl for a remote mail server")
        if not self.site_url.startswith("https://"):
            problems.append("AKTIVSAMMEN_SUBMIT_SITE_URL must be the guide's https address (for the e-mails)")
        if "@localhost" in self.mail_from:
            problems.append("AKTIVSAMMEN_SUBMIT_MAIL_FROM must be a real sender address")
        if problems:
            raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self
