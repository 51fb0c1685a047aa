// Loads luau-web (an ES module with top-level await) from CommonJS, and the engine's Luau sources.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { growableLuauWebEntry } from "./growableHeap";
import type { LuauState as LuauStateType } from "luau-web";

export type LuauState = LuauStateType;
type LuauWeb = typeof import("luau-web");

let luauWeb: Promise<LuauWeb> | undefined;

/** The luau-web module, imported once per process. */
export function loadLuauWeb(): Promise<LuauWeb> {
	// A copy of luau-web whose heap can grow past its built-in 17 MB (see growableHeap.ts).
	luauWeb ??= import(pathToFileURL(growableLuauWebEntry()).href) as Promise<LuauWeb>;
	return luauWeb;
}

const ENGINE_DIR = join(__dirname, "engine");
const engineSources = new Map<string, string>();

/** Source of one engine module (`test/runtime/engine/<name>.luau`), cached for the process. */
export function engineSource(name: string): string {
	let source = engineSources.get(name);
	if (source === undefined) {
		source = readFileSync(join(ENGINE_DIR, `${name}.luau`), "utf8");
		engineSources.set(name, source);
	}
	return source;
}

const fileCache = new Map<string, string | undefined>();

/** Script and JSON sources of the place, read once per process. */
export function readPlaceFile(path: string): string | undefined {
	if (!fileCache.has(path)) {
		try {
			fileCache.set(path, readFileSync(path, "utf8"));
		} catch {
			fileCache.set(path, undefined);
		}
	}
	return fileCache.get(path);
}
