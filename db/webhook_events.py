"""Accepted webhooks: stored at once (the HTTP answer must be fast), drained later by a
channel's targeted pull (sync.webhook_drain)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.models import Channel, WebhookEvent


async def channels_for_shop(session: AsyncSession, shop_domain: str) -> list[Channel]:
    """Every channel on this store: several channels may share a shop (and its app)."""
    rows = await session.execute(
        select(Channel)
        .where(col(Channel.shop_domain) == shop_domain.strip().lower())
        .order_by(col(Channel.id))
    )
    return list(rows.scalars().all())


async def record_event(
    session: AsyncSession, channel_id: str, event_id: str, topic: str, product_id: str
) -> bool:
    """Store one event; False when this channel has it already (a duplicate delivery)."""
    session.add(
        WebhookEvent(channel_id=channel_id, event_id=event_id, topic=topic, product_id=product_id)
    )
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def pending_events(
    session: AsyncSession, channel_id: str, limit: int = 10_000
) -> list[WebhookEvent]:
    rows = await session.execute(
        select(WebhookEvent)
        .where(col(WebhookEvent.channel_id) == channel_id, col(WebhookEvent.processed_at).is_(None))
        .order_by(col(WebhookEvent.id))
        .limit(limit)
    )
    return list(rows.scalars().all())


async def channels_with_pending_events(
    session: AsyncSession, received_before: datetime | None = None
) -> list[str]:
    """Channels with unprocessed events (only events older than `received_before` count)."""
    query = select(col(WebhookEvent.channel_id)).where(col(WebhookEvent.processed_at).is_(None))
    if received_before is not None:
        query = query.where(col(WebhookEvent.received_at) < received_before)
    rows = await session.execute(query.group_by(col(WebhookEvent.channel_id)))
    return [str(row) for row in rows.scalars().all()]


async def mark_processed(
    session: AsyncSession, event_ids: Sequence[str], moment: datetime | None = None
) -> None:
    if not event_ids:
        return
    await session.execute(
        update(WebhookEvent)
        .where(col(WebhookEvent.id).in_(list(event_ids)))
        .values(processed_at=moment or utcnow())
    )
    await session.commit()


async def count_events(session: AsyncSession, channel_id: str) -> int:
    total = await session.execute(
        select(func.count()).where(col(WebhookEvent.channel_id) == channel_id)
    )
    return int(total.scalar_one())
