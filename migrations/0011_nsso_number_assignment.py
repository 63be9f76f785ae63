"""The enterprise file's history (issue 14): nsso_number_assignment keeps who assigned an NSSO number and when
(R-WIDE-6); the numbers assigned before it have no row."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0010_late_closure_assessment")]

    initial = False

    operations = [
        ops.CreateModel(
            name="NssoNumberAssignment",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="nsso_number_assignments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("nsso_number", fields.CharField(max_length=20)),
                ("assigned_by_niss", fields.CharField(max_length=11)),
                ("assigned_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "nsso_number_assignment",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "An NSSO employer number an officer assigned, kept for the enterprise's history (R-WIDE-6, "
                    "R-EMP-3)."
                ),
            },
            bases=["Model"],
        ),
    ]
