"""The `mandates` command: serve, token, migrate, load-reference, import-cbe, demo, sweep, deliver, print-letters,
verify-history, export-schema, export-console-schema, export-console-strings, config.

Only `migrate` (and `demo`, a development command that migrates first) changes the tables; every other
command that touches the database refuses one with pending migrations, naming them (README, Upgrading).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import sys
from pathlib import Path
from typing import cast

from config.catalogue import load_catalogue
from config.logging import configure_logging, logging_config
from config.messages import DEFAULT_LANGUAGE, render
from config.settings import CHECKOUT, ROOT, Settings, SettingsError
from config.version import version
from resolvers.ids import use_secret
from resolvers.languages import use_default_language


def _with_database(settings: Settings, work, *, migrate: bool = False):
    """Run `work` on the open database: migrated first, or refused with pending migrations."""
    from config.database import close_database, open_database, open_migrated

    async def run():
        if migrate:
            await open_migrated(settings.database_url, busy_seconds=settings.database_busy_seconds)
        else:
            await open_database(settings.database_url, settings.database_busy_seconds, settings.database_pool)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


async def _nothing() -> None:
    return None


def cmd_serve(args, settings: Settings) -> int:
    """uvicorn with `--workers` processes, our JSON logs instead of its access log, the metrics of every
    worker in MANDATES_METRICS_DIR (emptied here, before prometheus_client is first imported: it reads
    PROMETHEUS_MULTIPROC_DIR then, and the workers inherit it), and one sweeper process (R-EXP-2)."""
    import functools

    import uvicorn

    _with_database(settings, _nothing)  # refuses pending migrations before the server starts
    shutil.rmtree(settings.metrics_dir, ignore_errors=True)
    settings.metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(settings.metrics_dir)
    from config.slow_clients import HeaderDeadlineProtocol
    from config.sweeper import Sweeper

    background = settings.sweep_interval_seconds > 0 or settings.delivery_interval_seconds > 0
    sweeper = Sweeper(settings) if background else None
    if sweeper:
        sweeper.start()
    try:
        uvicorn.run(
            "config.asgi:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=logging_config(),
            access_log=False,
            # uvicorn calls `http` as a protocol factory; its annotation names a class, hence the cast.
            http=cast(
                "type[asyncio.Protocol]",
                functools.partial(HeaderDeadlineProtocol, header_timeout=settings.header_timeout_seconds),
            ),
            timeout_keep_alive=settings.keep_alive_seconds,
            limit_concurrency=settings.limit_concurrency,
        )
    finally:
        if sweeper:
            sweeper.stop()
    return 0


def cmd_token(args, settings: Settings) -> int:
    from config.tokens import mint

    if args.minutes and args.minutes > settings.token_max_minutes:
        print(
            (
                f"mandates: --minutes {args.minutes} is above MANDATES_TOKEN_MAX_MINUTES "
                f"({settings.token_max_minutes}); the server would refuse the token."
            ),
            file=sys.stderr,
        )
        return 2
    print(mint(settings, args.niss, args.scope, enterprise=args.enterprise, name=args.name, minutes=args.minutes))
    return 0


def cmd_load_reference(args, settings: Settings) -> int:
    from models.errors import RuleViolation
    from resolvers.reference_data import load_reference

    text = Path(args.file).read_text(encoding="utf-8")
    try:
        report = _with_database(settings, lambda: load_reference(text))
    except RuleViolation as violation:
        print(f"{args.file}: refused, nothing loaded: {render(DEFAULT_LANGUAGE, violation)}", file=sys.stderr)
        return 1
    print(
        f"loaded {report.legal_forms} legal forms, {report.function_codes} function codes, {report.enterprises} "
        f"enterprises"
    )
    return 0


def cmd_import_cbe(args, settings: Settings) -> int:
    """A CBE open-data extract (README, The CBE import); a refused one changes nothing and exits 2."""
    from config.clock import Clock
    from models.cbe_extract import ExtractRefused
    from resolvers.cbe_import import import_cbe

    try:
        report = _with_database(settings, lambda: import_cbe(Path(args.path), Clock(settings.clock).now()))
    except ExtractRefused as refusal:
        print(f"{args.path}: refused, nothing imported: {refusal.message}", file=sys.stderr)
        return 2
    if not report.applied:
        print(f"{report.kind} extract {report.number} was applied before: nothing changed")
    else:
        print(
            f"applied {report.kind} extract {report.number}: {report.enterprises} enterprises, "
            f"{report.stopped} stopped, {report.establishments} establishment units"
        )
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from config.demo import load_demo

    print(_with_database(settings, lambda: load_demo(settings), migrate=True))
    return 0


def cmd_migrate(args, settings: Settings) -> int:
    from config.database import close_database, connect, migrate, pending_migrations, unmigrated_changes

    async def check() -> int:
        changes, pending = await unmigrated_changes(), await pending_migrations()
        for change in changes:
            print(f"model change without a migration: {change}", file=sys.stderr)
        for name in pending:
            print(f"pending migration: {name}", file=sys.stderr)
        if not (changes or pending):
            print("the tables and the migrations agree")
        return 1 if changes or pending else 0

    async def run() -> int:
        await connect(settings.database_url)
        try:
            if args.check:
                return await check()
            applied = await migrate(lambda name: print(f"applying {name}", flush=True))
            print(f"{len(applied)} migration(s) applied" if applied else "no pending migration")
            return 0
        finally:
            await close_database()

    return asyncio.run(run())


def cmd_verify_history(args, settings: Settings) -> int:
    from resolvers.history_chain import verify_history

    breaks = _with_database(settings, verify_history)
    for broken in breaks:
        print(f"history broken: mandate {broken.reference}, event {broken.event_id}: {broken.reason}", file=sys.stderr)
    if breaks:
        return 1
    print("every mandate's history chain is intact")
    return 0


def cmd_sweep(args, settings: Settings) -> int:
    """The same run as the server's, under the same lock (config.sweeper): for a timer with
    MANDATES_SWEEP_INTERVAL_SECONDS=0."""
    from config.clock import Clock
    from config.sweeper import sweep_once

    report = _with_database(
        settings,
        lambda: sweep_once(Clock(settings.clock), settings.database_url, load_catalogue(settings.catalogue_path)),
    )
    if report is None:
        print("sweep: skipped, another process is sweeping")
    else:
        print(f"sweep: {report.warned} warned, {report.cancelled} cancelled, {report.closed} closed")
    return 0


def cmd_deliver(args, settings: Settings) -> int:
    """Sends what the outbox holds due, once (the server's background process does it every
    MANDATES_DELIVERY_INTERVAL_SECONDS): for a timer, or with MANDATES_DELIVERY_INTERVAL_SECONDS=0."""
    from config.clock import Clock
    from config.delivery import Worker

    counts = _with_database(settings, Worker(settings, Clock(settings.clock)).run_logged)
    print(f"deliver: {counts['sent']} sent, {counts['retry']} to retry, {counts['dead']} dead letters")
    return 0


def cmd_print_letters(args, settings: Settings) -> int:
    """The letters by post due by the end of the day into one PDF in MANDATES_POST_DIR, for the print shop."""
    from config.clock import Clock
    from config.delivery import write_letters

    clock = Clock(settings.clock)
    day = args.day or clock.today()
    path = _with_database(settings, lambda: write_letters(settings, clock, day))
    print(f"print-letters: {path}" if path else "print-letters: no letter is due")
    return 0


def cmd_export_schema(args, settings: Settings) -> int:
    from schema.app import sdl

    return _export(sdl(), args.output)


def cmd_export_console_schema(args, settings: Settings) -> int:
    from config.console_schema import console_schema
    from schema.app import schema

    return _export(console_schema(schema._schema), args.output)


def cmd_export_console_strings(args, settings: Settings) -> int:
    from config.console_strings import console_strings

    return _export(console_strings(), args.output)


def _export(text: str, output: str) -> int:
    """An exported file's text written to `output`, or to the standard output for "-"."""
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
    return 0


