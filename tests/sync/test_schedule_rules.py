"""syncSchedule parsing and next run times: cron (5 fields, UTC) and `every N[mhd]` intervals."""

from datetime import UTC, datetime, timedelta

import pytest

from sync.schedule_rules import ScheduleError, parse_schedule

T = datetime(2026, 3, 10, 12, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 3 * * *", datetime(2026, 3, 11, 3, 0, tzinfo=UTC)),
        ("*/15 * * * *", datetime(2026, 3, 10, 12, 15, tzinfo=UTC)),
        ("0 0 * * MON", datetime(2026, 3, 16, 0, 0, tzinfo=UTC)),
        ("30 12 1 * *", datetime(2026, 4, 1, 12, 30, tzinfo=UTC)),
        ("every 15m", T + timedelta(minutes=15)),
        ("every 2h", T + timedelta(hours=2)),
        ("every 1d", T + timedelta(days=1)),
    ],
)
def test_next_run_time_from_now(text: str, expected: datetime) -> None:
    assert parse_schedule(text).next_after(T) == expected


def test_text_is_normalised() -> None:
    assert parse_schedule("  EVERY  15M ").text == "every 15m"
    assert parse_schedule("0  3 *\t* *").text == "0 3 * * *"


def test_an_interval_keeps_its_grid_and_skips_missed_runs() -> None:
    every = parse_schedule("every 10m")
    fired_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    # Fired 4 seconds late: the next run stays on the grid.
    assert every.next_after(fired_at + timedelta(seconds=4), fired_at) == fired_at + timedelta(
        minutes=10
    )
    # No process was up for 35 minutes: one run now, the next on the grid after now.
    assert every.next_after(fired_at + timedelta(minutes=35), fired_at) == fired_at + timedelta(
        minutes=40
    )
    # Exactly on a grid point: the following one, never `now` itself.
    assert every.next_after(fired_at + timedelta(minutes=20), fired_at) == fired_at + timedelta(
        minutes=30
    )


def test_a_cron_schedule_skips_missed_runs() -> None:
    hourly = parse_schedule("0 * * * *")
    previous = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert hourly.next_after(T, previous) == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("every 0m", "at least 1 minute"),
        ("every 30s", "not an interval"),
        ("every", "not an interval"),
        ("every 15 minutes", "not an interval"),
        ("every 367d", "at most 366 days"),
        ("* * * * * *", "6 fields"),
        ("* * * *", "4 fields"),
        ("@hourly", "1 fields"),
        ("61 * * * *", "not a valid cron expression"),
        ("* * * * FUNDAY", "not a valid cron expression"),
        ("0 0 30 2 *", "never fires"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_invalid_schedules_say_why(text: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        parse_schedule(text)
