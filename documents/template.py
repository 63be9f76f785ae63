"""The authorisation template (R-PDF-2..4, R-PDF-7): a static A4 layout filled with the mandate's data.

The PDF is written with pyHanko's PDF utilities: the standard Helvetica fonts with WinAnsiEncoding
(text encoded cp1252, so "Coopérative", "à", "€" survive text extraction), one page (more when the
content needs it), and two empty signature fields, "PrincipalSignature" and "MandatarySignature",
over the boxes of the signature block. The reference, template version and signing method are also
in the document's /Info for tools.

The template's own words never say "master", "secondary" or "secondaire" (R-PDF-7): those are
derived, informative data that the authorisation does not show.

The words are in the language of the authorisation (English, French, Dutch or German): the content
carries them (`words`, one text per name of `WORDS`, from the message catalogue's `pdf.*` keys, with
`{name}` placeholders), since documents/ reads no settings or catalogue itself. The document's /Lang
says which language it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

TEMPLATE_VERSION = "3"
"""The current template version; every issued PDF records the version it was made from (R-PDF-2).

Version 3 shows each closed group's end quarter and, for a social secretariat, that the head office
manages the file when no branch does: a new version of the authorisation reflects a closure or a branch
change (R-PDF-8). PDFs issued from version 2 are refused on reload (R-PDF-2, R-PDF-5)."""

PRINCIPAL_FIELD = "PrincipalSignature"
MANDATARY_FIELD = "MandatarySignature"

WORDS = (
    "title",
    "subtitle",
    "reference_line",
    "method_line",
    "method.EID",
    "method.HANDWRITTEN",
    "principal",
    "mandatary",
    "enterprise_number",
    "nsso_number",
    "ssa_number",
    "branch",
    "head_office",
    "address",
    "groups",
    "group_ends",
    "start_quarter",
    "clause",
    "signatures",
    "for_principal",
    "for_mandatary",
    "niss_line",
    "date_line",
    "signature",
    "footer",
)
"""The template's words, by name: the message catalogue's `pdf.<name>` in the authorisation's language."""


@dataclass(frozen=True)
class Plate:
    """Identification and address plate of a party, from the stored reference data (R-PDF-3)."""

    name: str
    enterprise_number: str  # formatted 0123.456.789
    nsso_number: str | None
    ssa_number: str | None
    address: str
    branch: str | None = None  # "BRU — Brussels" for an SSA branch that is not the head office


@dataclass(frozen=True)
class AuthorisationContent:
    reference: str
    template_version: str
    method: str  # "EID" or "HANDWRITTEN"
    principal: Plate
    mandatary: Plate
    groups: list[tuple[str, str]]  # (code, name) of each ticked application group
    start_quarter: str  # "3/2024"
    language: str  # "en", "fr", "nl" or "de": the document's /Lang
    words: Mapping[str, str]  # the text of each name of WORDS in that language (the clause of R-CRE-6 included)
    ends: Mapping[str, str] = field(default_factory=dict)  # code -> end quarter ("4/2024") of each closed group

    def say(self, name: str, **values: object) -> str:
        """The template's word `name`, its {placeholders} filled."""
        return self.words[name].format(**values)


# --- page geometry (points) -------------------------------------------------------------------
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X = 56.0
TOP = PAGE_H - 56.0
BOTTOM = 64.0  # the footer sits below
TEXT_W = PAGE_W - 2 * MARGIN_X
GUTTER = 20.0
COL_W = (TEXT_W - GUTTER) / 2
SIG_BOX_H = 62.0

REGULAR, BOLD = "/F1", "/F2"

# Helvetica advance widths (per 1000 em) for ASCII 32..126, from the standard AFM.
_ASCII_WIDTHS = [
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,  # ' '../
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,  # 0..?
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,  # @..O
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,  # P.._
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,  # `..o
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,  # p..~
]
_SPECIAL_WIDTHS = {
    "—": 1000,
    "–": 556,
    "€": 556,
    "’": 222,
    "‘": 222,
    "“": 333,
    "”": 333,
    "«": 556,
    "»": 556,
    "•": 350,
    "…": 1000,
}


def _char_width(ch: str) -> int:
    code = ord(ch)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32]
    if ch in _SPECIAL_WIDTHS:
        return _SPECIAL_WIDTHS[ch]
    base = unicodedata.normalize("NFD", ch)[:1]  # é -> e, À -> A
    if base and 32 <= ord(base) <= 126:
        return _ASCII_WIDTHS[ord(base) - 32]
    return 556


