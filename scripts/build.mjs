// Compiles the SDK with rbxtsc (package mode) and refreshes include/ with the roblox-ts runtime
// that the test place needs: package-mode output does not copy it, and it must match the compiler.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const compilerInclude = join(dirname(require.resolve("roblox-ts/package.json")), "include");
mkdirSync("include", { recursive: true });
for (const file of ["RuntimeLib.lua", "Promise.lua"]) {
	copyFileSync(join(compilerInclude, file), join("include", file));
}
try {
	execFileSync(process.execPath, [require.resolve("roblox-ts/out/CLI/cli.js"), ...process.argv.slice(2)], {
		stdio: "inherit",
	});
} catch {
	process.exit(1); // rbxtsc already printed the diagnostics
}
