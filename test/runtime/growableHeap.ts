// luau-web 1.4.0 is built with a fixed 17 MB WebAssembly heap shared by every LuauState in the process,
// which is too small for a full game server (or several) and a test suite. This makes a copy of the
// package whose heap can grow: the wasm memory gets a maximum of 2 GiB and Emscripten's resize hook
// grows it instead of aborting. The copy lives in node_modules/.cache and is rebuilt when missing.
// The patch is checked, not guessed: if the pinned package ever changes shape, it fails loudly.
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const JSPI_CHECK = "if ('Suspending' in WebAssembly && 'promising' in WebAssembly)";
const MAX_PAGES = 32768; // 64 KiB pages: 2 GiB
const PATCH_VERSION = 1;

const RESIZE_ORIGINAL =
	"_emscripten_resize_heap=requestedSize=>{var oldSize=HEAPU8.length;requestedSize>>>=0;abortOnCannotGrowMemory(requestedSize)}";
const RESIZE_GROWING =
	"_emscripten_resize_heap=requestedSize=>{var oldSize=HEAPU8.length;requestedSize>>>=0;" +
	"var target=Math.max(requestedSize,Math.min(oldSize*2,oldSize+268435456));" +
	"try{wasmMemory.grow(Math.ceil((target-oldSize)/65536));updateMemoryViews();return true}" +
	"catch(e){abortOnCannotGrowMemory(requestedSize)}}";

function readLeb(bytes: Uint8Array, offset: number): [value: number, next: number] {
	let value = 0;
	let shift = 0;
	let byte: number;
	do {
		byte = bytes[offset++];
		value |= (byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	return [value >>> 0, offset];
}

function writeLeb(value: number): number[] {
	const out: number[] = [];
	do {
		let byte = value & 0x7f;
		value >>>= 7;
		if (value !== 0) byte |= 0x80;
		out.push(byte);
	} while (value !== 0);
	return out;
}

/** Rewrites the wasm memory section so the (single) memory may grow to MAX_PAGES. */
export function raiseMemoryMaximum(wasm: Buffer): Buffer {
	if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error("not a wasm module");
	const parts: Buffer[] = [wasm.subarray(0, 8)];
	let offset = 8;
	let patched = false;
	while (offset < wasm.length) {
		const id = wasm[offset];
		const [size, bodyStart] = readLeb(wasm, offset + 1);
		const end = bodyStart + size;
		if (id === 5) {
			const body = wasm.subarray(bodyStart, end);
			const [count, flagsAt] = readLeb(body, 0);
			if (count !== 1) throw new Error(`expected one wasm memory, found ${count}`);
			const [minimum] = readLeb(body, flagsAt + 1);
			const newBody = Buffer.from([...writeLeb(1), 0x01, ...writeLeb(minimum), ...writeLeb(MAX_PAGES)]);
			parts.push(Buffer.from([5, ...writeLeb(newBody.length)]), newBody);
			patched = true;
		} else {
			parts.push(wasm.subarray(offset, end));
		}
		offset = end;
	}
	if (!patched) throw new Error("wasm module has no memory section");
	return Buffer.concat(parts);
}

/** Patches the Asyncify build's JS glue (embedded wasm and resize hook). */
export function patchGlue(source: string): string {
	const embedded = /base64Decode\("([A-Za-z0-9+/=]+)"\)/.exec(source);
	if (!embedded) throw new Error("luau-web: embedded wasm not found; is luau-web still 1.4.0?");
	if (!source.includes(RESIZE_ORIGINAL))
		throw new Error("luau-web: heap resize hook not found; is luau-web still 1.4.0?");
	const wasm = raiseMemoryMaximum(Buffer.from(embedded[1], "base64"));
	return source.replace(embedded[1], () => wasm.toString("base64")).replace(RESIZE_ORIGINAL, () => RESIZE_GROWING);
}

/**
 * Path of the growable copy's entry module (created on first use, under `cacheRoot`, by default
 * node_modules/.cache/playwave-runtime). Several processes may start at once on a fresh install: each
 * builds its own copy in a private temporary directory and renames it into place, so nobody ever
 * reads a half-written copy; the first rename wins and the others discard theirs.
 */
export function growableLuauWebEntry(cacheRoot?: string): string {
	const packageJson = require.resolve("luau-web/package.json");
	const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
	const sourceDir = join(dirname(packageJson), "src");
	const root = cacheRoot ?? join(dirname(packageJson), "..", ".cache", "playwave-runtime");
	const target = join(root, `luau-web-${version}-growable-${PATCH_VERSION}`);
	const entry = join(target, "index.js");
	if (existsSync(join(target, "READY"))) return entry;
	mkdirSync(root, { recursive: true });
	const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
	try {
		buildCopy(sourceDir, temp);
		for (let attempt = 0; ; attempt++) {
			try {
				renameSync(temp, target);
				break;
			} catch (e) {
				if (existsSync(join(target, "READY"))) break; // another process got there first
				// A copy left half-made by an older, non-atomic runtime: clear it and try again.
				if (attempt >= 3) throw e;
				rmSync(target, { recursive: true, force: true });
			}
		}
	} finally {
		rmSync(temp, { recursive: true, force: true });
	}
	return entry;
}

function buildCopy(sourceDir: string, target: string): void {
	mkdirSync(target, { recursive: true });
	cpSync(sourceDir, target, { recursive: true });
	writeFileSync(join(target, "package.json"), JSON.stringify({ type: "module" }));
	// Always the Asyncify build (the JSPI build, picked where available, has the same fixed heap).
	const entry = join(target, "index.js");
	const index = readFileSync(entry, "utf8");
	if (!index.includes(JSPI_CHECK)) throw new Error("luau-web: build selection not found; is luau-web still 1.4.0?");
	writeFileSync(entry, index.replace(JSPI_CHECK, "if (false)"));
	const glue = join(target, "lib", "Luau.Web.Asyncify.js");
	writeFileSync(glue, patchGlue(readFileSync(glue, "utf8")));
	writeFileSync(join(target, "READY"), "");
}
