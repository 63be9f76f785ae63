"""The words people read for the registry's codes: mandate statuses and group roles, in English and French.

One table, so that every text made for people outside the console (the spreadsheet export today)
says the same word for a code, and a message catalogue can later take these words over in one place.
The console keeps its own copy of the same words (console/js/i18n.js, `status.*` and `role.*`).
"""

from __future__ import annotations

from models.places import GroupRole
from models.status import MandateStatus

LANGUAGES = ("en", "fr")

WORDS: dict[MandateStatus | GroupRole, tuple[str, str]] = {  # (English, French)
    MandateStatus.TO_BE_FINALISED: ("To be finalised", "À finaliser"),
    MandateStatus.PENDING: ("Pending", "En attente"),
    MandateStatus.TO_BE_VALIDATED: ("To be validated", "À valider"),
    MandateStatus.ACTIVE: ("Active", "Actif"),
    MandateStatus.IDENTIFICATION: ("Identification", "Identification"),
    MandateStatus.REJECTED: ("Rejected", "Refusé"),
    MandateStatus.CLOSED: ("Closed", "Clôturé"),
    MandateStatus.CANCELLED: ("Cancelled", "Annulé"),
    GroupRole.SOLE: ("Sole", "Unique"),
    GroupRole.MASTER: ("Master", "Master"),
    GroupRole.SECONDARY: ("Secondary", "Secondaire"),
}


def in_words(code: MandateStatus | GroupRole, language: str) -> str:
    """The word for `code` in `language` (`en` or `fr`; any other language reads English)."""
    english, french = WORDS[code]
    return french if language == "fr" else english
