"""A one-sheet `.xlsx` workbook written as a stream: its bytes leave as the rows arrive (issue 11, item 7).

openpyxl's write-only workbook keeps its rows in a temporary file and zips the whole package only when
it is saved, so the first byte of a large export left after every row was written. Here the package
is zipped into an unseekable sink (`zipfile` then writes each part's sizes in a data descriptor after
its data): `start()` gives the fixed parts and the beginning of the sheet, each `rows()` call the
compressed bytes of those rows, `finish()` the end of the sheet, the workbook part (which names the
autofilter's range, known only at the end) and the zip's central directory. Memory stays flat:
nothing is kept but zlib's window and the bytes not yet taken.

The sheet: a bold heading row, frozen; an autofilter over the heading and every row; strings as
inline strings (no shared-string table to hold in memory), datetimes as Excel serial numbers shown
`yyyy-mm-dd hh:mm`, None as an empty cell. Pure CPU work: callers run it off the event loop.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, cast
from xml.sax.saxutils import escape

Cell = str | int | float | dt.datetime | None

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{DECLARATION}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/>'
    "</Types>"
)
ROOT_RELATIONSHIPS = (
    f'{DECLARATION}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELATIONSHIPS = (
    f'{DECLARATION}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (the `s` attribute is an index into cellXfs): 0 plain, 1 a date and time, 2 bold (the heading).
PLAIN, DATETIME, BOLD = 0, 1, 2
STYLES = (
    f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
DAY = dt.timedelta(days=1)
# Characters XML 1.0 cannot carry at all (a name pasted with a control character): dropped.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
COLUMN_WIDTH = 18


def column_letter(index: int) -> str:
    """A, B, ..., Z, AA, ... for the 0-based column `index`."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Sink:
    """An unseekable file for `zipfile` that keeps what is written until it is taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class StreamedSheet:
    """One workbook of one sheet, written part by part: `start()`, `rows()` as often as needed, `finish()`."""

    def __init__(self, title: str, headings: Sequence[str], compresslevel: int = 1):
        self.title, self.headings, self.written = title, list(headings), 0
        self._letters = [column_letter(i) for i in range(len(self.headings))]
        self._sink = _Sink()
        # Without tell() the sink is unseekable: zipfile then writes each part's sizes after its data.
        self._zip = zipfile.ZipFile(cast(IO[bytes], self._sink), "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheet: IO[bytes] | None = None

    def start(self) -> bytes:
        """The fixed parts, then the sheet's beginning and its heading row."""
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELATIONSHIPS),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONSHIPS),
            ("xl/styles.xml", STYLES),
        ):
            self._zip.writestr(name, text)
        # zip64 sizes: a sheet of a few million rows may pass 4 GiB uncompressed.
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(
            (
                f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<cols><col min="1" max="{len(self.headings)}" width="{COLUMN_WIDTH}" customWidth="1"/></cols>'
                f"<sheetData>{self._row(1, self.headings, BOLD)}"
            ).encode()
        )
        return self._sink.take()

    def rows(self, rows: Iterable[Sequence[Cell]]) -> bytes:
        """The compressed bytes of these rows (maybe none yet: zlib keeps a little until it has enough)."""
        parts = []
        for row in rows:
            self.written += 1
            parts.append(self._row(self.written + 1, row, PLAIN))
        # The markup never holds a character XML cannot carry: the values' are dropped in one pass.
        self._opened().write(NOT_IN_XML.sub("", "".join(parts)).encode())
        return self._sink.take()

    def finish(self) -> bytes:
        """The end of the sheet with its autofilter, the workbook part, the zip's central directory."""
        reference = f"A1:{self._letters[-1]}{self.written + 1}"
        sheet = self._opened()
        sheet.write(f'</sheetData><autoFilter ref="{reference}"/></worksheet>'.encode())
        sheet.close()
        absolute = f"$A$1:${self._letters[-1]}${self.written + 1}"
        title = escape(self.title)
        self._zip.writestr(
            "xl/workbook.xml",
            f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(_quoted(self.title))}!{absolute}</definedName></definedNames></workbook>",
        )
        self._zip.close()
        return self._sink.take()

    def _opened(self) -> IO[bytes]:
        if self._sheet is None:
            raise RuntimeError("start() comes first")
        return self._sheet

    def _row(self, number: int, cells: Sequence[Cell], style: int) -> str:
        # Hot path (millions of cells): plain concatenation, escaping only when a character needs it.
        n = str(number)
        styled = f' s="{style}"' if style else ""
        out = ['<row r="', n, '">']
        for letter, value in zip(self._letters, cells, strict=True):
            if value is None:
                continue
            if isinstance(value, str):
                if "&" in value or "<" in value or ">" in value:
                    value = escape(value)
                out += (
                    '<c r="',
                    letter,
                    n,
                    '"',
                    styled,
                    ' t="inlineStr"><is><t xml:space="preserve">',
                    value,
                    "</t></is></c>",
                )
            elif isinstance(value, dt.datetime):
                serial = (value.replace(tzinfo=None) - EXCEL_EPOCH) / DAY
                out += ('<c r="', letter, n, f'" s="{DATETIME}"><v>', repr(serial), "</v></c>")
            elif isinstance(value, bool):
                out += ('<c r="', letter, n, '" t="b"><v>', str(int(value)), "</v></c>")
            else:
                out += ('<c r="', letter, n, '"><v>', repr(value), "</v></c>")
        out.append("</row>")
        return "".join(out)


def _quoted(title: str) -> str:
    """A sheet name as a formula names it: in single quotes, an inner quote doubled."""
    return "'" + title.replace("'", "''") + "'"
