// `npm test`: runs the compiled specs in the headless runtime, then the runtime's own tests, the
// simulator's and the end-to-end scenarios, and ends with one line of totals. The specs and the
// scenarios run twice, under deferred and under immediate events (Workspace.SignalBehavior); the
// scenarios a third time with slow, odd-but-valid replies. Options: --project <file> (default test.project.json),
// --spec-timeout <virtual seconds>, --spec-real-timeout <real seconds per spec, default 30>,
// --no-runtime-tests (skip the node:test suites), --verbose (echo the server's output),
// --signal-behavior Deferred|Immediate (one mode only; default both).
import { fork, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { partialResults, type SpecRunOptions } from "./runtime/specRunner";
import type { SignalBehavior, SpecOutcome } from "./runtime/types";
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

/** Real seconds the spec child may take to start before the first spec. */
const STARTUP_REAL_SECONDS = 60;

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
		// Until the bootstrap names its first spec (the child loads tsx, luau-web and the place) the
		// allowance is larger, so a loaded machine does not pass for a busy spec.
		let allowance = Math.max(realSecondsPerSpec, STARTUP_REAL_SECONDS);
		const arm = () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				stalled = true;
				child.kill("SIGKILL");
			}, allowance * 1000);
		};
		arm();
		child.on("message", (message: SpecWorkerMessage) => {
			if (message.type === "spec") {
				current = message.path ?? current;
				allowance = realSecondsPerSpec;
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
					crash: `${who} did not finish within ${allowance} real seconds (a loop that never yields?)`,
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

/** Both modes of Workspace.SignalBehavior: the specs and the scenarios run under each. */
const SIGNAL_BEHAVIORS: readonly SignalBehavior[] = signalBehaviors();

function signalBehaviors(): SignalBehavior[] {
	const only = option("--signal-behavior");
	if (only === undefined) return ["Deferred", "Immediate"];
	if (only !== "Deferred" && only !== "Immediate") throw new Error("--signal-behavior: Deferred or Immediate");
	return [only];
}

function modeLabel(mode: SignalBehavior): string {
	return `${mode.toLowerCase()} events`;
}

async function specs(totals: Totals, signalBehavior: SignalBehavior): Promise<boolean> {
	const project = option("--project") ?? "test.project.json";
	const timeout = option("--spec-timeout");
	const realTimeout = option("--spec-real-timeout");
	const report = await runSpecsIsolated(
		{
			project,
			specTimeout: timeout === undefined ? undefined : Number(timeout),
			echo: process.argv.includes("--verbose"),
			signalBehavior,
		},
		realTimeout === undefined ? 30 : Number(realTimeout),
	);
	const mode = modeLabel(signalBehavior);
	let ok = true;
	const results = report.results;
	if (results) {
		totals.passed += results.passed;
		totals.failed += results.failed;
		totals.skipped += results.skipped;
		for (const failure of results.failures) {
			console.log(`FAIL (${mode}) ${failure.path}\n  ${failure.message.replace(/\n/g, "\n  ")}`);
		}
		for (const message of results.loadErrors) {
			console.log(`LOAD ERROR ${message}`);
			totals.failed += 1;
		}
		if (results.failed > 0 || results.loadErrors.length > 0) ok = false;
		console.log(
			`specs (${mode}): ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped ` +
				(results.partial ? "before the run stopped" : `(${report.virtualSeconds.toFixed(1)} virtual s)`),
		);
	}
	if (report.timeout) {
		console.log(`TIMEOUT (${mode}) ${report.timeout}`);
		totals.failed += 1;
		ok = false;
	}
	if (report.crash) {
		console.log(`CRASH (${mode}) ${report.crash}`);
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

interface NodeSuite {
	label: string;
	dir: string;
	env?: Record<string, string>;
}

/**
 * The node:test suites that run after the specs: the runtime's, the simulator's, the end-to-end
 * scenarios (once per signal behaviour, and once more with slow, odd-but-valid replies; the harness
 * reads E2E_SIGNAL_BEHAVIOR and E2E_API), the package checks
 * (npm pack, README code blocks, examples) and the architecture checks (layers, public API, docs).
 */
const NODE_SUITES: readonly NodeSuite[] = [
	{ label: "runtime tests", dir: join(__dirname, "runtime", "tests") },
	{ label: "simulator tests", dir: join(__dirname, "simulator", "tests") },
	...SIGNAL_BEHAVIORS.map((mode) => ({
		label: `end-to-end scenarios (${modeLabel(mode)})`,
		dir: join(__dirname, "e2e"),
		env: { E2E_SIGNAL_BEHAVIOR: mode, E2E_API: "prompt" },
	})),
	// The world as it is: every scenario family again with every reply late and written odd-but-valid
	// (the harness's "rough" API manner), under the engine's default event order.
	{
		label: "end-to-end scenarios (deferred events, slow odd-but-valid replies)",
		dir: join(__dirname, "e2e"),
		env: { E2E_SIGNAL_BEHAVIOR: "Deferred", E2E_API: "rough" },
	},
	{ label: "package checks", dir: join(__dirname, "package") },
	{ label: "architecture checks", dir: join(__dirname, "architecture") },
];

function run(
	args: string[],
	env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; status: number | null }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
		let stdout = "";
		let stderr = "";
		child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
		child.on("close", (status) => resolve({ stdout, stderr, status }));
	});
}

async function nodeSuite(suite: NodeSuite, totals: Totals): Promise<boolean> {
	const { label, dir } = suite;
	if (!existsSync(dir)) return true;
	const files = readdirSync(dir)
		.filter((f) => f.endsWith(".test.ts"))
		.map((f) => join(dir, f));
	if (files.length === 0) return true;
	const result = await run(["--import", "tsx", "--test", "--test-reporter=tap", ...files], suite.env ?? {});
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
	// Two suites at a time (separate processes; the machine has two cores): the two spec runs, then
	// the node:test suites, each printing its line as it ends.
	const specRuns = await Promise.all(SIGNAL_BEHAVIORS.map((mode) => specs(totals, mode)));
	let ok = specRuns.every(Boolean);
	if (!process.argv.includes("--no-runtime-tests")) {
		// The runtime's tests first and alone: one of them holds a spec to a real-time watchdog.
		const [first, ...rest] = NODE_SUITES;
		ok = (await nodeSuite(first, totals)) && ok;
		const queue = [...rest];
		const worker = async () => {
			for (let suite = queue.shift(); suite; suite = queue.shift()) ok = (await nodeSuite(suite, totals)) && ok;
		};
		await Promise.all([worker(), worker()]);
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
