"""What the API needs from the rest of the service, built once per process and passed in."""

from dataclasses import dataclass

from db.engine import SessionFactory
from db.poll_reads import PollReads
from db.secret_box import SecretBox
from db.settings import Settings
from sync.runner import Runner
from sync.webhook_drain import Debouncer


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    box: SecretBox
    runner: Runner
    # The reads a UI polls (sync logs, channels), one cheap query each.
    polls: PollReads
    # Turns stored webhook events into targeted pulls (embedded mode: in this process).
    webhooks: Debouncer
