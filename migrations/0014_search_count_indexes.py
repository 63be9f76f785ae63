"""The search's bounded counts and group criterion read indexes only (issue 11, R-SRCH-5).

Mandates: per side, (party, status) becomes (party, status, id, end_quarter, finalise_before): a status filter
(resolvers.statuses reads the status, the end quarter and the finalisation limit) and the count's ids come from
the index alone, in id order within a status, so PostgreSQL can merge them with the groups below. The
dashboard's (party, status) reads keep their prefix.

Groups: (group_code, start_quarter, end_quarter, mandate_id), which no statement reads since the group
criterion became an EXISTS per mandate, becomes (group_code, mandate_id, start_quarter, end_quarter): the
EXISTS probe for one mandate and group and its period check read this index alone, and for a party with
many mandates PostgreSQL merges a group's rows, in mandate order, with the party's (the busiest mandatary's
filtered count at 1M mandates: 11.5 ms of PostgreSQL CPU before, 3.3 after).

The server does not run while `mandates migrate` does, so the indexes are built in the migration's transaction
(a few seconds each at 1M mandates, within PostgreSQL's default maintenance_work_mem). PostgreSQL plans from
its columns' statistics, which a new index does not change; SQLite from each index's own (sqlite_stat1): in a
database analysed before, a new index without them looks as selective as an index can be, and a busy party's
page sorted its whole range instead of walking its creation order (470 ms instead of 0.6 at 1M mandates), so
both tables are analysed again there.
"""

from tortoise import migrations
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


async def analyse_if_analysed(_apps, schema_editor) -> None:
    """SQLite: the new indexes' statistics, if the database keeps statistics (PostgreSQL needs none)."""
    client: BaseDBAsyncClient = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        _, rows = await client.execute_query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if rows:
            await client.execute_script("ANALYZE mandate; ANALYZE mandate_group")


class Migration(migrations.Migration):
    dependencies = [("models", "0013_delegation_indexes")]

    initial = False

    operations = [
        ops.RemoveIndex(model_name="Mandate", fields=["principal_id", "status"]),
        ops.RemoveIndex(model_name="Mandate", fields=["mandatary_id", "status"]),
        ops.AddIndex(
            model_name="Mandate", index=Index(fields=["principal_id", "status", "id", "end_quarter", "finalise_before"])
        ),
        ops.AddIndex(
            model_name="Mandate", index=Index(fields=["mandatary_id", "status", "id", "end_quarter", "finalise_before"])
        ),
        ops.RemoveIndex(model_name="MandateGroup", fields=["group_code", "start_quarter", "end_quarter", "mandate_id"]),
        ops.AddIndex(
            model_name="MandateGroup", index=Index(fields=["group_code", "mandate_id", "start_quarter", "end_quarter"])
        ),
        ops.RunPython(analyse_if_analysed),
    ]
