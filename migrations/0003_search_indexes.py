"""Search pages that walk an index (scale item 2) and alphabetical sorting (R-SRCH-8).

enterprise.name_key: the name as it sorts (models.sort_keys), filled here for the enterprises already
there. On PostgreSQL the column takes the "C" collation, so that it compares code point by code point
like SQLite's BINARY, whatever the server's locale: both databases sort names alike; the index on
(name_key, id) follows it.

Mandates: per side (principal, mandatary), indexes in creation order, in reference order (series,
number) and by the other party, each ending on the id (the keyset pages' last key, resolvers.mandate_pages).
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.sort_keys import sort_key

KEYS_BATCH = 10_000  # enterprises whose keys are computed per round trip (PostgreSQL)


class AddNameKey(ops.AddField):
    """enterprise.name_key as the model has it, added with a database default ('') so that SQLite takes a
    NOT NULL column on a table with rows (Tortoise writes none, and rebuilding the table to change its
    nullability fails on the foreign keys that point to it); on PostgreSQL with the "C" collation."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        if not state_editor:
            return
        client = state_editor.client
        collation = ' COLLATE "C"' if client.capabilities.dialect == "postgres" else ""
        await client.execute_script(
            f"ALTER TABLE enterprise ADD COLUMN name_key VARCHAR(200){collation} NOT NULL DEFAULT ''"
        )


async def fill_name_keys(_apps, schema_editor) -> None:
    """Each enterprise's key, computed by models.sort_keys (Python's Unicode tables, the same on both databases).

    SQLite: the function registered on the connection, one statement (one transaction, whatever the number of
    rows). PostgreSQL: KEYS_BATCH rows a round trip, in the order of their ids, so memory stays flat."""
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        await client._connection.create_function("mandates_sort_key", 1, sort_key, deterministic=True)
        await client.execute_script("UPDATE enterprise SET name_key = mandates_sort_key(name)")
        return
    after = 0
    while True:
        _, rows = await client.execute_query(
            f"SELECT id, name FROM enterprise WHERE id > $1 ORDER BY id LIMIT {KEYS_BATCH}", [after]
        )
        if not rows:
            return
        await client.execute_many(
            "UPDATE enterprise SET name_key = $1 WHERE id = $2", [[sort_key(row["name"]), row["id"]] for row in rows]
        )
        after = rows[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [("models", "0002_history_chain")]

    initial = False

    operations = [
        AddNameKey(model_name="Enterprise", name="name_key", field=fields.CharField(default="", max_length=200)),
        ops.RunPython(fill_name_keys),
        ops.AddIndex(model_name="Enterprise", index=Index(fields=["name_key", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "created_at", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "created_at", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "series", "number", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "series", "number", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "mandatary_id", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "principal_id", "id"])),
    ]
