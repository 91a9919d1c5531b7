// Walks an RPDE feed with @openactive/rpde-validator and prints what it found, as JSON.
// Usage: node validate_rpde.js FIRST_PAGE_URL
// stdout: [{url, errors: [{severity, type, rule, message}]}] for every page it loaded.
const { RpdeValidator } = require('@openactive/rpde-validator');

RpdeValidator(process.argv[2], { pageLimit: 1000, timeoutMs: 10000 })
  .then((log) => {
    process.stdout.write(JSON.stringify(log.pages.map((page) => ({
      url: page.url,
      errors: page.errors.map((e) => ({
        severity: e.severity, type: e.type, rule: e.rule, message: String(e.message).split('\n')[0],
      })),
    }))));
  })
  .catch((error) => { console.error(error); process.exit(1); });
