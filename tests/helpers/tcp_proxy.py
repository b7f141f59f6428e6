"""A TCP forwarder to stand between the server and its database, so a test can cut the line."""

import asyncio
import contextlib
from collections.abc import AsyncIterator


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers += [writer, up_writer]
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones: the database is unreachable."""
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()


@contextlib.asynccontextmanager
async def tcp_proxy(host: str, port: int) -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy(host, port)
    proxy.server = await asyncio.start_server(proxy._handle, "127.0.0.1", 0)
    proxy.port = proxy.server.sockets[0].getsockname()[1]
    try:
        yield proxy
    finally:
        proxy.server.close()
        for writer in proxy.writers:
            writer.close()
