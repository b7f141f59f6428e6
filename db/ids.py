"""Identifiers: opaque strings that sort in creation order (keyset pagination needs no more)."""

import os
import time


def new_id() -> str:
    # 48-bit millisecond timestamp then 80 random bits, hex: like UUIDv7, sortable as text.
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(10).hex()}"
