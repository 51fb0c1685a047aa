// The observers the request-path scenarios rely on must see what they claim to.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Ledger, RequestRecord } from "../simulator";
import { EPOCH } from "./harness";
import { inWindow, maxAcceptedGap, maxInFlight } from "./observe";

function record(seq: number, fields: Partial<RequestRecord>): RequestRecord {
	return {
		seq,
		at: EPOCH,
		replyAt: EPOCH,
		method: "PATCH",
		path: "/v1/game/session/heartbeat",
		endpoint: "heartbeat",
		gameId: "g",
		status: 200,
		code: null,
		result: "OK",
		gameSessionId: "gs_a",
		providerUserId: "1",
		server: null,
		acted: true,
		fault: null,
		dropped: false,
		delaySec: 0,
		...fields,
	};
}

function ledger(requests: RequestRecord[]): Ledger {
	return {
		sessions: [],
		otts: [],
		requests,
		counts: { verify: 0, heartbeat: 0, end: 0, other: 0 },
		totalBilledSec: 0,
	};
}

test("maxInFlight: overlapping requests of one session count, back-to-back and other sessions do not", () => {
	const back = ledger([
		record(1, { at: EPOCH + 0, replyAt: EPOCH + 10 }),
		record(2, { at: EPOCH + 10, replyAt: EPOCH + 20 }),
		record(3, { at: EPOCH + 5, replyAt: EPOCH + 15, gameSessionId: "gs_b" }),
	]);
	assert.equal(maxInFlight(back).max, 1);
	const instant = ledger([record(1, {}), record(2, {})]);
	assert.equal(maxInFlight(instant).max, 1, "answered at once: never two in flight");
	assert.equal(maxInFlight(ledger([])).max, 0);
	const together = ledger([record(1, { replyAt: EPOCH + 1 }), record(2, { replyAt: EPOCH + 1 })]);
	assert.equal(maxInFlight(together).max, 2, "sent at the same instant, both waiting");
	const overlap = ledger([
		record(1, { at: EPOCH + 0, replyAt: EPOCH + 30 }),
		record(2, { at: EPOCH + 10, replyAt: EPOCH + 40 }),
		record(3, { at: EPOCH + 20, replyAt: EPOCH + 50, endpoint: "end" }),
	]);
	const seen = maxInFlight(overlap);
	assert.equal(seen.max, 3);
	assert.deepEqual(seen.where, { key: "gs_a", at: 20, requests: [1, 2, 3] });
	const verifies = ledger([
		record(1, { endpoint: "verify", at: EPOCH, replyAt: EPOCH + 70, gameSessionId: "gs_x" }),
		record(2, { endpoint: "verify", at: EPOCH + 10, replyAt: EPOCH + 12, gameSessionId: null }),
	]);
	assert.equal(maxInFlight(verifies).max, 2, "two verifies of one player in flight");
});

test("maxAcceptedGap: only accepted heartbeats and the verify count; a live session counts up to now", () => {
	const requests = [
		record(1, { endpoint: "verify", result: "VALID", at: EPOCH }),
		record(2, { at: EPOCH + 100 }),
		record(3, { at: EPOCH + 200, status: 503, acted: false }),
		record(4, { at: EPOCH + 250 }),
	];
	const session = { gameSessionId: "gs_a", endedAt: null } as Ledger["sessions"][number];
	const withSession = { ...ledger(requests), sessions: [session] };
	assert.equal(maxAcceptedGap(withSession, 300), 150);
	assert.equal(maxAcceptedGap(withSession, 500), 250);
});

test("inWindow: the engine's sliding minute (t − 60, t]", () => {
	assert.equal(inWindow([0, 10, 60, 61], 60), 2, "a request exactly 60 s old has left the window");
	assert.equal(inWindow([0, 10, 60, 61], 120), 1);
});
