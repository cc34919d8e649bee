"""A gunicorn gthread worker that lets a request hold a thread only once its whole head has arrived.

Gunicorn's gthread worker hands a connection to a thread as soon as it is readable, and the thread then blocks
reading the rest of the head: with 8 threads per worker, 16 clients that sent half a request and wait (a
stalled tab, a bad network, a slowloris) stopped the mock. Here the thread reads what the socket holds without
waiting; if the head is not complete, the connection goes back to the worker's poller (gunicorn's own
"deferred" path, which costs no thread) until more bytes come, and the bytes read so far wait in the request
parser's buffer. A head must be complete within ``HEAD_TIMEOUT_S`` of its first byte, and a deferred
connection that stays silent is closed after the keep-alive time, so stalled connections are closed in
bounded time. Measured against gunicorn's gevent worker (which also bounds the head's arrival) with
``python -m bench.compare_workers``: in one run gevent served half the requests/s, in another as many but with a
p99 latency 3 to 5 times higher; this worker keeps gthread's throughput and latency and needs no new dependency.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from gunicorn.workers.gthread import _DEFER, ThreadWorker

HEAD_TIMEOUT_S = 10.0
MAX_HEAD_BYTES = 1024 * 1024  # past this the parser answers 414/431 itself; the buffer must not grow further
HEAD_ENDS = (b"\r\n\r\n", b"\n\n")
READ_SIZE = 65536


class HeadFirstWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, reading each request head without blocking a thread (plain HTTP/1.x; TLS and HTTP/2 as before)."""

    def handle(self, conn: Any) -> Any:
        if self.cfg.is_ssl:
            return super().handle(conn)
        try:
            conn.init()  # plain HTTP/1.x: only makes the parser
        except Exception:
            return super().handle(conn)
        if conn.is_http2 or conn.parser is None:
            return super().handle(conn)
        state = _read_head(conn)
        if state == "wait":
            return _DEFER
        if state == "gone":
            return False
        conn.data_ready = True
        return super().handle(conn)


def _read_head(conn: Any) -> str:
    """Read what the socket holds into the parser's buffer: "ready" when a whole head is buffered (or too much
    to keep waiting for), "wait" when more must come, "gone" when the client closed or took too long."""
    unreader = conn.parser.unreader
    buffered = unreader.take_buffered()
    status = "wait"
    while not _complete(buffered):
        try:
            chunk = conn.sock.recv(READ_SIZE, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            break
        except OSError:
            status = "gone"
            break
        if not chunk:
            status = "gone"
            break
        buffered += chunk
    else:
        status = "ready"
    unreader.unread(buffered)
    if status != "wait":
        conn.head_deadline = None
        return status
    if not buffered:  # nothing of the next request yet: the poller waits for it, within the keep-alive time
        return "wait"
    deadline = getattr(conn, "head_deadline", None)
    now = time.monotonic()
    if deadline is None:
        conn.head_deadline = now + HEAD_TIMEOUT_S
    elif now > deadline:
        return "gone"
    return "wait"


def _complete(buffered: bytes) -> bool:
    return len(buffered) >= MAX_HEAD_BYTES or any(end in buffered for end in HEAD_ENDS)
