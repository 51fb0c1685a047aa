// The layer check, run by `npm run lint`: every import in src/ must go down the layer picture in
// ARCHITECTURE.md, files must not import each other in a cycle, and only the engine adapters may
// import @rbxts/services. Specs (*.spec.ts) may import anything; nothing else may import src/testing.
//
// Usage: node scripts/layers.mjs [srcDir]    (exit code 1 and one line per problem when it fails)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** What the facade stands on: every layer below it (the index adds the facade and the client module). */
const UNDER_SERVER = [
	"playtest",
	"handover",
	"ports",
	"session",
	"api",
	"scheduler",
	"transport",
	"protocol",
	"clock",
	"log",
	"shared",
];

/**
 * The layers, from the bottom up, and what each may import besides itself. A folder of src/ is one
 * layer; a file at the top of src/ names its layer in FILE_LAYERS. Keep in step with ARCHITECTURE.md.
 */
export const LAYERS = {
	shared: { allow: [], about: "what the server and the client say to each other" },
	clock: { allow: [], about: "the time seam (Clock, RandomSource) and its engine adapter" },
	log: { allow: [], about: "developer warnings, each said once" },
	protocol: { allow: [], about: "pure PlayWave rules: ids, requests, response parsing, outcomes, timing" },
	transport: { allow: ["protocol", "clock", "log"], about: "HttpService behind an interface; raw responses" },
	scheduler: { allow: ["transport", "protocol", "clock", "log"], about: "the budget, pacing and back-off" },
	api: { allow: ["scheduler", "transport", "protocol", "clock", "log"], about: "the API client: typed calls" },
	session: { allow: ["api", "protocol", "clock"], about: "one player's session state machine" },
	ports: { allow: ["shared", "protocol", "clock"], about: "the engine as the server facade sees it" },
	handover: { allow: ["ports", "protocol", "clock"], about: "the teleport hand-over record and its claim" },
	playtest: {
		allow: ["ports", "session", "api", "transport", "protocol", "clock"],
		about: "the Studio stand-in, plugged in by the facade through ports",
	},
	server: { allow: UNDER_SERVER, about: "the server facade, its config, Playwave.start and the engine adapters" },
	client: { allow: ["shared"], about: "the client module (LocalScript side)" },
	index: { allow: ["server", ...UNDER_SERVER, "client"], about: "the public API" },
	testing: { allow: "*", about: "fakes and harnesses for specs; never imported by product code" },
};

/** Files at the top of src/ and the layer each belongs to. */
export const FILE_LAYERS = {
	"index.ts": "index",
};

/** The only product files that may import engine services (@rbxts/services): the engine adapters. */
export const ENGINE_ADAPTERS = [
	"clock/TaskClock.ts",
	"transport/engine.ts",
	"server/engine.ts",
	"client/PlaywaveNotices.ts",
];

/**
 * Imports that run against the layers today, each to be removed by a file move (issue #13). The
 * check fails on any import not listed here, and on a listed one that no longer exists, so the list
 * only shrinks.
 */
export const KNOWN_VIOLATIONS = [];

function walk(dir) {
	const files = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) files.push(...walk(path));
		else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) files.push(path);
	}
	return files;
}

const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;

/** The module specifiers a file imports or re-exports (type-only imports count too). */
export function importsOf(text) {
	return [...text.matchAll(IMPORT)].map((match) => match[1]);
}

function layerOf(file) {
	const parts = file.split("/");
	if (parts.length === 1) return FILE_LAYERS[file];
	return Object.hasOwn(LAYERS, parts[0]) ? parts[0] : undefined;
}

function resolveImport(srcDir, from, specifier) {
	const base = resolve(dirname(join(srcDir, from)), specifier);
	for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
		try {
			if (statSync(candidate).isFile()) return relative(srcDir, candidate).split(sep).join("/");
		} catch {
			// not this one
		}
	}
	return undefined;
}

