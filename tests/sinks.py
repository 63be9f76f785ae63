"""Local receivers the delivery tests send to: an HTTP sink (e-Box, webhooks) and an SMTP server (aiosmtpd),
each on a free port of 127.0.0.1, recording what arrives."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the sink answered


@dataclass
class HttpSink:
    """Answers `failure` to the first `failures` requests of each message (by its Idempotency-Key; every
    request when `failures` is None), 200 after; waits `delay` seconds before answering; records every request.
    With `refuse`, answers `failure` to every request whose body it returns true for, 200 to the others."""

    failures: int | None = 0
    failure: int = 500
    delay: float = 0.0
    gate: threading.Event | None = None  # when given, each request waits for it before being answered
    refuse: Callable[[bytes], bool] | None = None
    received: list[Received] = field(default_factory=list)
    arrived: int = 0  # requests read, answered or not yet
    url: str = ""

    def accepted(self) -> list[Received]:
        return [request for request in self.received if 200 <= request.status < 300]

    def status_for(self, key: str, body: bytes = b"") -> int:
        if self.refuse is not None:
            return self.failure if self.refuse(body) else 200
        tries = sum(1 for request in self.received if request.headers.get("idempotency-key") == key)
        return self.failure if self.failures is None or tries < self.failures else 200


class Server(ThreadingHTTPServer):
    # The worker opens a batch of connections at once: http.server's backlog of 5 would refuse some
    # on a loaded machine (a refused connection is a retry, not what these tests measure).
    request_queue_size = 128
    daemon_threads = True


@contextmanager
def http_sink(
    failures: int | None = 0,
    failure: int = 500,
    delay: float = 0.0,
    gate: threading.Event | None = None,
    refuse: Callable[[bytes], bool] | None = None,
) -> Iterator[HttpSink]:
    sink = HttpSink(failures, failure, delay, gate, refuse=refuse)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with lock:
                sink.arrived += 1
            time.sleep(sink.delay)
            if sink.gate is not None:
                sink.gate.wait(60)
            with lock:
                status = sink.status_for(headers.get("idempotency-key", ""), body)
                sink.received.append(Received(self.path, headers, body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/messages"
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpSink:
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:
            sink.recipients.append(list(envelope.rcpt_tos))
            sink.messages.append(message_from_bytes(envelope.original_content or envelope.content))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
