"""Delegations by main mandate and by delegate (issue 11): competence reads a principal's delegations
through its mandates and checks a delegate's (R-COMP-6, R-COMP-7); both scanned the whole table."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0012_dead_letter_decision")]

    initial = False

    operations = [
        ops.AddIndex(model_name="Delegation", index=Index(fields=["mandate_id", "id"])),
        ops.AddIndex(model_name="Delegation", index=Index(fields=["delegate_id", "mandate_id"])),
    ]
