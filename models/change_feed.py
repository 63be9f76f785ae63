"""The change feed: every change to a mandate (its groups included) or a delegation as a CloudEvents 1.0
event (https://github.com/cloudevents/spec, JSON format), pure.

The event's `data` is the whole state of its subject after the change, never a difference: a consumer
keeps the latest event per `subject` and knows the registry's mandates and delegations, hence who may
act for whom, from the feed alone. It names enterprises by their CBE number, never a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SPEC_VERSION = "1.0"
DATA_CONTENT_TYPE = "application/json"
MANDATE_TYPE = "be.socialsecurity.mandates.mandate.{}"  # {} : the history action, lower case (created, ...)
DELEGATION_TYPE = "be.socialsecurity.mandates.delegation.{}"  # {} : created, ended, cancelled


def event_type(kind: str, action: str) -> str:
    """`be.socialsecurity.mandates.mandate.closure` from ("mandate", "CLOSURE")."""
    template = MANDATE_TYPE if kind == "mandate" else DELEGATION_TYPE
    return template.format(action.lower())


def cloud_event(
    event_id: str, source: str, type_: str, time: dt.datetime, subject: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The event in CloudEvents' JSON format; `time` in UTC, RFC 3339."""
    return {
        "specversion": SPEC_VERSION,
        "id": event_id,
        "source": source,
        "type": type_,
        "time": time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "subject": subject,
        "datacontenttype": DATA_CONTENT_TYPE,
        "data": data,
    }
