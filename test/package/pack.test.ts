// The npm package as `git clone` + `npm ci` + `npm pack` makes it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { cleanUp, packed as packOnce, type Packed } from "./packing";

/** Generous bounds: the 0.1.0 tarball is about 60 kB (215 kB unpacked, 66 files). */
const MAX_TARBALL_BYTES = 150_000;
const MAX_UNPACKED_BYTES = 500_000;

let packed: Packed;
before(() => {
	packed = packOnce();
});
after(cleanUp);

test("npm pack from a clean tree builds and ships out/ with the Luau entry and declarations", () => {
	const paths = new Set(packed.files.map((f) => f.path));
	for (const required of [
		"package.json",
		"README.md",
		"LICENSE",
		"CHANGELOG.md",
		"out/init.luau",
		"out/index.d.ts",
		"out/server/Playwave.luau",
		"out/server/Playwave.d.ts",
		"out/client/PlaywaveNotices.luau",
		"out/client/PlaywaveNotices.d.ts",
	]) {
		assert.ok(paths.has(required), `${required} is missing from the tarball`);
	}
	// Every compiled module has its declaration beside it.
	for (const path of paths) {
		if (path.endsWith(".luau") && path !== "out/init.luau") {
			assert.ok(paths.has(path.replace(/\.luau$/, ".d.ts")), `${path} has no declaration`);
		}
	}
});

test("the tarball holds no specs, test fakes, build info or sources", () => {
	const unwanted = packed.files
		.map((f) => f.path)
		.filter(
			(path) =>
				/\.spec\.(luau|d\.ts)$/.test(path) ||
				path.startsWith("out/testing/") ||
				path.endsWith(".tsbuildinfo") ||
				!(path.startsWith("out/") || /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(path)),
		);
	assert.deepEqual(unwanted, []);
});

test("the tarball stays small", () => {
	console.log(`# tarball: ${packed.files.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`);
	assert.ok(packed.size <= MAX_TARBALL_BYTES, `tarball ${packed.size} bytes > ${MAX_TARBALL_BYTES}`);
	assert.ok(
		packed.unpackedSize <= MAX_UNPACKED_BYTES,
		`unpacked ${packed.unpackedSize} bytes > ${MAX_UNPACKED_BYTES}`,
	);
});
