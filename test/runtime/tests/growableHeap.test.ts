import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

// Each child builds (or finds) the patched luau-web copy in `dir`, then checks the copy it got is whole.
const CHILD = `
	const { readFileSync } = require("node:fs");
	const { join, dirname } = require("node:path");
	const { growableLuauWebEntry } = require(${JSON.stringify(join(__dirname, "..", "growableHeap.ts"))});
	const entry = growableLuauWebEntry(process.argv[process.argv.length - 1]);
	const glue = readFileSync(join(dirname(entry), "lib", "Luau.Web.Asyncify.js"), "utf8");
	if (!glue.includes("wasmMemory.grow(")) throw new Error("glue not patched");
	if (!/base64Decode\\("[A-Za-z0-9+/=]+"\\)/.test(glue)) throw new Error("embedded wasm not found");
	if (!readFileSync(entry, "utf8").includes("if (false)")) throw new Error("entry not patched");
	process.stdout.write(entry);
`;

function runChild(dir: string): Promise<{ code: number | null; out: string; err: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ["--import", "tsx", "-e", CHILD, dir], {
			cwd: join(__dirname, "..", "..", ".."),
		});
		let out = "";
		let err = "";
		child.stdout.on("data", (d: Buffer) => (out += d.toString()));
		child.stderr.on("data", (d: Buffer) => (err += d.toString()));
		child.on("close", (code) => resolve({ code, out, err }));
	});
}

describe("growable luau-web cache", () => {
	it("two processes starting at once on an empty cache both get a whole copy", async () => {
		const dir = mkdtempSync(join(tmpdir(), "luau-web-cache-"));
		try {
			const results = await Promise.all([runChild(dir), runChild(dir), runChild(dir)]);
			for (const r of results) assert.equal(r.code, 0, r.err);
			assert.equal(new Set(results.map((r) => r.out)).size, 1, "one copy for all");
			// No temporary copies are left behind, only the finished one.
			const entries = readdirSync(dir);
			assert.equal(entries.length, 1, entries.join(", "));
			assert.equal(readFileSync(join(dir, entries[0], "READY"), "utf8"), "");
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
