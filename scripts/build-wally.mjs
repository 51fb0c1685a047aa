// Builds the Wally package in build/wally: a model-mode compile (plain Luau `require` works on it) with
// its own roblox-ts runtime and the runtime @rbxts dependencies bundled, the typed Luau entry, a Rojo
// project, wally.toml (realm = "shared", from the private root template), LICENSE and the licenses of
// everything bundled (THIRD_PARTY_NOTICES.md).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// roblox-ts copies Promise.lua from evaera/roblox-lua-promise into its include/ without that license file.
const PROMISE_LICENSE = `MIT License

Copyright (c) 2019 Eryn L. K.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
IN THE SOFTWARE.`;

// The ISC terms, for a dependency that declares ISC but ships no license file.
const ISC_TERMS = {
	ISC: `Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is
hereby granted, provided that the above copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING
ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL,
DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS,
WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE
USE OR PERFORMANCE OF THIS SOFTWARE.`,
};
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
const wallyToml = readFileSync("wally.toml", "utf8")
	.replace(/^version = ".*"$/m, `version = "${pkg.version}"`)
	.replace(/^private = true\n/m, "");
if (/^private\s*=/m.test(wallyToml)) throw new Error("wally.toml: the published manifest must not be private");
writeFileSync(`${root}/wally.toml`, wallyToml);
cpSync("LICENSE", `${root}/LICENSE`);
writeFileSync(`${root}/THIRD_PARTY_NOTICES.md`, thirdPartyNotices());

/** The license of each bundled component, read from node_modules (what was actually bundled). */
function thirdPartyNotices() {
	const parts = [
		"# Third-party notices\n",
		"The Wally package of playwave/playwave bundles the following components. Each keeps its own license.\n",
	];
	const component = (title, version, license, source, text) =>
		parts.push(`## ${title} ${version}\n\nLicense: ${license} (as its package declares). Source: ${source}.\n\n\`\`\`text\n${text.trim()}\n\`\`\`\n`);
	const compiler = JSON.parse(readFileSync("node_modules/roblox-ts/package.json", "utf8"));
	component(
		"roblox-ts runtime (include/RuntimeLib.lua)",
		compiler.version,
		compiler.license,
		"https://github.com/roblox-ts/roblox-ts",
		readFileSync("node_modules/roblox-ts/LICENSE", "utf8"),
	);
	component(
		"Promise (include/Promise.lua, shipped with roblox-ts)",
		compiler.version,
		"MIT",
		"https://github.com/evaera/roblox-lua-promise",
		PROMISE_LICENSE,
	);
	for (const name of Object.keys(pkg.dependencies ?? {})) {
		if (!name.startsWith("@rbxts/")) continue;
		const dir = `node_modules/${name}`;
		const meta = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));
		const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].find((candidate) => existsSync(`${dir}/${candidate}`));
		const repository = typeof meta.repository === "string" ? meta.repository : meta.repository?.url;
		const text = file
			? readFileSync(`${dir}/${file}`, "utf8")
			: `${name} ships no license file; its package.json declares "${meta.license}", whose terms are:\n\n` +
				(ISC_TERMS[meta.license] ?? "(see https://spdx.org/licenses/)");
		component(name, meta.version, meta.license, repository ?? `https://www.npmjs.com/package/${name}`, text);
	}
	return parts.join("\n");
}

console.log(`Wally package ready in ${root} (version ${pkg.version}); publish with: cd ${root} && wally publish`);
