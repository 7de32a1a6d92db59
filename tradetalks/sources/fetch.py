"""Polite HTTP fetching: a clear user agent, timeouts, retries with backoff, a size cap,
conditional requests (ETag / Last-Modified) and no private or loopback addresses unless
allowed. Redirects are followed by hand so that every hop is checked.

Bounded in time whatever the server does: each read has a timeout, a URL as a whole (its
redirects, retries and a body that trickles in a byte at a time) a total deadline, and a
`Retry-After` longer than `max_wait` is not waited for: the URL fails now, to be tried again
on the next run."""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from tradetalks import __version__
from tradetalks.clean import decode
from tradetalks.errors import FetchError, shown

USER_AGENT = f"tradetalks/{__version__} (+https://github.com/tradetalks/tradetalks; trade-talks research crawler)"
MAX_BYTES = decode.MAX_BYTES
MAX_REDIRECTS = 5
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Page:
    url: str                  # final URL, after redirects
    status: int               # 200, or 304 when unchanged since the last fetch
    text: str = ""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    notes: list[str] = field(default_factory=list)  # how the body was decoded, when not as declared


@dataclass
class Fetcher:
    allow_private: bool = False
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0      # seconds before the first retry; doubles each time
    max_wait: float = 30.0    # longest Retry-After waited for; a longer one fails the URL for this run
    total: float = 60.0       # seconds one URL may take in all: redirects, retries, a trickling body

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)), follow_redirects=False,
        )

    def close(self) -> None:
        self.client.close()

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: not an http(s) URL; give a full address such as https://ustr.gov/...")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        except socket.gaierror:
            raise FetchError(f"{url}: cannot resolve {parts.hostname}; check the address or your network") from None
        for info in infos:
            ip = ipaddress.ip_address(info[4][0])
            if not ip.is_global or ip.is_multicast:
                raise FetchError(f"{url}: refusing to fetch a private or loopback address ({ip}); "
                                 "pass --allow-private to allow it")

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """Fetch a page, or raise FetchError saying why; status 304 means unchanged."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.total
        for _ in range(MAX_REDIRECTS + 1):
            self.check(url)
            resp, body = self._request(url, headers, deadline)
            if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                url = urljoin(url, resp.headers["location"])
                continue
            if resp.status_code == 304:
                return Page(url, 304, etag=etag, last_modified=last_modified)
            if resp.status_code >= 400:
                raise FetchError(f"{shown(url)}: the server answered {resp.status_code} {resp.reason_phrase}; check the URL")
            ctype = resp.headers.get("content-type", "")
            charset = next((p.split("=", 1)[1].strip(" \"'") for p in ctype.split(";") if "charset=" in p), None)
            text, notes = decode.decode_noted(body, url, declared=charset)
            return Page(url, resp.status_code, text, ctype, resp.headers.get("etag"), resp.headers.get("last-modified"),
                        notes)
        raise FetchError(f"{shown(url)}: more than {MAX_REDIRECTS} redirects; give the final address")

    def _request(self, url: str, headers: dict[str, str], deadline: float) -> tuple[httpx.Response, bytes]:
        wait = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._late(url)
            timeout = httpx.Timeout(min(self.timeout, left), connect=min(10.0, self.timeout, left))
            try:
                with self.client.stream("GET", url, headers=headers, timeout=timeout) as resp:
                    if resp.status_code in RETRY_STATUS and not last:
                        pause = _retry_after(resp.headers.get("retry-after", ""), wait)
                        if pause > self.max_wait:
                            raise FetchError(f"{shown(url)}: the server asks to come back in {pause:.0f} s (over the "
                                             f"{self.max_wait:.0f} s waited for); it will be tried again on the next run")
                        self._sleep(pause, deadline, url)
                        wait *= 2
                        continue
                    return resp, self._body(resp, url, deadline)
            except httpx.TimeoutException:
                if last:
                    raise FetchError(f"{shown(url)}: timed out after {self.timeout:.0f} s ({attempt + 1} tries); "
                                     "try again later or raise --timeout") from None
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(f"{shown(url)}: cannot connect ({type(exc).__name__}, {attempt + 1} tries); "
                                     "check the address or try again later") from None
            self._sleep(wait, deadline, url)
            wait *= 2
        raise FetchError(f"{shown(url)}: no answer after {self.retries + 1} tries; try again later")

    def _body(self, resp: httpx.Response, url: str, deadline: float) -> bytes:
        """The body, capped in size and in time (a server may trickle it a byte at a time,
        each read within the read timeout)."""
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            raise FetchError(f"{shown(url)}: the page is {int(declared) // (1024 * 1024)} MB, over the 10 MB limit")
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(f"{shown(url)}: the page is over the 10 MB limit; it was not read")
            if time.monotonic() > deadline:
                raise self._late(url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _late(self, url: str) -> FetchError:
        return FetchError(f"{shown(url)}: not fetched within {self.total:.0f} s in all (the server is too slow); "
                          "it will be tried again on the next run")

    def _sleep(self, seconds: float, deadline: float, url: str) -> None:
        """A pause before the next try, unless it would end past the URL's deadline."""
        if time.monotonic() + seconds > deadline:
            raise self._late(url)
        time.sleep(seconds)


def _retry_after(value: str, default: float) -> float:
    """Seconds asked for by a Retry-After header (a number or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return default
    if when is None:
        return default
    return max(0.0, when.timestamp() - time.time())
