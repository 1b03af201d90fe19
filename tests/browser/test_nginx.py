"""The reverse-proxy example, deploy/nginx/chat-assistant.conf, in front of the real system:
Debian's nginx with TLS (a self-signed certificate made here), the widget bundle of
`make widget-dist` with its copy-paste snippet (SRI), a conversation in Chromium over REST and
one over socket.io (long-polling), and the headers an operator needs (HSTS, CSP, nosniff)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from service import widgetdist
from service.stack import ROOT, Stack
from tests.browser.widgetpage import PHONE, Widget, axe_violations, screenshot
from tests.support import port_free, port_offset, require_free_ports, unavailable

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

EXAMPLE = ROOT / "deploy" / "nginx" / "chat-assistant.conf"
HTTPS_PORT = 6443 + port_offset()
HTTP_PORT = 6480 + port_offset()
SOCKET_IO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
CONTACT = "manfred.vom.sondern@gelsenkirchen.de"  # knowledge/regions/gelsenkirchen.yml

# A page script (CSP: script-src 'self') that holds a conversation over socket.io the way Rasa's
# web clients do: session_request, then user_uttered; the answers are written into the page.
SOCKET_IO_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>socket.io</title><link rel="icon" href="data:,"></head><body><main><h1>socket.io</h1>
<ol id="answers"></ol></main><script src="/chat-widget/socket.io.min.js"></script>
<script src="/chat-widget/socketio-page.js"></script></body></html>"""
SOCKET_IO_SCRIPT = """
const socket = io({ path: "/socket.io/", transports: ["polling"] });
// a random UUID, as the channel requires; the server's confirmed id is the one to use
socket.on("connect", () => socket.emit("session_request", { session_id: crypto.randomUUID() }));
socket.on("session_confirm", (session) => socket.emit("user_uttered",
    { message: "Wer ist Ansprechpartner für die Smartphone-Bürger-ID?", session_id: session }));
socket.on("bot_uttered", (m) => {
  const item = document.createElement("li");
  item.textContent = m.text || "";
  document.getElementById("answers").appendChild(item);
});
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if not found:
        unavailable("nginx not found: run `make install-nginx` (Debian's nginx)")
    return found


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid for a day (cryptography, pinned for Synapse)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, private


def site_config(rasa_port: int, widget_root: Path, cert: Path, key: Path, logs: Path) -> str:
    """The example with this machine's ports and folders; each replaced line must be there."""
    text = EXAMPLE.read_text(encoding="utf-8")
    replacements = {
        "server 127.0.0.1:5005;": f"server 127.0.0.1:{rasa_port};",
        "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/bot.example-stadt.de/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/bot.example-stadt.de/privkey.pem": str(key),
        "/srv/chat-widget": str(widget_root),
        "/var/log/nginx": str(logs),
    }
    for old, new in replacements.items():
        assert old in text, f"{EXAMPLE.name} no longer has {old!r}: update this test"
        text = text.replace(old, new)
    return text