def text_width(text: str, size: float, font: str = REGULAR) -> float:
    # Helvetica-Bold is a little wider than the regular face: 6% is a safe bound for wrapping.
    factor = 1.06 if font == BOLD else 1.0
    return sum(_char_width(ch) for ch in text) * size / 1000 * factor


def wrap(text: str, size: float, width: float, font: str = REGULAR) -> list[str]:
    """Greedy word wrap; a word longer than the line is cut. Existing line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, font) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, font) > width:  # an overlong word
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, font) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw.replace(b"\r", b"\\r").replace(b"\n", b"\\n") + b")"


class Layout:
    """A cursor over pages of content-stream operators."""

    def __init__(self) -> None:
        self.pages: list[list[bytes]] = []
        self.y = 0.0
        self.new_page()

    @property
    def page_index(self) -> int:
        return len(self.pages) - 1

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP

    def ensure(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def text_at(self, x: float, y: float, text: str, size: float = 10, font: str = REGULAR) -> None:
        self.pages[-1].append(b"BT %s %.1f Tf %.2f %.2f Td %s Tj ET" % (font.encode(), size, x, y, _pdf_string(text)))

    def line(
        self,
        text: str,
        size: float = 10,
        font: str = REGULAR,
        x: float = MARGIN_X,
        width: float = TEXT_W,
        leading: float | None = None,
    ) -> None:
        leading = leading or size * 1.35
        for part in wrap(text, size, width - (x - MARGIN_X), font):
            self.ensure(leading)
            self.y -= leading
            self.text_at(x, self.y, part, size, font)

    def gap(self, height: float) -> None:
        self.y -= height

    def rule(self) -> None:
        self.ensure(6)
        self.y -= 6
        self.pages[-1].append(
            b"0.6 G 0.5 w %.2f %.2f m %.2f %.2f l S 0 G" % (MARGIN_X, self.y, MARGIN_X + TEXT_W, self.y)
        )

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.pages[-1].append(b"0.6 G 0.5 w %.2f %.2f %.2f %.2f re S 0 G" % (x, y, w, h))


def _plate(layout: Layout, content: AuthorisationContent, heading: str, plate: Plate, *, ssa: bool) -> None:
    layout.ensure(90)
    layout.line(heading, 12, BOLD)
    layout.gap(2)
    layout.line(plate.name, 11, BOLD)
    layout.line(content.say("enterprise_number", number=plate.enterprise_number))
    if plate.nsso_number:
        layout.line(content.say("nsso_number", number=plate.nsso_number))
    if ssa and plate.ssa_number:
        layout.line(content.say("ssa_number", number=plate.ssa_number))
    if plate.branch:
        layout.line(content.say("branch", branch=plate.branch))
    elif ssa and plate.ssa_number:  # a branch change back to the head office shows on the new version (R-PDF-8)
        layout.line(content.say("head_office"))
    layout.line(content.say("address", address=plate.address))


def _signature_column(
    layout: Layout, content: AuthorisationContent, x: float, top: float, heading: str, party_name: str
) -> tuple[int, int, int, int]:
    """Draws one party's signature column from `top` down; returns the signature box (llx, lly, urx, ury)."""
    y = top
    for text, size, font in [(heading, 11, BOLD)] + [(part, 10, REGULAR) for part in wrap(party_name, 10, COL_W)[:2]]:
        y -= size * 1.4
        layout.text_at(x, y, text, size, font)
    y -= 20
    layout.text_at(x, y, content.say("niss_line") + " _________________", 10)
    y -= 20
    layout.text_at(x, y, content.say("date_line") + " ____ / ____ / ________", 10)
    y -= 20
    layout.text_at(x, y, content.say("signature"), 10)
    y -= 6 + SIG_BOX_H
    layout.rect(x, y, COL_W, SIG_BOX_H)
    return int(x + 1), int(y + 1), int(x + COL_W - 1), int(y + SIG_BOX_H - 1)


