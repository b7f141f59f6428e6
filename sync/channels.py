"""Channel rules: shop domain, API version, filters and field mappings are checked before saving."""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from db.channels import require_channel, save_channel
from db.clock import utcnow
from db.enums import ConflictPolicy, DeletePolicy, MatchBy, RemoteDeletePolicy
from db.errors import UserError, UserErrorCode, UserErrors
from db.models import Channel, Schema
from db.schemas import missing_catalogs
from db.secret_box import SecretBox
from sync.field_rules import parse_field_mappings
from sync.fields import mappings_or_default
from sync.match_keys import match_by_problem
from sync.schedule_rules import ScheduleError, parse_schedule
from sync.shopify import versions

_MYSHOPIFY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}\.myshopify\.com$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$")
UNSET: Any = object()


@dataclass
class ChannelInput:
    """Values from the API; UNSET means 'not given' (keep the stored value on update)."""

    name: Any = UNSET
    shop_domain: Any = UNSET
    access_token: Any = UNSET
    api_version: Any = UNSET
    schema_id: Any = UNSET
    catalog_ids: Any = UNSET
    field_mappings: Any = UNSET
    conflict_policy: Any = UNSET
    delete_policy: Any = UNSET
    match_by: Any = UNSET
    sync_schedule: Any = UNSET
    webhook_secret: Any = UNSET
    remote_delete_policy: Any = UNSET
    # set by sync.channel_webhooks once Shopify accepted them, never from the API directly
    webhook_subscription_ids: Any = UNSET


def normalise_shop_domain(raw: str, allow_any_host: bool) -> str | None:
    """`https://X.myshopify.com/admin` -> `x.myshopify.com`; None when it is not a shop host."""
    text = raw.strip()
    try:
        host = urlsplit(text if "//" in text else f"//{text}").netloc.lower()
    except ValueError:
        # urlsplit refuses some text outright ("[" is read as an unclosed IPv6 address).
        return None
    if _MYSHOPIFY.match(host):
        return host
    if allow_any_host and _HOST.match(host):
        return host
    return None


def _schedule_values(raw: Any) -> tuple[list[UserError], dict[str, Any]]:
    """null removes the schedule; a schedule given again restarts its clock from now."""
    if raw is None:
        return [], {"sync_schedule": None, "next_sync_at": None}
    try:
        schedule = parse_schedule(str(raw))
    except ScheduleError as refused:
        return [UserError(["syncSchedule"], str(refused), UserErrorCode.INVALID_SCHEDULE)], {}
    return [], {"sync_schedule": schedule.text, "next_sync_at": schedule.next_after(utcnow())}


def _match_by_problems(data: ChannelInput, stored_mappings: list[Any]) -> list[UserError]:
    """An explicit matchBy must be able to read its key through the channel's mappings."""
    if data.match_by is None:
        return [
            UserError(
                ["matchBy"], "matchBy cannot be null: SKU, HANDLE or BARCODE", UserErrorCode.INVALID
            )
        ]
    raw = stored_mappings if data.field_mappings is UNSET else list(data.field_mappings or [])
    mappings, problems = parse_field_mappings(raw)
    if problems:
        return []  # reported on fieldMappings
    problem = match_by_problem(MatchBy(data.match_by), mappings_or_default(mappings))
    return [UserError(["matchBy"], problem, UserErrorCode.INVALID)] if problem else []


