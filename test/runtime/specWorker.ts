// Child process for test/run.ts: runs the specs and reports over IPC, so the parent can stop a
// spec stuck in a busy loop (luau-web cannot interrupt running Luau) and survive a VM abort.
import { runSpecs, type SpecRunOptions } from "./specRunner";
import type { SpecOutcome, SpecResults } from "./types";

/** What the child sends its parent. */
export type SpecWorkerMessage =
	| { type: "spec"; path?: string }
	| { type: "specDone"; outcome: SpecOutcome }
	| {
			type: "report";
			results?: SpecResults;
			timeout?: string;
			crash?: string;
			errors: string[];
			virtualSeconds: number;
	  };

function send(message: SpecWorkerMessage): Promise<void> {
	return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2]) as SpecRunOptions;
	const report = await runSpecs({
		...options,
		onSpec: (path) => void send({ type: "spec", path }),
		onSpecDone: (outcome) => void send({ type: "specDone", outcome }),
	});
	await send({
		type: "report",
		results: report.results,
		timeout: report.timeout,
		crash: report.crash,
		errors: report.errors,
		virtualSeconds: report.virtualSeconds,
	});
	process.disconnect();
}

void main();
