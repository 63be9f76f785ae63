"""The words for statuses and roles (models/words.py): one for every code, in both languages, the same as the
console says them (console/js/i18n.js), so that the export and the screens never disagree."""

from __future__ import annotations

import re

from config.settings import ROOT
from models.places import GroupRole
from models.status import MandateStatus
from models.words import LANGUAGES, WORDS, in_words


def console_words() -> dict[str, dict[str, str]]:
    """The console's `status.*` and `role.*` entries, per language (i18n.js: `const EN`, then `const FR`)."""
    text = (ROOT / "console" / "js" / "i18n.js").read_text(encoding="utf-8")
    english, french = text.split("const FR = {")
    found: dict[str, dict[str, str]] = {}
    for language, part in (("en", english), ("fr", french)):
        for key, word in re.findall(r"'((?:status|role)\.[A-Z_]+)': '([^']*)'", part):
            found.setdefault(key, {})[language] = word
    return found


def test_every_status_and_role_has_a_word_in_each_language_as_the_console_says_it():
    console = console_words()
    codes = [*MandateStatus, *GroupRole]
    assert set(WORDS) == set(codes)
    for code in codes:
        key = f"{'status' if isinstance(code, MandateStatus) else 'role'}.{code.value}"
        assert {language: in_words(code, language) for language in LANGUAGES} == console[key], key


def test_another_language_reads_english():
    assert in_words(MandateStatus.ACTIVE, "nl") == "Active"
    assert in_words(GroupRole.SECONDARY, "fr") == "Secondaire"
