"""Reading CBE open-data extracts (models/cbe_extract.py; ../shared/spec/CBE-OPEN-DATA.md): the CSV dialect
(BOM, CRLF, quoted or bare fields, case-insensitive member names), meta.csv, the order of extracts, the plate."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from models.cbe_extract import FULL, UPDATE, Extract, ExtractMeta, ExtractRefused, iso_day, must_apply, plate

META = '"Variable","Value"\n"SnapshotDate","03-03-2026"\n"ExtractTimestamp","04-03-2026 07:41:02"\n'


def _meta(kind: str = "full", number: str = "290", version: str = "1.0.0") -> str:
    return META + f'"ExtractType","{kind}"\n"ExtractNumber","{number}"\n"Version","{version}"\n'


def _folder(tmp_path, **files: str):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Extract(tmp_path)


def test_cbe_meta_gives_the_number_kind_and_snapshot(tmp_path):
    meta = _folder(tmp_path, **{"meta.csv": _meta()}).meta()
    assert meta == ExtractMeta(290, FULL, dt.date(2026, 3, 3), "04-03-2026 07:41:02")


@pytest.mark.parametrize(
    ("kind", "number", "version", "message"),
    [
        ("weekly", "290", "1.0.0", "neither full nor update"),
        ("full", "290", "2.0.0", "version '2.0.0' is unknown"),
        ("update", "29O", "1.0.0", "ExtractNumber '29O' is not a number"),
    ],
)
def test_cbe_a_meta_file_out_of_the_format_is_refused(tmp_path, kind, number, version, message):
    with pytest.raises(ExtractRefused, match=message):
        _folder(tmp_path, **{"meta.csv": _meta(kind, number, version)}).meta()


def test_cbe_a_zip_with_a_bom_crlf_and_upper_case_member_names_is_read(tmp_path):
    path = tmp_path / "KboOpenData_0290_2026_03_Full.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META.CSV", "\ufeff" + _meta().replace("\n", "\r\n"))
        archive.writestr(
            "Enterprise.CSV",
            "\ufeff" + '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
            '"JuridicalFormCAC","StartDate"\r\n'
            '"0888.123.486","AC","012","2","015","610",15-06-2021\r\n'
            '"0777.005.533","AC","000","1",,,01-02-2019\r\n',
        )
    extract = Extract(path)
    assert extract.meta().number == 290
    assert list(extract.enterprises("enterprise.csv")) == [
        ("0888123486", "012", "610", "2021-06-15"),  # the Companies Code form wins (JuridicalFormCAC)
        ("0777005533", "000", None, "2019-02-01"),
    ]
    extract.close()


def test_cbe_an_older_layout_without_juridical_form_cac_is_read(tmp_path):
    extract = _folder(
        tmp_path,
        **{
            "enterprise.csv": '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
            '"StartDate"\n"0888.123.486","AC","000","2","610",\n'
        },
    )
    assert list(extract.enterprises("enterprise.csv")) == [("0888123486", "000", "610", None)]


def test_cbe_names_keep_the_enterprises_001_names_only(tmp_path):
    extract = _folder(
        tmp_path,
        **{
            "denomination.csv": '"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
            '"0888.246.816","1","001","Les Amis de l\'Exemple"\n'
            '"0888.246.816","2","001","De Vrienden ""van"" het Voorbeeld"\n'
            '"0888.123.486","2","002","AV"\n'
            '"2.999.002.250","2","003","Bakkerij Jan"\n'
        },
    )
    assert list(extract.names("denomination.csv")) == [
        ("0888246816", "1", "Les Amis de l'Exemple"),
        ("0888246816", "2", 'De Vrienden "van" het Voorbeeld'),
    ]


def test_cbe_the_registered_seat_becomes_the_plate_and_a_struck_off_one_is_skipped(tmp_path):
    header = (
        '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR",'
        '"StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"\n'
    )
    extract = _folder(
        tmp_path,
        **{
            "address.csv": header
            + '"0888.246.816","REGO",,,"1000","Brussel","Bruxelles","Voorbeeldlaan","Avenue de l\'Exemple","5","A",'
            '"",\n'
            '"0888.123.486","REGO",,,"9000","Gent","Gent","Voorbeeldstraat","Voorbeeldstraat","12","","",01-01-2020\n'
            '"2.999.001.161","BAET",,,"9000","Gent","Gent","Voorbeeldstraat","Voorbeeldstraat","12","","",\n'
            '"0777.005.533","REGO","Nederland","Pays-Bas","1011 AB","Amsterdam","","Damrak","","1","","",\n'
        },
    )
    assert list(extract.plates("address.csv")) == [
        ("0888246816", "Avenue de l'Exemple 5 box A, 1000 Bruxelles"),
        ("0777005533", "Damrak 1, 1011 AB Amsterdam, Pays-Bas"),
    ]


def test_cbe_a_row_with_a_bad_number_date_or_width_is_refused_naming_file_and_line(tmp_path):
    header = '"EstablishmentNumber","StartDate","EnterpriseNumber"\n'
    cases = {
        '"2.999.001.161",31-02-2021,"0888.123.486"\n': "establishment.csv:2: '31-02-2021' is not a date",
        '"2.999.001.162",15-06-2021,"0888.123.486"\n': "establishment.csv:2: '2.999.001.162' is not a valid",
        '"2.999.001.161",15-06-2021\n': "establishment.csv:2: 2 fields, 3 expected",
    }
    for row, message in cases.items():
        extract = _folder(tmp_path, **{"establishment.csv": header + row})
        with pytest.raises(ExtractRefused, match=message):
            list(extract.establishments("establishment.csv"))


def test_cbe_a_missing_file_or_column_and_a_file_that_is_no_extract_are_refused(tmp_path):
    extract = _folder(tmp_path, **{"enterprise_delete.csv": '"Number"\n"0888.123.486"\n'})
    with pytest.raises(ExtractRefused, match="code.csv is missing"):
        extract.legal_forms()
    with pytest.raises(ExtractRefused, match="no column EnterpriseNumber"):
        list(extract.keys("enterprise_delete.csv", "EnterpriseNumber"))
    with pytest.raises(ExtractRefused, match="neither a folder nor a zip"):
        Extract(tmp_path / "enterprise_delete.csv")


def test_cbe_the_code_table_gives_legal_forms_in_three_languages_trimmed(tmp_path):
    extract = _folder(
        tmp_path,
        **{
            "code.csv": '"Category","Code","Language","Description"\n'
            '"JuridicalForm","610","FR"," Société à responsabilité limitée"\n'
            '"JuridicalForm","610","NL","Besloten vennootschap"\n'
            '"JuridicalForm","610","EN","Private limited company"\n'
            '"Nace2025","62100","NL","Computerprogrammering"\n'
        },
    )
    assert extract.legal_forms() == {"610": {"fr": "Société à responsabilité limitée", "nl": "Besloten vennootschap"}}


@pytest.mark.parametrize(
    ("kind", "number", "last", "applies"),
    [
        (FULL, 290, None, True),
        (FULL, 295, 291, True),  # a newer full extract: a fresh start
        (UPDATE, 291, 290, True),
        (UPDATE, 291, 291, False),  # the same again: nothing changes
        (FULL, 290, 290, False),
        (UPDATE, 290, 290, False),  # update N is inside full N
    ],
)
def test_cbe_the_next_extract_applies_and_the_same_one_again_changes_nothing(kind, number, last, applies):
    assert must_apply(ExtractMeta(number, kind, dt.date(2026, 3, 3), ""), last) is applies


@pytest.mark.parametrize(
    ("kind", "number", "last", "expected"),
    [
        (UPDATE, 291, None, "expects a full extract"),
        (UPDATE, 293, 291, "expects update extract 292"),
        (UPDATE, 290, 291, "expects update extract 292"),
        (FULL, 289, 291, "expects update extract 292 \\(or a newer full extract\\)"),
    ],
)
def test_cbe_an_extract_that_is_not_the_next_one_is_refused_naming_the_expected_one(kind, number, last, expected):
    with pytest.raises(ExtractRefused, match=expected):
        must_apply(ExtractMeta(number, kind, dt.date(2026, 3, 3), ""), last)


def test_cbe_dates_are_day_month_year():
    assert iso_day("09-08-1960", "x") == "1960-08-09"
    with pytest.raises(ExtractRefused, match="x: '1960-08-09' is not a date"):
        iso_day("1960-08-09", "x")


def test_cbe_the_plate_falls_back_to_dutch_names():
    row = dict.fromkeys(
        ("StreetFR", "StreetNL", "HouseNumber", "Box", "Zipcode", "MunicipalityFR", "MunicipalityNL", "CountryFR"), ""
    )
    row.update(StreetNL="Markt", HouseNumber="1", Zipcode="8000", MunicipalityNL="Brugge", CountryNL="")
    assert plate(row) == "Markt 1, 8000 Brugge"
