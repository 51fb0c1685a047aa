// The README points at what ships beside the code (license, changelog, examples, workflows), and every
// relative link and in-page anchor in it resolves.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./packing";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
	return heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, "")
		.replace(/ /g, "-");
}

test("the README links the license, changelog, examples and workflows, and they exist", () => {
	for (const target of [
		"LICENSE",
		"CHANGELOG.md",
		"examples/rbxts-game",
		"examples/luau-game",
		".github/workflows/ci.yml",
		".github/workflows/release.yml",
		"aftman.toml",
	]) {
		assert.ok(links.includes(target), `the README does not link ${target}`);
	}
});

test("every relative link and anchor in the README resolves", () => {
	const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
	const broken = links.filter((link) => {
		if (/^[a-z]+:/.test(link)) return false;
		if (link.startsWith("#")) return !anchors.has(link.slice(1));
		return !existsSync(join(ROOT, link.split("#")[0]));
	});
	assert.deepEqual(broken, []);
});
