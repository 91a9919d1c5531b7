"""Pelican plugin for the production build (publishconf.py): safe and fast to serve anywhere.

After everything is written it:
- minifies the theme's own CSS and JavaScript;
- fingerprints the CSS, JavaScript and search data (site.css -> site.3f2a91c0.css) and rewrites
  the pages to match, so those files can be cached for a year;
- writes the security and cache headers from one list (`security_headers`): `_headers`
  (Netlify, Cloudflare Pages and similar hosts) and `nginx-headers.conf` (the same headers as
  nginx `add_header` lines, included by docs/nginx/aktivsammen.conf), and the policy as a
  <meta> tag for hosts without headers. The Content-Security-Policy allows no inline script
  except the one-line `js-enabled` marker, by its hash;
- writes gzip and brotli copies of every text file next to it, for servers that serve them;
- writes `build-report.json` and prints a summary: pages, files, sizes, stale activities.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import rcssmin
import rjsmin
from pelican import signals

from aktivsammen.readability import warnings

# Only these folders are cached for a year, so everything in them must be fingerprinted.
FINGERPRINTED = ("theme/css/*.css", "theme/js/*.js", "soeg/lib/*.js", "soeg/data/*.json")
LONG_CACHE_FOLDERS = sorted({"/" + pattern.rsplit("/", 1)[0] + "/*" for pattern in FINGERPRINTED})
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".ics", ".txt")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
LONG_CACHE = "public, max-age=31536000, immutable"


def minify(output: Path) -> None:
    """Our own CSS and JavaScript without comments and spare whitespace (the npm files come minified)."""
    for path in output.glob("theme/css/*.css"):
        path.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in output.glob("theme/js/*.js"):
        path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")


def meta_policy(output: Path, policy: str) -> None:
    """The policy also as a <meta> tag, for hosts that cannot send headers (e.g. GitHub Pages).

    frame-ancestors only works as a header, so it is left out here.
    """
    parts = [part for part in policy.split("; ") if not part.startswith("frame-ancestors")]
    tag = f'<meta http-equiv="Content-Security-Policy" content="{"; ".join(parts)}">'
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(
            text.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  ' + tag, 1), encoding="utf-8"
        )


def fingerprint(output: Path) -> dict[str, str]:
    """Rename assets to name.<hash>.ext and point every page at the new names."""
    renamed = {}
    for pattern in FINGERPRINTED:
        for path in sorted(output.glob(pattern)):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            target = path.with_name(f"{path.stem}.{digest}{path.suffix}")
            path.rename(target)
            renamed[path.relative_to(output).as_posix()] = target.relative_to(output).as_posix()
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renamed, key=len, reverse=True)))
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(lambda m: renamed[m.group(0)], text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return renamed


def content_security_policy(output: Path, service_url: str | None = None) -> str:
    """A strict policy; inline scripts (only the js-enabled marker) are allowed by hash.

    A submission service on another origin is the one place besides the site that the form may
    post to and the form's script may call.
    """
    service = ""
    if service_url and "://" in service_url:
        parts = urlsplit(service_url)
        service = f" {parts.scheme}://{parts.netloc}"
    hashes = set()
    for page in output.rglob("*.html"):
        for script in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes)),
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'" + service,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'" + service,
        "frame-ancestors 'none'",
    ]).replace("  ", " ").strip()  # fmt: skip


# Two years, and every subdomain: the guide is only ever served over https (docs/nginx/).
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


# The one page that may ask for the reader's position ("Brug min placering" in "Tæt på"): its
# path in _headers (docs/nginx/aktivsammen.conf has its location). Every other page may not.
GEOLOCATION_PAGE = "/soeg/"


def security_headers(policy: str, geolocation: bool = False) -> dict[str, str]:
    """The headers every answer carries, on every host: the one list both header files come from.
    `geolocation`: the search page's, where the reader may choose to share their position."""
    return {
        "Content-Security-Policy": policy,
        "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": f"camera=(), microphone=(), geolocation=({'self' if geolocation else ''})",
    }


