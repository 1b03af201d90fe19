"""`make widget-dist` (service.widgetdist): the versioned bundle, its SRI hashes and snippet, and
the sizes the README and docs/widget.md state for it."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from service import widgetdist

ROOT = Path(__file__).resolve().parents[2]


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return widgetdist.build(
        tmp_path_factory.mktemp("dist"), "https://www.stadt.de/chat/", "https://bot.stadt.de"
    )


def test_the_bundle_is_a_folder_of_the_scripts_version(bundle: Path) -> None:
    script = (ROOT / "widget" / "chat-widget.js").read_text(encoding="utf-8")
    assert bundle.name == re.search(r'VERSION = "([\d.]+)"', script).group(1)
    names = sorted(p.name for p in bundle.iterdir())
    assert names == ["chat-widget.css", "chat-widget.js", "integrity.txt", "snippet.html"]
    css = (ROOT / "widget" / "chat-widget.css").read_bytes()
    assert (bundle / "chat-widget.css").read_bytes() == css


def test_hashes_cover_script_and_stylesheet(bundle: Path) -> None:
    js = (bundle / "chat-widget.js").read_bytes()
    css = (bundle / "chat-widget.css").read_bytes()
    # the script carries its stylesheet's hash, and only that differs from the source
    assert f'var STYLESHEET_INTEGRITY = "{sri(css)}";'.encode() in js
    source = (ROOT / "widget" / "chat-widget.js").read_bytes()
    assert js.replace(sri(css).encode(), b"") == source
    listed = (bundle / "integrity.txt").read_text(encoding="utf-8").splitlines()
    assert listed[0].startswith(f"{sri(js)}  chat-widget.js  {len(js)} bytes")
    assert listed[1].startswith(f"{sri(css)}  chat-widget.css  {len(css)} bytes")
    snippet = (bundle / "snippet.html").read_text(encoding="utf-8")
    assert 'src="https://www.stadt.de/chat/chat-widget.js"' in snippet
    assert f'integrity="{sri(js)}"' in snippet and 'crossorigin="anonymous"' in snippet
    assert 'data-server-url="https://bot.stadt.de"' in snippet


def test_the_documented_sizes_are_the_bundles(bundle: Path) -> None:
    js, css = (widgetdist.size(n, (bundle / n).read_bytes()) for n in widgetdist.FILES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"widget script \+ stylesheet \| ([\d,]+) \+ ([\d,]+) bytes \(([\d,]+)", readme
    )
    assert found, "README: row 'widget script + stylesheet | N + N bytes (N gzipped)' missing"
    figures = [int(g.replace(",", "")) for g in found.groups()]
    assert figures == [js.bytes, css.bytes, js.gzipped + css.gzipped], "README: `make widget-dist`"
    docs = (ROOT / "docs" / "widget.md").read_text(encoding="utf-8")
    for file in (js, css):
        row = re.search(rf"`{file.name}` \|[^\n]*?([\d ]+) Byte \(gzip: ([\d ]+)\)", docs)
        assert row, f"docs/widget.md: no size row for {file.name}"
        documented = [int(g.replace(" ", "")) for g in row.groups()]
        assert documented == [file.bytes, file.gzipped], f"docs/widget.md: {file.name}"
