"""A webhook endpoint for emulator tests: answers each delivery with the next scripted status
(or not at all), and keeps what it received."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

HANG = -1  # script value: do not answer (the sender's timeout decides)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    script: list[int]
    received: list[Received] = field(default_factory=list)


@contextlib.asynccontextmanager
async def webhook_receiver(script: list[int] | None = None) -> AsyncIterator[Receiver]:
    receiver = Receiver("", list(script or []))
    # A hanging answer ends with the receiver: aiohttp's cleanup would otherwise wait out its
    # 60 s shutdown timeout for the handler.
    closing = asyncio.Event()

    async def handle(request: web.Request) -> web.Response:
        receiver.received.append(Received(dict(request.headers), await request.read()))
        status = receiver.script.pop(0) if receiver.script else 200
        if status == HANG:
            await closing.wait()
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        closing.set()
        await runner.cleanup()
