// `npm test`: runs the compiled specs in the headless runtime, then the runtime's own tests, and
// ends with one line of totals. Options: --project <file> (default test.project.json),
// --spec-timeout <virtual seconds>, --spec-real-timeout <real seconds per spec, default 30>,
// --no-runtime-tests (skip the node:test suites), --verbose (echo the server's output).
import { fork, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { partialResults, type SpecRunOptions } from "./runtime/specRunner";
import type { SpecOutcome } from "./runtime/types";
import type { SpecWorkerMessage } from "./runtime/specWorker";

function option(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Totals {
	passed: number;
	failed: number;
	skipped: number;
}

type Report = Omit<Extract<SpecWorkerMessage, { type: "report" }>, "type">;

/**
 * Runs the specs in a child process with a real-time watchdog per spec: Luau cannot be interrupted,
 * so a spec in a busy loop is stopped from outside, and a VM abort only ends the child.
 */
function runSpecsIsolated(options: SpecRunOptions, realSecondsPerSpec: number): Promise<Report> {
	return new Promise((resolve) => {
		const child = fork(join(__dirname, "runtime", "specWorker.ts"), [JSON.stringify(options)], {
			execArgv: ["--import", "tsx"],
		});
		let current: string | undefined;
		let report: Report | undefined;
		const done: SpecOutcome[] = [];
		let stalled = false;
		let timer: NodeJS.Timeout | undefined;
		const arm = () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				stalled = true;
				child.kill("SIGKILL");
			}, realSecondsPerSpec * 1000);
		};
		arm();
		child.on("message", (message: SpecWorkerMessage) => {
			if (message.type === "spec") {
				current = message.path ?? current;
				arm();
			} else if (message.type === "specDone") {
				done.push(message.outcome);
			} else {
				report = message;
			}
		});
		child.on("exit", (code) => {
			clearTimeout(timer);
			const who = current === undefined ? "the spec bootstrap" : `spec "${current}"`;
			if (report) resolve(report);
			else if (stalled)
				resolve({
					results: partialResults(done),
					crash: `${who} did not finish within ${realSecondsPerSpec} real seconds (a loop that never yields?)`,
					errors: [],
					virtualSeconds: 0,
				});
			else
				resolve({
					results: partialResults(done),
					crash: `${who} crashed the runtime (exit code ${code})`,
					errors: [],
					virtualSeconds: 0,
				});
		});
	});
}

async function specs(totals: Totals): Promise<boolean> {
	const project = option("--project") ?? "test.project.json";
	const timeout = option("--spec-timeout");
	const realTimeout = option("--spec-real-timeout");
	const report = await runSpecsIsolated(
		{
			project,
			specTimeout: timeout === undefined ? undefined : Number(timeout),
			echo: process.argv.includes("--verbose"),
		},
		realTimeout === undefined ? 30 : Number(realTimeout),
	);
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
				(results.partial ? "before the run stopped" : `(${report.virtualSeconds.toFixed(1)} virtual s)`),
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

/**
 * The node:test suites that run after the specs: the runtime's, the simulator's, the end-to-end scenarios
 * and the package checks (npm pack, README code blocks, examples).
 */
const NODE_SUITES: ReadonlyArray<{ label: string; dir: string }> = [
	{ label: "runtime tests", dir: join(__dirname, "runtime", "tests") },
	{ label: "simulator tests", dir: join(__dirname, "simulator", "tests") },
	{ label: "end-to-end scenarios", dir: join(__dirname, "e2e") },
	{ label: "package checks", dir: join(__dirname, "package") },
];

function nodeSuite(label: string, dir: string, totals: Totals): boolean {
	if (!existsSync(dir)) return true;
	const files = readdirSync(dir)
		.filter((f) => f.endsWith(".test.ts"))
		.map((f) => join(dir, f));
	if (files.length === 0) return true;
	const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...files], {
		encoding: "utf8",
		maxBuffer: 256 * 1024 * 1024,
	});
	const out = result.stdout;
	const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(out)?.[1] ?? 0);
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
	console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
	return result.status === 0 && failed === 0;
}

async function main(): Promise<void> {
	const started = performance.now();
	const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
	let ok = await specs(totals);
	if (!process.argv.includes("--no-runtime-tests")) {
		for (const suite of NODE_SUITES) ok = nodeSuite(suite.label, suite.dir, totals) && ok;
	}
	console.log(`real time: ${((performance.now() - started) / 1000).toFixed(2)} s`);
	console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
	process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	console.log("0 passed, 1 failed, 0 skipped");
	process.exitCode = 1;
});
