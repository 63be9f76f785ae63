"""Late-closure assessment (issue 14): mandate gains `late_closure_since`, since when a late closure given with a
reason awaits the officer's assessment (R-CLO-5, R-CLO-6); null on the rows already there."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0009_enterprise_language")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Mandate",
            name="late_closure_since",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
