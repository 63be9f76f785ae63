"""The message catalogue (config/messages.py, config/locale/*.po): one key, four languages, no code or rule
ID in what a person reads; the console's dictionaries are generated from it and cannot drift."""

from __future__ import annotations

import re

import pytest

from config.console_strings import SERVER_ONLY, console_keys, console_strings
from config.messages import (
    ENUM_KEYS,
    LANGUAGES,
    catalogue,
    language_or_default,
    negotiate,
    placeholders,
    render,
    text,
    word,
)
from config.settings import ROOT

RULE_ID = re.compile(r"\bR-[A-Z]+-\d+\b")
ENUM_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")


def test_every_key_has_a_text_in_every_language():
    keys = set(catalogue("en"))
    assert len(keys) > 250
    for language in LANGUAGES:
        messages = catalogue(language)
        assert set(messages) == keys, f"{language}.po: missing {sorted(keys - set(messages))[:10]}"
        empty = sorted(key for key, value in messages.items() if not value.strip())
        assert not empty, f"{language}.po: keys without a text: {empty[:10]}"


def test_a_key_has_the_same_placeholders_in_every_language():
    for key, english in catalogue("en").items():
        for language in LANGUAGES:
            assert placeholders(catalogue(language)[key]) == placeholders(english), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_shows_a_rule_id_or_a_code(language):
    found = [
        (key, value) for key, value in catalogue(language).items() if RULE_ID.search(value) or ENUM_CODE.search(value)
    ]
    assert not found, f"{language}.po: a message a person reads names a rule ID or a code: {found[:5]}"


def test_the_scan_catches_a_rule_id_and_a_code():
    assert RULE_ID.search("Refused (R-CLO-4).") and ENUM_CODE.search("answers INVALID_TRANSITION")
    assert not ENUM_CODE.search("NISS, NSSO, ONSS, KBO, 4/2024")


def test_the_committed_console_strings_are_generated_from_the_catalogue():
    committed = (ROOT / "console" / "js" / "strings.js").read_text(encoding="utf-8")
    assert committed == console_strings(), (
        "console/js/strings.js is out of date: run `make schema` (mandates export-console-strings) and commit it."
    )


def test_every_key_the_console_uses_is_in_the_catalogue():
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "console" / "js").rglob("*.js"))
    used = set(re.findall(r"\bt\('([A-Za-z0-9_.]+)'", sources))
    assert used and used <= set(console_keys()), sorted(used - set(console_keys()))


def test_the_seeds_french_terms_are_the_consoles():
    french = catalogue("fr")
    assert (french["status.TO_BE_FINALISED"], french["status.PENDING"], french["status.REJECTED"]) == (
        "À finaliser",
        "En attente",
        "Refusé",
    )
    assert french["party.MANDATARY"] == "Mandataire"


def test_a_message_is_rendered_with_its_values_in_the_language_asked():
    assert text("nl", "create.found", name="Alpha") == "Gevonden: Alpha"
    assert text("de", "create.found", name="Alpha") == "Gefunden: Alpha"
    assert text("xx", "create.found", name="Alpha") == "Found: Alpha"
    assert text("fr", "create.found") == "Trouvé : {name}"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("de-BE;q=0.5, fr;q=0.7", "fr"),
        ("zh-CN, de;q=0.2", "de"),
        ("ja", "en"),
        ("fr;q=0, nl;q=0.1", "nl"),
        ("fr;q=abc, de", "de"),
        ("fr;q=1.2.3, nl;q=0.3", "nl"),
        ("*, nl;q=0.5", "nl"),
    ],
)
def test_accept_language_chooses_one_of_the_four(header, language):
    assert negotiate(header) == language


def test_a_stored_language_falls_back_to_the_default():
    assert [language_or_default(v) for v in ("FR", "nl-BE", "de", None, "es")] == ["fr", "nl", "de", "en", "en"]


SERVER_KEY = re.compile(r"""["']((?:api|pdf|notice|export)\.[A-Za-z0-9_.]+)["']""")


def _server_sources() -> str:
    folders = ("models", "resolvers", "schema", "config", "documents")
    return "\n".join(p.read_text(encoding="utf-8") for folder in folders for p in (ROOT / folder).rglob("*.py"))


