"""The CBE's open data ("KBO Open Data"): reading a full or an update extract, row by row
(../shared/spec/CBE-OPEN-DATA.md, cited as §n below).

An extract is a zip or a folder of CSV files (§1). Every file is read as a stream (one row at a
time, whatever its size): the importer stages the rows in the database as they come, so memory stays
flat. Keys keep only their digits (§2); dates become ISO texts (`dd-mm-yyyy` -> `yyyy-mm-dd`), the
form both databases compare; a malformed row refuses the whole extract, naming its file and line.
Nothing here touches a database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FULL, UPDATE = "full", "update"
VERSION = "1.0.0"  # the only file-format version known; another one is refused (§1, meta.csv)
NAME, ABBREVIATION = "001", "002"  # TypeOfDenomination
REGISTERED_SEAT = "REGO"  # TypeOfAddress of an enterprise's registered address
LANGUAGES = {"1": "fr", "2": "nl", "3": "de"}  # code table "Language" (§2); 0 unknown, 4 English
LEGAL_FORM_CATEGORY = "JuridicalForm"
_CODE_LANGUAGES = {"FR": "fr", "NL": "nl", "DE": "de"}
_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


class ExtractRefused(Exception):
    """The extract cannot be applied: unreadable, malformed, or not the next one. Nothing is written."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ExtractMeta:
    """meta.csv (§1): what the extract is and which database state it shows."""

    number: int
    kind: str  # FULL or UPDATE
    snapshot: dt.date
    extracted_at: str


def iso_day(text: str, where: str) -> str:
    """`dd-mm-yyyy` -> `yyyy-mm-dd`, checked to be a real day."""
    match = _DATE.match(text)
    if not match:
        raise ExtractRefused(f"{where}: '{text}' is not a date (dd-mm-yyyy)")
    day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ExtractRefused(f"{where}: '{text}' is not a date (dd-mm-yyyy)") from None


def entity_digits(text: str) -> str:
    """An enterprise, establishment or branch number without its dots (§2)."""
    return text.replace(".", "").strip()


def passes_modulo_97(digits: str) -> bool:
    """The check of enterprise and establishment numbers: the last two digits are 97 - (the rest mod 97)."""
    return len(digits) == 10 and digits.isascii() and digits.isdigit() and 97 - int(digits[:8]) % 97 == int(digits[8:])


def is_enterprise(digits: str) -> bool:
    """Enterprise numbers start with 0 or 1; establishment units with 2 and up (§2)."""
    return digits[:1] in ("0", "1")


def plate(row: dict[str, str]) -> str:
    """The address plate of a registered address (address.csv, §2): street, number and box, postcode
    and municipality, and the country when it is not Belgium; French names where given, else Dutch ones.
    """

    def pick(french: str, dutch: str) -> str:
        return (row[french] or row[dutch]).strip()

    street = " ".join(part for part in (pick("StreetFR", "StreetNL"), row["HouseNumber"].strip()) if part)
    box = row["Box"].strip()
    if box:
        street = f"{street} box {box}"
    town = " ".join(part for part in (row["Zipcode"].strip(), pick("MunicipalityFR", "MunicipalityNL")) if part)
    country = pick("CountryFR", "CountryNL")
    return ", ".join(part for part in (street, town, country) if part)


def expected_after(last: int | None) -> str:
    return "a full extract" if last is None else f"update extract {last + 1} (or a newer full extract)"


def must_apply(meta: ExtractMeta, last: int | None) -> bool:
    """Whether to apply an extract after `last` (the number of the last one applied) (§3, step 1).

    The same extract again (or update N after full N, which holds it) changes nothing: False.
    An update must be the next one; a full one may not be older than the last applied.
    Anything else is refused, naming the extract expected.
    """
    if last is not None and meta.number == last:
        return False
    if meta.kind == FULL and (last is None or meta.number > last):
        return True
    if meta.kind == UPDATE and last is not None and meta.number == last + 1:
        return True
    raise ExtractRefused(
        f"{meta.kind} extract {meta.number} is not the next one: the registry expects {expected_after(last)}"
    )


