// The layer check (scripts/layers.mjs, run by `npm run lint`): it passes on the SDK's source and fails,
// naming the import, when a file imports against the layers, in a cycle, or reaches the engine outside
// an adapter.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
// @ts-expect-error: a plain ES module without declarations
import { check } from "../../scripts/layers.mjs";

const ROOT = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "playwave-layers-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let trees = 0;
/** A source tree of the given files (path -> text) in a fresh directory. */
function tree(files: Record<string, string>): string {
	const dir = join(scratch, `t${trees++}`);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	return dir;
}

const lawful = {
	"protocol/requests.ts": "export const x = 1;\n",
	"transport/HttpTransport.ts": 'import { x } from "../protocol/requests";\nexport const y = x;\n',
	"session/PlaywaveSession.ts": 'import type { Clock } from "../clock/Clock";\nexport {};\n',
	"clock/Clock.ts": "export interface Clock {}\n",
	"server/engine.ts": 'import { Players } from "@rbxts/services";\nexport const p = Players;\n',
	"session/PlaywaveSession.spec.ts": 'import { FakeTransport } from "../testing/FakeTransport";\nexport {};\n',
	"testing/FakeTransport.ts": 'import { y } from "../transport/HttpTransport";\nexport const FakeTransport = y;\n',
	"index.ts": 'export { y } from "./transport/HttpTransport";\n',
};

test("the SDK's source passes", () => {
	assert.deepEqual(check(join(ROOT, "src")), []);
});

test("imports down the layers, specs importing fakes, and adapters using the engine pass", () => {
	assert.deepEqual(check(tree(lawful), []), []);
});

test("an import up the layers fails and names the file, the target and what the layer may import", () => {
	const dir = tree({ ...lawful, "protocol/requests.ts": 'import { y } from "../transport/HttpTransport";\n' });
	assert.deepEqual(check(dir, []), [
		"protocol/requests.ts -> transport/HttpTransport.ts: protocol may import only nothing outside itself, not transport",
		"cycle: protocol/requests.ts -> transport/HttpTransport.ts -> protocol/requests.ts: files import each other",
	]);
});

test("a session importing the scheduler fails (sessions reach requests through the API client)", () => {
	const dir = tree({
		...lawful,
		"scheduler/RequestScheduler.ts": "export const s = 1;\n",
		"session/PlaywaveSession.ts": 'export { s } from "../scheduler/RequestScheduler";\n',
	});
	assert.match(
		check(dir, []).join("\n"),
		/session\/PlaywaveSession.ts -> scheduler\/RequestScheduler.ts: session may import only api, protocol, clock, not scheduler/,
	);
});

test("a type-only import counts, and product code importing the test fakes fails", () => {
	const dir = tree({
		...lawful,
		"client/PlaywaveNotices.ts": 'import type { Clock } from "../clock/Clock";\n',
		"server/Playwave.ts": 'import { FakeTransport } from "../testing/FakeTransport";\n',
	});
	assert.deepEqual(check(dir, []), [
		"client/PlaywaveNotices.ts -> clock/Clock.ts: client may import only shared, not clock",
		"server/Playwave.ts -> testing/FakeTransport.ts: product code must not import the test fakes",
	]);
});

test("a cycle inside one layer fails", () => {
	const dir = tree({
		...lawful,
		"server/ports.ts": 'import type { ServerPorts } from "./PlaywaveServer";\n',
		"server/PlaywaveServer.ts": 'import { LogPort } from "./ports";\n',
	});
	assert.deepEqual(check(dir, []), [
		"cycle: server/PlaywaveServer.ts -> server/ports.ts -> server/PlaywaveServer.ts: files import each other",
	]);
});

test("engine services outside the adapters fail; a folder outside every layer fails", () => {
	const dir = tree({
		...lawful,
		"session/PlaywaveSession.ts": 'import { HttpService } from "@rbxts/services";\n',
		"misc/thing.ts": "export {};\n",
	});
	assert.deepEqual(check(dir, []), [
		"misc/thing.ts: in no layer (add its folder to LAYERS in scripts/layers.mjs and to ARCHITECTURE.md)",
		"session/PlaywaveSession.ts -> @rbxts/services: only the engine adapters may import engine services (ENGINE_ADAPTERS)",
	]);
});

test("a listed known violation passes while it exists and fails once it is gone, so the list only shrinks", () => {
	const upward = { ...lawful, "protocol/requests.ts": 'import { y } from "../transport/HttpTransport";\n' };
	const known = [
		"protocol/requests.ts -> transport/HttpTransport.ts",
		"cycle: protocol/requests.ts -> transport/HttpTransport.ts -> protocol/requests.ts",
	];
	assert.deepEqual(check(tree(upward), known), []);
	assert.deepEqual(check(tree(lawful), known), [
		"protocol/requests.ts -> transport/HttpTransport.ts: listed in KNOWN_VIOLATIONS but gone; remove it from the list",
		"cycle: protocol/requests.ts -> transport/HttpTransport.ts -> protocol/requests.ts: listed in KNOWN_VIOLATIONS but gone; remove it from the list",
	]);
});
