"""eID revocation (issue 12, item 5): authorisation gains `revocation`, what the revocation check of an accepted
eID upload's signer certificates found (models.authorisation.Revocation); null on the rows already there."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0007_delivery")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Authorisation",
            name="revocation",
            field=fields.CharField(null=True, max_length=12),
        ),
    ]
