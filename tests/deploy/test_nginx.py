"""docs/nginx/aktivsammen.conf as documented, run by a real nginx (non-root, high ports on
127.0.0.1) in front of the production build and the real submission service."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from aktivsammen.submit.app import create_app
from aktivsammen.submit.settings import Settings
from plugins.publish import security_headers
from tests.browser.test_publish import site_headers
from tests.conftest import CONTENT, ROOT, build
from tests.submit.conftest import free_port, running

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_CONF = ROOT / "docs" / "nginx" / "aktivsammen.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")  # what `include mime.types` finds beside nginx.conf
NAME = "localhost"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is missing: `make test` installs Debian's nginx package"
)

# The test's own nginx.conf around the site file, as Debian's /etc/nginx/nginx.conf is: an http
# block that includes it. It adds no MIME types, so the site file has to bring its own, and
# puts nginx's temporary files in the test's folder (Debian's are root's).
WRAPPER = """\
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {base}/tmp/body;
    proxy_temp_path {base}/tmp/proxy;
    fastcgi_temp_path {base}/tmp/fastcgi;
    uwsgi_temp_path {base}/tmp/uwsgi;
    scgi_temp_path {base}/tmp/scgi;
    include {base}/aktivsammen.conf;
}}
"""


def render(conf: str, *, base: Path, upstream: str, http_port: int, https_port: int, ipv6: bool) -> str:
    """The documented site file with its placeholders replaced; nothing else changes."""
    for placeholder, value in {
        "aktivsammen.vejle.dk": NAME,
        "/srv/aktivsammen/output": str(base / "output"),
        "/etc/ssl/aktivsammen": str(base / "tls"),
        "127.0.0.1:8001": upstream,
    }.items():
        assert placeholder in conf, f"{SITE_CONF.name} no longer has the placeholder {placeholder}"
        conf = conf.replace(placeholder, value)
    ports = {"80": http_port, "443": https_port}

    def listen(match: re.Match) -> str:
        return f"listen {'[::1]' if match.group(1) else '127.0.0.1'}:{ports[match.group(2)]}"

    conf = re.sub(r"listen (\[::\]:)?(80|443)\b", listen, conf)
    if not ipv6:  # a machine without IPv6 loopback cannot bind those lines at all
        conf = re.sub(r"^\s*listen \[::1\].*$", "", conf, flags=re.M)
    return conf


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


class Recorder:
    """The ASGI app wrapped to keep what reaches it: path, headers and client (after uvicorn)."""

    def __init__(self, app):
        self.app = app
        self.seen: list[tuple[str, list[tuple[bytes, bytes]], tuple]] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.seen.append((scope["path"], list(scope["headers"]), scope["client"]))
        await self.app(scope, receive, send)

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.seen]


@dataclass
class Nginx:
    base: Path
    http_port: int
    https_port: int
    upstream: Recorder
    service_url: str
    test_output: str

    @property
    def output(self) -> Path:
        return self.base / "output"

    @property
    def certificate(self) -> Path:
        return self.base / "tls" / "fullchain.pem"

    @property
    def url(self) -> str:
        return f"https://{NAME}:{self.https_port}"

    def client(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=str(self.certificate)), timeout=10)

    def get(self, path: str, **options) -> httpx.Response:
        with self.client() as client:
            return client.get(self.url + path, **options)

    def asset(self, pattern: str) -> str:
        """The address of the first built file matching a glob (fingerprinted names change)."""
        return "/" + sorted(self.output.glob(pattern))[0].relative_to(self.output).as_posix()


def self_signed_certificate(folder: Path) -> None:
    """fullchain.pem and privkey.pem for NAME, as the site file expects them."""
    folder.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "2", "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME},IP:127.0.0.1",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def wait_for_ports(process: subprocess.Popen, ports: list[int], log: Path) -> None:
    deadline = time.monotonic() + 10
    for port in ports:
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx stopped: {log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not listen on {port}: {log.read_text(errors='replace')}")
                time.sleep(0.05)


@contextlib.contextmanager
def running_nginx(base: Path, ports: list[int]) -> Iterator[str]:
    """nginx on base/nginx.conf, in the foreground; yields what `nginx -t` said of the config.

    When the test runs as root (CI does), nginx runs as `nobody`: it needs no privilege here.
    """
    log = base / "error.log"
    command = [NGINX, "-p", str(base), "-c", str(base / "nginx.conf")]
    main = f"daemon off; worker_processes 1; pid {base}/nginx.pid; error_log {log} notice;"
    drop = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for path in [base, *base.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
        drop = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    checked = subprocess.run([*command, "-t", "-g", main], capture_output=True, text=True, **drop)
    process = subprocess.Popen([*command, "-g", main], **drop)
    try:
        wait_for_ports(process, ports, log)
        yield checked.stderr + checked.stdout
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx():
    """nginx with the documented site file, in front of the published site and the real service."""
    base = Path(tempfile.mkdtemp(prefix="aktivsammen-nginx-"))  # not pytest's: `nobody` must get in
    try:
        # The production build, with absolute addresses on the origin nginx serves and the service
        # on that same origin, as README's deployment section says to build it, and the OpenActive
        # feeds with query URLs, as a site served by this file sets them (plugins/openactive).
        build(
            CONTENT, base / "output", "publishconf.py",
            SITEURL=f"https://{NAME}", SUBMISSION_SERVICE_URL=f"https://{NAME}", OPENACTIVE_QUERY_URLS=True,
        )  # fmt: skip
        (base / "output" / "test.webmanifest").write_text('{"name": "AktivSammen"}', encoding="utf-8")
        self_signed_certificate(base / "tls")
        settings = Settings(
            database=base / "service" / "koe.sqlite3",
            content_dir=CONTENT,
            local_repository=base / "service",
            site_dir=base / "output",
            trust_proxy_headers=True,
            worker=False,
        )
        upstream = Recorder(create_app(settings))
        with running(upstream) as service_url:
            http_port = free_port()
            while (https_port := free_port()) == http_port:
                pass
            conf = render(
                SITE_CONF.read_text(encoding="utf-8"),
                base=base,
                upstream=service_url.removeprefix("http://"),
                http_port=http_port,
                https_port=https_port,
                ipv6=has_ipv6_loopback(),
            )
            (base / "aktivsammen.conf").write_text(conf, encoding="utf-8")
            (base / "nginx.conf").write_text(WRAPPER.format(base=base), encoding="utf-8")
            shutil.copy(MIME_TYPES, base / "mime.types")
            (base / "tmp").mkdir()
            with running_nginx(base, [http_port, https_port]) as checked:
                yield Nginx(base, http_port, https_port, upstream, service_url, checked)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def expected_headers(nginx) -> dict[str, str]:
    report = json.loads((nginx.output / "build-report.json").read_text(encoding="utf-8"))
    return security_headers(report["content_security_policy"])


def test_the_configuration_tests_clean(nginx):
    assert "test is successful" in nginx.test_output
    assert not re.search(r"\[(warn|emerg|alert|crit|error)\]", nginx.test_output), nginx.test_output


CONTENT_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "theme/css/site.*.css": "text/css; charset=utf-8",
    "theme/js/*.js": "application/javascript; charset=utf-8",
    "aktivitet/repair-cafe-vejle/repair-cafe-vejle.ics": "text/calendar; charset=utf-8",
    "test.webmanifest": "application/manifest+json; charset=utf-8",
    "data/aktiviteter.json": "application/json; charset=utf-8",
    "sitemap.xml": "text/xml; charset=utf-8",
    "robots.txt": "text/plain; charset=utf-8",
    "theme/favicon.svg": "image/svg+xml; charset=utf-8",
}


def test_open_data_answers_hsds_api_paths(nginx):
    """An HSDS client reads /services?page=N and /services/{id}, as from an API."""
    context = ssl.create_default_context(cafile=str(nginx.certificate))

    def get(path: str) -> httpx.Response:
        return httpx.get(nginx.url + path, verify=context, timeout=10)

    root = get("/data/hsds")
    assert root.status_code == 200 and root.json()["version"] == "3.0"
    first = get("/data/hsds/services")
    assert first.headers["content-type"] == "application/json; charset=utf-8"
    assert first.json()["page_number"] == 1 and first.json()["first_page"]
    assert get("/data/hsds/services/?page=1").json() == first.json()
    if first.json()["total_pages"] > 1:
        assert get("/data/hsds/services?page=2").json()["page_number"] == 2
    one = first.json()["contents"][0]
    assert get(f"/data/hsds/services/{one['id']}").json() == one
    assert get("/data/hsds/services/00000000-0000-0000-0000-000000000000").status_code == 404
    assert get("/data/hsds/taxonomy_terms").json()["total_items"] > 0


@pytest.mark.parametrize("feed", ["session-series", "scheduled-sessions"])
def test_openactive_feeds_answer_their_query_urls(nginx, feed):
    """RPDE's ?afterTimestamp=&afterId= are the pages' files (OPENACTIVE_QUERY_URLS = True)."""
    folder = nginx.output / "openactive" / feed

    def page(name: str) -> dict:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    def path_of(url: str) -> str:  # `next` is on SITE_ADDRESS: ask this nginx for its path
        return "/" + url.split("://", 1)[1].split("/", 1)[1]

    first = nginx.get(f"/openactive/{feed}/")
    assert first.status_code == 200 and first.headers["content-type"] == "application/json; charset=utf-8"
    assert first.json() == page("index.json") and first.json()["items"]
    assert nginx.get(f"/openactive/{feed}").json() == first.json()
    after = re.fullmatch(
        r"\S+/openactive/[a-z-]+/\?afterTimestamp=(\d+)&afterId=([a-z0-9-]+)", first.json()["next"]
    )
    second = nginx.get(path_of(first.json()["next"]))
    assert second.status_code == 200 and second.headers["content-type"] == "application/json; charset=utf-8"
    assert second.json() == page(f"after-{after[1]}-{after[2]}.json")
    assert second.json() != first.json()
    # the last page, after the last item: empty, pointing to itself
    last = page("last.json")
    assert last["items"] == [] and nginx.get(path_of(last["next"])).json() == last
    # a position with no file: the first page; one later than now (nothing after it): the last
    assert nginx.get(f"/openactive/{feed}/?afterTimestamp={after[1]}&afterId=zzz").json() == first.json()
    ahead = int(time.time()) + 365 * 86400
    assert nginx.get(f"/openactive/{feed}/?afterTimestamp={ahead}&afterId={after[2]}").json() == last
    assert (
        nginx.get(f"/openactive/{feed}/?afterTimestamp=../../../etc/passwd&afterId=").json() == first.json()
    )


@pytest.mark.parametrize("pattern", CONTENT_TYPES)
def test_every_file_has_its_type(nginx, pattern):
    """nginx's own table and ours (a `types` block in the server that replaced it made all octet-stream)."""
    path = "/" if pattern == "index.html" else nginx.asset(pattern)
    response = nginx.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == CONTENT_TYPES[pattern], path


