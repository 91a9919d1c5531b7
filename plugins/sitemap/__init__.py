"""Pelican plugin: sitemap.xml and robots.txt for every published page.

Listed last in PLUGINS, so every page has been written when it runs. Activity pages carry the
day their facts were last confirmed as <lastmod>. The component gallery and the 404 page are
left out; robots.txt points to the sitemap with the site's public address.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from pelican.generators import Generator

from ..plugin_kit import generator_plugin, wait_for_background_work

# min-liste/ is empty until a browser fills it from its own storage: nothing to index.
DEFAULTS = {"SITEMAP_EXCLUDE": ["404.html", "komponenter/", "min-liste/"]}


class SitemapGenerator(Generator):
    def generate_output(self, writer):
        wait_for_background_work()  # activity pages, calendars and data files come from other processes
        output = Path(self.output_path)
        site = (
            self.settings["SITEURL"]
            if self.settings["SITEURL"].startswith("http")
            else self.settings["SITE_ADDRESS"]
        )
        site = site.rstrip("/")
        excluded = self.settings["SITEMAP_EXCLUDE"]
        confirmed = {page.save_as: page.activity.verified for page in self.context.get("activity_pages", [])}
        entries = []
        for relative in _html_files(output):
            if any(relative.startswith(prefix) for prefix in excluded):
                continue
            url = f"{site}/{relative.removesuffix('index.html')}"
            lastmod = f"<lastmod>{confirmed[relative].isoformat()}</lastmod>" if relative in confirmed else ""
            entries.append(f"  <url><loc>{escape(url)}</loc>{lastmod}</url>")
        (output / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(entries)
            + "\n</urlset>\n",
            encoding="utf-8",
        )
        disallow = "".join(f"Disallow: /{prefix}\n" for prefix in excluded if prefix.endswith("/"))
        (output / "robots.txt").write_text(
            f"User-agent: *\n{disallow}\nSitemap: {site}/sitemap.xml\n", encoding="utf-8"
        )


def _html_files(output: Path) -> list[str]:
    """Every HTML file under `output`, as sorted relative paths with /.

    os.walk with plain strings: the site's tens of thousands of files are listed after every
    other step has finished, so this is time nothing else overlaps.
    """
    root = str(output)
    found = []
    for folder, _, files in os.walk(root):
        prefix = folder[len(root) + 1 :].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        found += [prefix + name for name in files if name.endswith(".html")]
    return sorted(found)


register = generator_plugin(SitemapGenerator, DEFAULTS)
