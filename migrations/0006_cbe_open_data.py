"""The CBE's open data (issue 12, item 1): the extracts applied, establishment units, the enterprises' names
in three languages, juridical situation and last extract, and the legal forms' descriptions in three languages."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0003_search_indexes")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CbeExtract",
            fields=[
                ("number", fields.IntField(generated=False, primary_key=True, unique=True, db_index=True)),
                ("kind", fields.CharField(max_length=6)),
                ("snapshot_date", fields.DateField()),
                ("extracted_at", fields.CharField(max_length=40)),
                ("applied_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "cbe_extract",
                "app": "models",
                "pk_attr": "number",
                "table_description": (
                    "A CBE open-data extract applied (resolvers/cbe_import.py): "
                    "the next update must follow the last one."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Establishment",
            fields=[
                ("establishment_number", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=10)),
                ("enterprise_number", fields.CharField(db_index=True, max_length=10)),
                ("start_date", fields.DateField(null=True)),
            ],
            options={
                "table": "establishment",
                "app": "models",
                "pk_attr": "establishment_number",
                "table_description": (
                    "An establishment unit of an enterprise, from the CBE's open data (resolvers/cbe_import.py)."
                ),
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Enterprise",
            name="cbe_extract",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="Enterprise",
            name="juridical_situation",
            field=fields.CharField(null=True, max_length=3),
        ),
        ops.AddField(
            model_name="Enterprise",
            name="name_de",
            field=fields.CharField(null=True, max_length=320),
        ),
        ops.AddField(
            model_name="Enterprise",
            name="name_fr",
            field=fields.CharField(null=True, max_length=320),
        ),
        ops.AddField(
            model_name="Enterprise",
            name="name_nl",
            field=fields.CharField(null=True, max_length=320),
        ),
        ops.AddField(
            model_name="LegalForm",
            name="name_de",
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddField(
            model_name="LegalForm",
            name="name_fr",
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddField(
            model_name="LegalForm",
            name="name_nl",
            field=fields.CharField(null=True, max_length=300),
        ),
    ]
