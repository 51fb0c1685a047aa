// Runs a place's spec bootstrap headlessly on virtual time and collects its structured results.
import type { Server } from "./server";
import type { SignalBehavior, SpecOutcome, SpecResults } from "./types";
import { World } from "./world";

export interface SpecRunOptions {
	/** Rojo project of the test place (its ServerScriptService holds the bootstrap). */
	project: string;
	/** Virtual seconds one spec may run before it is reported as a timeout. */
	specTimeout?: number;
	/** Echo the server's output as it happens. */
	echo?: boolean;
	/** `Workspace.SignalBehavior` of the spec server (default: the runtime's, Deferred). */
	signalBehavior?: SignalBehavior;
	/** Called when a spec starts (with its path) or ends (undefined). */
	onSpec?: (path: string | undefined) => void;
	/** Called for each finished spec. */
	onSpecDone?: (outcome: SpecOutcome) => void;
}

export interface SpecRunReport {
	results?: SpecResults;
	/** Set when the bootstrap did not finish: a spec yielded forever or ran out of time. */
	timeout?: string;
	/** Set when the Luau VM itself failed (e.g. out of memory in an endless loop), naming the spec. */
	crash?: string;
	/** Errors in the server's output (bootstrap failures, unhandled thread errors). */
	errors: string[];
	server: Server;
	virtualSeconds: number;
}

/** Results from the specs that finished before the bootstrap stopped, or undefined if none did. */
export function partialResults(done: SpecOutcome[]): SpecResults | undefined {
	if (done.length === 0) return undefined;
	const count = (status: string) => done.filter((s) => s.status === status).length;
	return {
		passed: count("Success"),
		failed: count("Failure"),
		skipped: count("Skipped"),
		failures: done.filter((s) => s.status === "Failure").map((s) => ({ path: s.path, message: s.message })),
		loadErrors: [],
		partial: true,
	};
}

export async function runSpecs(options: SpecRunOptions): Promise<SpecRunReport> {
	const specTimeout = options.specTimeout ?? 600;
	const world = await World.create();
	const server = await world.createServer({
		project: options.project,
		echo: options.echo,
		signalBehavior: options.signalBehavior,
	});
	server.onSpec = options.onSpec;
	server.onSpecDone = options.onSpecDone;
	let timeout: string | undefined;
	const finished = () => server.specResults !== undefined;
	const overdue = () => server.currentSpec !== undefined && world.now - server.currentSpec.since > specTimeout;
	let crash: string | undefined;
	let starting = true;
	while (!finished()) {
		try {
			if (starting) {
				starting = false;
				await server.start();
			}
			await world.tryRunUntil(() => finished() || overdue(), 60);
		} catch (error) {
			const spec = server.currentSpec?.path;
			crash = `${spec === undefined ? "the spec bootstrap" : `spec "${spec}"`} crashed the Luau VM: ${String(error)}`;
			break;
		}
		if (finished()) break;
		const spec = server.currentSpec?.path;
		if (overdue()) {
			timeout = `spec "${spec}" timed out: still running after ${specTimeout} virtual seconds`;
			break;
		}
		if (world.isIdle()) {
			timeout =
				spec !== undefined
					? `spec "${spec}" timed out: it yields forever (nothing left to wake it)`
					: "the spec bootstrap stopped before reporting results";
			break;
		}
	}
	if (!crash) await world.advance(0);
	return {
		results: server.specResults ?? partialResults(server.specsDone),
		timeout,
		crash,
		errors: server.lines("error"),
		server,
		virtualSeconds: world.now,
	};
}
