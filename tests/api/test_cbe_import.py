"""The CBE import (issue 12, item 1): a synthetic full extract of a few thousand enterprises, then an update
that renames one, stops one and adds one, read back through GraphQL; an extract out of order refused naming
the one expected; the same extract twice changing nothing; a malformed extract writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise import connections

from models.cbe_extract import ExtractRefused
from models.tables import CbeExtract, Enterprise, Establishment
from resolvers.cbe_import import import_cbe
from tests.api.authorisation_steps import issued_pdf
from tests.api.helpers import BOULANGERIE, created
from tests.bench.cbe_extract import enterprise_number, establishment_number, write_full, write_rows, write_update
from tests.documents.test_documents import pdftotext

COUNT = 3000
NOW = dt.datetime(2026, 3, 5, 8, tzinfo=dt.UTC)
FULL_DAY, UPDATE_DAY = dt.date(2026, 3, 3), dt.date(2026, 3, 4)
RENAMED, STOPPED, ADDED = 3, 4, COUNT  # 3: French and Dutch names, SC/CV; 4: Dutch name, a unit; new
ENTERPRISE = """query($n: String!) { enterprise(number: $n) {
  name names { fr nl de } address activeFrom activeUntil knownInCbe
  legalForm { code name descriptions { fr nl de } } } }"""


async def _enterprise(api, number: str) -> dict | None:
    return (await api(ENTERPRISE, {"n": number}, as_="provider-signatory"))["data"]["enterprise"]


async def _state() -> list:
    """Everything the import writes, in a stable order."""
    client = connections.get("default")
    tables = ("enterprise", "legal_form", "establishment", "cbe_extract")
    return [(await client.execute_query(f"SELECT * FROM {table} ORDER BY 1"))[1] for table in tables]


@pytest.fixture
def full(tmp_path):
    return write_full(tmp_path / "KboOpenData_0290_2026_03_04_Full.zip", COUNT, 290, FULL_DAY)


@pytest.fixture
def update(tmp_path):
    return write_update(
        tmp_path / "KboOpenData_0291_2026_03_05_Update.zip",
        291,
        UPDATE_DAY,
        renamed={RENAMED: "Atelier Voorbeeld & Zonen"},
        stopped=(STOPPED,),
        added=(ADDED,),
    )


async def test_cbe_a_full_extract_then_an_update_that_renames_stops_and_adds_read_through_graphql(
    reference, api, full, update
):
    report = await import_cbe(full, NOW)
    assert (report.applied, report.enterprises, report.stopped, report.establishments) == (True, COUNT, 0, COUNT // 2)
    assert await Enterprise.filter(cbe_extract=290).count() == COUNT
    first = await _enterprise(api, enterprise_number(0))
    assert first == {
        "name": "Société 0",
        "names": {"fr": "Société 0", "nl": "Vennootschap 0", "de": None},
        "address": "Rue de l'Exemple 1, 1000 Bruxelles",
        "activeFrom": "2000-01-01",
        "activeUntil": None,
        "knownInCbe": True,
        "legalForm": {
            "code": "610",
            "name": "Private limited company (SRL/BV)",  # the reference data's name stays
            "descriptions": {
                "fr": "Société à responsabilité limitée",  # trimmed: the code table's text starts with a space
                "nl": "Besloten vennootschap",
                "de": "Gesellschaft mit beschränkter Haftung",
            },
        },
    }
    person = await _enterprise(api, enterprise_number(9))
    assert (person["name"], person["legalForm"], person["address"]) == ("Person9, Jan", None, "")
    assert (await _enterprise(api, enterprise_number(RENAMED)))["name"] == "Société 3"
    assert await _enterprise(api, enterprise_number(ADDED)) is None

    report = await import_cbe(update, NOW)
    assert (report.applied, report.enterprises, report.stopped, report.establishments) == (True, 1, 1, 1)
    renamed = await _enterprise(api, enterprise_number(RENAMED))
    assert (renamed["name"], renamed["names"], renamed["activeUntil"]) == (
        "Atelier Voorbeeld & Zonen",
        {"fr": None, "nl": "Atelier Voorbeeld & Zonen", "de": None},
        None,
    )
    assert renamed["address"] == "Rue de l'Exemple 4, 8000 Bruges"  # not resent: kept
    stopped = await _enterprise(api, enterprise_number(STOPPED))
    assert stopped["activeUntil"] == "2026-03-03"  # active on the previous snapshot, gone from this one
    assert stopped["name"] == "Bedrijf 4"  # its last name stays: the open data has no history
    assert not await Establishment.exists(establishment_number=establishment_number(STOPPED).replace(".", ""))
    added = await _enterprise(api, enterprise_number(ADDED))
    assert (added["name"], added["legalForm"]["code"], added["activeUntil"]) == ("Société 3000", "610", None)
    assert added["address"] == "Rue de l'Exemple 1, 1000 Bruxelles"
    assert await Establishment.filter(enterprise_number=enterprise_number(ADDED).replace(".", "")).count() == 1
    untouched = await _enterprise(api, enterprise_number(1))
    assert (untouched["name"], untouched["activeUntil"]) == ("Bedrijf 1", None)
    assert await Enterprise.filter(active_until__isnull=True, cbe_extract__isnull=False).count() == COUNT
    assert await CbeExtract.filter().values_list("number", flat=True) == [290, 291]


async def test_cbe_a_newer_full_extract_stops_the_enterprises_it_no_longer_lists(reference, api, full, tmp_path):
    await import_cbe(full, NOW)
    report = await import_cbe(write_full(tmp_path / "next", COUNT - 2, 295, dt.date(2026, 4, 1)), NOW)
    assert (report.applied, report.stopped) == (True, 2)
    assert (await _enterprise(api, enterprise_number(COUNT - 1)))["activeUntil"] == "2026-03-31"
    assert (await _enterprise(api, enterprise_number(COUNT - 3)))["activeUntil"] is None
    demo = await _enterprise(api, "0893.219.451")  # from the reference data, never in the open data
    assert demo["activeUntil"] is None


async def test_cbe_an_update_that_is_not_the_next_extract_is_refused_naming_the_expected_one(reference, full, tmp_path):
    skipping = write_update(tmp_path / "u292", 292, UPDATE_DAY, stopped=(1,))
    with pytest.raises(ExtractRefused, match="expects a full extract"):
        await import_cbe(skipping, NOW)  # nothing loaded yet: an update has nothing to apply to
    await import_cbe(full, NOW)
    before = await _state()
    with pytest.raises(ExtractRefused, match="update extract 292 is not the next one: .* expects update extract 291"):
        await import_cbe(skipping, NOW)
    older = write_full(tmp_path / "older", 10, 289, dt.date(2026, 2, 1))
    with pytest.raises(ExtractRefused, match="full extract 289 is not the next one"):
        await import_cbe(older, NOW)
    assert await _state() == before


async def test_cbe_the_same_extract_twice_changes_nothing(reference, full, update):
    await import_cbe(full, NOW)
    after_full = await _state()
    assert (await import_cbe(full, NOW)).applied is False
    assert await _state() == after_full
    await import_cbe(update, NOW)
    after_update = await _state()
    again = await import_cbe(update, NOW)
    assert (again.number, again.kind, again.applied) == (291, "update", False)
    assert await _state() == after_update


async def test_cbe_a_malformed_extract_is_refused_whole_naming_its_file_and_line(reference, tmp_path):
    folder = write_full(tmp_path / "bad", 50, 290, FULL_DAY)
    lines = (folder / "enterprise.csv").read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40].replace(enterprise_number(39), "1000.000.399")  # a wrong check digit
    (folder / "enterprise.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = await _state()
    with pytest.raises(ExtractRefused, match=r"enterprise.csv:41: '1000.000.399' is not a valid"):
        await import_cbe(folder, NOW)
    assert await _state() == before


async def test_r_pdf_3_the_authorisation_plate_shows_the_name_and_registered_seat_from_the_cbe(
    reference, api, tmp_path
):
    extract = write_rows(
        tmp_path / "boulangerie",
        290,
        FULL_DAY,
        {
            "enterprise": ['"0804.115.152","AC","000","2","610",,01-01-2000'],
            "denomination": ['"0804.115.152","1","001","Boulangerie Voorbeeld & Fils"'],
            "address": [
                '"0804.115.152","REGO",,,"4000","Luik","Liège","Voorbeeldstraat","Rue de l\'Exemple","3","B","",'
            ],
        },
    )
    await import_cbe(extract, NOW)
    mandate = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024"
    )
    text = pdftotext(await issued_pdf(api, "provider-signatory", mandate["id"], method="HANDWRITTEN"), tmp_path)
    assert "Boulangerie Voorbeeld & Fils" in text
    assert "Rue de l'Exemple 3 box B, 4000 Liège" in text
