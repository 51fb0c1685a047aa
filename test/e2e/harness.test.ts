// The harness itself: the loopback wire carries the simulator's latency and lost replies onto the
// runtime's virtual clock, and gives the same ledger as the in-process face.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EPOCH, type Harness } from "./harness";
import { harness } from "./fixtures";

// These two measure the wire itself, so the API answers promptly here whatever E2E_API says.
test("loopback: injected latency becomes virtual delay", async () => {
	const h = await harness({ wire: "loopback", api: "prompt" });
	h.sim.fault({ effect: { kind: "latency", delaySec: 4 }, endpoint: "verify" });
	const game = await h.startServer();
	game.join({ userId: 5, pcId: "pc-5" });
	await h.advance(3);
	assert.equal(game.events(5, "verified").length, 0, "the reply is still on its way");
	await h.advance(2);
	const verified = game.event(5, "verified");
	assert.equal(verified.time, 4);
	assert.equal(h.wireRequests, 1);
});

test("loopback: a reply lost after the server acted is TimedOut; one that never arrived is ConnectFail", async () => {
	const h = await harness({ wire: "loopback", api: "prompt" });
	const handler = h.httpHandler();
	const request = (body: object) => ({
		url: "https://wave-api.playwave.dev/v1/game/session/verify",
		method: "POST",
		headers: { "Content-Type": "application/json", "X-Api-Key": h.apiKey },
		body: JSON.stringify(body),
	});
	const ott = h.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 60 });
	h.sim.fault({ effect: { kind: "drop", acted: true }, endpoint: "verify", times: 1 });
	assert.deepEqual(await handler(request({ ott, provider_user_id: "1" })), { error: "TimedOut" });
	h.sim.fault({ effect: { kind: "drop", acted: false }, endpoint: "verify", times: 1 });
	assert.deepEqual(await handler(request({ ott, provider_user_id: "1" })), { error: "ConnectFail" });
	const reply = await handler(request({ ott, provider_user_id: "1" }));
	assert.ok("status" in reply && reply.status === 200);
	assert.match(String(reply.body), /OTT_ALREADY_USED/);
});

async function scenario(h: Harness) {
	const game = await h.startServer();
	game.join({ userId: 1, pcId: "pc-1", balanceSec: 400 });
	game.join({ userId: 2, pcId: "pc-2" });
	game.join({ userId: 3 });
	h.sim.outage(EPOCH + 300, EPOCH + 400);
	await h.advance(900);
	game.leave(2);
	await h.advance(30);
	const ledger = h.ledger();
	return {
		requests: ledger.requests.map((r) => [r.at, r.endpoint, r.status, r.result]),
		sessions: ledger.sessions.map((s) => [s.state, s.endedBy, s.billedSec]),
		events: game.events().map((e) => [e.time, e.kind, e.userId, ...e.args]),
	};
}

test("the loopback wire and the in-process face give the same run", async () => {
	const overWire = await scenario(await harness({ wire: "loopback", seed: 3 }));
	const inProcess = await scenario(await harness({ wire: "inprocess", seed: 3 }));
	assert.deepEqual(overWire, inProcess);
	assert.ok(overWire.requests.length > 10);
});
