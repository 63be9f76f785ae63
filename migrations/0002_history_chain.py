"""Hash-chained history (hardening 10): mandate_event gains previous_hash and chain_hash.

The events already there (an upgraded database) get their chain computed here, mandate by mandate in
the order they were written (id), so every event is covered from the upgrade on; an edit made before
the upgrade cannot be told apart. UNIQUE (mandate_id, previous_hash): one successor per event.

The index on (mandate_id, at) is dropped and made again around the two AlterField: Tortoise 1.1.9
rebuilds a SQLite table to change a column's nullability and leaves its indexes behind.
"""

import datetime as dt

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from models.history_chain import EventFacts, chain


def _instant(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


async def chain_existing_events(_apps, schema_editor) -> None:
    client = schema_editor.client
    marks = ("$1", "$2", "$3") if client.capabilities.dialect == "postgres" else ("?", "?", "?")
    _, rows = await client.execute_query(
        "SELECT e.id, e.at, e.actor_niss, e.actor_enterprise, e.action, e.method, e.detail, m.reference"
        " FROM mandate_event e JOIN mandate m ON m.id = e.mandate_id ORDER BY e.mandate_id, e.id"
    )
    by_mandate: dict[str, list[EventFacts]] = {}
    for row in rows:
        facts = EventFacts(
            row["id"],
            _instant(row["at"]),
            row["actor_niss"],
            row["actor_enterprise"],
            row["action"],
            row["method"],
            row["detail"],
        )
        by_mandate.setdefault(row["reference"], []).append(facts)
    update = "UPDATE mandate_event SET previous_hash = {}, chain_hash = {} WHERE id = {}".format(*marks)
    values = [
        [previous, current, event.id]
        for reference, events in by_mandate.items()
        for event, (previous, current) in zip(events, chain(reference, events), strict=True)
    ]
    if values:
        await client.execute_many(update, values)


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="MandateEvent",
            options={
                "table": "mandate_event",
                "app": "models",
                "unique_together": (("mandate", "previous_hash"),),
                "indexes": [Index(fields=["mandate_id", "at"])],
                "pk_attr": "id",
                "table_description": (
                    "The history: every action on a mandate, who, when, how signed (R-LIFE-10), hash-chained per "
                    "mandate (hardening 10)."
                ),
            },
        ),
        ops.RemoveIndex(model_name="MandateEvent", fields=["mandate_id", "at"]),
        ops.AddField(model_name="MandateEvent", name="previous_hash", field=fields.CharField(max_length=64, null=True)),
        ops.AddField(model_name="MandateEvent", name="chain_hash", field=fields.CharField(max_length=64, null=True)),
        ops.RunPython(chain_existing_events),
        ops.AlterField(model_name="MandateEvent", name="previous_hash", field=fields.CharField(max_length=64)),
        ops.AlterField(model_name="MandateEvent", name="chain_hash", field=fields.CharField(max_length=64)),
        ops.AddIndex(model_name="MandateEvent", index=Index(fields=["mandate_id", "at"])),
        ops.AddConstraint(
            model_name="MandateEvent",
            constraint=UniqueConstraint(fields=("mandate", "previous_hash"), name=None),
        ),
    ]
