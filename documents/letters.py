"""The day's letters by post as one printable PDF for the print shop (R-NOT-3).

One letter per notification, each starting on a new A4 page: the registry's heading and the date in
the recipient's language(s) (models/letters.py), the address plate placed for a left window envelope
(DIN 5008), the subject and the body. Written with the page layout of the authorisation's template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from documents.template import BOLD, PAGE_H, Layout, write_pages
from models.letters import heading, languages_of

WINDOW_TOP = PAGE_H - 140.0  # the plate's first line, inside a window envelope's window


@dataclass(frozen=True)
class Letter:
    name: str
    address: str  # one line, parts separated by commas
    subject: str
    body: str
    day: dt.date
    reference: str | None


def _lay_out(layout: Layout, letter: Letter) -> None:
    languages = languages_of(letter.address)
    layout.line(heading(languages, "title"), 12, BOLD)
    layout.line(f"{heading(languages, 'date')}: {letter.day.isoformat()}")
    if letter.reference:
        layout.line(f"{heading(languages, 'reference')}: {letter.reference}")
    layout.y = min(layout.y, WINDOW_TOP)
    layout.line(letter.name, 11, BOLD)
    for part in letter.address.split(","):
        layout.line(part.strip(), 11)
    layout.gap(36)
    layout.line(letter.subject, 11, BOLD)
    layout.gap(6)
    for paragraph in letter.body.split("\n"):
        layout.line(paragraph) if paragraph else layout.gap(8)


def render_letters(letters: list[Letter]) -> bytes:
    """One PDF with every letter, in the given order (at least one letter)."""
    layout = Layout()
    for number, letter in enumerate(letters):
        if number:
            layout.new_page()
        _lay_out(layout, letter)
    writer = write_pages(layout.pages)
    writer.document_meta.title = f"Letters of {letters[0].day.isoformat()}"
    writer.document_meta.creator = "mandates registry"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
