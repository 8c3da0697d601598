"""HTTP at the I/O boundary: one httpx client with the tracker's timeouts, User-Agent and limits.

``make_client(settings, transport=None)``: tests inject a transport instead of patching.
``fetch(client, url, ...)`` does one conditional GET with a body-size cap and returns a ``Fetched``.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tracker.config import Settings
from tracker.errors import FetchError


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(settings: Settings, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    return httpx.Client(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        transport=transport,
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http and https URLs are fetched", url=url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: body larger than {max_bytes} bytes; refused", url=url)
                chunks.append(chunk)
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects", url=url) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}", url=url) from None
    if response.status_code != 304 and response.status_code >= 400:
        raise FetchError(f"{url}: HTTP {response.status_code}", url=url, status=response.status_code)
    return Fetched(
        url=url,
        status=response.status_code,
        body=b"".join(chunks),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        content_type=response.headers.get("content-type"),
    )
