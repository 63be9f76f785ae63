"""The test CA's revocation services on 127.0.0.1: its CRL over HTTP GET and an OCSP responder over
HTTP POST, as a real CA publishes them, in a thread of their own on a free port."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from cryptography import x509

from tests.documents.pki import make_crl, make_signer, ocsp_answer


class RevocationServices:
    """The CRL at `crl_url` and the OCSP responder at `ocsp_url` of the CA (`ca`, `ca_key`)."""

    def __init__(self, ca: x509.Certificate, ca_key) -> None:
        self.ca, self.ca_key = ca, ca_key
        self.issued: dict[int, x509.Certificate] = {}
        self.revoked: set[int] = set()
        self.asked: list[str] = []
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                services.asked.append("crl")
                revoked = tuple(services.issued[serial] for serial in services.revoked)
                self._answer(make_crl(services.ca, services.ca_key, revoked), "application/pkix-crl")

            def do_POST(self) -> None:
                services.asked.append("ocsp")
                request = self.rfile.read(int(self.headers["Content-Length"]))
                answer = ocsp_answer(request, services.ca, services.ca_key, services.issued, services.revoked)
                self._answer(answer, "application/ocsp-response")

            def _answer(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.crl_url, self.ocsp_url = f"{base}/ca.crl", f"{base}/ocsp"

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def signer(self, niss: str, name: str, *, crl: bool = True, ocsp: bool = False, revoked: bool = False):
        """A signer certificate of the CA declaring its CRL (and/or OCSP responder), revoked or not."""
        cert, key = make_signer(
            self.ca,
            self.ca_key,
            niss,
            name,
            crl_url=self.crl_url if crl else None,
            ocsp_url=self.ocsp_url if ocsp else None,
        )
        self.issued[cert.serial_number] = cert
        if revoked:
            self.revoked.add(cert.serial_number)
        return cert, key


def unreachable_url(path: str) -> str:
    """An address on 127.0.0.1 where nothing listens (a port just freed): the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
