"""The API version calendar: refusals, end-of-support warnings and Shopify's fall-forward."""

import logging
from datetime import date

import pytest

from db.models import Channel
from sync.shopify import versions
from sync.shopify.stats import ClientStats, note_served_version
from tests.helpers.scripted_shopify import (
    SHOP_ANSWER,
    FakeClock,
    ScriptedShopify,
    make_client,
    reply,
)


def test_default_is_the_newest_stable_and_the_channel_default() -> None:
    assert versions.DEFAULT_API_VERSION == "2026-10"
    assert Channel(name="x", shop_domain="x").api_version == versions.DEFAULT_API_VERSION


@pytest.mark.parametrize("version", ["2025-04", "2025-10", "2026-01", "2026-10", "unstable"])
def test_versions_with_product_set_identifier_are_accepted(version: str) -> None:
    assert versions.refusal(version) is None


@pytest.mark.parametrize("version", ["2024-10", "2025-01"])
def test_versions_before_product_set_identifier_are_refused_naming_the_oldest(
    version: str,
) -> None:
    message = versions.refusal(version)
    assert message is not None and "2025-04" in message and version in message


@pytest.mark.parametrize("text", ["2026-02", "2026-1", "latest", "", "2026-10; drop"])
def test_non_versions_are_refused(text: str) -> None:
    message = versions.refusal(text)
    assert message is not None and "not a Shopify API version" in message


def test_features_by_version() -> None:
    assert not versions.has_feature("2025-10", "ungroupedBulkOutput")
    assert versions.has_feature("2026-01", "ungroupedBulkOutput")
    assert versions.has_feature("unstable", "bulkOperationsQuery")
    assert not versions.has_feature("2025-01", "productSetIdentifier")


@pytest.mark.parametrize(
    ("today", "oldest"),
    [
        (date(2026, 11, 30), "2026-01"),
        (date(2026, 10, 1), "2026-01"),  # 2025-10's support ended that day
        (date(2026, 9, 30), "2025-10"),
        (date(2027, 1, 1), "2026-04"),
        (date(2026, 12, 31), "2026-01"),
    ],
)
def test_oldest_supported_version(today: date, oldest: str) -> None:
    assert versions.oldest_supported(today).name == oldest


def test_retired_versions_fall_forward_to_the_oldest_supported() -> None:
    today = date(2026, 11, 30)
    assert versions.served_version("2025-07", today) == "2026-01"
    assert versions.served_version("2026-01", today) == "2026-01"
    assert versions.served_version("2026-10", today) == "2026-10"
    assert versions.served_version("unstable", today) == "unstable"


def test_warning_within_90_days_of_the_end_of_support() -> None:
    # 2026-01 is supported until 2027-01-01: 32 days after 2026-11-30.
    warning = versions.warning("2026-01", date(2026, 11, 30))
    assert warning is not None
    assert "2027-01-01" in warning and "32 days" in warning and "2026-10" in warning
    assert versions.warning("2026-01", date(2026, 10, 2)) is None  # 91 days before
    assert versions.warning("2026-01", date(2026, 10, 3)) is not None  # 90 days before
    assert versions.warning("2026-10", date(2026, 11, 30)) is None


def test_warning_for_retired_unreleased_and_unstable_versions() -> None:
    today = date(2026, 11, 30)
    retired = versions.warning("2025-10", today)
    assert retired is not None and "no longer supported" in retired and "2026-01" in retired
    future = versions.warning("2027-04", today)
    assert future is not None and "not released yet" in future
    assert "unstable" in (versions.warning("unstable", today) or "")


def test_a_served_version_different_from_the_requested_one_is_kept_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = ClientStats()
    with caplog.at_level(logging.WARNING, "sigma.shopify"):
        note_served_version(stats, "2025-07", "2025-07")
        assert stats.api_version_served is None
        note_served_version(stats, "2025-07", None)
        note_served_version(stats, "2025-07", "2026-01")
        note_served_version(stats, "2025-07", "2026-01")
    assert stats.api_version_served == "2026-01"
    assert len(caplog.records) == 1
    assert "api_version_served" not in stats.as_dict()


async def test_the_transport_reads_x_shopify_api_version(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [
        reply(SHOP_ANSWER, headers={"X-Shopify-API-Version": "2026-01"}),
        reply(SHOP_ANSWER, headers={"X-Shopify-API-Version": "2025-07"}),
    ]
    async with make_client(shopify.base_url, clock, api_version="2025-07") as client:
        await client.shop()
        assert client.stats.api_version_served == "2026-01"
    async with make_client(shopify.base_url, clock, api_version="2025-07") as client:
        await client.shop()
        assert client.stats.api_version_served is None


@pytest.mark.parametrize(
    "today", [date(2026, 11, 30), date(2026, 9, 30), date(2026, 10, 2), date(2027, 2, 15)]
)
def test_the_client_calendar_agrees_with_the_emulators(today: date) -> None:
    """Two calendars (the emulator must not import sync): they must tell the same story."""
    from datetime import UTC, datetime

    from emulator import versions as emulated

    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    assert versions.oldest_supported(today).name == emulated.supported(noon)[0]
    newest = emulated.newest_stable(noon)
    for year in (2025, 2026, 2027):
        for month in ("01", "04", "07", "10"):
            handle = f"{year}-{month}"
            if handle <= newest:
                assert versions.served_version(handle, today) == emulated.serve(handle, noon).handle
