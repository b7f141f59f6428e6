"""Configuration from the environment (README.md, "Configuration"); a fresh install generates
its secrets."""

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_FILE = "sigma.db"


class RunMode(StrEnum):
    """Where runs execute: in the API process (EMBEDDED) or as Procrastinate jobs that
    `sigma worker` processes take (QUEUE, PostgreSQL only)."""

    EMBEDDED = "embedded"
    QUEUE = "queue"


class SettingsError(ValueError):
    """A SIGMA_* variable has a value the service cannot run with."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    api_token: str = field(repr=False)
    secret_key: str = field(repr=False)
    shopify_base_url: str | None = None
    # Seconds a sync run's lease lasts without renewal (db.leases): how long a crashed or
    # stalled process can keep its channel from a new run.
    run_lease: float = 60.0
    # Tests and embedders build Settings directly and get in-process runs; load_settings picks
    # QUEUE for PostgreSQL.
    run_mode: RunMode = RunMode.EMBEDDED
    # Where Shopify reaches this service (webhook callbacks: {public_url}/webhooks/shopify).
    public_url: str | None = None
    # Seconds a channel's webhook events gather before they become one targeted pull.
    webhook_debounce: float = 1.0
    # Hours between the id reconciliations a channel's scheduled syncs carry (0: never).
    reconcile_hours: float = 24.0
    # Seconds between reads of a running bulk operation (each read reports progress to the log).
    bulk_poll_seconds: float = 1.0
    # Set when this process generated the API token, so the command line can show it once.
    generated_token_file: Path | None = None


def _sqlite_dir(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent


def _read_or_create(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # O_EXCL: two processes starting at once must not both write a different secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip(), False
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value, True


def _number(
    raw: str | None, default: float, name: str, low: float = 0.0, high: float = float("inf")
) -> float:
    """A numeric SIGMA_* variable (unset: `default`); a bad one names the variable."""
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    # NaN fails both comparisons; `high` itself is allowed unless it is infinity
    if not (low <= value <= high and value != float("inf")):
        limit = f"{low:g} to {high:g}" if high != float("inf") else f"{low:g} or more"
        raise SettingsError(f"{name} must be {limit}, not {raw!r}")
    return value


def load_settings(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Read SIGMA_* variables; generate the API token and secret key beside the database when unset.

    A fresh install therefore never serves unauthenticated mutations: the token is written to
    `sigma.api-token` (mode 600) and the command line prints it once.
    """
    env = os.environ if environ is None else environ
    base = cwd or Path.cwd()
    database_url = (
        env.get("SIGMA_DATABASE_URL") or f"sqlite+aiosqlite:///{base / DEFAULT_DATABASE_FILE}"
    )
    secrets_dir = _sqlite_dir(database_url) or base

    generated: Path | None = None
    api_token = env.get("SIGMA_API_TOKEN", "")
    if not api_token:
        token_file = secrets_dir / "sigma.api-token"
        api_token, created = _read_or_create(token_file, lambda: secrets.token_urlsafe(32))
        generated = token_file if created else None

    secret_key = env.get("SIGMA_SECRET_KEY", "")
    if not secret_key:
        secret_key, _ = _read_or_create(
            secrets_dir / "sigma.secret-key", lambda: Fernet.generate_key().decode()
        )

    base_url = (env.get("SIGMA_SHOPIFY_BASE_URL") or "").rstrip("/") or None
    run_lease = float(env.get("SIGMA_RUN_LEASE_SECONDS") or 60.0)
    if not run_lease > 0:
        raise ValueError("SIGMA_RUN_LEASE_SECONDS must be a positive number of seconds")
    public_url = (env.get("SIGMA_PUBLIC_URL") or "").rstrip("/") or None
    reconcile_hours = _number(env.get("SIGMA_RECONCILE_HOURS"), 24.0, "SIGMA_RECONCILE_HOURS")
    return Settings(
        database_url=database_url,
        api_token=api_token,
        secret_key=secret_key,
        shopify_base_url=base_url,
        run_lease=run_lease,
        public_url=public_url,
        webhook_debounce=_number(
            env.get("SIGMA_WEBHOOK_DEBOUNCE"), 1.0, "SIGMA_WEBHOOK_DEBOUNCE", high=60
        ),
        reconcile_hours=reconcile_hours,
        bulk_poll_seconds=_number(
            env.get("SIGMA_BULK_POLL_SECONDS"), 1.0, "SIGMA_BULK_POLL_SECONDS", 0.01, 60
        ),
        run_mode=_run_mode(env.get("SIGMA_RUN_MODE", ""), database_url),
        generated_token_file=generated,
    )


def _run_mode(value: str, database_url: str) -> RunMode:
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    if not value:
        return RunMode.QUEUE if postgres else RunMode.EMBEDDED
    try:
        mode = RunMode(value.strip().lower())
    except ValueError:
        choices = ", ".join(m.value for m in RunMode)
        raise SettingsError(f"SIGMA_RUN_MODE must be one of {choices}, not {value!r}") from None
    if mode == RunMode.QUEUE and not postgres:
        # Procrastinate's queue lives in PostgreSQL (LISTEN/NOTIFY, advisory locks).
        raise SettingsError("SIGMA_RUN_MODE=queue needs a PostgreSQL SIGMA_DATABASE_URL")
    return mode
