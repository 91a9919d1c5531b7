// Validates OpenActive JSON-LD with @openactive/data-model-validator, offline.
// Usage: node validate_models.js ACTIVITY_LIST_JSONLD CACHE_DIR < documents.json
// stdin: a JSON array of documents (the `data` of RPDE items, a Dataset, a DataCatalog ...).
// stdout: a JSON array with, for each document, its results: {severity, type, path, message}.
//
// The validator fetches the Activity List to check `activity` concepts. Offline, the list is put
// in the validator's file cache first, as shared/standards/openactive/seed-cache.js does, but
// with the validator's own "no error" code: seed-cache.js writes 'no_error', which version 3.0.3
// reads as a failed download ('error_none' is its code).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { validate } = require('@openactive/data-model-validator');
const JsonLoader = require('@openactive/data-model-validator/src/helpers/json-loader');

const ACTIVITY_LIST = 'https://openactive.io/activity-list';

function seed(listFile, cache) {
  fs.mkdirSync(cache, { recursive: true });
  const key = crypto.createHash('sha256').update(ACTIVITY_LIST).digest('hex'); // the cache's key
  fs.writeFileSync(path.join(cache, `${key}.json`), JSON.stringify({
    errorCode: JsonLoader.ERROR_NONE,
    data: JSON.parse(fs.readFileSync(listFile, 'utf8')),
    statusCode: 200,
    url: ACTIVITY_LIST,
    exception: null,
    contentType: 'application/ld+json',
    fetchTime: Date.now(),
  }));
}

async function main() {
  const [listFile, cache] = process.argv.slice(2);
  seed(listFile, cache);
  const documents = JSON.parse(fs.readFileSync(0, 'utf8'));
  const options = {
    loadRemoteJson: true,
    remoteJsonCachePath: cache,
    remoteJsonCacheTimeToLive: 315360000,
  };
  const results = [];
  for (const document of documents) {
    const found = await validate(document, options);
    results.push(found.map((e) => ({
      severity: e.severity, type: e.type, path: e.path, message: String(e.message).split('\n')[0],
    })));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { console.error(error); process.exit(1); });
