"""Exit 0 when the PostgreSQL server of the URL answers within 3 seconds (used by tests/run.sh)."""

import asyncio
import sys

import asyncpg


async def main(url: str) -> int:
    try:
        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return 1
    await connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