def test_header_files_say_the_same(nginx, expected_headers):
    """nginx-headers.conf and _headers come from one list, and the site file includes the former
    in every block that adds a header of its own (nginx would drop the inherited ones there)."""
    snippet = (nginx.output / "nginx-headers.conf").read_text(encoding="utf-8")
    lines = re.findall(r'^add_header (\S+) "([^"]*)" always;$', snippet, flags=re.M)
    assert len(lines) == len(snippet.splitlines())  # nothing but add_header lines: fits any block
    assert dict(lines) == expected_headers == site_headers(nginx.output)
    for block in blocks(SITE_CONF.read_text(encoding="utf-8")):
        if "add_header" in block.own:
            assert "include /srv/aktivsammen/output/nginx-headers.conf;" in block.own, block.head


@dataclass
class Block:
    head: str
    own: str = ""  # its own directives, not those of the blocks inside it


def blocks(conf: str) -> list[Block]:
    """The site file's blocks (server, location ...), each with its own directives."""
    found, stack = [], [Block("(top)")]
    for line in conf.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith("{"):
            stack.append(Block(line))
            found.append(stack[-1])
        elif line == "}":
            stack.pop()
        elif line:
            stack[-1].own += line + "\n"
    return found


def assert_security_headers(response: httpx.Response, expected: dict[str, str]) -> None:
    for name, value in expected.items():
        assert response.headers.get_list(name) == [value], (response.url, name)


