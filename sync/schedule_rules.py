"""A channel's syncSchedule: a 5-field cron expression or an interval (`every 15m`), in UTC.

Parsing refuses what would surprise a merchant (seconds fields, runs more often than once a
minute, an expression that never fires) and the next run time is computed here, so the API and
the firing loop agree on it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from croniter import CroniterBadDateError, CroniterError, croniter

MAX_LENGTH = 100
MINIMUM_INTERVAL = timedelta(minutes=1)
MAXIMUM_INTERVAL = timedelta(days=366)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_INTERVAL = re.compile(r"^every\s+(\d{1,6})\s*([mhd])$", re.IGNORECASE)
SYNTAX = (
    "a 5-field cron expression in UTC (minute hour day-of-month month day-of-week, "
    "e.g. '0 3 * * *') or an interval 'every N' + m, h or d (e.g. 'every 15m'), "
    "at least 1 minute"
)


class ScheduleError(ValueError):
    """The text is not a schedule; the message says why, for a userError."""


@dataclass(frozen=True)
class Schedule:
    text: str
    interval: timedelta | None = None  # None: `text` is a cron expression

    def next_after(self, now: datetime, previous: datetime | None = None) -> datetime:
        """The first run time after `now`. An interval keeps its grid from `previous` (the run
        time just fired) so firing a few seconds late does not drift; runs missed while no
        process was up are skipped, not caught up one after another."""
        now = _aware(now)
        if self.interval is None:
            # A cron expression: the next matching minute after now.
            nxt = croniter(self.text, now).get_next(datetime)
            return _aware(nxt)
        if previous is None:
            return now + self.interval
        previous = _aware(previous)
        if previous > now:
            return previous
        missed = (now - previous) // self.interval + 1
        return previous + missed * self.interval


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_schedule(raw: str) -> Schedule:
    text = " ".join(raw.split())
    if not text:
        raise ScheduleError(f"syncSchedule is empty; use null to remove it, or {SYNTAX}")
    if len(text) > MAX_LENGTH:
        raise ScheduleError(f"syncSchedule must be at most {MAX_LENGTH} characters")
    if text.lower().startswith("every"):
        return _interval(text)
    return _cron(text)


def _interval(text: str) -> Schedule:
    found = _INTERVAL.match(text)
    if found is None:
        raise ScheduleError(f"syncSchedule {text!r} is not an interval: expected e.g. 'every 15m'")
    every = int(found.group(1)) * _UNITS[found.group(2).lower()]
    if every < MINIMUM_INTERVAL:
        raise ScheduleError("syncSchedule's interval must be at least 1 minute")
    if every > MAXIMUM_INTERVAL:
        raise ScheduleError("syncSchedule's interval must be at most 366 days")
    return Schedule(f"every {found.group(1)}{found.group(2).lower()}", every)


def _cron(text: str) -> Schedule:
    fields = text.split(" ")
    if len(fields) != 5:
        raise ScheduleError(f"syncSchedule {text!r} has {len(fields)} fields; expected {SYNTAX}")
    if not croniter.is_valid(text):
        raise ScheduleError(
            f"syncSchedule {text!r} is not a valid cron expression; expected {SYNTAX}"
        )
    schedule = Schedule(text)
    try:
        # croniter accepts dates that never come (February 30th); it gives up after ~50 years.
        schedule.next_after(datetime(2000, 1, 1, tzinfo=UTC))
    except (CroniterBadDateError, CroniterError):
        raise ScheduleError(f"syncSchedule {text!r} never fires") from None
    return schedule
