// Builds what the e2e places load, when it is missing or older than the sources: the npm build (`out/`,
// `include/`) and the Wally package (`build/wally`). Used by `npm run test:e2e` and `npm run demo`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
// Stamps of the last successful builds (rbxtsc leaves unchanged outputs untouched, so their mtimes say little).
const stamps = join(root, "node_modules", ".cache", "playwave-e2e");

function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
	}
	return latest;
}

function stale(name: string, output: string, sources: string[]): boolean {
	const stamp = join(stamps, name);
	if (!existsSync(join(root, output)) || !existsSync(stamp)) return true;
	const built = statSync(stamp).mtimeMs;
	return sources.some((source) => newest(join(root, source)) > built);
}

function stampNow(name: string) {
	mkdirSync(stamps, { recursive: true });
	writeFileSync(join(stamps, name), new Date().toISOString());
}

/** Runs a build; when it fails but a previous output is there, warns and goes on with that one. */
function run(script: string, output: string): boolean {
	console.log(`> npm run ${script}`);
	try {
		execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", script], {
			cwd: root,
			stdio: "inherit",
		});
		return true;
	} catch {
		if (!existsSync(join(root, output))) {
			console.error(`npm run ${script} failed and there is no previous build (${output})`);
			process.exit(1);
		}
		console.warn(`warning: npm run ${script} failed; using the previous build in ${output}`);
		return false;
	}
}

export function prepare(): void {
	if (stale("npm", "out/init.luau", ["src"]) || !existsSync(join(root, "include", "RuntimeLib.lua"))) {
		if (run("build", "out/init.luau")) stampNow("npm");
	}
	if (stale("wally", "build/wally/src/out/init.luau", ["src", "wally"])) {
		if (run("build:wally", "build/wally/src/out/init.luau")) stampNow("wally");
	}
}

if (require.main === module) prepare();
