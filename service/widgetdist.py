"""`make widget-dist`: the chat widget as a versioned bundle for a web editor to take.

    dist/widget/<version>/chat-widget.js     the script; its stylesheet's hash built in
    dist/widget/<version>/chat-widget.css    the stylesheet
    dist/widget/<version>/integrity.txt      SRI hashes (sha384) and sizes of both files
    dist/widget/<version>/snippet.html       the script tag to copy, with `integrity`

The version is the script's own (`VERSION` in widget/chat-widget.js), so a new version is a
new folder and the files of one folder never change: they can be cached for a year. The
script loads its stylesheet itself; in the bundle it carries that stylesheet's SRI hash
(`STYLESHEET_INTEGRITY`), so the one `integrity` of the script tag covers both files.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDGET_DIR = ROOT / "widget"
DIST_DIR = ROOT / "dist" / "widget"
FILES = ("chat-widget.js", "chat-widget.css")
_HASH_SLOT = 'var STYLESHEET_INTEGRITY = "";'


@dataclass(frozen=True)
class Size:
    name: str
    bytes: int
    gzipped: int


def version(script: str) -> str:
    found = re.search(r'var VERSION = "(\d+\.\d+\.\d+)";', script)
    if not found:
        raise ValueError('chat-widget.js: no VERSION = "x.y.z"')
    return found.group(1)


def integrity(data: bytes) -> str:
    """Subresource Integrity value: sha384, base64."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def size(name: str, data: bytes) -> Size:
    return Size(name, len(data), len(gzip.compress(data, 9, mtime=0)))


def sizes(folder: Path = WIDGET_DIR) -> list[Size]:
    """Sizes of the widget's two files as they are in `folder` (bytes, gzip -9)."""
    return [size(name, (folder / name).read_bytes()) for name in FILES]


def snippet(base_url: str, server_url: str, script_integrity: str) -> str:
    attrs = {
        "src": f"{base_url.rstrip('/')}/chat-widget.js",
        "integrity": script_integrity,
        "crossorigin": "anonymous",
        "data-server-url": server_url,
        "data-lang": "de",
        "data-title": "Digitale Modellregionen NRW – Assistent",
    }
    lines = [f'{name}="{html.escape(value)}"' for name, value in attrs.items()]
    return "<script defer\n        " + "\n        ".join(lines) + "></script>\n"


def build(out: Path = DIST_DIR, base_url: str = "", server_url: str = "") -> Path:
    """Write the bundle of the current widget into out/<version>/ and return that folder."""
    script = (WIDGET_DIR / "chat-widget.js").read_text(encoding="utf-8")
    css = (WIDGET_DIR / "chat-widget.css").read_bytes()
    if script.count(_HASH_SLOT) != 1:
        raise ValueError(f"chat-widget.js: expected one {_HASH_SLOT!r}")
    bundled = script.replace(_HASH_SLOT, f'var STYLESHEET_INTEGRITY = "{integrity(css)}";')
    folder = out / version(script)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"chat-widget.js": bundled.encode(), "chat-widget.css": css}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "integrity.txt").write_text(
        "".join(
            f"{integrity(data)}  {name}  {size(name, data).bytes} bytes, "
            f"{size(name, data).gzipped} gzipped\n"
            for name, data in files.items()
        ),
        encoding="utf-8",
    )
    base = base_url or f"https://www.example-stadt.de/assets/chat-widget/{folder.name}"
    server = server_url or "https://bot.example-stadt.de"
    (folder / "snippet.html").write_text(
        snippet(base, server, integrity(files["chat-widget.js"])), encoding="utf-8"
    )
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service.widgetdist", description=__doc__)
    parser.add_argument("--out", type=Path, default=DIST_DIR)
    parser.add_argument("--base-url", default="", help="where the site serves the folder")
    parser.add_argument("--server-url", default="", help="the Rasa server's public address")
    args = parser.parse_args(argv)
    folder = build(args.out, args.base_url, args.server_url)
    print(f"Built {folder}:")
    for line in (folder / "integrity.txt").read_text(encoding="utf-8").splitlines():
        print("  " + line)
    print(f"Snippet ({folder / 'snippet.html'}):\n")
    print((folder / "snippet.html").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
