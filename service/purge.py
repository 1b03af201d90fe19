"""`make purge`: delete conversations older than the retention period from the tracker store.

Rasa 3.6 has no delete API, so the project deletes itself. A conversation is deleted as a
whole once its last event is older than `--days` (default RETENTION_DAYS, else 30 days).

    python -m service.purge [--days N] [--url SQL_URL]

The tracker store is `--url`, else TRACKER_STORE_URL, else run/tracker-<RASA_PORT>.db (the
file `make run` uses). Run it daily, e.g. from cron or a systemd timer.
"""

from __future__ import annotations

import argparse
import os
import sys

import sqlalchemy as sa

from service import trackerdb
from service.stores import StoreUrlError

DEFAULT_DAYS = 30.0


def default_days() -> float:
    return float(os.environ.get("RETENTION_DAYS") or DEFAULT_DAYS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.purge", description=__doc__)
    parser.add_argument("--days", type=float, default=default_days())
    parser.add_argument("--url", default=None, help="SQL URL of the tracker store")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must not be negative")
    try:
        conversations, events = trackerdb.purge(trackerdb.engine(args.url), args.days)
    except (StoreUrlError, trackerdb.NoTrackerStore, sa.exc.SQLAlchemyError) as exc:
        print(f"purge: {exc}", file=sys.stderr)
        return 1
    print(
        f"Deleted {conversations} conversations ({events} events) "
        f"whose last message is older than {args.days:g} days."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
