// Builds what the e2e places load, when it is missing or older than the sources: the npm build (`out/`,
// `include/`) and the Wally package (`build/wally`). Used by `npm run test:e2e` and `npm run demo`.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
	}
	return latest;
}

function stale(output: string, sources: string[]): boolean {
	const path = join(root, output);
	if (!existsSync(path)) return true;
	const built = statSync(path).mtimeMs;
	return sources.some((source) => newest(join(root, source)) > built);
}

function run(script: string) {
	console.log(`> npm run ${script}`);
	execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", script], { cwd: root, stdio: "inherit" });
}

export function prepare(): void {
	if (stale("out/init.luau", ["src"]) || !existsSync(join(root, "include", "RuntimeLib.lua"))) run("build");
	if (stale("build/wally/src/out/init.luau", ["src", "wally"])) {
		// scripts/build-wally.mjs empties build/wally but keeps its incremental build info
		// (build/wally.tsbuildinfo), so a rebuild would emit nothing: drop it first.
		rmSync(join(root, "build", "wally.tsbuildinfo"), { force: true });
		run("build:wally");
	}
}

if (require.main === module) prepare();