/**
 * What an import of `target` (a file of src/, or "@rbxts/services") from `file` in `layer` breaks, in
 * words; undefined when the picture allows it.
 */
function broken(file, layer, target) {
	if (target === "@rbxts/services") {
		if (layer === "testing" || ENGINE_ADAPTERS.includes(file)) return undefined;
		return "only the engine adapters may import engine services (ENGINE_ADAPTERS)";
	}
	const targetLayer = layerOf(target);
	if (targetLayer === layer) return undefined;
	if (targetLayer === "testing") return "product code must not import the test fakes";
	const allow = LAYERS[layer].allow;
	if (allow === "*" || allow.includes(targetLayer)) return undefined;
	return `${layer} may import only ${allow.length > 0 ? allow.join(", ") : "nothing outside itself"}, not ${targetLayer}`;
}

/** Every problem in `srcDir`, as lines a reader can act on. */
export function check(srcDir, known = KNOWN_VIOLATIONS) {
	const problems = [];
	const seen = new Set();
	// Every broken rule (an import or a cycle) goes through here: a listed one is only marked as seen.
	const report = (key, why) => {
		if (known.includes(key)) seen.add(key);
		else problems.push(`${key}: ${why}`);
	};
	const graph = new Map();
	const files = walk(srcDir).map((path) => relative(srcDir, path).split(sep).join("/"));
	for (const file of files) {
		const isSpec = file.endsWith(".spec.ts");
		const layer = layerOf(file);
		if (layer === undefined) {
			problems.push(
				`${file}: in no layer (add its folder to LAYERS in scripts/layers.mjs and to ARCHITECTURE.md)`,
			);
			continue;
		}
		const edges = [];
		for (const specifier of importsOf(readFileSync(join(srcDir, file), "utf8"))) {
			const engine = specifier === "@rbxts/services";
			if (!engine && !specifier.startsWith(".")) continue;
			const target = engine ? specifier : resolveImport(srcDir, file, specifier);
			if (target === undefined) {
				problems.push(`${file}: cannot resolve "${specifier}"`);
				continue;
			}
			if (isSpec) continue;
			if (!engine && layer !== "testing" && layerOf(target) !== "testing") edges.push(target);
			const why = broken(file, layer, target);
			if (why !== undefined) report(`${file} -> ${target}`, why);
		}
		if (!isSpec) graph.set(file, edges);
	}
	for (const cycle of cycles(graph)) report(`cycle: ${cycle.join(" -> ")}`, "files import each other");
	for (const edge of known) {
		if (!seen.has(edge)) problems.push(`${edge}: listed in KNOWN_VIOLATIONS but gone; remove it from the list`);
	}
	return problems;
}

/** The import cycles of a file graph, each from its smallest file name. */
export function cycles(graph) {
	const found = new Set();
	const state = new Map();
	const stack = [];
	const visit = (file) => {
		state.set(file, "open");
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === "open") {
				const loop = stack.slice(stack.indexOf(next));
				const start = loop.indexOf([...loop].sort()[0]);
				const ordered = [...loop.slice(start), ...loop.slice(0, start)];
				found.add([...ordered, ordered[0]].join(" -> "));
			} else if (!state.has(next)) {
				visit(next);
			}
		}
		stack.pop();
		state.set(file, "done");
	};
	for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
	return [...found].map((line) => line.split(" -> "));
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const srcDir = resolve(process.argv[2] ?? "src");
	const problems = check(srcDir);
	for (const problem of problems) console.log(`layers: ${problem}`);
	if (problems.length > 0) {
		console.log(`layers: ${problems.length} problem(s); the layer picture is in ARCHITECTURE.md`);
		process.exit(1);
	}
	if (KNOWN_VIOLATIONS.length > 0) {
		console.log(`layers: ok, with ${KNOWN_VIOLATIONS.length} known violation(s) left to remove (KNOWN_VIOLATIONS)`);
	}
}
