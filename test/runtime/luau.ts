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

/** What a LuauState's host functions call: the server currently using the state. */
export interface HostTarget {
	/** `node` names the client engine that called (undefined: the server's own engine). */
	hostCall(op: string, payload: string, now: number, node?: string): string | undefined;
	hostOutput(level: string, text: string, now: number, node?: string): void;
}

/** A LuauState with host functions bound to whichever server holds it. */
export interface StateSlot {
	state: LuauState;
	target?: HostTarget;
	/** Compiled engine chunks of this state: a reused state boots without compiling them again. */
	engineChunks: Map<string, unknown>;
	/** Luau values JS holds for the current server (script chunks, the dispatch function). */
	held: unknown[];
}

const freeSlots: StateSlot[] = [];

/**
 * A LuauState for a new server. luau-web breaks states created after `LuauState.destroy()`, so the
 * states of disposed servers are reused: the engine boots afresh in them (its compiled chunks kept)
 * and, once JS lets go of the old server's values, the old engine is garbage.
 */
export async function acquireState(target: HostTarget): Promise<StateSlot> {
	const reused = freeSlots.pop();
	if (reused) {
		reused.target = target;
		return reused;
	}
	const { LuauState } = await loadLuauWeb();
	const slot: StateSlot = { state: undefined as unknown as LuauState, target, engineChunks: new Map(), held: [] };
	const noTarget = () => {
		throw new Error("this LuauState belongs to no server");
	};
	slot.state = await LuauState.createAsync({
		hostCall: (op: string, payload: string, now: number, node?: string) =>
			(slot.target ?? noTarget()).hostCall(op, payload, now, node ?? undefined),
		hostOutput: (level: string, text: string, now: number, node?: string) =>
			(slot.target ?? noTarget()).hostOutput(level, text, now, node ?? undefined),
		hostLoad: (source: string, chunkName: string) => hold(slot, slot.state.loadstring(source, chunkName, false)),
		hostRead: (path: string) => readPlaceFile(path),
		hostLoadEngine: (name: string) => engineChunk(slot, name),
	});
	return slot;
}

/** The compiled engine module `name` in this slot's state (a function returning the module). */
export function engineChunk(slot: StateSlot, name: string): unknown {
	let chunk = slot.engineChunks.get(name);
	if (chunk === undefined) {
		chunk = slot.state.loadstring(engineSource(name), `=engine/${name}`, true);
		slot.engineChunks.set(name, chunk);
	}
	return chunk;
}

/** Records a Luau value JS now references for the slot's current server; returns it. */
export function hold<T>(slot: StateSlot, value: T): T {
	if (typeof value === "function" || (typeof value === "object" && value !== null)) slot.held.push(value);
	return value;
}

interface LuaValueData {
	ref: number;
	stateIdx: number;
	released?: boolean;
	release(): void;
}

/**
 * Drops JS's references to Luau values: luau-web keeps each one in the registry and in a cache
 * keyed by registry slot, so both go (a reused slot must not find the stale value).
 */
async function releaseValues(values: unknown[]): Promise<void> {
	const { InternalLuauWasmModule: luau } = await loadLuauWeb();
	for (const value of values) {
		const data = (value as Record<symbol, LuaValueData | undefined>)[luau.LUA_VALUE];
		if (!data || data.released) continue;
		data.release();
		luau.states[data.stateIdx]?.luaValueCache.delete(data.ref);
	}
}

/** Gives a disposed server's state back for reuse. */
export async function releaseState(slot: StateSlot): Promise<void> {
	if (slot.target === undefined) return;
	slot.target = undefined;
	await releaseValues(slot.held.splice(0));
	freeSlots.push(slot);
}