class Extract:
    """A full or update extract, a zip or a folder; member names are matched case-insensitively (§1)."""

    def __init__(self, path: Path):
        self.path = path
        if path.is_dir():
            self._zip = None
            names = [child.name for child in path.iterdir() if child.is_file()]
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [info.filename for info in self._zip.infolist() if not info.is_dir()]
        else:
            raise ExtractRefused(f"{path}: neither a folder nor a zip file")
        self._members = {name.rsplit("/", 1)[-1].lower(): name for name in names}

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    @contextmanager
    def _open(self, name: str) -> Iterator[IO[str]]:
        member = self._members.get(name.lower())
        if member is None:
            raise ExtractRefused(f"{self.path}: {name} is missing")
        if self._zip is None:
            with open(self.path / member, encoding="utf-8-sig", newline="") as text:
                yield text
        else:
            with self._zip.open(member) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
                yield text

    def rows(self, name: str, columns: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(`name:line`, the values of `columns`) for each row, streamed; the header names the columns (§2)."""
        with self._open(name) as text:
            reader = csv.reader(text)
            header = next(reader, [])
            missing = [column for column in columns if column not in header]
            if missing:
                raise ExtractRefused(f"{name}: no column {', '.join(missing)} in its header")
            places = [header.index(column) for column in columns]
            width = max(places) + 1
            try:
                for values in reader:
                    if len(values) < width:
                        if not values:
                            continue
                        raise ExtractRefused(f"{name}:{reader.line_num}: {len(values)} fields, {width} expected")
                    yield f"{name}:{reader.line_num}", tuple(values[place].strip() for place in places)
            except (csv.Error, UnicodeDecodeError) as error:
                raise ExtractRefused(f"{name}:{reader.line_num}: unreadable ({error})") from None

    def meta(self) -> ExtractMeta:
        values = {key: value for _, (key, value) in self.rows("meta.csv", ("Variable", "Value"))}
        kind, version = values.get("ExtractType", "").lower(), values.get("Version", "")
        if kind not in (FULL, UPDATE):
            raise ExtractRefused(f"meta.csv: ExtractType '{values.get('ExtractType')}' is neither full nor update")
        if version != VERSION:
            raise ExtractRefused(f"meta.csv: file-format version '{version}' is unknown (expected {VERSION})")
        number = values.get("ExtractNumber", "")
        if not number.isascii() or not number.isdigit():
            raise ExtractRefused(f"meta.csv: ExtractNumber '{number}' is not a number")
        snapshot = dt.date.fromisoformat(iso_day(values.get("SnapshotDate", ""), "meta.csv: SnapshotDate"))
        return ExtractMeta(int(number), kind, snapshot, values.get("ExtractTimestamp", ""))

    def legal_forms(self) -> dict[str, dict[str, str]]:
        """The JuridicalForm descriptions of code.csv by code and language (fr, nl, de), trimmed (§2)."""
        forms: dict[str, dict[str, str]] = {}
        for _, (category, code, language, description) in self.rows(
            "code.csv", ("Category", "Code", "Language", "Description")
        ):
            if category == LEGAL_FORM_CATEGORY and language.upper() in _CODE_LANGUAGES:
                forms.setdefault(code, {})[_CODE_LANGUAGES[language.upper()]] = description
        return forms

    def _number(self, where: str, text: str) -> str:
        digits = entity_digits(text)
        if not passes_modulo_97(digits):
            raise ExtractRefused(f"{where}: '{text}' is not a valid enterprise or establishment number")
        return digits

    def enterprises(self, name: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
        """(number, juridical situation, legal form, start day) of enterprise.csv or enterprise_insert.csv.
        JuridicalFormCAC, when set, is the form to read under the Companies and Associations Code (§4)."""
        columns = ("EnterpriseNumber", "JuridicalSituation", "JuridicalForm", "StartDate")
        cac = self._has_column(name, "JuridicalFormCAC")
        for where, values in self.rows(name, columns + (("JuridicalFormCAC",) if cac else ())):
            number = self._number(where, values[0])
            form = (values[4] if cac and values[4] else values[2]) or None
            yield number, values[1] or None, form, iso_day(values[3], where) if values[3] else None

    def _has_column(self, name: str, column: str) -> bool:
        with self._open(name) as text:
            return column in next(csv.reader(text), [])

    def establishments(self, name: str) -> Iterator[tuple[str, str, str | None]]:
        """(number, enterprise number, start day) of establishment.csv or establishment_insert.csv."""
        for where, (number, enterprise, start) in self.rows(
            name, ("EstablishmentNumber", "EnterpriseNumber", "StartDate")
        ):
            yield self._number(where, number), self._number(where, enterprise), iso_day(start, where) if start else None

    def names(self, name: str) -> Iterator[tuple[str, str, str]]:
        """(enterprise number, language code, name) of the enterprises' names (type 001) in denomination.csv
        or denomination_insert.csv; establishments' and branches' names are skipped."""
        for where, (entity, language, kind, text) in self.rows(
            name, ("EntityNumber", "Language", "TypeOfDenomination", "Denomination")
        ):
            digits = entity_digits(entity)
            if kind == NAME and is_enterprise(digits) and text:
                yield self._number(where, entity), language, text

    def plates(self, name: str) -> Iterator[tuple[str, str]]:
        """(enterprise number, address plate) of the registered seats (REGO) in address.csv or address_insert.csv
        that are not struck off."""
        columns = (
            "EntityNumber",
            "TypeOfAddress",
            "CountryNL",
            "CountryFR",
            "Zipcode",
            "MunicipalityNL",
            "MunicipalityFR",
            "StreetNL",
            "StreetFR",
            "HouseNumber",
            "Box",
            "DateStrikingOff",
        )
        for where, values in self.rows(name, columns):
            if values[1] == REGISTERED_SEAT and not values[-1]:
                yield self._number(where, values[0]), plate(dict(zip(columns, values, strict=True)))

    def keys(self, name: str, column: str) -> Iterator[tuple[str]]:
        """The numbers of a `_delete` file (§3): every row of those entities goes."""
        for where, (number,) in self.rows(name, (column,)):
            yield (self._number(where, number),)
