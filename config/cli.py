"""The `mandates` command: serve, token, load-reference, demo, sweep, export-schema.

Every command that touches the database creates its tables when missing (API.md, Operating).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from config.settings import ROOT, Settings
from resolvers.ids import use_secret


def _with_database(settings: Settings, work):
    from config.database import close_database, open_database

    async def run():
        await open_database(settings.database_url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def cmd_serve(args, settings: Settings) -> int:
    import uvicorn

    from config.asgi import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_token(args, settings: Settings) -> int:
    from config.tokens import mint

    print(mint(settings, args.niss, args.scope, enterprise=args.enterprise, name=args.name, minutes=args.minutes))
    return 0


def cmd_load_reference(args, settings: Settings) -> int:
    from models.errors import RuleViolation
    from resolvers.reference_data import load_reference

    text = Path(args.file).read_text(encoding="utf-8")
    try:
        report = _with_database(settings, lambda: load_reference(text))
    except RuleViolation as violation:
        print(f"{args.file}: refused, nothing loaded: {violation.message}", file=sys.stderr)
        return 1
    print(f"loaded {report.legal_forms} legal forms, {report.function_codes} function codes, {report.enterprises} enterprises")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from config.demo import load_demo

    print(_with_database(settings, lambda: load_demo(settings)))
    return 0


def cmd_sweep(args, settings: Settings) -> int:
    from config.clock import Clock
    from resolvers.sweep import sweep

    report = _with_database(settings, lambda: sweep(Clock(settings.clock)))
    print(f"sweep: {report.warned} warned, {report.cancelled} cancelled, {report.closed} closed")
    return 0


def cmd_export_schema(args, settings: Settings) -> int:
    from schema.app import schema

    text = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="mandates", description="The mandate registry for Belgian social security.")
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API, GraphiQL and the console")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
    token = commands.add_parser("token", help="print a bearer token signed with MANDATES_JWT_SECRET")
    token.add_argument("--niss", required=True)
    token.add_argument("--enterprise", help="the enterprise number the person acts for (none for an NSSO officer)")
    token.add_argument("--scope", required=True, help='e.g. "mandates:manage"')
    token.add_argument("--name")
    token.add_argument("--minutes", type=int)
    token.set_defaults(run=cmd_token)
    load = commands.add_parser("load-reference", help="load enterprises, legal forms, function codes and the matrix")
    load.add_argument("file")
    load.set_defaults(run=cmd_load_reference)
    demo = commands.add_parser("demo", help="load the demo reference data and demo mandates (once)")
    demo.set_defaults(run=cmd_demo)
    sweep = commands.add_parser("sweep", help="cancel mandates not finalised in 60 days, close ended ones")
    sweep.set_defaults(run=cmd_sweep)
    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL)")
    export.add_argument("output", nargs="?", default=str(ROOT / "schema.graphql"))
    export.set_defaults(run=cmd_export_schema)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except (RuntimeError, ValueError) as error:
        print(f"mandates: {error}", file=sys.stderr)
        return 2
    use_secret(settings.id_secret)
    return args.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
