"""Webhook signatures and payloads (sync.webhooks) and the per-channel debounce
(sync.webhook_drain.Debouncer), without a server."""

import asyncio
import base64
import hashlib
import hmac

from sync.webhook_drain import Debouncer
from sync.webhooks import product_gid, signature, verifies

BODY = b'{"id":788032119674292922,"title":"Example T-Shirt"}'


def test_the_signature_is_base64_hmac_sha256_of_the_raw_body() -> None:
    expected = base64.b64encode(hmac.new(b"secret", BODY, hashlib.sha256).digest()).decode()
    assert signature("secret", BODY) == expected
    assert verifies("secret", BODY, expected)
    assert not verifies("other", BODY, expected)
    assert not verifies("secret", BODY + b" ", expected)  # re-serialised JSON does not verify
    assert not verifies("secret", BODY, "")
    assert not verifies("secret", BODY, expected.lower())


def test_the_product_comes_from_the_gid_or_the_numeric_id() -> None:
    gid = "gid://shopify/Product/788032119674292922"
    assert product_gid(BODY) == gid
    assert product_gid(b'{"admin_graphql_api_id": "' + gid.encode() + b'", "id": 1}') == gid
    for bad in (b"[]", b"not json", b'{"id": "1"}', b'{"id": true}', b'{"id": -4}', b"{}"):
        assert product_gid(bad) is None, bad


async def test_events_within_the_window_make_one_drain() -> None:
    drained: list[str] = []

    async def drain(channel_id: str) -> bool:
        drained.append(channel_id)
        return True

    debouncer = Debouncer(drain, window=0.05)
    for _ in range(20):
        debouncer.notify("a")
        await asyncio.sleep(0.005)
    debouncer.notify("b")
    await debouncer.idle()
    assert sorted(drained) == ["a", "b"]


async def test_a_busy_channel_is_drained_again_and_late_events_are_not_lost() -> None:
    calls: list[str] = []
    busy = [True, True]
    debouncer: Debouncer

    async def drain(channel_id: str) -> bool:
        calls.append(channel_id)
        if busy:
            busy.pop()
            return False  # a run of the channel is going on
        if len(calls) == 3:
            debouncer.notify(channel_id)  # an event stored while this drain runs
        return True

    debouncer = Debouncer(drain, window=0.01)
    debouncer.notify("a")
    await debouncer.idle()
    assert calls == ["a"] * 4
    assert not debouncer.pending()


async def test_a_steady_stream_is_drained_after_max_wait() -> None:
    drained: list[float] = []
    loop = asyncio.get_running_loop()

    async def drain(channel_id: str) -> bool:
        drained.append(loop.time())
        return True

    debouncer = Debouncer(drain, window=0.05, max_wait=0.2)
    started = loop.time()
    while loop.time() - started < 0.5:
        debouncer.notify("a")
        await asyncio.sleep(0.01)
    await debouncer.idle()
    assert len(drained) >= 2  # never quiet for 50 ms, drained anyway
    assert drained[0] - started < 0.4
