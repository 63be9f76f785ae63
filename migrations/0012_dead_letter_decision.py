"""Dead letters (issue 14): delivery's state gains HANDLED, and dead_letter_decision keeps each officer's
decision on a dead letter (a new round of tries, or handled another way with a reason)."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.delivery import DeliveryDecision, DeliveryState


class Migration(migrations.Migration):
    dependencies = [("models", "0011_nsso_number_assignment")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DeadLetterDecision",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "delivery",
                    fields.ForeignKeyField(
                        "models.Delivery",
                        source_field="delivery_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="decisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "decision",
                    fields.CharEnumField(
                        description="RETRY: RETRY\nHANDLED: HANDLED", enum_type=DeliveryDecision, max_length=10
                    ),
                ),
                ("officer_niss", fields.CharField(max_length=11)),
                ("decided_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("reason", fields.TextField(null=True, unique=False)),
                ("attempts", fields.IntField()),
                ("last_error", fields.CharField(null=True, max_length=300)),
            ],
            options={
                "table": "dead_letter_decision",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An officer's decision on a dead letter, its audit.",
            },
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="Delivery",
            name="state",
            field=fields.CharEnumField(
                description="PENDING: PENDING\nSENT: SENT\nDEAD: DEAD\nHANDLED: HANDLED",
                enum_type=DeliveryState,
                max_length=10,
            ),
        ),
    ]
