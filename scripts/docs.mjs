// `npm run docs`: the API reference from the TSDoc of the public exports (src/index.ts) into build/docs,
// with TypeDoc, and the list of public names that have no documentation yet (build/docs/undocumented.txt).
// Type errors are skipped: roblox-ts's own lib (compiler-types) is not the stock TypeScript lib.
// The list is reported, not enforced, until the public API is curated (issue #13); `--strict` fails on it.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("typedoc/package.json").replace(/package\.json$/, "bin/typedoc");
const run = spawnSync(process.execPath, [cli, "--options", "typedoc.json", "--logLevel", "Warn"], {
	encoding: "utf8",
	env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
});
const output = `${run.stdout}\n${run.stderr}`;
if (run.status !== 0) {
	process.stdout.write(output);
	process.exit(1);
}
const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
const undocumented = lines
	.map((line) => /^\[warning\] (.+), defined in (.+), does not have any documentation$/.exec(line))
	.filter((match) => match !== null)
	.map((match) => `${match[1]} (${match[2]})`);
const other = lines.filter(
	(line) =>
		line.startsWith("[warning]") &&
		!line.includes("does not have any documentation") &&
		!/^\[warning\] Found \d+ errors/.test(line),
);
mkdirSync("build/docs", { recursive: true });
writeFileSync("build/docs/undocumented.txt", undocumented.join("\n") + "\n");
for (const line of other) console.log(line);
console.log(`API reference: build/docs/index.html`);
console.log(`${undocumented.length} public names without documentation (list: build/docs/undocumented.txt)`);
if (process.argv.includes("--strict") && undocumented.length > 0) process.exit(1);