def test_every_message_key_the_server_names_is_in_the_catalogue_and_every_server_key_is_used():
    from documents.template import WORDS
    from models.status import MandateStatus
    from resolvers.export import COLUMNS

    sources = _server_sources()
    # The history's actions, each written as a literal in the use cases (the sweep's are statuses).
    actions = {key for key in catalogue("en") if key.startswith("notice.action.")}
    assert all(
        f'"{key.rsplit(".", 1)[1]}"' in sources or key.rsplit(".", 1)[1] in MandateStatus.__members__ for key in actions
    )
    columns = {f"export.column.{name}" for name in COLUMNS}  # the export's heading, named by COLUMNS
    named = set(SERVER_KEY.findall(sources)) | {f"pdf.{name}" for name in WORDS} | actions | columns
    server_keys = {key for key in catalogue("en") if key.startswith(SERVER_ONLY)}
    assert named, "no server message found"
    assert named <= server_keys, f"keys named in the code without a message: {sorted(named - server_keys)}"
    assert server_keys <= named, f"messages no code names: {sorted(server_keys - named)}"


def test_every_enum_a_message_may_name_has_its_words():
    from models import actions, closure, employer, identification, places, signing, status

    enums = (
        status.MandateStatus,
        signing.Party,
        closure.Requester,
        signing.SigningMethod,
        closure.ClosureReason,
        places.GroupRole,
        actions.ActionKind,
        identification.Declaration,
        identification.ForeignDocument,
        identification.ProviderRequestStatus,
        employer.DeletionRequester,
        employer.CuratorAnswer,
    )
    assert {e.__name__ for e in enums} == set(ENUM_KEYS)
    for language in LANGUAGES:
        for kind in enums:
            for member in kind:
                assert word(language, member), (language, member)


def test_a_refusal_renders_its_values_in_words_nested_refusals_and_lists_included():
    from models.errors import ErrorCode, RuleViolation, Words
    from models.signing import Party
    from models.status import MandateStatus

    inner = RuleViolation(ErrorCode.NOT_FOUND, "api.signing.status", status=MandateStatus.CLOSED)
    outer = RuleViolation(ErrorCode.NOT_FOUND, "api.bulk.column", column=Words("api.bulk.column_branch"), detail=inner)
    assert (
        render("de", outer)
        == "Geschäftsstelle (Spalte C): Ein Mandat mit dem Status „Beendet“ kann nicht unterschrieben werden."
    )
    listed = RuleViolation(
        ErrorCode.NOT_FOUND, "api.signing.encoder_first", encoder=Party.PRINCIPAL, party=[Party.MANDATARY]
    )
    assert "(Mandataire)" in render("fr", listed) and "(Mandant)" in render("fr", listed)


def test_r_life_10_a_kept_message_is_written_later_in_each_readers_language():
    """A history event's detail is kept as its key and values (enum members as their words' keys, names in
    the four languages, dates written the Belgian way of each language); an older event's sentence is
    shown as it was written."""
    import datetime as dt

    from config.messages import Names, kept, read_kept
    from models.errors import Words
    from models.signing import Party
    from models.status import MandateStatus

    works = Names(
        en="Works declarations", fr="Déclarations de travaux", nl="Aangifte van werken", de="Meldung von Arbeiten"
    )
    message = Words(
        "notice.detail.created",
        {"encoder": Party.PRINCIPAL, "groups": [works, "PMP"], "start": "3/2024", "date": dt.date(2024, 6, 30)},
    )
    stored = kept(message)
    assert "Meldung" in stored and "PRINCIPAL" not in stored.replace('"party.PRINCIPAL"', "")
    assert read_kept("de", stored) == (
        "Erfasst von: Mandatgeber. Gruppen: Meldung von Arbeiten; PMP, ab 3/2024; abzuschließen bis zum 30. Juni 2024."
    )
    assert read_kept("fr", stored).startswith("Encodé par : Mandant. Groupes : Déclarations de travaux; PMP")
    assert read_kept("en", stored).endswith("to be finalised by 30 June 2024.")
    nested = Words("notice.detail.accepted", {"status": MandateStatus.ACTIVE})
    assert read_kept("nl", kept(nested)) == "Handgeschreven volmacht gevalideerd door de RSZ. Status: Actief."
    legacy = "Signed for the principal by one of its signatories (AUTHENTICATION); status PENDING."
    assert read_kept("fr", legacy) == legacy and read_kept("de", None) is None
