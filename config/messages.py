"""The message catalogue: every word a person reads, in English, French, Dutch and German.

One gettext catalogue per language, `config/locale/<lang>.po`, read with Babel. Its messages are keyed
(`msgid` is a stable key such as `status.PENDING` or `error.NOT_FOUND`, `msgstr` the text), English being
one language among four (`en.po`) rather than the msgid: a key keeps its translations when the English
wording changes, and one English word can have two translations in two places (« Mandat » and
« Procuration » are both "authorisation"-like words in English texts). Placeholders are `{name}`, the
same syntax in Python and in the console. The console's dictionaries (`console/js/strings.js`) are
generated from the same files (config/console_strings.py); tests/config/test_messages.py fails when a
key lacks a language, a placeholder differs between languages, or a message shows a rule ID or a code.

A leaf module: it imports nothing of the project, so every layer may render a message with it.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from babel.dates import format_date
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "fr", "nl", "de")  # English first: the default and the language of the keys' documentation
DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The catalogue's words for the members of the rules' enums (`status.ACTIVE`, `party.PRINCIPAL`, ...), so
# that a message names a status or a party in words, never by its code.
ENUM_KEYS = {
    "MandateStatus": "status",
    "Party": "party",
    "Requester": "requester",
    "SigningMethod": "method",
    "ClosureReason": "reason",
    "GroupRole": "role",
    "ActionKind": "actionKind",
    "Declaration": "declaration",
    "ForeignDocument": "document",
    "ProviderRequestStatus": "requestStatus",
    "DeletionRequester": "deletionRequester",
    "CuratorAnswer": "curatorAnswer",
}
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


@cache
def catalogue(language: str) -> dict[str, str]:
    """The messages of one language, key -> text (read once per process)."""
    with (LOCALE / f"{language}.po").open("rb") as file:
        read = read_po(file, locale=language)
    return {str(message.id): str(message.string) for message in read if message.id}


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def text(language: str, key: str, **values: object) -> str:
    """The message `key` in `language` (English when the language is not one of the four), placeholders
    filled from `values`; a placeholder without a value stays as written. An unknown key is a bug:
    KeyError, which the catalogue test prevents for every key the code names."""
    messages = catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], messages[key])


@runtime_checkable
class Keyed(Protocol):
    """A message not yet written: a catalogue key and its values (models.errors.RuleViolation)."""

    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class Names:
    """A name given in the four languages (an application group's, from the reference catalogue): written
    in the reader's, so that a message names it in words, never by its code."""

    en: str
    fr: str
    nl: str
    de: str

    def in_language(self, language: str) -> str:
        return str(getattr(self, language if language in LANGUAGES else DEFAULT_LANGUAGE))


def word(language: str, value: enum.Enum) -> str:
    """An enum member in words: `status.ACTIVE` -> "Active", « Actif », "Actief", "Aktiv"."""
    return text(language, f"{ENUM_KEYS[type(value).__name__]}.{value.value}")


def _value(language: str, value: object) -> str:
    if isinstance(value, enum.Enum):
        return word(language, value)
    if isinstance(value, list | tuple):
        return "; ".join(_value(language, item) for item in value)
    if isinstance(value, Keyed):
        return render(language, value)
    if isinstance(value, Names):
        return value.in_language(language)
    return str(value)


def render(language: str, message: Keyed) -> str:
    """A refusal (or any keyed message) in `language`, its enum values in words (config/messages.ENUM_KEYS)."""
    return text(language, message.key, **{name: _value(language, value) for name, value in message.params.items()})


# A kept message (a history event's detail) is this JSON object; an event written before messages were kept
# holds its English sentence, which never starts so.
_KEPT = '{"key":'
# A date in a kept message is written the Belgian way of each language (config/locale/GLOSSARY.md).
_LOCALES = {"en": "en_GB", "fr": "fr_BE", "nl": "nl_BE", "de": "de_BE"}


def kept(message: Keyed) -> str:
    """A message kept to be written later in each reader's language (a history event's detail, R-LIFE-10):
    its key and its values as canonical JSON, enum members as the keys of their words, names in the four
    languages. It never holds a rule ID or a code a person would read."""
    return json.dumps(_keep(message), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _keep(value: object) -> object:
    if isinstance(value, enum.Enum):
        return {"key": f"{ENUM_KEYS[type(value).__name__]}.{value.value}"}
    if isinstance(value, Keyed):
        return {"key": value.key, "values": {name: _keep(item) for name, item in value.params.items()}}
    if isinstance(value, list | tuple):
        return [_keep(item) for item in value]
    if isinstance(value, Names):
        return {"names": {language: value.in_language(language) for language in LANGUAGES}}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"date": value.isoformat()}
    return str(value)


def written(language: str, message: Keyed) -> str:
    """A message as a history writes it in `language`: like a kept one read back, dates the Belgian way."""
    return _unkeep(language, _keep(message))


def read_kept(language: str, stored: str | None) -> str | None:
    """A kept message in `language`; an older event's stored sentence as written (its hash covers it)."""
    if stored is None or not stored.startswith(_KEPT):
        return stored
    return _unkeep(language, json.loads(stored))


def _unkeep(language: str, value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_unkeep(language, item) for item in value)
    if isinstance(value, dict):
        if "names" in value:
            return str(value["names"].get(language, value["names"][DEFAULT_LANGUAGE]))
        if "date" in value:
            return _long_date(value["date"], language)
        values = {name: _unkeep(language, item) for name, item in value.get("values", {}).items()}
        return text(language, value["key"], **values)
    return str(value)


@lru_cache(maxsize=4096)  # days recur (deadlines, a day's events); Babel takes 25 µs to write one (issue 11)
def _long_date(day: str, language: str) -> str:
    """A kept day (ISO 8601) written the Belgian way in `language`."""
    locale = _LOCALES.get(language, _LOCALES[DEFAULT_LANGUAGE])
    return format_date(dt.date.fromisoformat(day), "long", locale=locale)


def negotiate(accept_language: str | None) -> str:
    """The language of an `Accept-Language` header (RFC 9110 §12.5.4): the first of the four by the
    client's weights, a region ignored (`nl-BE` is `nl`); English when none of them is asked for."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        match = _RANGE.match(part)
        if not match:
            continue
        try:
            weight = float(match[2]) if match[2] is not None else 1.0
        except ValueError:
            continue
        language = match[1].lower()
        if language in LANGUAGES and weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def language_or_default(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """A language code as stored or given (`fr`, `FR`, `fr-BE`), or `default` when it is none of the four."""
    short = (value or "").split("-")[0].strip().lower()
    return short if short in LANGUAGES else default
