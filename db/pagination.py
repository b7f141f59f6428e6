"""Keyset pagination over time-ordered ids; cursors are opaque to API callers."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from db.errors import UserError, UserErrorCode, UserErrors

T = TypeVar("T")
MAX_PAGE = 250
DEFAULT_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    end_cursor: str | None
    total_count: int


def encode_cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = "\x00"
    # Ids are printable; a NUL would reach PostgreSQL, which refuses it in text.
    if not decoded.isprintable():
        raise UserErrors(
            [UserError(["after"], "after is not a valid cursor", UserErrorCode.INVALID)]
        )
    return decoded


def check_page_size(first: int | None, maximum: int = MAX_PAGE) -> int:
    size = DEFAULT_PAGE if first is None else first
    if not 1 <= size <= maximum:
        raise UserErrors(
            [
                UserError(
                    ["first"],
                    f"first must be between 1 and {maximum}, got {size}",
                    UserErrorCode.INVALID,
                )
            ]
        )
    return size


async def paginate(
    session: AsyncSession,
    query: Select[Any],
    id_column: Any,
    first: int | None,
    after: str | None,
    newest_first: bool = False,
    count: bool = True,
) -> Page[Any]:
    """One query for the page (size+1 rows tell whether more follow) and, when `count`, one
    for the total (total_count is 0 when not counted: a poll that does not ask for it)."""
    size = check_page_size(first)
    total = 0
    if count:
        counting = select(func.count()).select_from(query.subquery())
        total = (await session.execute(counting)).scalar_one()
    if after:
        boundary = decode_cursor(after)
        query = query.where(id_column < boundary if newest_first else id_column > boundary)
    query = query.order_by(id_column.desc() if newest_first else id_column).limit(size + 1)
    rows = list((await session.execute(query)).scalars().all())
    has_next = len(rows) > size
    rows = rows[:size]
    end = encode_cursor(rows[-1].id) if rows else None
    return Page(rows, has_next, end, total)
