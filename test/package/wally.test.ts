// The Wally package as `npm run build:wally` leaves it in build/wally (npm test builds it first), and the
// root manifest that must never publish the repository itself.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { ROOT } from "./packing";

const BUILD = join(ROOT, "build", "wally");

/** `key = value` pairs of a TOML table (the few forms wally.toml uses: strings, booleans, string arrays). */
function tomlTable(text: string, table: string): Map<string, unknown> {
	const values = new Map<string, unknown>();
	let current = "";
	for (const raw of text.split("\n")) {
		const line = raw.replace(/^\s*#.*$/, "").trim();
		if (line === "") continue;
		const header = /^\[(.+)\]$/.exec(line);
		if (header) {
			current = header[1];
			continue;
		}
		const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
		assert.ok(pair, `not a key = value line: ${raw}`);
		if (current === table) values.set(pair[1], JSON.parse(pair[2]));
	}
	return values;
}

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : [relative(BUILD, path).split("\\").join("/")];
	});
}

test("the root wally.toml is private: `wally publish` there cannot ship the TypeScript tree or node_modules", () => {
	const root = tomlTable(readFileSync(join(ROOT, "wally.toml"), "utf8"), "package");
	assert.equal(root.get("private"), true);
	assert.ok((root.get("exclude") as string[]).includes("/node_modules"));
});

test("the published manifest is complete: shared realm, authors, license, description, what to include", () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; license: string };
	const manifest = tomlTable(readFileSync(join(BUILD, "wally.toml"), "utf8"), "package");
	assert.equal(manifest.get("name"), "playwave/playwave");
	assert.equal(manifest.get("version"), pkg.version);
	assert.equal(manifest.get("license"), pkg.license);
	assert.equal(manifest.get("realm"), "shared");
	assert.equal(manifest.get("private"), undefined, "the built manifest must be publishable");
	assert.ok((manifest.get("authors") as string[]).length > 0);
	assert.ok(String(manifest.get("description")).length > 20);
	assert.ok((manifest.get("include") as string[]).includes("src/**"));
});

test("the Wally package holds the entry, the compiled SDK, its runtime, licenses and nothing for tests", () => {
	const list = files(BUILD);
	for (const required of [
		"wally.toml",
		"default.project.json",
		"LICENSE",
		"THIRD_PARTY_NOTICES.md",
		"src/init.luau",
		"src/out/init.luau",
		"src/include/RuntimeLib.lua",
		"src/include/Promise.lua",
	]) {
		assert.ok(list.includes(required), `${required} is missing`);
	}
	const unwanted = list.filter((path) => /\.spec\.luau$|\.d\.ts$|\.tsbuildinfo$|^src\/out\/testing\//.test(path));
	assert.deepEqual(unwanted, []);
	const notices = readFileSync(join(BUILD, "THIRD_PARTY_NOTICES.md"), "utf8");
	for (const bundled of readdirSync(join(BUILD, "src", "node_modules", "@rbxts"))) {
		assert.ok(notices.includes(`## @rbxts/${bundled} `), `no license notice for the bundled @rbxts/${bundled}`);
	}
	assert.match(notices, /## roblox-ts runtime/);
	assert.match(notices, /## Promise/);
	assert.ok(existsSync(join(BUILD, "src", "node_modules", "@rbxts", "t")));
});