def _signature_block(
    layout: Layout, content: AuthorisationContent
) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    height = 14 * 1.35 + 3 * 14 + 3 * 20 + 6 + SIG_BOX_H + 10
    layout.ensure(height + 20)
    layout.gap(8)
    layout.line(content.say("signatures"), 12, BOLD)
    top = layout.y - 4
    principal_box = _signature_column(
        layout, content, MARGIN_X, top, content.say("for_principal"), content.principal.name
    )
    mandatary_box = _signature_column(
        layout, content, MARGIN_X + COL_W + GUTTER, top, content.say("for_mandatary"), content.mandatary.name
    )
    layout.y = min(principal_box[1], mandatary_box[1]) - 2
    return principal_box, mandatary_box


def _lay_out(content: AuthorisationContent):
    layout = Layout()
    layout.line(content.say("title", reference=content.reference), 16, BOLD, leading=18)
    layout.line(content.say("subtitle"), 10)
    layout.gap(4)
    layout.line(content.say("reference_line", reference=content.reference, version=content.template_version), 9)
    layout.line(content.say("method_line", method=content.say(f"method.{content.method}")), 9)
    layout.rule()
    layout.gap(6)
    _plate(layout, content, content.say("principal"), content.principal, ssa=False)
    layout.gap(10)
    _plate(layout, content, content.say("mandatary"), content.mandatary, ssa=True)
    layout.gap(10)
    layout.ensure(40)
    layout.line(content.say("groups"), 12, BOLD)
    layout.gap(2)
    for code, name in content.groups:
        end = content.ends.get(code)
        layout.line(f"[X] {content.say('group_ends', group=name, quarter=end) if end else name}", 10, x=MARGIN_X + 8)
    layout.gap(8)
    layout.line(content.say("start_quarter", quarter=content.start_quarter), 11, BOLD)
    layout.gap(8)
    layout.line(content.say("clause"), 9.5)
    boxes = _signature_block(layout, content)
    return layout, boxes


def _footer(layout_page: list[bytes], content: AuthorisationContent, number: int, total: int) -> None:
    text = content.say(
        "footer", reference=content.reference, version=content.template_version, page=number, pages=total
    )
    layout_page.append(b"0.35 g BT %s 8 Tf %.2f 32 Td %s Tj ET 0 g" % (REGULAR.encode(), MARGIN_X, _pdf_string(text)))


def _font(base: str) -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name(base),
            pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding"),
        }
    )


def write_pages(pages: list[list[bytes]]) -> PdfFileWriter:
    """A PDF writer with one A4 page per list of content-stream operators, in Helvetica and Helvetica-Bold."""
    writer = PdfFileWriter()
    fonts = generic.DictionaryObject(
        {
            pdf_name(REGULAR): writer.add_object(_font("/Helvetica")),
            pdf_name(BOLD): writer.add_object(_font("/Helvetica-Bold")),
        }
    )
    for operators in pages:
        stream = generic.StreamObject(stream_data=b"\n".join(operators) + b"\n")
        stream.compress()
        resources = generic.DictionaryObject({pdf_name("/Font"): fonts})
        writer.insert_page(
            PageObject(contents=writer.add_object(stream), media_box=(0, 0, PAGE_W, PAGE_H), resources=resources)
        )
    return writer


def render(content: AuthorisationContent) -> bytes:
    """The unsigned, unsealed authorisation PDF (A4; one page unless the content needs more)."""
    layout, (principal_box, mandatary_box) = _lay_out(content)
    signature_page = layout.page_index

    total = len(layout.pages)
    for number, operators in enumerate(layout.pages, start=1):
        _footer(operators, content, number, total)
    writer = write_pages(layout.pages)

    info = generic.DictionaryObject(
        {
            pdf_name("/MandateReference"): generic.TextStringObject(content.reference),
            pdf_name("/TemplateVersion"): generic.TextStringObject(content.template_version),
            pdf_name("/SigningMethod"): generic.TextStringObject(content.method),
        }
    )
    writer.set_info(info)
    meta = writer.document_meta
    meta.title = content.say("title", reference=content.reference)
    writer.root[pdf_name("/Lang")] = generic.TextStringObject(content.language)
    meta.subject = f"Mandate {content.reference}; template version {content.template_version}; method {content.method}"
    meta.keywords = [f"mandate:{content.reference}", f"template:{content.template_version}", f"method:{content.method}"]
    meta.creator = "mandates registry"

    for name, box in ((PRINCIPAL_FIELD, principal_box), (MANDATARY_FIELD, mandatary_box)):
        append_signature_field(writer, SigFieldSpec(sig_field_name=name, on_page=signature_page, box=box))

    out = BytesIO()
    writer.write(out)
    return out.getvalue()
