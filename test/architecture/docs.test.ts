// `npm run docs` (scripts/docs.mjs): the API reference builds from the TSDoc of the public exports, and
// every public name and member is documented.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = join(__dirname, "..", "..");

test("npm run docs builds the reference with every public name and member documented", () => {
	const run = spawnSync(process.execPath, [join(ROOT, "scripts", "docs.mjs")], { cwd: ROOT, encoding: "utf8" });
	assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
	assert.match(run.stdout, /0 public names without documentation, 0 referenced types not in the reference/);
});
