"""Benchmarks for search and build at 1k and 10k activities (`make bench`).

For each corpus size it reports:
- full build time and peak memory, against plain Pelican building the same texts as Markdown
  pages (paired runs, alternating, medians and the ratio);
- the bytes a browser fetches for its first search (libraries + index + store; raw, gzip,
  brotli), against Pagefind's first search on the same built site;
- index load+parse time and query latency (p50/p95) over a fixed query set, in Chromium.
Figures, not assertions: the tests assert behaviour, this prints what it costs.

Each build writes into a new folder, as `make html` does (it builds into output.new), and by
default that folder is in memory (/dev/shm) for both builds. On this machine's disk (ext4 without
a journal) creating a file costs up to twenty times more for a few minutes after many files were
deleted, as the kernel passes over the just-freed inodes: the same 10,000 folders and 30,000
files took 0.9 s of system time on a quiet disk and 10-16 s right after the previous benchmark's
folders were removed. Our build writes three times as many files as plain Pelican (each page in
a folder of its own, with its calendar and list record), so on disk the ratio measured the
disk's recent past more than the builds. `--disk` writes to disk anyway; `--reuse-folders`
deletes each round's output before the next build (the worst case). `--build-only` leaves out
the Chromium figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from bench.corpus import write_plain_site, write_site
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
PELICAN = ROOT / ".venv" / "bin" / "pelican"
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"
MEMORY = Path("/dev/shm")  # a RAM file system on Linux; builds go to disk where it is missing
QUERIES = [
    "kor", "seniorkor", "gåtur", "gåture", "gaatur", "whist", "whst", "bridge", "yoga", "svømning",
    "svomning", "stolegymnastik", "gymnastik", "dans", "linedance", "strik", "strikkecafé", "kaffe",
    "fællesspisning", "faellesspisning", "demens", "værksted", "reparation", "petanque", "krolf",
    "foredrag", "læsekreds", "it hjælp", "cykel", "have", "kor jelling", "gåklub vejle", "madklub mænd",
    "besøgsven", "frivillig", "musik", "sang", "billard", "fitness", "vandgymnastik", "børkop", "give",
    "egtved", "nye venner", "kom alene", "gratis kaffe", "rollator", "bus", "sommerpause", "hver tirsdag",
]  # fmt: skip


def measure_build(content: Path, settings: str, output: Path) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of one full Pelican build in a fresh process."""
    if output.exists():
        shutil.rmtree(output)
    command = ["/usr/bin/time", "-f", "%M", str(PELICAN), str(content), "-s", settings, "-o", str(output),
               "-e", "COMPONENT_GALLERY=false"]  # fmt: skip
    if settings.endswith("plainconf.py"):
        command = command[:-2]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"build failed: {result.stderr[-2000:]}")
    return elapsed, int(result.stderr.strip().splitlines()[-1]) / 1024


def sizes(data: bytes) -> tuple[int, int, int]:
    return len(data), len(gzip.compress(data, 9)), len(brotli.compress(data, quality=11))


def transferred(output: Path, url: str) -> tuple[int, int, int]:
    """What a server sends for a URL: text compressed; Pagefind's own files come compressed."""
    path = output / urlsplit(url).path.lstrip("/")
    data = path.read_bytes()
    if path.suffix in (".js", ".json", ".css", ".html"):
        return sizes(data)
    return len(data), len(data), len(data)


# Chromium's "Slow 4G" profile (DevTools): 562.5 ms round trip, 1.6 Mbit/s down and 750 kbit/s
# up, each times 0.9, as DevTools applies them.
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6e6 / 8 * 0.9,
           "uploadThroughput": 750e3 / 8 * 0.9}  # fmt: skip
TIMED_QUERIES = ["kor", "whist", "gåtur", "svømning", "kaffe", "strikkecafé"]


