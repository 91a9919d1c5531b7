// Mozilla's HTTP Observatory (npm @mdn/mdn-http-observatory, the scanner behind
// developer.mozilla.org/observatory) on a host: prints its JSON result (grade, score, tests).
//
//   node scripts/observatory.mjs HOST [HTTP_PORT HTTPS_PORT]
//
// The scanner only ever asks http://HOST/ and https://HOST/ on ports 80 and 443. Given ports,
// its connections to 80 and 443 go to those instead, below the scanner, so it runs unchanged
// and sees the host as a browser would: tests/deploy/ scans nginx on high ports as non-root.
// A self-signed certificate counts as valid only when NODE_EXTRA_CA_CERTS names it.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";

const [host, httpPort, httpsPort] = process.argv.slice(2);
if (!host) {
  console.error("usage: node scripts/observatory.mjs HOST [HTTP_PORT HTTPS_PORT]");
  process.exit(2);
}

function redirectPort(Agent, from, to) {
  const connect = Agent.prototype.createConnection;
  Agent.prototype.createConnection = function (options, ...rest) {
    const moved = Number(options.port) === from ? { ...options, port: Number(to) } : options;
    return connect.call(this, moved, ...rest);
  };
}
if (httpPort && httpsPort) {
  redirectPort(http.Agent, 80, httpPort);
  redirectPort(https.Agent, 443, httpsPort);
}

// The HSTS preload list is downloaded by the package's install script, which `npm ci
// --ignore-scripts` (Makefile) does not run: without it no host counts as preloaded, which is
// what a scan of a host that is not on the list gets anyway.
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).endsWith("hsts-preload.json") && !fs.existsSync(path)) return "{}";
  return readFileSync.call(this, path, ...rest);
};

const { scan } = await import("@mdn/mdn-http-observatory/src/scanner/index.js");
try {
  const result = await scan(host);
  const tests = Object.fromEntries(
    Object.entries(result.tests).map(([name, { scoreDescription, ...rest }]) => [name, rest]),
  );
  console.log(JSON.stringify({ scan: result.scan, tests }, null, 2));
} catch (error) {
  console.log(JSON.stringify({ error: error.message }));
  process.exit(1);
}