def nginx_headers(headers: dict[str, str]) -> str:
    """The headers as nginx `add_header` lines (`always`: on error answers too).

    nginx drops the add_header lines a location inherits as soon as it has one of its own, so
    docs/nginx/aktivsammen.conf includes this file in the server and again in every location
    that adds a header; it holds nothing but add_header lines, so it fits in either.
    """
    for value in headers.values():
        if any(char in value for char in '"\\$'):  # nginx would end the string or read a variable
            raise ValueError(f"publish: a header value nginx cannot take as it is: {value!r}")
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def write_headers(output: Path, policy: str) -> None:
    """_headers for static hosts, and the nginx snippets: every page's, and the search page's.

    In _headers a path matching two rules gets both rules' headers; "! Permissions-Policy" (the
    detach line of Cloudflare Pages' format) drops the site-wide one on the search page first.
    """
    headers = security_headers(policy)
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers.items()]
    searching = security_headers(policy, geolocation=True)["Permissions-Policy"]
    lines += [GEOLOCATION_PAGE, "  ! Permissions-Policy", f"  Permissions-Policy: {searching}"]
    for folder in LONG_CACHE_FOLDERS:
        lines += [folder, f"  Cache-Control: {LONG_CACHE}"]
    (output / "_headers").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (output / "nginx-headers.conf").write_text(nginx_headers(headers), encoding="utf-8")
    (output / "nginx-headers-geolocation.conf").write_text(
        nginx_headers(security_headers(policy, geolocation=True)), encoding="utf-8"
    )


def compress(output: Path) -> dict[str, int]:
    """Write .gz and .br next to every text file; return the site's total sizes."""
    totals = {"raw": 0, "gzip": 0, "brotli": 0, "files": 0}
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        totals["files"] += 1
        totals["raw"] += len(data)
        if path.suffix in COMPRESSED:
            zipped, broken = gzip.compress(data, 9, mtime=0), brotli.compress(data, quality=11)
            path.with_name(path.name + ".gz").write_bytes(zipped)
            path.with_name(path.name + ".br").write_bytes(broken)
            totals["gzip"] += len(zipped)
            totals["brotli"] += len(broken)
        else:
            totals["gzip"] += len(data)
            totals["brotli"] += len(data)
    return totals


def _enabled(settings: dict) -> bool:
    """Pelican's signals are global: act only on builds that list this plugin (publishconf.py)."""
    return any(
        getattr(plugin, "__name__", plugin).split(".")[-1] == "publish" for plugin in settings["PLUGINS"]
    )


def finish(pelican) -> None:
    if not _enabled(pelican.settings):
        return
    output = Path(pelican.output_path)
    minify(output)
    renamed = fingerprint(output)
    policy = content_security_policy(output, pelican.settings.get("SUBMISSION_SERVICE_URL"))
    write_headers(output, policy)
    meta_policy(output, policy)
    totals = compress(output)
    settings = pelican.settings
    pages = _build_context.get("activity_pages", [])
    report = {
        "pages": sum(1 for _ in output.rglob("*.html")),
        **totals,
        "fingerprinted": len(renamed),
        "stale_activities": len(_build_context.get("stale_activities", [])),
        # The build itself fails on any warning (--fatal warnings); these are the editors' advice.
        "language_warnings": sum(
            len(warnings(page.activity, page.get_relative_source_path(), lambda path: 0)) for page in pages
        ),
        "content_security_policy": policy,
    }
    (output / "build-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(
        f"Udgivelse: {report['pages']} sider, {report['files']} filer, {report['raw'] / 1e6:.1f} MB "
        f"({report['gzip'] / 1e6:.1f} MB gzip, {report['brotli'] / 1e6:.1f} MB brotli); "
        f"{report['stale_activities']} aktiviteter ikke bekræftet i over "
        f"{settings['ACTIVITIES_STALE_AFTER_DAYS']} dage, "
        f"{report['language_warnings']} advarsler om sproget.",
        file=sys.stderr,
    )


# The generators' shared context of the current build: what was read, so the report need not read it again.
_build_context: dict = {}


def _remember_context(generators) -> None:
    _build_context.clear()
    if generators:
        _build_context.update(generators[0].context)


def register():
    signals.all_generators_finalized.connect(_remember_context)
    signals.finalized.connect(finish)
