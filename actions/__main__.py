"""`python -m actions`: load the retrieval index once, then serve the actions on ACTIONS_PORT.

Fails fast (exit code 2, one clear line) when the index is missing or does not match
`knowledge/`, instead of failing on the first user question. The rasa_sdk server exposes
`GET /health` and `POST /webhook`.
"""

from __future__ import annotations

import logging
import os
import sys


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from actions import deps

    try:
        deps.warm_up()
    except deps.IndexMissing as exc:
        print(f"actions: {exc}", file=sys.stderr)
        return 2

    from rasa_sdk import endpoint

    port = int(os.environ.get("ACTIONS_PORT", "5055"))
    # No CORS: only the Rasa server calls the action server, never a browser.
    endpoint.run("actions", port=port, cors_origins=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
