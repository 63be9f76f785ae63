"""The language an enterprise reads (en, fr, nl, de): enterprise.language, null when the reference data
does not say; its authorisation PDFs and notifications are written in it (config/messages.py)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0008_eid_revocation")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Enterprise",
            name="language",
            field=fields.CharField(null=True, max_length=2),
        ),
    ]
