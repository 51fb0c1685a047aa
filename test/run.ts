// `npm test`: runs the compiled specs in the headless runtime, then the runtime's own tests, and
// ends with one line of totals. Options: --project <file> (default test.project.json),
// --spec-timeout <virtual seconds>, --no-runtime-tests, --verbose (echo the server's output).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runSpecs } from "./runtime/specRunner";

function option(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Totals {
	passed: number;
	failed: number;
	skipped: number;
}

async function specs(totals: Totals): Promise<boolean> {
	const project = option("--project") ?? "test.project.json";
	const timeout = option("--spec-timeout");
	const report = await runSpecs({
		project,
		specTimeout: timeout === undefined ? undefined : Number(timeout),
		echo: process.argv.includes("--verbose"),
	});
	let ok = true;
	const results = report.results;
	if (results) {
		totals.passed += results.passed;
		totals.failed += results.failed;
		totals.skipped += results.skipped;
		for (const failure of results.failures) {
			console.log(`FAIL ${failure.path}\n  ${failure.message.replace(/\n/g, "\n  ")}`);
		}
		for (const message of results.loadErrors) {
			console.log(`LOAD ERROR ${message}`);
			totals.failed += 1;
		}
		if (results.failed > 0 || results.loadErrors.length > 0) ok = false;
		console.log(
			`specs: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped ` +
				`(${report.virtualSeconds.toFixed(1)} virtual s)`,
		);
	}
	if (report.timeout) {
		console.log(`TIMEOUT ${report.timeout}`);
		totals.failed += 1;
		ok = false;
	}
	if (report.crash) {
		console.log(`CRASH ${report.crash}`);
		totals.failed += 1;
		ok = false;
	}
	if (!results && !report.timeout && !report.crash) {
		console.log("the spec bootstrap did not report results");
		ok = false;
	}
	if (!results) {
		const errors = report.errors.filter((e) => !e.startsWith("Requested module experienced"));
		if (errors.length > 0) console.log(`server errors:\n${errors.map((e) => `  ${e}`).join("\n")}`);
	}
	return ok;
}

function runtimeTests(totals: Totals): boolean {
	const dir = join(__dirname, "runtime", "tests");
	const files = readdirSync(dir)
		.filter((f) => f.endsWith(".test.ts"))
		.map((f) => join(dir, f));
	if (files.length === 0) return true;
	const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...files], {
		encoding: "utf8",
	});
	const out = result.stdout;
	const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, "m").exec(out)?.[1] ?? 0);
	const passed = count("pass");
	const failed = count("fail") + count("cancelled");
	const skipped = count("skipped") + count("todo");
	totals.passed += passed;
	totals.failed += failed;
	totals.skipped += skipped;
	if (failed > 0 || result.status !== 0) {
		process.stdout.write(out);
		process.stderr.write(result.stderr);
	}
	console.log(`runtime tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
	return result.status === 0 && failed === 0;
}

async function main(): Promise<void> {
	const started = performance.now();
	const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
	let ok = await specs(totals);
	if (!process.argv.includes("--no-runtime-tests")) ok = runtimeTests(totals) && ok;
	console.log(`real time: ${((performance.now() - started) / 1000).toFixed(2)} s`);
	console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
	process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	console.log("0 passed, 1 failed, 0 skipped");
	process.exitCode = 1;
});
