"""Synthetic CBE open-data extracts (../shared/spec/CBE-OPEN-DATA.md) for the tests and the bench.

Enterprise `i` (0, 1, 2, ...) is always the same: its number (modulo-97 valid, 1000.000.0xx upwards),
its names (French and Dutch, Dutch only or French only), its legal form, its registered seat, one
establishment unit for every other one; every tenth is a natural person (no legal form, one name in
language 0, no seat). So an update extract can resend the complete rows of any enterprise (§3).

    python -m tests.bench.cbe_extract full PATH COUNT [NUMBER]    # PATH a folder or a .zip
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

HEADERS = {
    "enterprise": '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
    '"JuridicalFormCAC","StartDate"',
    "establishment": '"EstablishmentNumber","StartDate","EnterpriseNumber"',
    "denomination": '"EntityNumber","Language","TypeOfDenomination","Denomination"',
    "address": '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR",'
    '"StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"',
    "branch": '"Id","StartDate","EnterpriseNumber"',
    "contact": '"EntityNumber","EntityContact","ContactType","Value"',
    "activity": '"EntityNumber","ActivityGroup","NaceVersion","NaceCode","Classification"',
}
DELETE_KEYS = {
    "enterprise": "EnterpriseNumber",
    "establishment": "EstablishmentNumber",
    "branch": "Id",
    "denomination": "EntityNumber",
    "address": "EntityNumber",
    "contact": "EntityNumber",
    "activity": "EntityNumber",
}
LEGAL_FORMS = {
    "610": ("Société à responsabilité limitée", "Besloten vennootschap", "Gesellschaft mit beschränkter Haftung"),
    "014": ("Société anonyme", "Naamloze vennootschap", "Aktiengesellschaft"),
    "017": ("Association sans but lucratif", "Vereniging zonder winstoogmerk", None),
    "706": ("Société coopérative", "Coöperatieve vennootschap", "Genossenschaft"),
}
FORMS = tuple(LEGAL_FORMS)
TOWNS = (
    ("1000", "Brussel", "Bruxelles"),
    ("9000", "Gent", "Gand"),
    ("4000", "Luik", "Liège"),
    ("8000", "Brugge", "Bruges"),
)


def _checked(eight: int) -> str:
    return f"{eight:08d}{97 - eight % 97:02d}"


def enterprise_digits(i: int) -> str:
    return _checked(10_000_000 + i)


def enterprise_number(i: int) -> str:
    """Enterprise `i`'s number as the CBE writes it: 1000.000.097 for 0."""
    digits = enterprise_digits(i)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def establishment_number(i: int) -> str:
    digits = _checked(20_000_000 + i)
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def natural_person(i: int) -> bool:
    return i % 10 == 9


def names(i: int) -> dict[str, str]:
    """Enterprise `i`'s names (type 001) by language code: 1 French, 2 Dutch, 0 unknown."""
    if natural_person(i):
        return {"0": f"Person{i}, Jan"}
    return {0: {"1": f"Société {i}", "2": f"Vennootschap {i}"}, 1: {"2": f"Bedrijf {i}"}, 2: {"1": f"Entreprise {i}"}}[
        i % 3
    ]


def rows(i: int, name: str | None = None) -> dict[str, list[str]]:
    """Every row of enterprise `i` by file; `name` replaces its names by one Dutch name."""
    number, start = enterprise_number(i), dt.date(2000, 1, 1) + dt.timedelta(days=i % 9000)
    person = natural_person(i)
    form = "" if person else _q(FORMS[i % len(FORMS)])
    out: dict[str, list[str]] = {key: [] for key in HEADERS}
    out["enterprise"].append(f'{_q(number)},"AC","000","{1 if person else 2}",{form},,{_day(start)}')
    for language, text in ({"2": name} if name else names(i)).items():
        out["denomination"].append(f'{_q(number)},"{language}","001",{_q(text)}')
    if not person:
        postcode, dutch, french = TOWNS[i % len(TOWNS)]
        out["denomination"].append(f'{_q(number)},"2","002","E{i}"')
        out["address"].append(
            f'{_q(number)},"REGO",,,"{postcode}","{dutch}","{french}","Voorbeeldstraat","Rue de l\'Exemple",'
            f'"{i % 200 + 1}","","",'
        )
        out["activity"].append(f'{_q(number)},"001","2025","62100","MAIN"')
    if i % 2 == 0:
        unit = establishment_number(i)
        out["establishment"].append(f"{_q(unit)},{_day(start)},{_q(number)}")
        out["denomination"].append(f'{_q(unit)},"2","003",{_q(f"Vestiging {i}")}')
        out["address"].append(f'{_q(unit)},"BAET",,,"1000","Brussel","Bruxelles","Markt","Marché","1","","",')
    return out


