"""Print the PostgreSQL URL for the test suite's second run, after checking that the server answers.

URL: $CTIP_TEST_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/test.
Exit 0 when it answers; otherwise exit 3 with the reason on stderr (the Makefile fails when CI=true).
"""

from __future__ import annotations

import os
import sys

import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def main() -> int:
    url = os.environ.get("CTIP_TEST_POSTGRES_URL") or DEFAULT_URL
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        print(f"PostgreSQL does not answer at {url}: {str(error).strip()}", file=sys.stderr)
        return 3
    print(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
