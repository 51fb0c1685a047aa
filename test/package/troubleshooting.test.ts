// The README's Troubleshooting (and Setup) sections explain every message the SDK prints or raises: every
// constant part of the messages at the SDK's error/warn/info call sites and message builders appears there.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./packing";

/**
 * Calls that raise or print: error() and warn() (not a method such as the stand-in's HTTP `this.error`),
 * the config's fail(), the server's warnOnce() and debug(), log.warn/info.
 */
const CALL = /(?:(?<![\w.:])(?:error|fail|warn)|\bthis\.(?:warnOnce|debug)|\blog\.(?:warn|info))\(/g;
/** Functions that build messages passed to those calls. */
const BUILDERS = /function (?:missingSecret|describePlaytest)\b[^{]*\{/g;
/** Constants holding such messages. */
const CONSTANTS = /\bPLAYTEST_REFUSED =([\s\S]*?);\n/g;
const LITERAL = /`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const STRING_AT = new RegExp(`^(?:${LITERAL.source})`);
/** Shorter constant parts (": ", " -> ") say nothing on their own. */
const MIN_FRAGMENT = 12;

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === "testing" ? [] : sources(path);
		return path.endsWith(".ts") && !path.endsWith(".spec.ts") ? [path] : [];
	});
}

/** The text from `start` to the parenthesis or brace that closes the one opened just before it. */
function balanced(text: string, start: number): string {
	let depth = 1;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (c === "(" || c === "{") depth++;
		else if (c === ")" || c === "}") depth--;
		else if (c === '"' || c === "'" || c === "`") {
			const literal = STRING_AT.exec(text.slice(i));
			i += (literal?.[0].length ?? 1) - 1;
		}
		if (depth === 0) return text.slice(start, i);
	}
	return text.slice(start);
}

function fragments(code: string): string[] {
	const found: string[] = [];
	for (const literal of code.match(LITERAL) ?? []) {
		const body = literal.slice(1, -1).replace(/\\(["'`\\])/g, "$1");
		// TypeScript `${…}` and Luau `{…}` interpolations are the variable parts.
		const parts = literal.startsWith("`") ? body.split(/\$?\{[^}]*\}/) : [body];
		for (const part of parts) {
			const text = part.replace(/^\[Playwave\] /, "");
			// Keys and Lua patterns (no spaces) are not message text.
			if (text.trim().length >= MIN_FRAGMENT && /\s/.test(text.trim())) found.push(text);
		}
	}
	return found;
}

test("every message the SDK raises or prints is explained in the README", () => {
	const readme = readFileSync(join(ROOT, "README.md"), "utf8");
	const missing: string[] = [];
	let checked = 0;
	const files = [...sources(join(ROOT, "src")), join(ROOT, "wally", "init.luau")];
	for (const file of files) {
		const text = readFileSync(file, "utf8");
		const code = text.replace(/^\s*(?:\/\/|\*|--).*$/gm, ""); // comments (and their examples) are not messages
		const sites = [
			...[...code.matchAll(CALL), ...code.matchAll(BUILDERS)].map((m) => balanced(code, m.index + m[0].length)),
			...[...code.matchAll(CONSTANTS)].map((m) => m[1]),
		];
		for (const fragment of sites.flatMap(fragments)) {
			checked++;
			if (!readme.includes(fragment)) missing.push(`${file.slice(ROOT.length + 1)}: "${fragment}"`);
		}
	}
	assert.ok(checked >= 20, `only ${checked} message fragments found: the scan is broken`);
	assert.deepEqual(missing, [], "messages the README does not explain");
});