def test_security_headers_on_every_kind_of_answer(nginx, expected_headers):
    css = nginx.asset("theme/css/site.*.css")
    answers = {
        "page": nginx.get("/"),
        "cached asset (own add_header)": nginx.get(css),
        "not found": nginx.get("/findes-ikke/"),
        "folder without slash": nginx.get("/omraade/jelling"),
        "service": nginx.get("/api/sundhed"),
    }
    assert [response.status_code for response in answers.values()] == [200, 200, 404, 301, 200]
    for response in answers.values():
        assert_security_headers(response, expected_headers)
    assert answers["folder without slash"].headers["location"] == "/omraade/jelling/"
    assert answers["cached asset (own add_header)"].headers["cache-control"] == (
        "public, max-age=31536000, immutable"
    )
    assert "cache-control" not in answers["page"].headers  # pages are not fingerprinted
    assert answers["not found"].text == (nginx.output / "404.html").read_text(encoding="utf-8")
    for pattern in ("theme/js/*.js", "soeg/lib/*.js", "soeg/data/*.json"):
        assert "immutable" in nginx.get(nginx.asset(pattern)).headers["cache-control"], pattern


def test_only_the_search_page_may_ask_for_the_position(nginx, expected_headers):
    """ "Brug min placering" works on the search page (geolocation=(self)) and nowhere else, with
    every other header as on the rest of the site; _headers says the same for static hosts."""
    searching = {**expected_headers, "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)"}
    for path in ("/soeg/", "/soeg/index.html", "/soeg/?q=kor&naer=Jelling"):
        response = nginx.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response, searching)
    zipped = nginx.get("/soeg/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"  # the precompressed copy still
    for path in ("/", "/omraade/jelling/", "/soeg/data/"):
        assert "geolocation=()" in nginx.get(path).headers["permissions-policy"], path
    rules = (nginx.output / "_headers").read_text(encoding="utf-8").split("\n/")
    search_rule = next(rule for rule in rules if rule.startswith("soeg/\n"))
    assert search_rule.splitlines()[1:] == [
        "  ! Permissions-Policy",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(self)",
    ]


@pytest.mark.parametrize("pattern", ["index.html", "theme/css/site.*.css", "aktivitet/*/*.ics"])
def test_precompressed_copies_are_served_with_vary(nginx, pattern):
    path = "/" if pattern == "index.html" else nginx.asset(pattern)
    original = sorted(nginx.output.glob(pattern))[0]
    assert original.with_name(original.name + ".gz").exists()  # the build wrote the copy
    zipped = nginx.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.content == original.read_bytes()  # httpx unzipped it
    plain = nginx.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == original.read_bytes()


def test_plain_http_is_sent_to_https(nginx):
    response = httpx.get(f"http://{NAME}:{nginx.http_port}/aktiviteter/?dag=tirsdag", timeout=10)
    assert response.status_code == 301
    assert response.headers["location"] == f"https://{NAME}/aktiviteter/?dag=tirsdag"


@pytest.mark.parametrize("path", ["/api/indsendelser", "/indsend/trin", "/foelgeskab/send", "/fejl/send"])
def test_a_body_over_64k_never_reaches_the_service(nginx, expected_headers, path):
    before = len(nginx.upstream.seen)
    response = httpx.post(
        nginx.url + path,
        content=b"a" * 100_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        verify=ssl.create_default_context(cafile=str(nginx.certificate)),
        timeout=10,
    )
    assert response.status_code == 413
    assert_security_headers(response, expected_headers)
    assert len(nginx.upstream.seen) == before
    # in the service's own words (the form shows the message)
    own = httpx.post(nginx.service_url + path, content=b"a" * 100_000, timeout=10)
    assert own.status_code == 413 and response.json() == own.json()


def test_the_service_is_behind_nginx_on_the_same_origin(nginx):
    before = len(nginx.upstream.seen)
    health = nginx.get("/api/sundhed", headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.1"})
    assert health.status_code == 200 and health.json()["status"] == "ok"
    path, headers, client = nginx.upstream.seen[-1]
    assert path == "/api/sundhed"

    def header(name: bytes) -> list[bytes]:
        return [value for key, value in headers if key == name]

    # The forged addresses are gone: the service sees one entry, the address nginx saw.
    assert header(b"x-forwarded-for") == [b"127.0.0.1"]
    assert header(b"x-forwarded-proto") == [b"https"]
    assert header(b"host") == [NAME.encode()]
    assert client[0] == "127.0.0.1"
    # The form without JavaScript is the service's; the form's own page is the built site's.
    edit = nginx.get("/indsend/ret?aktivitet=repair-cafe-vejle")
    assert edit.status_code == 200 and "Repair Cafe" in edit.text
    assert nginx.get("/indsend/").status_code == 200
    assert nginx.upstream.paths()[before:] == ["/api/sundhed", "/indsend/ret"]


def test_mozilla_observatory_grades_it_a_plus(nginx):
    """The scanner behind developer.mozilla.org/observatory, unchanged, on http(s)://localhost/."""
    scanner = ROOT / "scripts" / "observatory.mjs"
    result = subprocess.run(
        ["node", str(scanner), NAME, str(nginx.http_port), str(nginx.https_port)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(nginx.certificate)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    failed = {name: test["result"] for name, test in report["tests"].items() if not test["pass"]}
    assert failed == {}
    assert report["scan"]["grade"] == "A+" and report["scan"]["score"] >= 100, report["scan"]


def test_the_service_paths_are_rate_limited(nginx, expected_headers):
    """Last in the module: it uses up the burst that the service's paths allow 127.0.0.1."""
    with nginx.client() as client:
        statuses = [client.get(nginx.url + "/api/sundhed").status_code for _ in range(30)]
        refused = client.get(nginx.url + "/api/sundhed")
        site = client.get(nginx.url + "/")
    assert statuses[0] == 200 and 429 in statuses and refused.status_code == 429
    assert refused.headers["content-type"] == "application/json; charset=utf-8"
    assert refused.json()["message"].endswith("Vent lidt, og prøv igen.")
    assert_security_headers(refused, expected_headers)
    assert site.status_code == 200  # the site itself is not limited