async def _problems(
    session: AsyncSession,
    data: ChannelInput,
    schema_id: str | None,
    allow_any_host: bool,
    stored_mappings: list[Any] | None = None,
) -> tuple[list[UserError], dict[str, Any]]:
    errors: list[UserError] = []
    values: dict[str, Any] = {}
    stored_mappings = stored_mappings or []
    if data.name is not UNSET:
        if not isinstance(data.name, str) or not 1 <= len(data.name.strip()) <= 200:
            errors.append(
                UserError(["name"], "name must be 1 to 200 characters", UserErrorCode.INVALID)
            )
        else:
            values["name"] = data.name.strip()
    if data.shop_domain is not UNSET:
        domain = normalise_shop_domain(str(data.shop_domain), allow_any_host)
        if domain is None:
            errors.append(
                UserError(
                    ["shopDomain"],
                    f"shopDomain {data.shop_domain!r} is not a Shopify shop: "
                    "expected a host like your-store.myshopify.com",
                    UserErrorCode.INVALID,
                )
            )
        else:
            values["shop_domain"] = domain
    if data.api_version is not UNSET:
        refused = versions.refusal(str(data.api_version))
        if refused:
            errors.append(UserError(["apiVersion"], refused, UserErrorCode.INVALID))
        else:
            values["api_version"] = data.api_version
    for name, label in (("access_token", "accessToken"), ("webhook_secret", "webhookSecret")):
        secret = getattr(data, name)
        if secret is UNSET or secret is None:
            continue
        if len(str(secret)) > 500 or any(ch.isspace() for ch in str(secret)):
            errors.append(
                UserError(
                    [label],
                    f"{label} must be a single word of at most 500 characters",
                    UserErrorCode.INVALID,
                )
            )
    for name, label, kind in (
        ("conflict_policy", "conflictPolicy", ConflictPolicy),
        ("delete_policy", "deletePolicy", DeletePolicy),
        ("remote_delete_policy", "remoteDeletePolicy", RemoteDeletePolicy),
    ):
        value = getattr(data, name)
        if value is UNSET:
            continue
        if value is None:
            # The GraphQL input type allows null (omitting means "keep"); a policy cannot be none.
            errors.append(UserError([label], f"{label} cannot be null", UserErrorCode.INVALID))
        else:
            values[name] = kind(value).value
    if data.match_by is not UNSET:
        errors.extend(_match_by_problems(data, stored_mappings))
        if data.match_by is not None:
            values["match_by"] = MatchBy(data.match_by).value
    if data.sync_schedule is not UNSET:
        schedule_errors, schedule_values = _schedule_values(data.sync_schedule)
        errors.extend(schedule_errors)
        values.update(schedule_values)

    if data.webhook_subscription_ids is not UNSET:
        values["webhook_subscription_ids"] = list(data.webhook_subscription_ids)
    schema: Schema | None = None
    if data.schema_id is not UNSET:
        values["schema_id"] = data.schema_id or None
    if schema_id:
        schema = await session.get(Schema, schema_id)
        if schema is None:
            errors.append(
                UserError(
                    ["schemaId"], f"schema '{schema_id}' does not exist", UserErrorCode.NOT_FOUND
                )
            )
    if data.catalog_ids is not UNSET:
        catalog_ids = list(data.catalog_ids or [])
        for missing in await missing_catalogs(session, catalog_ids):
            errors.append(
                UserError(
                    ["catalogIds"], f"catalog '{missing}' does not exist", UserErrorCode.NOT_FOUND
                )
            )
        values["catalog_ids"] = catalog_ids
    if data.field_mappings is not UNSET:
        attributes = (
            {a["key"]: a["type"] for a in schema.attributes} if schema is not None else None
        )
        _, problems = parse_field_mappings(list(data.field_mappings or []), attributes)
        for problem in problems:
            errors.append(
                UserError(
                    ["fieldMappings", str(problem.index), problem.key],
                    problem.message,
                    problem.code,
                )
            )
        values["field_mappings"] = [dict(m) for m in data.field_mappings or []]
    return errors, values


async def create_channel(
    session: AsyncSession, box: SecretBox, data: ChannelInput, allow_any_host: bool
) -> Channel:
    errors: list[UserError] = []
    for name, label in (("name", "name"), ("shop_domain", "shopDomain")):
        if getattr(data, name) is UNSET:
            errors.append(UserError([label], f"{label} is required", UserErrorCode.REQUIRED))
    schema_id = None if data.schema_id is UNSET else data.schema_id
    problems, values = await _problems(session, data, schema_id, allow_any_host)
    if errors or problems:
        raise UserErrors(errors + problems)
    token = None if data.access_token is UNSET else data.access_token
    secret = None if data.webhook_secret is UNSET else data.webhook_secret
    return await save_channel(session, box, Channel(**values), values, token, secret)


async def update_channel(
    session: AsyncSession,
    box: SecretBox,
    channel_id: str,
    data: ChannelInput,
    allow_any_host: bool,
) -> Channel:
    channel = await require_channel(session, channel_id, "id")
    schema_id = channel.schema_id if data.schema_id is UNSET else data.schema_id
    if data.field_mappings is UNSET and data.schema_id is not UNSET:
        # A new schema must still define every mapped attribute.
        data.field_mappings = channel.field_mappings
    problems, values = await _problems(
        session, data, schema_id, allow_any_host, channel.field_mappings
    )
    if problems:
        raise UserErrors(problems)
    token = None if data.access_token is UNSET else data.access_token
    secret = None if data.webhook_secret is UNSET else data.webhook_secret
    return await save_channel(session, box, channel, values, token, secret)
