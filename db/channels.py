"""Channels: a Shopify store with its credentials (encrypted), filters and field mappings."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.enums import SyncStatus
from db.errors import SyncInProgress, not_found
from db.models import Channel, SyncLog
from db.secret_box import SecretBox


async def get_channel(session: AsyncSession, channel_id: str) -> Channel | None:
    return await session.get(Channel, channel_id)


async def require_channel(
    session: AsyncSession, channel_id: str, field: str = "channelId"
) -> Channel:
    channel = await session.get(Channel, channel_id)
    if channel is None:
        raise not_found(field, "channel", channel_id)
    return channel


async def list_channels(session: AsyncSession) -> list[Channel]:
    return list((await session.execute(select(Channel).order_by(Channel.id))).scalars().all())


async def save_channel(
    session: AsyncSession,
    box: SecretBox,
    channel: Channel,
    values: dict[str, Any],
    access_token: str | None,
    webhook_secret: str | None = None,
) -> Channel:
    """Apply already-validated values; a given access token (or webhook secret) replaces the
    stored one, an empty one removes it."""
    for name, value in values.items():
        setattr(channel, name, value)
    if access_token is not None:
        channel.access_token_encrypted = box.encrypt(access_token) if access_token else None
    if webhook_secret is not None:
        channel.webhook_secret_encrypted = box.encrypt(webhook_secret) if webhook_secret else None
    channel.updated_at = utcnow()
    session.add(channel)
    await session.commit()
    return channel


async def delete_channel(session: AsyncSession, channel_id: str) -> str:
    channel = await require_channel(session, channel_id, "id")
    running = await session.execute(
        select(SyncLog).where(
            col(SyncLog.channel_id) == channel_id, col(SyncLog.status) == SyncStatus.RUNNING.value
        )
    )
    busy = running.scalars().first()
    if busy is not None:
        raise SyncInProgress(busy, field="id")
    await session.delete(channel)
    await session.commit()
    return channel_id


def access_token(box: SecretBox, channel: Channel) -> str | None:
    if not channel.access_token_encrypted:
        return None
    return box.decrypt(channel.access_token_encrypted)


def webhook_secret(box: SecretBox, channel: Channel) -> str | None:
    if not channel.webhook_secret_encrypted:
        return None
    return box.decrypt(channel.webhook_secret_encrypted)


async def set_webhook_subscriptions(
    session: AsyncSession, channel_id: str, subscription_ids: list[str]
) -> None:
    channel = await session.get(Channel, channel_id)
    if channel is not None:
        channel.webhook_subscription_ids = list(subscription_ids)
        channel.updated_at = utcnow()
        session.add(channel)
        await session.commit()


async def set_last_pulled(session: AsyncSession, channel_id: str, moment: datetime) -> None:
    channel = await session.get(Channel, channel_id)
    if channel is not None:
        channel.last_pulled_at = moment
        session.add(channel)
        await session.commit()


@dataclass(frozen=True)
class DueChannel:
    id: str
    schedule: str
    next_sync_at: datetime
    reconciled_at: datetime | None


async def due_channels(session: AsyncSession, now: datetime, limit: int) -> list[DueChannel]:
    """Channels whose next run time has come, earliest first."""
    rows = await session.execute(
        select(
            col(Channel.id),
            col(Channel.sync_schedule),
            col(Channel.next_sync_at),
            col(Channel.reconciled_at),
        )
        .where(col(Channel.next_sync_at) <= now, col(Channel.sync_schedule).is_not(None))
        .order_by(col(Channel.next_sync_at))
        .limit(limit)
    )
    # The WHERE clause excludes the NULLs.
    return [
        DueChannel(row[0], row[1] or "", row[2], row[3]) for row in rows.all() if row[2] is not None
    ]


async def mark_reconciled(session: AsyncSession, channel_id: str, moment: datetime) -> None:
    await session.execute(
        update(Channel).where(col(Channel.id) == channel_id).values(reconciled_at=moment)
    )


async def claim_scheduled_run(
    session: AsyncSession, channel_id: str, seen: datetime, next_at: datetime | None
) -> bool:
    """Move the channel's next run time from `seen` to `next_at`; False when another process
    (or a channelUpdate of the schedule) changed it first, so each run time fires once."""
    result = await session.execute(
        update(Channel)
        .where(col(Channel.id) == channel_id, col(Channel.next_sync_at) == seen)
        .values(next_sync_at=next_at)
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0) == 1
