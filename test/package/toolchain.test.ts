// The repository's own tooling: pinned tools, the CI and release workflows (they cannot run here, so
// they are parsed and checked for the steps they promise), and the pinning policy of package.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { ROOT } from "./packing";

interface Workflow {
	on: Record<string, unknown>;
	jobs: Record<string, { "runs-on": string; steps: Array<{ run?: string; uses?: string }> }>;
}

function workflow(name: string): Workflow {
	return parse(readFileSync(join(ROOT, ".github", "workflows", name), "utf8")) as Workflow;
}

function commands(flow: Workflow): string {
	return Object.values(flow.jobs)
		.flatMap((job) => job.steps.map((step) => step.run ?? ""))
		.join("\n");
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
	scripts: Record<string, string>;
	dependencies: Record<string, string>;
	devDependencies: Record<string, string>;
	engines: { node: string };
};

test("aftman.toml (read by rokit and aftman) pins every Luau tool exactly; StyLua matches the npm one", () => {
	const tools = new Map<string, string>();
	for (const line of readFileSync(join(ROOT, "aftman.toml"), "utf8").split("\n")) {
		const pin = /^([\w-]+)\s*=\s*"([\w-]+\/[\w-]+)@(\d+\.\d+\.\d+)"$/.exec(line.trim());
		if (pin) tools.set(pin[1], pin[3]);
	}
	assert.deepEqual([...tools.keys()].sort(), ["luau-lsp", "rojo", "selene", "stylua", "wally"]);
	assert.equal(tools.get("stylua"), pkg.devDependencies["@johnnymorganz/stylua-bin"]);
});

test("CI installs the pinned tools, lints, runs selene on what StyLua formats, tests, and type-checks the Luau entry", () => {
	const ci = workflow("ci.yml");
	assert.ok("push" in ci.on && "pull_request" in ci.on);
	const run = commands(ci);
	assert.match(run, /rokit"? install/);
	assert.match(run, /npm ci/);
	assert.match(run, /npm run lint/);
	assert.match(run, /npm test/);
	assert.match(run, /npm run docs/);
	assert.match(run, /luau-lsp analyze[\s\S]*build\/wally\/src\/init\.luau/);
	const styluaDirs = /stylua --check ([\w ]+)/.exec(pkg.scripts.lint)?.[1].trim();
	assert.ok(styluaDirs, "npm run lint runs StyLua");
	assert.match(run, new RegExp(`selene ${styluaDirs}`), "selene lints the trees StyLua formats");
	const node = Object.values(ci.jobs)
		.flatMap((job) => job.steps)
		.find((step) => step.uses?.startsWith("actions/setup-node"));
	assert.ok(node, "CI sets up Node");
});

test("one tag publishes both packages: npm and Wally, after the tests, with the tag checked against package.json", () => {
	const release = workflow("release.yml");
	assert.deepEqual(Object.keys(release.on), ["push"]);
	assert.ok(JSON.stringify(release.on).includes("v*.*.*"));
	const run = commands(release);
	const order = ["npm test", "npm publish", "wally publish"].map((step) => run.indexOf(step));
	assert.ok(
		order.every((at) => at >= 0),
		run,
	);
	assert.deepEqual(
		[...order].sort((a, b) => a - b),
		order,
		"tests, then npm, then Wally",
	);
	assert.match(run, /cd build\/wally && wally publish/);
	assert.match(run, /require\('\.\/package\.json'\)\.version/);
});

test("tools are pinned exactly; runtime dependencies take caret ranges; Node >= 20.11", () => {
	for (const [name, range] of Object.entries(pkg.devDependencies)) {
		assert.match(range, /^\d+\.\d+\.\d+(-[\w.]+)?$/, `${name}: ${range} is not an exact pin`);
	}
	for (const [name, range] of Object.entries(pkg.dependencies)) {
		assert.match(range, /^\^\d+\.\d+\.\d+$/, `${name}: ${range} is not a caret range`);
	}
	assert.equal(pkg.engines.node, ">=20.11");
});
