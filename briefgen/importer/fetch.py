"""Reading what `add-source` imports: an http(s) URL or a file on disk, each within a size cap,
and a URL within one deadline for the whole download (redirects included)."""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from briefgen.diagnostics import UserError
from briefgen.loading.yamlfields import is_http_url

USER_AGENT = "Mozilla/5.0 (compatible; briefgen source importer)"
# A news page, even saved with its images inlined, is far smaller. Above this, extraction takes
# minutes and gigabytes and keeps almost nothing, so such input is refused, never cut short.
MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
OFFLINE = "(are you offline? save the page and pass the .html file instead)"


def is_url(target: str) -> bool:
    """Whether `target` is meant as a URL (of any scheme) rather than a file name."""
    return bool(SCHEME_RE.match(target))


def check_http_url(url: str, what: str) -> str:
    """`url` if the loader accepts it as a source url and it can be fetched; else a UserError."""
    if not url.lower().startswith(("http://", "https://")):
        raise UserError(f"{what} {url!r}: only http and https URLs can be fetched")
    try:
        host = urlsplit(url).hostname  # raises on a malformed host such as "[::1"
    except ValueError as exc:
        raise UserError(f"{what} {url!r}: not a valid URL ({exc})") from None
    if not host or not is_http_url(url):
        raise UserError(f"{what} {url!r}: not a valid URL")
    return url


def read_file(path: Path) -> bytes:
    """A saved page or text file, refused when larger than MAX_BYTES."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # not stat(): the file may grow while we read
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UserError(f"{path} is larger than {MAX_BYTES // 2**20} MB; briefgen imports pages "
                        "and text files up to that size (save only the article)")
    return data


def fetch(url: str, timeout: float) -> tuple[bytes, str]:
    """The body of `url` and the address it ended at; the whole download takes at most `timeout`
    seconds, follows only http(s) redirects and is refused past MAX_BYTES."""
    check_http_url(url, "cannot import")
    deadline = _Deadline(timeout)
    outcome: dict[str, object] = {}

    def download() -> None:
        try:
            outcome["page"] = _download(url, deadline)
        except BaseException as exc:  # handed to the caller's thread, which reports it
            outcome["error"] = exc

    # Socket timeouts bound each read, not a download: a server dripping a byte a second never
    # times out, and name lookup has no bound at all. So the download runs in a worker that we
    # wait for at most `timeout` seconds; then its sockets are shut down, which ends whatever
    # read it is in (a lookup still running ends with the process: the thread is a daemon).
    worker = threading.Thread(target=download, name="briefgen-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    error = outcome.get("error")
    # Every socket timeout is what was left of the deadline, so one firing means it passed.
    timed_out = isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
    if worker.is_alive() or deadline.expired or timed_out:
        deadline.expire()
        raise UserError(f"could not fetch {url}: no complete answer within {timeout:g} s; pass a "
                        "longer --timeout, or save the page and pass the .html file instead")
    if isinstance(error, BaseException):
        raise _user_error(error, url)
    return outcome["page"]  # type: ignore[return-value]


def _download(url: str, deadline: _Deadline) -> tuple[bytes, str]:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), _HTTPHandler(deadline), _HTTPSHandler(deadline),
                    urllib.request.HTTPDefaultErrorHandler(), _RedirectHandler(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.UnknownHandler()):
        opener.add_handler(handler)  # no ftp:, file: or data: handlers, unlike urlopen's
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with opener.open(request, timeout=deadline.seconds) as response:
        return _read_body(response, url), response.geturl() or url


def _user_error(exc: BaseException, url: str) -> BaseException:
    """What went wrong in the worker, as the one line the user sees (a bug stays itself)."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        reason = f"HTTP {exc.code} {exc.reason}"
    elif isinstance(exc, (OSError, http.client.HTTPException, ValueError)):  # URLError, timeouts
        reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
    else:
        return exc
    return UserError(f"could not fetch {url}: {reason} {OFFLINE}")


def _read_body(response: http.client.HTTPResponse, url: str) -> bytes:
    too_big = UserError(f"could not fetch {url}: the page is larger than {MAX_BYTES // 2**20} MB")
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > MAX_BYTES:
        raise too_big  # before reading any of it
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


class _Deadline:
    """The end of one download's time, and the sockets to shut down when it passes."""

    def __init__(self, seconds: float):
        self.seconds, self.expired = seconds, False
        self._end = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        """Seconds left, for a connection's own timeout; past the end, a TimeoutError."""
        left = self._end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed by its owner: nothing left to stop


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    """A connection class whose connect waits only for what is left of the deadline and hands
    its socket to the deadline, to be shut down when the caller stops waiting."""

    class Watched(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._conn = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._conn = _watched(http.client.HTTPSConnection, deadline)
        self._ssl = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req, context=self._ssl)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to http(s): the stock handler also follows ftp://."""

    def http_error_302(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                       headers: http.client.HTTPMessage) -> Any:  # urllib's own return type is Any
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urljoin(req.full_url, location.strip())
            if not target.lower().startswith(("http://", "https://")):
                raise UserError(f"could not fetch {req.full_url}: it redirects to {target!r}; "
                                "only http and https URLs can be fetched")
        fp.close()  # the stock handler would read the redirect's body, however long
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
