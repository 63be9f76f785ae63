"""Search pages that walk an index (scale item 2) and alphabetical sorting (R-SRCH-8).

enterprise.name_key: the name as it sorts (models.sort_keys), filled here for the enterprises already
there. On PostgreSQL the column takes the "C" collation, so that it compares code point by code point
like SQLite's BINARY, whatever the server's locale: both databases sort names alike. It is set before
the index on (name_key, id) is made, which then follows it.

Mandates: per side (principal, mandatary), indexes in creation order, in reference order (series,
number) and by the other party, each ending on the id (the keyset pages' last key, resolvers.mandate_pages).
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.sort_keys import sort_key


async def fill_name_keys(_apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    if postgres:
        await client.execute_script('ALTER TABLE enterprise ALTER COLUMN name_key TYPE VARCHAR(200) COLLATE "C"')
    _, rows = await client.execute_query("SELECT id, name FROM enterprise")
    update = "UPDATE enterprise SET name_key = {} WHERE id = {}".format(*(("$1", "$2") if postgres else ("?", "?")))
    values = [[sort_key(row["name"]), row["id"]] for row in rows]
    if values:
        await client.execute_many(update, values)


class Migration(migrations.Migration):
    dependencies = [("models", "0002_history_chain")]

    initial = False

    operations = [
        ops.AddField(model_name="Enterprise", name="name_key", field=fields.CharField(default="", max_length=200)),
        ops.RunPython(fill_name_keys),
        ops.AddIndex(model_name="Enterprise", index=Index(fields=["name_key", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "created_at", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "created_at", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "series", "number", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "series", "number", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["principal_id", "mandatary_id", "id"])),
        ops.AddIndex(model_name="Mandate", index=Index(fields=["mandatary_id", "principal_id", "id"])),
    ]
