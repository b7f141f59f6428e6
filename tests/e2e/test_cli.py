"""`sigma sync` from a terminal, against a database the API server also uses."""

import asyncio
import os
import sys
from pathlib import Path

from tests.e2e.stack import stack
from tests.live import SECRET, TOKEN

SIGMA = str(Path(sys.executable).with_name("sigma"))


async def test_sigma_sync_runs_with_progress_and_a_summary(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    async with stack(url) as s:
        for i in range(3):
            await s.create_entity(name=f"CLI {i}", price="4.00", sku=f"C{i}")
        env = {
            **os.environ,
            "SIGMA_DATABASE_URL": url,
            "SIGMA_API_TOKEN": TOKEN,
            "SIGMA_SECRET_KEY": SECRET,
            "SIGMA_SHOPIFY_BASE_URL": s.emulator.base_url,
            "COLUMNS": "200",
        }
        process = await asyncio.create_subprocess_exec(
            SIGMA,
            "sync",
            s.channel_id,
            "--direction",
            "push",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), 120)
        text = output.decode()
        assert process.returncode == 0, text
        assert "success" in text and "3" in text
        assert len(s.emulator.store.products) == 3

        unknown = await asyncio.create_subprocess_exec(
            SIGMA,
            "sync",
            "no-such-channel",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(unknown.communicate(), 60)
        assert unknown.returncode == 2
        assert "NOT_FOUND" in output.decode()
