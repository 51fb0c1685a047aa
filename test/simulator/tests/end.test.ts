import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

describe("DELETE /game/session/end", () => {
	it("SUCCESS with the server's play duration and the client's echoed", () => {
		const t = setup();
		const id = t.start();
		for (let i = 0; i < 15; i++) {
			t.clock.advance(110);
			assert.equal(t.heartbeat(id).json.data.result, "OK");
		}
		t.clock.advance(145.6);
		const reply = t.end(id, 1790);
		assert.equal(reply.status, 200);
		assert.deepEqual(reply.json.data, {
			result: "SUCCESS",
			play_duration_sec: 1795,
			client_play_duration_sec: 1790,
		});
		const record = t.sim.session(id)!;
		assert.equal(record.endedBy, "ended_by_game");
		assert.equal(record.clientPlayDurationSec, 1790);
		assert.ok(Math.abs(record.billedSec - 1795.6) < 1e-6);
	});

	it("client_play_duration_sec is null when the client sent none", () => {
		const t = setup();
		const id = t.start();
		assert.equal(t.end(id).json.data.client_play_duration_sec, null);
	});

	it("stops billing", () => {
		const t = setup();
		const id = t.start({ balanceSec: 1000 });
		t.clock.advance(100);
		t.end(id);
		t.clock.advance(500);
		assert.equal(t.sim.balance(123), 900);
		assert.equal(t.sim.session(id)!.billedSec, 100);
	});

	it("404 SESSION_NOT_FOUND for an unknown session and one expired by TTL", () => {
		const t = setup();
		assert.equal(t.end("gs_unknown").status, 404);
		const id = t.start();
		t.clock.advance(240);
		const reply = t.end(id);
		assert.equal(reply.status, 404);
		assert.equal(reply.json.error.code, "SESSION_NOT_FOUND");
	});

	it("409 ALREADY_ENDED for a second end", () => {
		const t = setup();
		const id = t.start();
		t.end(id);
		const reply = t.end(id);
		assert.equal(reply.status, 409);
		assert.equal(reply.json.error.code, "ALREADY_ENDED");
	});

	it("409 ALREADY_ENDED after the server ended it (launcher dead, charge exhausted, termination in progress)", () => {
		const t = setup();
		const dead = t.start({ userId: "1", pcId: "pc-1" });
		t.sim.killLauncher("pc-1");
		const broke = t.start({ userId: "2", pcId: "pc-2", balanceSec: 10 });
		t.clock.advance(10 + 120 + 5);
		assert.equal(t.heartbeat(broke, "2").json.error.code, "SESSION_ENDING");
		assert.equal(t.end(broke).status, 409);
		t.clock.advance(240);
		assert.equal(t.end(dead).status, 409);
	});

	it("ends a session in its grace period normally", () => {
		const t = setup();
		const id = t.start({ balanceSec: 10 });
		t.clock.advance(60);
		const reply = t.end(id, 60);
		assert.equal(reply.status, 200);
		assert.equal(reply.json.data.play_duration_sec, 60);
		assert.equal(t.sim.session(id)!.billedSec, 10);
	});

	it("409 after SESSION_REPLACED, recorded as a violation (the SDK must never call end then)", () => {
		const t = setup();
		const first = t.start({ userId: "1", pcId: "pc-1" });
		t.start({ userId: "2", pcId: "pc-1" });
		const reply = t.end(first);
		assert.equal(reply.status, 409);
		assert.equal(reply.json.error.code, "ALREADY_ENDED");
		assert.deepEqual(t.sim.session(first)!.violations, ["end_after_replaced"]);
	});

	it("accepts a DELETE body from the wire as a string", () => {
		const t = setup();
		const id = t.start();
		const reply = t.sim.handle({
			method: "DELETE",
			url: "/v1/game/session/end",
			headers: { "X-Api-Key": t.apiKey, "Content-Type": "application/json" },
			body: `{"game_session_id":"${id}","play_duration_sec":0}`,
		});
		assert.equal(reply.status, 200);
	});
});