@contextmanager
def _members(path: Path) -> Iterator[dict[str, IO[str]]]:
    """Writable text members by name, in a folder, or in a zip made from a folder beside it (a zip has one
    member open for writing at a time; each file is copied in as a stream)."""
    folder = path.with_suffix(".files") if path.suffix == ".zip" else path
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:

        class Opener(dict):
            def __missing__(self, name: str) -> IO[str]:
                member = stack.enter_context(open(folder / name, "w", encoding="utf-8", newline=""))
                self[name] = member
                return member

        yield Opener()
    if folder != path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
                file.unlink()
        folder.rmdir()


def _meta(out: IO[str], kind: str, number: int, snapshot: dt.date) -> None:
    out.write('"Variable","Value"\n')
    out.write(
        f'"SnapshotDate","{_day(snapshot)}"\n"ExtractTimestamp","{_day(snapshot + dt.timedelta(days=1))} 07:40:18"\n'
    )
    out.write(f'"ExtractType","{kind}"\n"ExtractNumber","{number}"\n"Version","1.0.0"\n')


def _codes(out: IO[str]) -> None:
    out.write('"Category","Code","Language","Description"\n')
    out.write('"Status","AC","FR","Actif"\n"Status","AC","NL","Actief"\n')
    for code, descriptions in LEGAL_FORMS.items():
        for language, description in zip(("FR", "NL", "DE"), descriptions, strict=True):
            if description:
                out.write(f'"JuridicalForm","{code}","{language}",{_q(" " + description)}\n')


def write_full(path: Path, count: int, number: int = 1, snapshot: dt.date = dt.date(2026, 3, 3)) -> Path:
    """A full extract of enterprises 0..count-1."""
    with _members(path) as members:
        _meta(members["meta.csv"], "full", number, snapshot)
        _codes(members["code.csv"])
        for name, header in HEADERS.items():
            members[f"{name}.csv"].write(header + "\n")
        for i in range(count):
            for name, lines in rows(i).items():
                if lines:
                    members[f"{name}.csv"].write("\n".join(lines) + "\n")
    return path


def write_rows(path: Path, number: int, snapshot: dt.date, files: dict[str, list[str]]) -> Path:
    """A full extract of the CSV lines given by file (`"enterprise"`: its rows, without the header)."""
    with _members(path) as members:
        _meta(members["meta.csv"], "full", number, snapshot)
        _codes(members["code.csv"])
        for name, header in HEADERS.items():
            members[f"{name}.csv"].write("\n".join([header, *files.get(name, [])]) + "\n")
    return path


def write_update(
    path: Path,
    number: int,
    snapshot: dt.date,
    *,
    renamed: dict[int, str] | None = None,
    stopped: tuple[int, ...] = (),
    added: tuple[int, ...] = (),
) -> Path:
    """An update extract: `renamed` enterprises get one new Dutch name (all their names resent), `stopped` ones
    leave the open data with their establishments, `added` ones arrive with all their rows (§3)."""
    renamed = renamed or {}
    with _members(path) as members:
        _meta(members["meta.csv"], "update", number, snapshot)
        _codes(members["code.csv"])
        for name, header in HEADERS.items():
            members[f"{name}_delete.csv"].write(f'"{DELETE_KEYS[name]}"\n')
            members[f"{name}_insert.csv"].write(header + "\n")
        for i in stopped:
            members["enterprise_delete.csv"].write(f"{_q(enterprise_number(i))}\n")
            members["denomination_delete.csv"].write(f"{_q(enterprise_number(i))}\n")
            if i % 2 == 0:
                members["establishment_delete.csv"].write(f"{_q(establishment_number(i))}\n")
        for i, name in renamed.items():
            members["denomination_delete.csv"].write(f"{_q(enterprise_number(i))}\n")
            members["denomination_insert.csv"].write(
                "\n".join(line for line in rows(i, name)["denomination"] if enterprise_number(i) in line) + "\n"
            )
        for i in added:
            for name, lines in rows(i).items():
                if lines:
                    members[f"{name}_insert.csv"].write("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    kind, target, count, *rest = sys.argv[1:]
    assert kind == "full", "python -m tests.bench.cbe_extract full PATH COUNT [NUMBER]"
    write_full(Path(target), int(count), int(rest[0]) if rest else 1)
    print(f"wrote {count} enterprises to {target}")
