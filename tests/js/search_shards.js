/* Run by tests/unit/test_search_shards.py: searches the download in parts (search-query.js open)
   and the whole index built from the same parts (search-query.js scores), in node with the
   npm lunr and lunr-languages the site ships, and prints both, with the parts each query fetched.
   argv: the head file, then a JSON file with the queries. */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(root, "node_modules", "lunr"));
require(path.join(root, "node_modules", "lunr-languages", "lunr.stemmer.support.js"))(lunr);
require(path.join(root, "node_modules", "lunr-languages", "lunr.da.js"))(lunr);
const context = { lunr: lunr, console: console };
context.window = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(root, "themes/aktivsammen/static/js/search-query.js"), "utf8"), context);
const asSearchQuery = context.asSearchQuery;

const [headFile, queriesFile] = process.argv.slice(2);
const folder = path.dirname(headFile);
const head = JSON.parse(fs.readFileSync(headFile, "utf8"));
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const read = (name) => JSON.parse(fs.readFileSync(path.join(folder, name), "utf8"));

// The whole index: every shard's postings, in order.
const whole = Object.assign({}, head.index, {
  postings: head.index.shards.flatMap((shard) => read(shard[1]).postings),
});
const wholeIndex = asSearchQuery.load(whole);

(async () => {
  const out = [];
  for (const query of queries) {
    const fetched = [];
    const searcher = asSearchQuery.open(head, (name) => { fetched.push(name); return Promise.resolve(read(name)); });
    const sharded = await searcher.scores(query);
    const reference = asSearchQuery.scores(wholeIndex, query, head.stopWords, head.index.terms, head.forms);
    out.push({ query, sharded, whole: reference, fetched });
  }
  // The store in chunks: rows for some documents, as the whole store has them.
  const searcher = asSearchQuery.open(head, (name) => Promise.resolve(read(name)));
  const numbers = [0, Math.floor(head.index.documents / 2), head.index.documents - 1];
  await searcher.ensure(numbers);
  process.stdout.write(JSON.stringify({ results: out, rows: numbers.map((i) => searcher.rows[i]), numbers }));
})();
