"""Settings, the ASGI app, the database, reference data and the `mandates` command line."""
