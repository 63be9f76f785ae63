"""The streamed one-sheet workbook (documents/spreadsheet.py): a package Excel and openpyxl open, with a
frozen bold heading and an autofilter over every row, whose bytes leave as the rows are given."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from documents.spreadsheet import StreamedSheet, column_letter

HEADINGS = ["Reference", "Name", "Created"]


def written(sheet: StreamedSheet, batches: list[list[tuple]]) -> tuple[bytes, list[bytes]]:
    parts = [sheet.start(), *(sheet.rows(batch) for batch in batches), sheet.finish()]
    return b"".join(parts), parts


def test_the_sheet_has_its_values_a_frozen_bold_heading_and_an_autofilter_over_every_row():
    created = dt.datetime(2024, 5, 10, 13, 45)
    rows = [("M2024-1", "Boulangerie <&> Fils", created), ("M2024-2", None, created), ("M2024-3", "  spaced ", None)]
    data, _ = written(StreamedSheet("Mandates", HEADINGS), [rows[:2], rows[2:]])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "Mandates"
    assert list(sheet.iter_rows(values_only=True)) == [tuple(HEADINGS), *rows]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm" and sheet["C2"].is_date
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        workbook_part = package.read("xl/workbook.xml").decode()
    assert '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'Mandates\'!$A$1:$C$4' in (
        workbook_part
    )


def test_numbers_booleans_and_characters_xml_cannot_carry():
    data, _ = written(
        StreamedSheet("Mandats", ["a", "b", "c"]), [[(1, 2.5, True), ("bell\x07 and nul\x00", "é", False)]]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [(1, 2.5, True), ("bell and nul", "é", False)]


def test_an_empty_sheet_keeps_its_heading_and_filter():
    data, _ = written(StreamedSheet("Mandates", HEADINGS), [])
    sheet = load_workbook(io.BytesIO(data)).active
    assert list(sheet.iter_rows(values_only=True)) == [tuple(HEADINGS)]
    assert sheet.auto_filter.ref == "A1:C1"


def test_the_bytes_leave_as_rows_are_given_not_at_the_end():
    """The package's beginning comes before any row, and each large batch gives its own compressed bytes: the
    end (central directory) only adds what it must. Nothing of the sheet is kept beyond what was not taken."""
    sheet = StreamedSheet("Mandates", HEADINGS)
    batch = [(f"M2024-{n}", f"Enterprise {n * 7919 % 100003}", dt.datetime(2024, 5, 10)) for n in range(5000)]
    data, parts = written(sheet, [batch] * 6)
    start, *middle, end = parts
    assert start.startswith(b"PK\x03\x04")  # the first local file header: a download starts at once
    assert all(len(part) > 10_000 for part in middle[1:])
    assert len(end) < max(len(part) for part in middle)
    assert sheet.written == 30_000
    assert sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows()) == 30_001


def test_rows_before_start_are_refused():
    sheet = StreamedSheet("Mandates", HEADINGS)
    try:
        sheet.rows([("a", "b", None)])
    except RuntimeError as error:
        assert "start()" in str(error)
    else:
        raise AssertionError("rows() before start() must be refused")


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
