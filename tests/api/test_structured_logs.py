"""Log lines of a run carry its channel and log ids, as JSON lines with SIGMA_LOG_FORMAT=json or
appended to the plain format, and tokens stay redacted in both."""

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from graph.logging_setup import build_handler, log_format
from tests.helpers.stack import stack


@contextmanager
def captured(fmt: str) -> Iterator[io.StringIO]:
    """The server's handler (graph.logging_setup) on the `sigma` logger, writing to a buffer."""
    stream = io.StringIO()
    handler = build_handler(stream, fmt)
    logger = logging.getLogger("sigma")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_a_runs_json_lines_carry_its_channel_and_log_ids(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.create_entity(name="Logged mug", price="3.00", sku="LOG-1")
        with captured("json") as stream:
            log = (await s.run("push"))["syncLog"]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    run_lines = [line for line in lines if line["message"].startswith("sync run")]
    assert [line["message"] for line in run_lines] == [
        "sync run started: PUSH",
        "sync run finished: SUCCESS (pushed 1, pulled 0, skipped 0, failed 0)",
    ]
    for line in run_lines:
        assert (line["channel_id"], line["log_id"]) == (s.channel_id, log["id"])
        assert line["logger"] == "sigma.sync" and line["level"] == "INFO"
        assert line["time"].endswith("Z")


async def test_the_plain_format_appends_the_ids(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.create_entity(name="Plain mug", price="3.00", sku="LOG-2")
        with captured("plain") as stream:
            log = (await s.run("push"))["syncLog"]
    [started] = [line for line in stream.getvalue().splitlines() if "sync run started" in line]
    assert started.endswith(
        f"INFO sigma.sync: sync run started: PUSH [channel_id={s.channel_id} log_id={log['id']}]"
    )


def test_the_served_configuration_writes_redacted_json_lines() -> None:
    # dictConfig(log_config(...)) as `sigma serve` applies it, in a process of its own.
    script = """
import asyncio, logging, logging.config
from graph.logging_setup import log_config
from sync.log_context import run_context
logging.config.dictConfig(log_config(fmt="json"))
async def run():
    logging.getLogger("sigma.sync").warning("token shpat_0123456789abcdef leaked")
    try:
        raise RuntimeError("boom shpat_0123456789abcdef")
    except RuntimeError:
        logging.getLogger("sigma.sync").exception("failed")
async def main():
    await asyncio.create_task(run(), context=run_context("ch1", "log1"))
    logging.getLogger("sigma.api").warning("outside a run")
asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "shpat_0123456789abcdef" not in done.stderr
    first, second, third = (json.loads(line) for line in done.stderr.splitlines())
    assert first["message"] == "token [REDACTED] leaked"
    assert (first["channel_id"], first["log_id"]) == ("ch1", "log1")
    assert second["message"] == "failed" and "RuntimeError: boom [REDACTED]" in second["exception"]
    assert third["message"] == "outside a run" and "channel_id" not in third


def test_sigma_log_format_accepts_plain_or_json_only() -> None:
    assert log_format({}) == "plain"
    assert log_format({"SIGMA_LOG_FORMAT": "JSON"}) == "json"
    with pytest.raises(ValueError, match="SIGMA_LOG_FORMAT must be one of plain, json"):
        log_format({"SIGMA_LOG_FORMAT": "xml"})
