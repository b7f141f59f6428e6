"""wrk (Debian package `wrk`) as a load generator: one run's requests/s and latencies."""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, body: str, token: str, connections: int, seconds: int, workdir: Path) -> Run:
    """One wrk run posting `body` with the bearer `token`."""
    script = workdir / "poll.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{body}]==]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    failures = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|errors: .*?):?\s+(\d+)", out)
    )
    return Run(rps, p50, p99, failures)


def median(runs: list[Run]) -> Run:
    def mid(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return Run(
        mid([r.rps for r in runs]),
        mid([r.p50_ms for r in runs]),
        mid([r.p99_ms for r in runs]),
        sum(r.failures for r in runs),
    )
