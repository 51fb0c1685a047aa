import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const RUN = join(__dirname, "..", "..", "run.ts");
const FIXTURES = join(__dirname, "fixtures", "specs");

function run(project: string, ...extra: string[]) {
	const result = spawnSync(
		process.execPath,
		[
			"--import",
			"tsx",
			RUN,
			"--project",
			join(FIXTURES, project),
			"--no-runtime-tests",
			"--signal-behavior",
			"Deferred",
			...extra,
		],
		{ encoding: "utf8" },
	);
	const lines = result.stdout.trimEnd().split("\n");
	return { status: result.status, stdout: result.stdout, last: lines[lines.length - 1] };
}

describe("test/run.ts", () => {
	it("fails with each failing spec's name and message, and counts load errors", () => {
		const { status, stdout, last } = run("failing.project.json");
		assert.equal(status, 1);
		assert.match(
			stdout,
			/FAIL \(deferred events\) Playwave broken broken fails on purpose\n {2}ReplicatedStorage\.Playwave\.broken\.spec:4: Expected value "expected"/,
		);
		assert.match(stdout, /LOAD ERROR ReplicatedStorage\.Playwave\.unloadable\.spec: .*this spec cannot load/);
		assert.equal(last, "2 passed, 2 failed, 1 skipped");
	});

	it("reports a spec that yields forever as a timeout naming it", () => {
		const { status, stdout, last } = run("hanging.project.json");
		assert.equal(status, 1);
		assert.match(stdout, /TIMEOUT \(deferred events\) spec "Playwave forever hanging yields forever" timed out/);
		// The spec that finished before the hang still counts.
		assert.equal(last, "1 passed, 1 failed, 0 skipped");
	});

	it("stops a spec that loops without yielding and names it", () => {
		const { status, stdout, last } = run("looping.project.json", "--spec-real-timeout", "8");
		assert.equal(status, 1);
		assert.match(
			stdout,
			/CRASH \(deferred events\) spec "Playwave busy looping never yields" did not finish within 8 real seconds/,
		);
		assert.equal(last, "0 passed, 1 failed, 0 skipped");
	});
});
