"""One logging set-up for `mandates serve` (uvicorn and its workers), the sweep and the CLI: one JSON
object per line, each with the request ID of the request it belongs to.

What never reaches a log (README, Security, Logs): a NISS, a bearer token, a GraphQL query or its
variables, the query string of a signed link. The access line is written here, not by uvicorn, with
the path alone; a refused request is that one line (its outcome and codes), never a traceback. As a
last guard the formatter masks what looks like a NISS, a JWT or a link signature in any message.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import logging.config
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field

_SECRETS = (
    (re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[token]"),
    (re.compile(r"(?i)(bearer\s+)\S+"), r"\1[token]"),
    (re.compile(r"(?i)((?:signature|expires|copy)=)[^&\s\"']*"), r"\1[removed]"),
    (re.compile(r"(?<![\d.])\d{2}\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}(?![\d.])"), "[niss]"),
)


# What each pattern above must contain: a text without any of these (most of them: a path, an outcome,
# an operation's name) is returned as it is, after one search instead of one per pattern.
_MAYBE_SECRET = re.compile(r"eyJ|(?i:bearer\s)|(?i:signature|expires|copy)=|\d\d")


def scrub(text: str) -> str:
    """The text with anything shaped like a token, a link signature or a NISS masked."""
    if _MAYBE_SECRET.search(text) is None:
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class RequestRecord:
    """What the access line says about one request; the GraphQL layer adds its operation and outcome."""

    request_id: str
    operation: str | None = None
    outcome: str | None = None
    codes: list[str] = field(default_factory=list)


_current: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar("mandates_request", default=None)


def current_request() -> RequestRecord | None:
    return _current.get()


@contextlib.contextmanager
def tagged(request_id: str) -> Iterator[RequestRecord]:
    """Lines logged inside carry `request_id` (a request, or a run of the sweep)."""
    record = RequestRecord(request_id)
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the record's `fields`,
    and for an unexpected error its traceback (never local variables)."""

    def format(self, record: logging.LogRecord) -> str:
        request = _current.get()
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": request.request_id if request else None,
        }
        line.update(
            {
                key: scrub(value) if isinstance(value, str) else value
                for key, value in getattr(record, "fields", {}).items()
            }
        )
        if record.exc_info:
            line["traceback"] = scrub("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(line, default=str)


def logging_config(level: str = "INFO") -> dict:
    """The dictConfig of every process (uvicorn applies it in each worker). uvicorn's access log is
    replaced by `RequestLog`; the database drivers stay at WARNING (their DEBUG lines carry query
    parameters)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
            "tortoise": {"level": "WARNING"},
            "aiosqlite": {"level": "WARNING"},
            "asyncpg": {"level": "WARNING"},
            # pyHanko's validation warnings name the signer certificate's subject, a NISS on an eID card:
            # documents/verification.py reports what they find, in the upload's verdict.
            "pyhanko": {"level": "CRITICAL"},
            "pyhanko_certvalidator": {"level": "CRITICAL"},
        },
        "root": {"level": level, "handlers": ["stderr"]},
    }


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))
