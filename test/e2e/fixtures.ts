// Shared set-up for the e2e scenario tests: every harness is disposed after its test.
import { afterEach } from "node:test";
import { Harness, type HarnessOptions } from "./harness";

const open: Harness[] = [];
afterEach(async () => {
	for (const harness of open.splice(0)) await harness.dispose();
});

/** A harness (loopback wire unless told otherwise) disposed after the test. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
	const created = await Harness.create(options);
	open.push(created);
	return created;
}

/** Default heartbeat interval and session TTL (the simulator's defaults). */
export const HEARTBEAT_SEC = 120;
export const TTL_SEC = 240;
