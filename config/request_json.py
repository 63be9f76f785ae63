"""Reading the JSON of a GraphQL request strictly (hardening item 5): a malformed request is a 400
with a typed code, never a 500 from deep inside the stack.

The body (or the `variables` of a GET, or a multipart request's `operations`) must be UTF-8, JSON,
nested at most MAX_DEPTH arrays and objects deep (checked on the text before it is parsed, so a
body of 100 000 brackets never reaches the recursive parser), and free of lone surrogates (`\\ud800`
is valid JSON but no Unicode text: no database or encoder can store it). Each refusal is a
`BadRequest`, answered in GraphQL's error shape with `extensions.code` BAD_REQUEST.
"""

from __future__ import annotations

import json
import re

from cross_web import HTTPException

MAX_DEPTH = 32  # arrays and objects in one another; the API's inputs need fewer than 6
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadRequest(HTTPException):
    code = "BAD_REQUEST"

    def __init__(self, reason: str, status_code: int = 400):
        super().__init__(status_code, reason)


def decode(data: str | bytes) -> object:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("The request body is not UTF-8 text.") from None
    _check_depth(data)
    try:
        value = json.loads(data)
    except ValueError:  # JSONDecodeError, and numbers too long to convert
        raise BadRequest("The request body is not valid JSON.") from None
    _check_text(value)
    return value


def _check_depth(text: str) -> None:
    """Counts brackets outside strings and stops at the first that passes MAX_DEPTH: linear, and
    never deeper than the limit whatever the text."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise BadRequest(f"The request's JSON is nested more than {MAX_DEPTH} levels deep.")


def _check_text(value: object) -> None:
    """Every key and string, at any depth (bounded by MAX_DEPTH), is Unicode text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise BadRequest("The request holds a lone surrogate (\\ud800-\\udfff), which is not text.")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