def cmd_config(args, settings: Settings) -> int:
    for name, value in settings.effective():
        print(f"{name}={value}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="mandates", description="The mandate registry for Belgian social security.")
    root.add_argument("--version", action="version", version=f"mandates {version()}")
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API, GraphiQL and the console")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (the sweep still runs once)")
    serve.set_defaults(run=cmd_serve)
    token = commands.add_parser("token", help="print a bearer token signed with MANDATES_JWT_SECRET")
    token.add_argument("--niss", required=True)
    token.add_argument("--enterprise", help="the enterprise number the person acts for (none for an NSSO officer)")
    token.add_argument("--scope", required=True, help='e.g. "mandates:manage"')
    token.add_argument("--name")
    token.add_argument("--minutes", type=int)
    token.set_defaults(run=cmd_token)
    migrate = commands.add_parser("migrate", help="apply the pending migrations (adopting a v0.1.0 database)")
    migrate.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when a model change has no migration or one is pending",
    )
    migrate.set_defaults(run=cmd_migrate)
    load = commands.add_parser("load-reference", help="load enterprises, legal forms, function codes and the matrix")
    load.add_argument("file")
    load.set_defaults(run=cmd_load_reference)
    cbe = commands.add_parser("import-cbe", help="apply a CBE open-data extract, full or update (a zip or a folder)")
    cbe.add_argument("path")
    cbe.set_defaults(run=cmd_import_cbe)
    demo = commands.add_parser("demo", help="load the demo reference data and demo mandates (once)")
    demo.set_defaults(run=cmd_demo)
    sweep = commands.add_parser("sweep", help="cancel mandates not finalised in 60 days, close ended ones")
    sweep.set_defaults(run=cmd_sweep)
    deliver = commands.add_parser("deliver", help="send the notifications and webhook pushes that are due, once")
    deliver.set_defaults(run=cmd_deliver)
    letters = commands.add_parser("print-letters", help="write the day's letters by post as one PDF")
    letters.add_argument(
        "--day", type=dt.date.fromisoformat, help="YYYY-MM-DD: the letters due by the end of that day (default: today)"
    )
    letters.set_defaults(run=cmd_print_letters)
    verify = commands.add_parser(
        "verify-history", help="check every mandate's history chain; exit 1 naming the first broken event"
    )
    verify.set_defaults(run=cmd_verify_history)
    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL)")
    # An installed wheel writes to stdout by default: never into site-packages.
    export.add_argument("output", nargs="?", default=str(ROOT / "schema.graphql") if CHECKOUT else "-")
    export.set_defaults(run=cmd_export_schema)
    console = commands.add_parser(
        "export-console-schema", help="write console/js/schema.js, the console's knowledge of the schema"
    )
    console.add_argument("output", nargs="?", default=str(ROOT / "console" / "js" / "schema.js") if CHECKOUT else "-")
    console.set_defaults(run=cmd_export_console_schema)
    strings = commands.add_parser(
        "export-console-strings", help="write console/js/strings.js, the console's words from the catalogue"
    )
    strings.add_argument("output", nargs="?", default=str(ROOT / "console" / "js" / "strings.js") if CHECKOUT else "-")
    strings.set_defaults(run=cmd_export_console_strings)
    config = commands.add_parser("config", help="print the effective settings, secrets masked")
    config.set_defaults(run=cmd_config)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging()
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"mandates: {error}", file=sys.stderr)
        return 2
    use_secret(settings.id_secret)
    use_default_language(settings.default_language)
    from config.database import PendingMigrations, UnknownSchema

    try:
        return args.run(args, settings)
    except (PendingMigrations, UnknownSchema) as error:
        print(f"mandates: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
