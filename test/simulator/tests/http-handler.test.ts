import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

describe("httpHandler (a headless runtime's HTTP handler)", () => {
	const verifyRequest = (apiKey: string, ott: string) => ({
		url: "https://wave-api.playwave.dev/v1/game/session/verify",
		method: "POST",
		headers: { "X-Api-Key": apiKey, "Content-Type": "application/json" },
		body: JSON.stringify({ ott, provider_user_id: "1" }),
	});

	it("answers { status, body, headers } and adds delay only under latency", () => {
		const t = setup();
		const handler = t.sim.httpHandler();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const reply = handler(verifyRequest(t.apiKey, ott));
		assert.ok("status" in reply);
		assert.equal(reply.status, 200);
		assert.equal("delay" in reply, false);
		t.sim.fault({ effect: { kind: "latency", delaySec: 3 }, times: 1 });
		assert.equal(handler(verifyRequest(t.apiKey, ott)).delay, 3);
	});

	it("turns a lost reply into TimedOut and an unreachable server into ConnectFail", () => {
		const t = setup();
		const handler = t.sim.httpHandler();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		t.sim.fault({ effect: { kind: "drop", acted: false }, times: 1 });
		assert.deepEqual(handler(verifyRequest(t.apiKey, ott)), { error: "ConnectFail" });
		t.sim.fault({ effect: { kind: "drop" }, times: 1 });
		t.sim.fault({ effect: { kind: "latency", delaySec: 30 }, times: 1 });
		assert.deepEqual(handler(verifyRequest(t.apiKey, ott)), { error: "TimedOut", delay: 30 });
		const custom = t.sim.httpHandler({ lostReply: "NetFail" });
		t.sim.fault({ effect: { kind: "drop" }, times: 1 });
		assert.deepEqual(custom(verifyRequest(t.apiKey, ott)), { error: "NetFail" });
	});
});
