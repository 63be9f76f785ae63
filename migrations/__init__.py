"""The schema's migrations (Tortoise ORM's built-in migrations): `mandates migrate` applies them."""
