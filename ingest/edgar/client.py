"""Polite HTTP for EDGAR under the SEC's fair-access rules, with the standard library only.

* A declared User-Agent with a contact e-mail ("Company Name admin@example.com") is required:
  without one no request is made (``UserAgentError``).
* At most ``rate`` requests per second (10 by default, the SEC's limit): request starts are spaced
  at least ``1 / rate`` seconds apart, retries included, so no one-second window holds more.
* 429 and 5xx are retried with exponential backoff, honouring ``Retry-After`` (seconds) when the
  server sends it; other errors (404...) fail at once.
* Bounded: a timeout per request and a maximum response size.
* Only URLs under the configured bases are fetched (``allowed``): a test pointed at 127.0.0.1 can
  never reach the real network, and a CSV cannot send the client elsewhere.
"""

from __future__ import annotations

import gzip
import re
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

DEFAULT_RATE = 10.0  # requests per second: the SEC's fair-access maximum
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds: a longer Retry-After is capped, not obeyed blindly
CHUNK = 64 * 1024
CONTACT = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


class UserAgentError(ValueError):
    """No usable User-Agent: ``str()`` says what the SEC asks for."""


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is one line: the URL and the reason."""

    def __init__(
        self, url: str, reason: str, *, status: int | None = None, retryable: bool = False, delay: float | None = None
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status  # the HTTP status, when the server answered
        self.retryable = retryable  # worth another try (429, 5xx, a dropped connection)
        self.delay = delay  # the server's Retry-After, in seconds


def check_user_agent(user_agent: str | None) -> str:
    """The User-Agent, stripped, if it declares who is asking with a contact e-mail.

    >>> check_user_agent("  Example Corp admin@example.com ")
    'Example Corp admin@example.com'
    >>> try:
    ...     check_user_agent("python-urllib")
    ... except UserAgentError as problem:
    ...     print(problem)
    the User-Agent 'python-urllib' has no contact e-mail; the SEC asks for "Company Name admin@example.com"
    """
    text = " ".join((user_agent or "").split())
    if not text:
        raise UserAgentError('no User-Agent: the SEC asks every client to declare one, e.g. "Company Name admin@example.com"')
    if not CONTACT.search(text):
        raise UserAgentError(f'the User-Agent {text!r} has no contact e-mail; the SEC asks for "Company Name admin@example.com"')
    return text


@dataclass
class RateLimiter:
    """Spaces request starts at least ``1 / rate`` seconds apart (the strictest token bucket: one token)."""

    rate: float = DEFAULT_RATE
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = field(default=0.0, init=False)

    def wait(self) -> None:
        now = self.clock()
        if now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + 1.0 / self.rate


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header in its delta-seconds form; None for an HTTP date or junk."""
    if value is None:
        return None
    try:
        return min(max(float(value.strip()), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None


def _decode(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


@dataclass
class Client:
    """``get(url) -> bytes`` under the fair-access rules; raises FetchError (one line) on failure."""

    user_agent: str
    allowed: Sequence[str] = ()  # URL prefixes the client may fetch; empty = any
    rate: float = DEFAULT_RATE
    retries: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    timeout: float = 30.0
    max_bytes: int = 64 * 1024 * 1024
    sleep: Callable[[float], None] = time.sleep
    requests: int = field(default=0, init=False)  # every request sent, retries included

    def __post_init__(self) -> None:
        self.user_agent = check_user_agent(self.user_agent)
        self._limiter = RateLimiter(self.rate, sleep=self.sleep)

    def get(self, url: str) -> bytes:
        if self.allowed and not any(url.startswith(prefix) for prefix in self.allowed):
            raise FetchError(url, f"not under the EDGAR base URLs ({', '.join(self.allowed)}); not fetched")
        attempt = 0
        while True:
            self._limiter.wait()
            self.requests += 1
            try:
                return self._once(url)
            except FetchError as problem:
                if attempt >= self.retries or not problem.retryable:
                    raise
                delay = problem.delay if problem.delay is not None else self.backoff * 2**attempt
                self.sleep(delay)
                attempt += 1

    def _once(self, url: str) -> bytes:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = self._read(url, response)
                return _decode(body, response.headers.get("Content-Encoding"))
        except urllib.error.HTTPError as problem:
            delay = _retry_after(problem.headers.get("Retry-After")) if problem.headers else None
            problem.close()
            raise FetchError(
                url, f"HTTP {problem.code} {problem.reason}", status=problem.code, retryable=problem.code in RETRY_STATUSES, delay=delay
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as problem:
            reason = getattr(problem, "reason", None) or problem
            raise FetchError(url, f"cannot connect ({reason})", retryable=True) from None
        except (OSError, zlib.error, EOFError) as problem:
            raise FetchError(url, f"bad response ({problem})") from None

    def _read(self, url: str, response) -> bytes:  # noqa: ANN001 - an http.client.HTTPResponse
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"response larger than {self.max_bytes} bytes; not kept")
            chunks.append(chunk)
        return b"".join(chunks)
