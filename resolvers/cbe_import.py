"""Importing the CBE's open data: a full or an update extract, in one transaction
(`mandates import-cbe PATH`; the format: models/cbe_extract.py and ../shared/spec/CBE-OPEN-DATA.md).

Each file is streamed into a staging table (resolvers/bulk.py), then applied by set-based statements:
- legal forms: the code table's JuridicalForm descriptions in French, Dutch and German (a form the
  reference data named keeps its name; a new one is named by its French description);
- enterprises: upserted by number with their juridical situation, legal form and start day, marked with
  the extract's number; one the open data no longer lists (absent from a full extract, deleted and not
  re-inserted by an update) is stopped: its activity period ends the day before the extract's snapshot
  (R-ENT-8), its row stays (its mandates refer to it, and the open data has no history, §3);
- names (type 001) in French, Dutch and German (`_choose_names`) and the registered seat's address
  plate, for the enterprises the extract gives them; a stopped enterprise keeps its last ones;
- establishment units: replaced by a full extract, deleted then inserted by an update.
An update's deletes run before its inserts; an update must be the next extract, and the same extract
again changes nothing (models.cbe_extract.must_apply). What the open data lacks (representatives,
signing competence, NSSO and SSA numbers, branches, provider kinds) comes from the reference-data file
(resolvers/reference_data.py): the import never touches it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tortoise.transactions import in_transaction

from models.cbe_extract import FULL, Extract, ExtractMeta, must_apply
from models.sort_keys import sort_key
from resolvers.bulk import Bulk

NAME_LENGTH, ADDRESS_LENGTH = 200, 300  # Enterprise.name and Enterprise.address
KEY_BATCH = 10_000  # names whose sort keys are computed per round trip
WORK_MEM = "256MB"  # PostgreSQL's memory per sort or hash during an import


@dataclass(frozen=True)
class ImportReport:
    number: int
    kind: str
    applied: bool  # False: this extract was applied before, nothing changed
    enterprises: int = 0  # rows of enterprise.csv (or enterprise_insert.csv)
    stopped: int = 0
    establishments: int = 0


async def import_cbe(path: Path, now: dt.datetime) -> ImportReport:
    extract = Extract(path)
    try:
        meta = extract.meta()
        async with in_transaction() as client:
            bulk = Bulk(client)
            if bulk.postgres:  # one import at a time; SQLite's write transactions are serialised already
                await bulk.run("LOCK TABLE cbe_extract IN EXCLUSIVE MODE")
                # The pivots and joins of a full extract hash millions of rows: in memory, not spilled to disk
                # (4 MB by default); LOCAL ends with the transaction.
                await bulk.run(f"SET LOCAL work_mem = '{WORK_MEM}'")
            _, rows = await client.execute_query("SELECT MAX(number) AS last FROM cbe_extract")
            if not must_apply(meta, rows[0]["last"]):
                return ImportReport(meta.number, meta.kind, applied=False)
            report = await _apply(extract, meta, bulk)
            await bulk.run(
                "INSERT INTO cbe_extract (number, kind, snapshot_date, extracted_at, applied_at) "
                f"VALUES ({bulk.marks(5)})",
                [meta.number, meta.kind, meta.snapshot, meta.extracted_at, now],
            )
            await bulk.close()  # a refused extract's staging tables go with its rolled-back transaction
            return report
    finally:
        extract.close()


async def _apply(extract: Extract, meta: ExtractMeta, bulk: Bulk) -> ImportReport:
    full = meta.kind == FULL
    suffix = "" if full else "_insert"
    await _legal_forms(extract, bulk)
    enterprises = await bulk.stage(
        "cbe_enterprise", ("number", "situation", "form", "start"), extract.enterprises(f"enterprise{suffix}.csv")
    )
    establishments = await bulk.stage(
        "cbe_establishment", ("number", "enterprise", "start"), extract.establishments(f"establishment{suffix}.csv")
    )
    await bulk.stage("cbe_name", ("number", "language", "name"), extract.names(f"denomination{suffix}.csv"))
    await _choose_names(bulk)
    await _name_keys(bulk)
    await bulk.stage("cbe_plate", ("number", "plate"), extract.plates(f"address{suffix}.csv"))
    await bulk.derive(
        "cbe_plates", f"SELECT number, SUBSTR(MAX(plate), 1, {ADDRESS_LENGTH}) AS plate FROM cbe_plate GROUP BY number"
    )
    ended = bulk.day(meta.snapshot - dt.timedelta(days=1))
    if full:  # the enterprises listed first, then those it no longer lists stop
        await bulk.run("DELETE FROM establishment")
        await _enterprises(bulk, meta)
        stopped = await bulk.run(
            f"UPDATE enterprise SET active_until = {ended} WHERE active_until IS NULL AND cbe_extract < {meta.number}"
        )
    else:  # deletes before inserts (§3): deleted and not inserted again, an enterprise stops
        await bulk.stage(
            "cbe_enterprise_delete", ("number",), extract.keys("enterprise_delete.csv", "EnterpriseNumber")
        )
        await bulk.stage(
            "cbe_establishment_delete", ("number",), extract.keys("establishment_delete.csv", "EstablishmentNumber")
        )
        await bulk.run(
            "DELETE FROM establishment WHERE establishment_number IN (SELECT number FROM cbe_establishment_delete)"
        )
        stopped = await bulk.run(
            f"UPDATE enterprise SET active_until = {ended} WHERE active_until IS NULL "
            "AND enterprise_number IN (SELECT number FROM cbe_enterprise_delete) "
            "AND enterprise_number NOT IN (SELECT number FROM cbe_enterprise)"
        )
        await _enterprises(bulk, meta)
    await bulk.run(
        "INSERT INTO establishment (establishment_number, enterprise_number, start_date) "
        f"SELECT number, MAX(enterprise), MAX({bulk.as_day('start')}) FROM cbe_establishment GROUP BY number "
        "ON CONFLICT (establishment_number) DO UPDATE SET enterprise_number = excluded.enterprise_number, "
        "start_date = excluded.start_date"
    )
    # Names and seats given without their enterprise's row (an update that renames or moves it only).
    # NOT IN, not a correlated NOT EXISTS: both databases hash the subquery once (SQLite would scan it per row).
    unlisted = "{0}.number NOT IN (SELECT number FROM cbe_enterprise)"
    await bulk.run(
        "UPDATE enterprise SET name_fr = n.fr, name_nl = n.nl, name_de = n.de, name = n.name, name_key = n.name_key "
        "FROM cbe_names AS n "
        f"WHERE enterprise.enterprise_number = n.number AND {unlisted.format('n')}"
    )
    await bulk.run(
        "UPDATE enterprise SET address = p.plate FROM cbe_plates AS p "
        f"WHERE enterprise.enterprise_number = p.number AND {unlisted.format('p')}"
    )
    return ImportReport(meta.number, meta.kind, True, enterprises, stopped, establishments)


async def _choose_names(bulk: Bulk) -> None:
    """Every enterprise name the import writes comes from here (`cbe_names`: number, fr, nl, de, name): the
    staged names (type 001) of each enterprise, one per language; `name`, the one shown and printed, is the
    French one, else the Dutch, the German, then one in another language (a natural person's has none, §2)."""
    await bulk.derive(
        "cbe_names",
        "SELECT number, fr, nl, de, "
        f"SUBSTR(COALESCE(fr, nl, de, other), 1, {NAME_LENGTH}) AS name FROM (SELECT number, "
        "MAX(CASE WHEN language = '1' THEN name END) AS fr, "
        "MAX(CASE WHEN language = '2' THEN name END) AS nl, "
        "MAX(CASE WHEN language = '3' THEN name END) AS de, "
        "MAX(CASE WHEN language NOT IN ('1', '2', '3') THEN name END) AS other "
        "FROM cbe_name GROUP BY number) AS p",
    )


async def _name_keys(bulk: Bulk) -> None:
    """Each chosen name's sort key (models.sort_keys: case and accents ignored, R-SRCH-8), computed in Python,
    where both databases agree on what an accent is, a batch of names at a time (flat memory)."""
    await bulk.run("ALTER TABLE cbe_names ADD COLUMN name_key text")
    await bulk.run("CREATE INDEX cbe_names_number ON cbe_names (number)")
    first, second = bulk.marks(2).split(", ")
    after = ""
    while True:
        _, rows = await bulk.client.execute_query(
            f"SELECT number, name FROM cbe_names WHERE number > {first} ORDER BY number LIMIT {KEY_BATCH}", [after]
        )
        if not rows:
            return
        await bulk.many(
            f"UPDATE cbe_names SET name_key = {first} WHERE number = {second}",
            ((sort_key(row["name"] or ""), row["number"]) for row in rows),
        )
        after = rows[-1]["number"]


async def _legal_forms(extract: Extract, bulk: Bulk) -> None:
    """The code table is always whole (§1): its legal forms are upserted with their three descriptions."""
    forms = extract.legal_forms()
    await bulk.many(
        f"INSERT INTO legal_form (code, name, name_fr, name_nl, name_de) VALUES ({bulk.marks(5)}) "
        "ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, name_nl = excluded.name_nl, "
        "name_de = excluded.name_de",
        (
            (
                code,
                (names.get("fr") or names.get("nl") or names.get("de") or code)[:NAME_LENGTH],
                names.get("fr"),
                names.get("nl"),
                names.get("de"),
            )
            for code, names in sorted(forms.items())
        ),
    )


async def _enterprises(bulk: Bulk, meta: ExtractMeta) -> None:
    """Upsert the staged enterprises with their names and seat in one statement (each row written once). An
    enterprise the extract gives no name or seat keeps the ones it has; the reference data's columns (NSSO and
    SSA numbers, kinds, user management) are left as they are."""
    keep = "{0} = CASE WHEN excluded.{1} = '' THEN enterprise.{0} ELSE excluded.{0} END"
    await bulk.run(
        "INSERT INTO enterprise (enterprise_number, name, name_key, name_fr, name_nl, name_de, address, legal_form_id, "
        "is_service_provider, is_social_secretariat, active_from, active_until, known_in_cbe, "
        "known_in_user_management, juridical_situation, cbe_extract) "
        "SELECT s.number, COALESCE(n.name, ''), COALESCE(n.name_key, ''), n.fr, n.nl, n.de, COALESCE(p.plate, ''), "
        "f.code, FALSE, FALSE, "
        f"COALESCE({bulk.as_day('s.start')}, {bulk.day(meta.snapshot)}), NULL, TRUE, TRUE, s.situation, {meta.number} "
        "FROM cbe_enterprise AS s LEFT JOIN legal_form AS f ON f.code = s.form "
        "LEFT JOIN cbe_names AS n ON n.number = s.number LEFT JOIN cbe_plates AS p ON p.number = s.number WHERE TRUE "
        "ON CONFLICT (enterprise_number) DO UPDATE SET legal_form_id = excluded.legal_form_id, "
        "active_from = excluded.active_from, active_until = NULL, known_in_cbe = TRUE, "
        "juridical_situation = excluded.juridical_situation, cbe_extract = excluded.cbe_extract, "
        + ", ".join(keep.format(column, "name") for column in ("name", "name_key", "name_fr", "name_nl", "name_de"))
        + ", "
        + keep.format("address", "address")
    )
