"""The outbox and the change feed (issue 12): feed_event, webhook and delivery; enterprise gains its e-mail address."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.delivery import DeliveryState


class Migration(migrations.Migration):
    dependencies = [("models", "0006_cbe_open_data")]

    initial = False

    operations = [
        ops.CreateModel(
            name="FeedEvent",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("event_id", fields.CharField(unique=True, max_length=36)),
                ("type", fields.CharField(max_length=100)),
                ("subject", fields.CharField(max_length=100)),
                ("time", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("data", fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads)),
                ("principal_id", fields.IntField()),
                ("mandatary_id", fields.IntField()),
                ("delegate_id", fields.IntField(null=True)),
            ],
            options={
                "table": "feed_event",
                "app": "models",
                "indexes": [
                    Index(fields=["principal_id", "id"]),
                    Index(fields=["mandatary_id", "id"]),
                    Index(fields=["delegate_id", "id"]),
                ],
                "pk_attr": "id",
                "table_description": "The change feed: one CloudEvents event per change to a mandate or a delegation.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Webhook",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("url", fields.CharField(max_length=500)),
                ("secret", fields.CharField(max_length=64)),
                ("owner_niss", fields.CharField(max_length=11)),
                ("owner_enterprise_id", fields.IntField(null=True)),
                ("sees_all", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("removed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "webhook",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An address registered to receive the change feed, signed with its secret.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Delivery",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("channel", fields.CharField(max_length=10)),
                ("idempotency_key", fields.CharField(unique=True, max_length=36)),
                (
                    "notification",
                    fields.ForeignKeyField(
                        "models.Notification",
                        source_field="notification_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "event",
                    fields.ForeignKeyField(
                        "models.FeedEvent",
                        source_field="event_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "webhook",
                    fields.ForeignKeyField(
                        "models.Webhook",
                        source_field="webhook_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "state",
                    fields.CharEnumField(
                        description="PENDING: PENDING\nSENT: SENT\nDEAD: DEAD", enum_type=DeliveryState, max_length=10
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_attempt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.CharField(null=True, max_length=300)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "delivery",
                "app": "models",
                "indexes": [Index(fields=["state", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "The outbox: one message to send, a notification or a feed event to a webhook.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Enterprise",
            name="email",
            field=fields.CharField(null=True, max_length=254),
        ),
    ]
