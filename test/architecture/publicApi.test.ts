// The package's public API: src/index.ts exports a small, curated list (no internals), and the typed
// Luau entry of the Wally build (wally/init.luau) declares the same types as the TypeScript package:
// the same string literals, the same fields, and functions and signals of the same arity.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { luauExportedTypes, type Shape, typescriptExports } from "./luauTypes";

const ROOT = join(__dirname, "..", "..");
const exported = typescriptExports(join(ROOT, "src", "index.ts"), join(ROOT, "tsconfig.json"));
const luau = luauExportedTypes(readFileSync(join(ROOT, "wally", "init.luau"), "utf8"));

/** Public types that only games wiring sessions by hand meet: the Luau entry reaches those through `sdk`. */
const MANUAL_WIRING_ONLY = new Set([
	"PlaywaveConnection",
	"PlaywaveConnectionOptions",
	"PlaywaveSession",
	"SessionState",
	"SessionStatus",
	"Endpoint",
	"PlaywaveEnvironment",
]);
/** Values of the TypeScript package that the Luau entry wraps as functions of its own table. */
const WRAPPED_VALUES = new Set(["Playwave", "PlaywaveNotices"]);

test("src/index.ts exports about 25 names, none of them internals", () => {
	const names = [...exported.keys()].sort();
	assert.ok(names.length <= 30, `${names.length} exports: ${names.join(", ")}`);
	// The internals issue #13 found exported: they are reached by their own paths, by specs only.
	for (const internal of [
		"RequestBuilder",
		"Paths",
		"ResponseParser",
		"TRANSITIONS",
		"retryDelay",
		"classifyRequestError",
		"enginePorts",
		"engineHost",
		"PlaywaveStandIn",
		"RequestScheduler",
		"PlaywaveApi",
		"resolveConfig",
		"createPlaywave",
		"HANDOVER_KEY",
	]) {
		assert.ok(!exported.has(internal), `${internal} is an internal and must not be exported`);
	}
});

function describe(shape: Shape): string {
	if (shape.kind === "literals") return [...shape.values].sort().join(" | ");
	if (shape.kind === "variants")
		return [...shape.byKind].map(([k, fields]) => `${k}{${fields.join(",")}}`).join(" | ");
	if (shape.kind === "table") {
		return [...shape.fields]
			.map(([name, field]) => (field.kind === "other" ? name : `${name}:${field.kind}/${field.arity}`))
			.sort()
			.join(", ");
	}
	return "other";
}

/** The kinds a flattened Luau table allows in its `kind` field (`kind: "a" | "b"`). */
function luauKinds(body: string): string[] {
	const line = /\bkind\s*:\s*([^,\n]+)/.exec(body)?.[1] ?? "";
	return [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
}

test("every public type a Luau game meets is declared by the Luau entry", () => {
	const missing = [...exported]
		.filter(([name, entry]) => entry.isType && !MANUAL_WIRING_ONLY.has(name) && !luau.has(name))
		.map(([name]) => name);
	assert.deepEqual(missing, [], "declare these in wally/init.luau");
	for (const name of WRAPPED_VALUES) assert.ok(exported.has(name), `${name} is no longer exported`);
});

test("the Luau entry's types match the TypeScript declarations: literals, fields, arities", () => {
	const problems: string[] = [];
	for (const [name, { shape: lua, body }] of luau) {
		const ts = exported.get(name)?.shape;
		if (ts === undefined) continue; // Luau-only helper types (Signal, Connection)
		if (ts.kind === "variants" && lua.kind === "table") {
			// A union flattened into one table for Luau: the same kinds, and every field of every kind.
			const tsFields = [...new Set([...ts.byKind.values()].flat())].sort();
			const luaFields = [...lua.fields.keys()].sort();
			if (
				luauKinds(body).join() !== [...ts.byKind.keys()].sort().join() ||
				luaFields.join() !== tsFields.join()
			) {
				problems.push(
					`${name}: Luau ${luauKinds(body).join("|")} {${luaFields}} vs TypeScript ${describe(ts)}`,
				);
			}
			continue;
		}
		const a = describe(lua);
		const b = describe(ts);
		if (a !== b) problems.push(`${name}:\n    Luau       ${a}\n    TypeScript ${b}`);
	}
	assert.deepEqual(problems, []);
});
