"""SIGMA_RECONCILE_HOURS and SIGMA_BULK_POLL_SECONDS: defaults, values, and clear refusals."""

from pathlib import Path

import pytest

from db.settings import SettingsError, load_settings

SECRETS = {"SIGMA_API_TOKEN": "t", "SIGMA_SECRET_KEY": "k"}


def test_defaults_and_values(tmp_path: Path) -> None:
    default = load_settings(SECRETS, tmp_path)
    assert (default.reconcile_hours, default.bulk_poll_seconds) == (24.0, 1.0)
    env = {**SECRETS, "SIGMA_RECONCILE_HOURS": "0", "SIGMA_BULK_POLL_SECONDS": "0.25"}
    chosen = load_settings(env, tmp_path)
    assert (chosen.reconcile_hours, chosen.bulk_poll_seconds) == (0.0, 0.25)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SIGMA_RECONCILE_HOURS", "daily"),
        ("SIGMA_RECONCILE_HOURS", "-1"),
        ("SIGMA_RECONCILE_HOURS", "inf"),
        ("SIGMA_BULK_POLL_SECONDS", "0"),
        ("SIGMA_BULK_POLL_SECONDS", "61"),
        ("SIGMA_BULK_POLL_SECONDS", "nan"),
    ],
)
def test_a_bad_value_names_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({**SECRETS, name: value}, tmp_path)
