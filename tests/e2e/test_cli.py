"""`sigma sync` from a terminal, against a database the API server also uses."""

import asyncio
import re
import socket
import sys
from pathlib import Path

import pytest

from graph.cli import main
from tests.helpers.http import async_client
from tests.helpers.live import SECRET, TOKEN
from tests.helpers.stack import stack

SIGMA = str(Path(sys.executable).with_name("sigma"))


async def test_sigma_sync_runs_with_progress_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `sigma sync` through its entry point, in a thread of this process: the command (arguments,
    # settings from the environment, progress, summary, exit code) is what is tested; a process
    # of its own would spend most of the test importing and parsing Shopify's schema again.
    # test_sigma_demo_serves_a_ready_channel runs the installed `sigma` script as a process.
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    async with stack(url) as s:
        for i in range(3):
            await s.create_entity(name=f"CLI {i}", price="4.00", sku=f"C{i}")
        for name, value in {
            "SIGMA_DATABASE_URL": url,
            "SIGMA_API_TOKEN": TOKEN,
            "SIGMA_SECRET_KEY": SECRET,
            "SIGMA_SHOPIFY_BASE_URL": s.emulator.base_url,
            "COLUMNS": "200",
        }.items():
            monkeypatch.setenv(name, value)
        code = await asyncio.to_thread(main, ["sync", s.channel_id, "--direction", "push"])
        text = capsys.readouterr().out
        assert code == 0, text
        assert "success" in text and "3" in text
        assert len(s.emulator.store.products) == 3

        code = await asyncio.to_thread(main, ["sync", "no-such-channel"])
        assert code == 2
        assert "NOT_FOUND" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_sigma_demo_serves_a_ready_channel() -> None:
    api_port, emulator_port = _free_port(), _free_port()
    process = await asyncio.create_subprocess_exec(
        SIGMA,
        "demo",
        "--port",
        str(api_port),
        "--emulator-port",
        str(emulator_port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        banner = ""
        while "Press Ctrl-C" not in banner:
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, banner
            banner += line.decode()
        token = re.search(r"Bearer (\S+?)\)", banner)
        channel = re.search(r"channel\s+(\w+)", banner)
        assert token and channel, banner
        async with async_client(
            base_url=f"http://127.0.0.1:{api_port}",
            headers={"Authorization": f"Bearer {token.group(1)}"},
            timeout=60,
        ) as client:
            tested = (await client.post(f"/channels/{channel.group(1)}/test-connection")).json()
            assert tested["ok"] is True, tested
            synced = await client.post(f"/channels/{channel.group(1)}/sync", json={"wait": True})
            body = synced.json()
            assert (body["status"], body["pushed"], body["pulled"]) == ("success", 9, 12), body
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)


def test_sigma_worker_refuses_a_tick_that_does_not_divide_a_minute(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["worker", "--tick-seconds", "7"])
    assert exited.value.code == 2
    assert "--tick-seconds: a tick must divide a minute, not 7 seconds" in capsys.readouterr().err
