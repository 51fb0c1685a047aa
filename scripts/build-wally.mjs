// Builds the Wally package in build/wally: a model-mode compile (plain Luau `require` works on it) with
// its own roblox-ts runtime and the runtime @rbxts dependencies bundled, the typed Luau entry, a Rojo
// project and wally.toml (realm = "server").
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const root = "build/wally";
const src = `${root}/src`;

rmSync(root, { recursive: true, force: true });
rmSync("build/wally.tsbuildinfo", { force: true }); // or rbxtsc thinks the deleted output is up to date
mkdirSync(src, { recursive: true });
cpSync("wally/init.luau", `${src}/init.luau`);
try {
	execFileSync(
		process.execPath,
		[
			require.resolve("roblox-ts/out/CLI/cli.js"),
			"-p",
			"tsconfig.wally.json",
			"--type",
			"model",
			"--rojo",
			"wally/build.project.json",
			"--includePath",
			`${src}/include`,
		],
		{ stdio: "inherit" },
	);
} catch {
	process.exit(1);
}
rmSync(`${src}/out/testing`, { recursive: true, force: true });
for (const name of Object.keys(pkg.dependencies ?? {})) {
	if (!name.startsWith("@rbxts/")) continue;
	cpSync(`node_modules/${name}`, `${src}/node_modules/${name}`, {
		recursive: true,
		filter: (path) => !path.endsWith(".d.ts") && !path.endsWith(".tsbuildinfo"),
	});
}
writeFileSync(
	`${root}/default.project.json`,
	JSON.stringify({ name: "playwave", tree: { $path: "src" } }, null, "\t") + "\n",
);
const wallyToml = readFileSync("wally.toml", "utf8").replace(/^version = ".*"$/m, `version = "${pkg.version}"`);
writeFileSync(`${root}/wally.toml`, wallyToml);
console.log(`Wally package ready in ${root} (version ${pkg.version}); publish with: cd ${root} && wally publish`);