def serve(folder: Path):
    """A local server that compresses text as a production server would (brotli where the browser
    takes it, else gzip), so that throttled timings count the bytes that really travel."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    compressed: dict[tuple[str, str], bytes] = {}

    class Compressing(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            accepted = self.headers.get("Accept-Encoding", "")
            coding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else None
            if (
                coding is None
                or path.suffix not in (".js", ".json", ".css", ".html", ".svg")
                or not path.is_file()
            ):
                return super().send_head()
            key = (str(path), coding)
            if key not in compressed:
                data = path.read_bytes()
                compressed[key] = (
                    brotli.compress(data, quality=11) if coding == "br" else gzip.compress(data, 9)
                )
            body = compressed[key]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", coding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # Chromium closes connections it no longer needs; nothing to report

    server = Server(("127.0.0.1", 0), functools.partial(Compressing, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ours_first_search(output: Path, page, base: str) -> dict:
    """The bytes and requests of each query's first search on a fresh search page: the libraries,
    the head, and the parts the query fetched (its shards, the chunks of the 30 results shown)."""
    page.goto(base + "/soeg/")
    page.wait_for_selector("[data-search-ready]")
    parts = page.evaluate(
        """async ([headUrl, queries]) => {
             const head = await (await fetch(headUrl)).json();
             const out = [];
             for (const q of queries) {
               const fetched = [];
               const searcher = asSearchQuery.open(head, (name) => {
                 fetched.push(name); return fetch(new URL(name, headUrl)).then(r => r.json()); });
               const scores = await searcher.scores(q) || {};
               const shown = Object.keys(scores).map(Number).sort((a, b) => scores[b] - scores[a] || a - b);
               const before = fetched.length;
               await searcher.ensure(shown.slice(0, 30));
               out.push({shards: before, chunks: fetched.length - before, names: fetched});
             }
             return out;
           }""",
        [base + "/soeg/data/soegedata.json", QUERIES],
    )
    always = [u for u in page_assets(page, base) if "/soeg/lib/" in u or "search" in u.rsplit("/", 1)[-1]]
    always.append(base + "/soeg/data/soegedata.json")
    fixed = [sum(x) for x in zip(*(transferred(output, u) for u in always), strict=True)]
    per_query = []
    for entry in parts:
        extra = [transferred(output, f"/soeg/data/{name}") for name in entry["names"]]
        per_query.append([f + sum(e[i] for e in extra) for i, f in enumerate(fixed)])
    brotli_sizes = sorted(q[2] for q in per_query)
    return {
        "ours": per_query[QUERIES.index("kor")],
        "ours_median_br": brotli_sizes[len(brotli_sizes) // 2],
        "ours_max_br": brotli_sizes[-1],
        "head_br": transferred(output, "/soeg/data/soegedata.json")[2],
        "parts_median": sorted(e["shards"] + e["chunks"] for e in parts)[len(parts) // 2],
        "parts_max": max(e["shards"] + e["chunks"] for e in parts),
    }


def page_assets(page, base: str) -> list[str]:
    return [*page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"), page.url]


def slow_4g_timings(browser, base: str) -> dict:
    """Milliseconds until the first results on Chromium's Slow 4G, from a cold cache, for ours and
    Pagefind: the search page open (each has loaded what it loads with the page), the query typed
    and sent; then the requests that must follow one another before a result shows."""
    ours, theirs, depth = [], [], []
    for query in TIMED_QUERIES:
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(base + "/soeg/")
        page.wait_for_selector("[data-search-ready]", timeout=60000)
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")  # the page's own first listing is complete
        elapsed = page.evaluate(
            """(query) => new Promise((resolve) => {
                 const list = document.querySelector("[data-search-results]");
                 const form = document.querySelector("form.as-search");
                 const t0 = performance.now();
                 // The longest chain of requests each started after the one before had ended.
                 const chain = () => {
                   const after = performance.getEntriesByType("resource").filter(e => e.startTime >= t0)
                     .sort((a, b) => a.startTime - b.startTime);
                   const depth = after.map(() => 1);
                   after.forEach((e, i) => after.slice(0, i).forEach((f, j) => {
                     if (f.responseEnd <= e.startTime) { depth[i] = Math.max(depth[i], depth[j] + 1); }
                   }));
                   return {ms: performance.now() - t0, chain: Math.max(0, ...depth), requests: after.length};
                 };
                 // search.js marks the results busy from the search until its first cards are in.
                 const section = document.querySelector("[data-search-results-section]");
                 new MutationObserver((_, observer) => {
                   if (!section.hasAttribute("aria-busy") && list.children.length) {
                     observer.disconnect(); resolve(chain());
                   }
                 }).observe(section, {attributes: true, attributeFilter: ["aria-busy"]});
                 form.elements.q.value = query;
                 form.requestSubmit();
               })""",
            query,
        )
        ours.append(elapsed["ms"])
        depth.append(elapsed["chain"])
        context.close()

        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(base + "/404.html")
        page.evaluate("async () => { window.pf = await import('/pagefind/pagefind.js'); await pf.init(); }")
        theirs.append(page.evaluate(
            """async (query) => { const t0 = performance.now();
                 const search = await pf.search(query);
                 await Promise.all(search.results.slice(0, 5).map(r => r.data()));
                 return performance.now() - t0; }""",
            query,
        ))  # fmt: skip
        context.close()
    print("Slow 4G (ms):", {q: round(t) for q, t in zip(TIMED_QUERIES, ours, strict=True)}, file=sys.stderr)
    return {"slow4g_ms": statistics.median(ours), "slow4g_max_ms": max(ours),
            "slow4g_chain": max(depth), "pagefind_slow4g_ms": statistics.median(theirs)}  # fmt: skip


def browser_figures(output: Path) -> dict:
    """First-search bytes for ours and Pagefind's, load time and query latency, Slow 4G timings."""
    from playwright.sync_api import sync_playwright

    server = serve(output)
    base = f"http://127.0.0.1:{server.server_port}"
    figures: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        figures.update(ours_first_search(output, page, base))

        timing = page.evaluate(
            """async ([url, queries]) => {
                 const loads = [];
                 let head, searcher;
                 const cache = {};
                 const part = (name) => cache[name] || (cache[name] = fetch(new URL(name, url)).then(r => r.json()));
                 for (let i = 0; i < 5; i++) {
                   const t0 = performance.now();
                   head = await (await fetch(url, {cache: "force-cache"})).json();
                   searcher = asSearchQuery.open(head, part);
                   loads.push(performance.now() - t0);
                 }
                 // Once over the queries, so that every part they need is here: then each query is
                 // timed as the whole index was, with its data in memory (the first search's
                 // fetching is in the Slow 4G figure).
                 for (const q of queries) { await searcher.scores(q); }
                 const times = [];
                 for (let round = 0; round < 5; round++) {
                   for (const q of queries) {
                     const t0 = performance.now();
                     await searcher.scores(q);
                     times.push(performance.now() - t0);
                   }
                 }
                 return {loads, times};
               }""",
            [base + "/soeg/data/soegedata.json", QUERIES],
        )
        figures["load_ms"] = statistics.median(timing["loads"][1:])  # the first includes the download
        times = sorted(timing["times"])
        figures["p50_ms"] = times[len(times) // 2]
        figures["p95_ms"] = times[int(len(times) * 0.95)]

        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(base + "/404.html")
        page.evaluate(
            """async () => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
                 const search = await pf.search('kor');
                 await Promise.all(search.results.slice(0, 5).map(r => r.data())); }"""
        )
        page.wait_for_timeout(300)
        pagefind = [u for u in fetched if "/pagefind/" in u]
        figures["pagefind"] = [sum(x) for x in zip(*(transferred(output, u) for u in pagefind), strict=True)]
        figures.update(slow_4g_timings(browser, base))
        browser.close()
    server.shutdown()
    return figures


def run(
    count: int, rounds: int, work: Path, outputs: Path, build_only: bool = False, fresh: bool = True
) -> dict:
    content, plain = work / "content", work / "plain"
    activities = write_site(content, count)
    write_plain_site(plain, activities)
    ours, reference = [], []
    for number in range(rounds):  # paired and alternating, so machine noise hits both alike
        # Each build writes to a new folder (unless --reuse-folders), so no deletion precedes it.
        suffix = f"-{number}" if fresh else ""
        ours.append(measure_build(content, "pelicanconf.py", outputs / f"out{suffix}"))
        reference.append(measure_build(plain, "bench/plainconf.py", outputs / f"plain-out{suffix}"))
    site = outputs / f"out{suffix}"
    figures = {}
    if not build_only:
        subprocess.run([str(PAGEFIND), "--site", str(site), "--silent"], check=True, cwd=ROOT)
        figures = browser_figures(site)
    build = statistics.median(t for t, _ in ours)
    plain_build = statistics.median(t for t, _ in reference)
    return {
        "count": count,
        "build_s": build,
        "plain_build_s": plain_build,
        "build_ratio": statistics.median(a[0] / b[0] for a, b in zip(ours, reference, strict=True)),
        "memory_mib": max(m for _, m in ours),
        "plain_memory_mib": max(m for _, m in reference),
        **figures,
    }


def report(results: list[dict]) -> str:
    kb = lambda n: f"{n / 1024:.0f} KB"  # noqa: E731
    lines = [
        "| | " + " | ".join(f"{r['count']:,} aktiviteter".replace(",", ".") for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    rows = [
        ("Fuld bygning (median)", lambda r: f"{r['build_s']:.1f} s"),
        ("Ren Pelican, samme antal sider", lambda r: f"{r['plain_build_s']:.1f} s"),
        ("Forhold (parvise kørsler)", lambda r: f"{r['build_ratio']:.2f}×"),
        (
            "Højeste hukommelse",
            lambda r: f"{r['memory_mib']:.0f} MiB (ren Pelican {r['plain_memory_mib']:.0f})",
        ),
    ]
    search_rows = [
        ("Første søgning, rå", lambda r: kb(r["ours"][0])),
        ("Første søgning, gzip", lambda r: kb(r["ours"][1])),
        ("Første søgning, brotli", lambda r: kb(r["ours"][2])),
        (
            "Første søgning over 51 søgninger, brotli (median / største)",
            lambda r: f"{kb(r['ours_median_br'])} / {kb(r['ours_max_br'])}",
        ),
        ("Heraf hovedet (brotli)", lambda r: kb(r["head_br"])),
        ("Dele hentet pr. søgning (median / flest)", lambda r: f"{r['parts_median']} / {r['parts_max']}"),
        ("Pagefind første søgning (brotli/rå)", lambda r: kb(r["pagefind"][2])),
        ("Forhold til Pagefind", lambda r: f"{r['ours'][2] / r['pagefind'][2]:.2f}×"),
        ("Indlæs og pak hovedet ud (Chromium)", lambda r: f"{r['load_ms']:.0f} ms"),
        (
            "Søgning p50 / p95 (Chromium, dele i hukommelsen)",
            lambda r: f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms",
        ),
        (
            "Første resultater på Slow 4G, median / største (6 søgninger)",
            lambda r: f"{r['slow4g_ms']:.0f} / {r['slow4g_max_ms']:.0f} ms",
        ),
        ("Forespørgsler efter hinanden, efter søgningen (højst)", lambda r: str(r["slow4g_chain"])),
        ("Pagefind på Slow 4G (median)", lambda r: f"{r['pagefind_slow4g_ms']:.0f} ms"),
    ]
    if all("ours" in r for r in results):  # not with --build-only
        rows += search_rows
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="paired build runs per size")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--build-only", action="store_true", help="only the build figures (no Chromium)")
    parser.add_argument(
        "--reuse-folders", action="store_true", help="delete the previous output before each build"
    )
    parser.add_argument("--disk", action="store_true", help="write the builds to disk, not to /dev/shm")
    args = parser.parse_args(argv)
    results = []
    in_memory = None if args.disk or not MEMORY.is_dir() else MEMORY
    with (
        tempfile.TemporaryDirectory(prefix="aktivsammen-bench-") as folder,
        tempfile.TemporaryDirectory(prefix="aktivsammen-bench-", dir=in_memory) as builds,
    ):
        print(f"Bygger til {builds}", file=sys.stderr)
        for count in args.sizes:
            print(f"Måler {count} aktiviteter ...", file=sys.stderr)
            outputs = Path(builds) / str(count)
            outputs.mkdir()
            results.append(
                run(count, args.rounds, Path(folder) / str(count), outputs, args.build_only,
                    not args.reuse_folders)
            )  # fmt: skip
    print(f"Bygget til: {'hukommelsen (' + str(MEMORY) + ')' if in_memory else 'disken'}")
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
