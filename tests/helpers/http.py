"""HTTP clients for tests, sharing one TLS context.

httpx builds a TLS context for every client (loading the CA bundle: 18 ms of CPU), although
every server under test listens on plain loopback HTTP; hundreds of clients a run made that
seconds of the suite."""

import ssl
from typing import Any

import httpx

_TLS = ssl.create_default_context()


def async_client(**options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(verify=_TLS, **options)


def sync_client(**options: Any) -> httpx.Client:
    return httpx.Client(verify=_TLS, **options)
