// `npm run docs`: the API reference from the TSDoc of the public exports (src/index.ts) into build/docs,
// with TypeDoc. Fails, listing them (also in build/docs/undocumented.txt), when a public name or member
// has no documentation, or when a public type refers to a type the reference does not include.
// Type errors are skipped: roblox-ts's own lib (compiler-types) is not the stock TypeScript lib.
// `npm test` runs it (test/architecture/docs.test.ts).
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
const unreferenced = lines.filter((line) => /^\[warning\] .* but not included in the documentation$/.test(line));
const other = lines.filter(
	(line) =>
		line.startsWith("[warning]") &&
		!line.includes("does not have any documentation") &&
		!unreferenced.includes(line) &&
		!/^\[warning\] Found \d+ errors/.test(line),
);
mkdirSync("build/docs", { recursive: true });
writeFileSync("build/docs/undocumented.txt", undocumented.join("\n") + "\n");
for (const line of other) console.log(line);
for (const line of unreferenced) console.log(line);
for (const name of undocumented) console.log(`undocumented: ${name}`);
console.log(`API reference: build/docs/index.html`);
console.log(
	`${undocumented.length} public names without documentation, ` +
		`${unreferenced.length} referenced types not in the reference`,
);
if (undocumented.length > 0 || unreferenced.length > 0) process.exit(1);
