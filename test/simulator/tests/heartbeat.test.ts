import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

describe("PATCH /game/session/heartbeat", () => {
	it("OK with next_heartbeat_in 120 and the server-side play duration", () => {
		const t = setup();
		const id = t.start();
		t.clock.advance(120.7);
		const reply = t.heartbeat(id);
		assert.equal(reply.status, 200);
		assert.deepEqual(reply.json.data, { result: "OK", next_heartbeat_in: 120, play_duration_sec: 120 });
	});

	it("sends a configured interval, or any value a scenario wants to throw at the client", () => {
		const t = setup({ timing: { heartbeatIntervalSec: 30 } });
		const id = t.start();
		assert.equal(t.heartbeat(id).json.data.next_heartbeat_in, 30);
		t.sim.configure({ nextHeartbeatIn: "soon" });
		assert.equal(t.heartbeat(id).json.data.next_heartbeat_in, "soon");
		t.sim.configure({ nextHeartbeatIn: undefined });
		assert.equal(t.heartbeat(id).json.data.next_heartbeat_in, 30);
	});

	it("404 SESSION_NOT_FOUND for an unknown id and for another user's session", () => {
		const t = setup();
		const id = t.start({ userId: "123" });
		assert.equal(t.heartbeat("gs_unknown").json.error.code, "SESSION_NOT_FOUND");
		const other = t.heartbeat(id, "124");
		assert.equal(other.status, 404);
		assert.equal(other.json.error.code, "SESSION_NOT_FOUND");
		assert.equal(t.heartbeat(id, "123").json.data.result, "OK", "the owner's session is untouched");
		assert.deepEqual(t.sim.session(id)?.violations, ["heartbeat_user_mismatch"]);
	});

	it("the session lives 4 minutes after the last heartbeat, then 404 and billing ends at that heartbeat", () => {
		const t = setup();
		const id = t.start({ balanceSec: 3600 });
		t.clock.advance(200);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		t.clock.advance(239.9);
		assert.equal(t.heartbeat(id).json.data.result, "OK", "a heartbeat just inside the TTL keeps it alive");
		t.clock.advance(240);
		const reply = t.heartbeat(id);
		assert.equal(reply.status, 404);
		assert.equal(reply.json.error.code, "SESSION_NOT_FOUND");
		const record = t.sim.session(id)!;
		assert.equal(record.state, "expired");
		assert.equal(record.endedBy, "ttl_expired");
		assert.ok(Math.abs(record.billedSec - 439.9) < 1e-6);
		assert.ok(Math.abs(record.playDurationSec - 439.9) < 1e-6);
		assert.ok(Math.abs(t.sim.balance(123) - (3600 - 439.9)) < 1e-6, "time after the last heartbeat is not charged");
	});

	it("expires lazily: nothing is asked of the simulator until long after", () => {
		const t = setup();
		const id = t.start();
		t.clock.advance(10 * 3600);
		const record = t.sim.session(id)!;
		assert.equal(record.endedBy, "ttl_expired");
		assert.equal(record.closedAt, record.startedAt + 240);
		assert.equal(record.billedSec, 0);
	});

	it("CHARGE_EXHAUSTED when the balance runs out, a 2-minute grace, then 410 SESSION_ENDING, then 410 SESSION_ENDED", () => {
		const t = setup({ timing: { endingSec: 30 } });
		const id = t.start({ balanceSec: 300 });
		t.clock.advance(120);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		t.clock.advance(180);
		assert.deepEqual(t.heartbeat(id).json.data, {
			result: "CHARGE_EXHAUSTED",
			next_heartbeat_in: 120,
			play_duration_sec: 300,
		});
		t.clock.advance(119);
		assert.equal(t.heartbeat(id).json.data.result, "CHARGE_EXHAUSTED", "still in grace");
		t.clock.advance(1);
		const ending = t.heartbeat(id);
		assert.equal(ending.status, 410);
		assert.equal(ending.json.error.code, "SESSION_ENDING");
		t.clock.advance(30);
		const ended = t.heartbeat(id);
		assert.equal(ended.status, 410);
		assert.equal(ended.json.error.code, "SESSION_ENDED");
		const record = t.sim.session(id)!;
		assert.equal(record.endedBy, "charge_exhausted");
		assert.equal(record.billedSec, 300);
		assert.equal(record.playDurationSec, 420, "play stops at the end of the grace");
		assert.equal(t.sim.balance(123), 0);
	});

	it("a top-up during the grace resumes billing and OK", () => {
		const t = setup();
		const id = t.start({ balanceSec: 100 });
		t.clock.advance(110);
		assert.equal(t.heartbeat(id).json.data.result, "CHARGE_EXHAUSTED");
		t.sim.addBalance(123, 50);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		t.clock.advance(60);
		assert.equal(t.heartbeat(id).json.data.result, "CHARGE_EXHAUSTED");
		assert.equal(t.sim.session(id)!.billedSec, 150);
	});

	it("the TTL still applies during the grace", () => {
		const t = setup({ timing: { graceSec: 600 } });
		const id = t.start({ balanceSec: 100 });
		t.clock.advance(240);
		assert.equal(t.heartbeat(id).status, 404);
		const record = t.sim.session(id)!;
		assert.equal(record.endedBy, "ttl_expired");
		assert.equal(record.billedSec, 0);
		assert.equal(t.sim.balance(123), 100, "billing after the last heartbeat is refunded");
	});

	it("SESSION_REPLACED when another session starts on the same PC; the old one's billing stops there", () => {
		const t = setup();
		const first = t.start({ userId: "1", pcId: "pc-1", balanceSec: 1000 });
		t.clock.advance(100);
		const second = t.start({ userId: "2", pcId: "pc-1", balanceSec: 1000 });
		t.clock.advance(20);
		const reply = t.heartbeat(first, "1");
		assert.equal(reply.status, 200);
		assert.deepEqual(reply.json.data, {
			result: "SESSION_REPLACED",
			next_heartbeat_in: 120,
			play_duration_sec: 100,
		});
		assert.equal(t.heartbeat(second, "2").json.data.result, "OK");
		const old = t.sim.session(first)!;
		assert.equal(old.endedBy, "replaced");
		assert.equal(old.replacedBy, second);
		assert.equal(old.billedSec, 100);
		assert.equal(t.sim.balance(1), 900);
		assert.equal(t.heartbeat(first, "1").json.data.result, "SESSION_REPLACED", "stays replaced");
		assert.deepEqual(t.sim.session(first)!.violations, ["heartbeat_after_SESSION_REPLACED"]);
	});

	it("sessions on other PCs are not replaced", () => {
		const t = setup();
		const a = t.start({ userId: "1", pcId: "pc-1" });
		t.start({ userId: "2", pcId: "pc-2" });
		assert.equal(t.heartbeat(a, "1").json.data.result, "OK");
	});

	it("410 SESSION_ENDED once a killed launcher has been silent 4 minutes; billing stops at that moment", () => {
		const t = setup();
		const id = t.start({ balanceSec: 3600 });
		t.clock.advance(60);
		t.sim.killLauncher("pc-1");
		t.clock.advance(120);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		assert.equal(t.sim.launcherAlive("pc-1"), true);
		t.clock.advance(119.5);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		t.clock.advance(0.5);
		assert.equal(t.sim.launcherAlive("pc-1"), false);
		const reply = t.heartbeat(id);
		assert.equal(reply.status, 410);
		assert.equal(reply.json.error.code, "SESSION_ENDED");
		const record = t.sim.session(id)!;
		assert.equal(record.endedBy, "launcher_dead");
		assert.equal(record.billedSec, 300);
		assert.equal(record.endedAt, record.startedAt + 300);
	});

	it("a manual launcher must beat; its silence counts from the last beat", () => {
		const t = setup({ launcherMode: "manual" });
		const id = t.start();
		t.clock.advance(200);
		t.sim.launcherHeartbeat("pc-1");
		t.heartbeat(id);
		t.clock.advance(200);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
		t.clock.advance(40);
		assert.equal(t.heartbeat(id).json.error.code, "SESSION_ENDED");
	});

	it("a restarted launcher keeps a session alive", () => {
		const t = setup();
		const id = t.start();
		t.sim.killLauncher("pc-1");
		t.clock.advance(100);
		t.heartbeat(id);
		t.sim.launcherHeartbeat("pc-1");
		t.clock.advance(200);
		t.heartbeat(id);
		t.clock.advance(200);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
	});

	it("records heartbeats after a terminal answer as violations", () => {
		const t = setup();
		const id = t.start();
		t.clock.advance(300);
		assert.equal(t.heartbeat(id).status, 404);
		assert.equal(t.heartbeat(id).status, 404);
		assert.deepEqual(t.sim.session(id)!.violations, ["heartbeat_after_SESSION_NOT_FOUND"]);
	});
});
