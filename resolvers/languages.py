"""The language a notification is written in, and the application groups' names in each language.

A notification is written in its recipient enterprise's stored language (R-NOT-1,
migration 0009), else the registry's default (`MANDATES_DEFAULT_LANGUAGE`), else English.

The default is the process's, set from the settings by the app and the CLI (`use_default_language`), as the
identifier codec's secret is (resolvers/ids.py); until then it is English.
"""

from __future__ import annotations

from config.messages import DEFAULT_LANGUAGE, LANGUAGES, Names, language_or_default
from models.catalogue import ApplicationGroup
from models.tables import Enterprise

_default = [DEFAULT_LANGUAGE]


def use_default_language(language: str) -> None:
    """The language of the enterprises that stored none (settings.default_language, one of the four)."""
    if language not in LANGUAGES:
        raise ValueError(f"not one of {', '.join(LANGUAGES)}: {language!r}")
    _default[0] = language


def default_language() -> str:
    return _default[0]


def recipient_language(enterprise: Enterprise) -> str:
    """The enterprise's stored language when it is one of the four, else the registry's default."""
    return language_or_default(enterprise.language, _default[0])


def group_names(group: ApplicationGroup) -> Names:
    """An application group's name in the four languages (config/reference/application_groups.json)."""
    return Names(en=group.name, fr=group.name_fr, nl=group.name_nl, de=group.name_de)