def main_config(folder: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, in a private folder."""
    temp = {k: folder / k for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""
user root;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


@dataclass
class Proxy:
    url: str
    root: Path
    logs: Path


@pytest.fixture(scope="module")
def proxy(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    binary = nginx_binary()
    if not SOCKET_IO_CLIENT.is_file():
        unavailable(f"{SOCKET_IO_CLIENT} missing: run `make npm`")
    require_free_ports(HTTPS_PORT, HTTP_PORT, purpose="the nginx test")
    folder = tmp_path_factory.mktemp("nginx")
    root, logs = folder / "widget", folder / "logs"
    logs.mkdir()
    url = f"https://127.0.0.1:{HTTPS_PORT}"
    # the web editor's part: the bundle, and a page with the snippet it printed
    bundle = widgetdist.build(root)
    snippet = (bundle / "snippet.html").read_text(encoding="utf-8")
    snippet = snippet.replace(
        "https://www.example-stadt.de/assets/chat-widget/", f"{url}/chat-widget/"
    ).replace("https://bot.example-stadt.de", url)
    (root / "index.html").write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadt</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"></head><body><main><h1>Stadt Musterstadt</h1>'
        f"<p>Chat über nginx.</p></main>{snippet}</body></html>",
        encoding="utf-8",
    )
    (root / "socketio.html").write_text(SOCKET_IO_PAGE, encoding="utf-8")
    (root / "socketio-page.js").write_text(SOCKET_IO_SCRIPT, encoding="utf-8")
    shutil.copy(SOCKET_IO_CLIENT, root / "socket.io.min.js")

    cert, key = self_signed(folder)
    site = folder / "site.conf"
    site.write_text(site_config(stack.ports.rasa, root, cert, key, logs), encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site), encoding="utf-8")
    checked = subprocess.run(
        [binary, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while port_free(HTTPS_PORT):
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "nginx did not listen within 15 s"
        time.sleep(0.1)
    try:
        yield Proxy(url, root, logs)
    finally:
        process.terminate()
        process.wait(timeout=15)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the test looks at the redirect itself


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET `url` without following redirects: status, headers, body."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _NoRedirect()
    )
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_headers_paths_and_redirect(proxy: Proxy) -> None:
    status, headers, _ = fetch(proxy.url + "/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; connect-src 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in headers or "/" not in headers["Server"]  # no version
    version = next(p.name for p in proxy.root.iterdir() if p.is_dir())
    status, headers, body = fetch(f"{proxy.url}/chat-widget/{version}/chat-widget.js")
    assert status == 200 and body.startswith(b"/*!")
    assert headers["Access-Control-Allow-Origin"] == "*"  # SRI from other sites' pages
    assert "immutable" in headers["Cache-Control"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    for hidden in ("/status", "/version", "/conversations/x/tracker", "/model/parse"):
        assert fetch(proxy.url + hidden)[0] == 404, hidden  # Rasa's other paths stay inside
    assert fetch(proxy.url + "/webhooks/rest/webhook")[0] == 403  # GET: only POST passes
    status, headers, _ = fetch(f"http://127.0.0.1:{HTTP_PORT}/")
    assert status == 301 and headers["Location"].startswith("https://")
    # socket.io's long-polling handshake passes
    status, _, body = fetch(proxy.url + "/socket.io/?EIO=4&transport=polling")
    assert status == 200 and body.startswith(b'0{"sid":'), body[:80]


def test_a_conversation_through_nginx_in_chromium(browser, proxy: Proxy) -> None:
    context = browser.new_context(ignore_https_errors=True, viewport=PHONE, locale="de-DE")
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(proxy.url + "/")
        widget = Widget(page)
        widget.open()  # visible only once the stylesheet passed its integrity check
        accent = widget.send_button.evaluate("b => getComputedStyle(b).backgroundColor")
        assert accent == "rgb(11, 92, 173)"  # styled: the stylesheet passed its SRI check
        integrity = page.evaluate(
            """() => [document.querySelector('script[src*="chat-widget"]').integrity,
                      document.querySelector('rasa-chat-widget').shadowRoot
                          .querySelector('link[rel=stylesheet]').integrity]"""
        )
        assert all(value.startswith("sha384-") for value in integrity), integrity
        widget.ask("Wer ist Ansprechpartner für die Smartphone-Bürger-ID?")
        expect(widget.bot_messages.first).to_contain_text(CONTACT)
        screenshot(page, "nginx-conversation-360")
        assert not problems, problems
        assert axe_violations(page) == []
        problems.clear()  # axe-core's own inline style, which the CSP blocks

        page.goto(proxy.url + "/chat-widget/socketio.html")
        expect(page.locator("#answers")).to_contain_text(CONTACT, timeout=30_000)
        assert not problems, problems
    finally:
        context.close()
    # the access log has requests, but no address and no socket.io session id
    log = (proxy.logs / "chat-assistant.access.log").read_text(encoding="utf-8")
    assert "POST /webhooks/rest/webhook" in log and "/socket.io/" in log
    assert "127.0.0.1" not in log and "sid=" not in log
