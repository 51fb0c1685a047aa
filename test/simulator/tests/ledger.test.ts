import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../clock";
import { PlayWaveSimulator } from "../simulator";
import { setup, T0 } from "./helpers";

describe("ledger", () => {
	it("sums billed seconds over sessions that ended every way", () => {
		const t = setup();
		const byGame = t.start({ userId: "1", pcId: "pc-1" });
		const byTtl = t.start({ userId: "2", pcId: "pc-2" });
		const byLauncher = t.start({ userId: "3", pcId: "pc-3" });
		const byCharge = t.start({ userId: "4", pcId: "pc-4", balanceSec: 50 });
		const replaced = t.start({ userId: "5", pcId: "pc-5" });
		t.sim.killLauncher("pc-3");
		t.clock.advance(100);
		for (const [id, user] of [
			[byGame, "1"],
			[byTtl, "2"],
			[byLauncher, "3"],
			[byCharge, "4"],
			[replaced, "5"],
		]) {
			t.heartbeat(id, user);
		}
		t.start({ userId: "6", pcId: "pc-5" });
		t.clock.advance(100);
		t.end(byGame, 200);
		t.clock.advance(1000);

		const ledger = t.sim.ledger();
		const by = (id: string) => ledger.sessions.find((s) => s.gameSessionId === id)!;
		assert.equal(by(byGame).endedBy, "ended_by_game");
		assert.equal(by(byGame).billedSec, 200);
		assert.equal(by(byTtl).endedBy, "ttl_expired");
		assert.equal(by(byTtl).billedSec, 100);
		assert.equal(by(byLauncher).endedBy, "launcher_dead");
		assert.equal(by(byLauncher).billedSec, 240);
		assert.equal(by(byCharge).endedBy, "charge_exhausted");
		assert.equal(by(byCharge).billedSec, 50);
		assert.equal(by(replaced).endedBy, "replaced");
		assert.equal(by(replaced).billedSec, 100);
		const sixth = ledger.sessions.find((s) => s.providerUserId === "6")!;
		assert.equal(sixth.endedBy, "ttl_expired");
		assert.equal(sixth.billedSec, 0);
		assert.equal(ledger.totalBilledSec, 200 + 100 + 240 + 50 + 100 + 0);
		assert.equal(ledger.counts.verify, 6);
		assert.equal(ledger.counts.heartbeat, 5);
		assert.equal(ledger.counts.end, 1);
		assert.equal(by(byGame).requests.heartbeat, 1);
		assert.equal(by(byGame).requests.end, 1);
	});

	it("charges one account for all its sessions at once", () => {
		const t = setup();
		const a = t.start({ userId: "1", pcId: "pc-1", balanceSec: 100 });
		const b = t.verify(t.sim.issueOtt({ userId: "1", pcId: "pc-2" }), "1").json.data.game_session_id;
		t.clock.advance(50);
		assert.equal(t.heartbeat(a, "1").json.data.result, "CHARGE_EXHAUSTED");
		assert.equal(t.heartbeat(b, "1").json.data.result, "CHARGE_EXHAUSTED");
		assert.equal(t.sim.session(a)!.billedSec + t.sim.session(b)!.billedSec, 100);
	});

	it("logs each request with status, outcome, the session and user it named", () => {
		const t = setup();
		const id = t.start();
		t.heartbeat(id);
		t.heartbeat("gs_nope", "7");
		const log = t.sim.ledger().requests;
		assert.deepEqual(
			log.map((r) => [r.endpoint, r.status, r.result, r.code, r.gameSessionId, r.providerUserId, r.gameId]),
			[
				["verify", 200, "VALID", null, id, "123", "game-a"],
				["heartbeat", 200, "OK", null, id, "123", "game-a"],
				["heartbeat", 404, null, "SESSION_NOT_FOUND", "gs_nope", "7", "game-a"],
			],
		);
	});

	it("logs when each reply reaches the caller and which server sent the request", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "latency", delaySec: 30 }, endpoint: "heartbeat" });
		t.clock.advance(10);
		t.sim.handle({
			method: "PATCH",
			url: "/v1/game/session/heartbeat",
			headers: { "X-Api-Key": t.apiKey, "Content-Type": "application/json", "X-Sim-Server": "dest" },
			body: JSON.stringify({ game_session_id: id, provider_user_id: "123" }),
		});
		const [verify, heartbeat] = t.sim.ledger().requests;
		assert.equal(verify.replyAt, verify.at);
		assert.equal(verify.server, null);
		assert.equal(heartbeat.at, T0 + 10);
		assert.equal(heartbeat.replyAt, T0 + 40);
		assert.equal(heartbeat.server, "dest");
	});

	it("caps the request log but not the counts", () => {
		const t = setup({ requestLogLimit: 3 });
		for (let i = 0; i < 5; i++) t.heartbeat("gs_x");
		const ledger = t.sim.ledger();
		assert.equal(ledger.requests.length, 3);
		assert.equal(ledger.requests[0].seq, 3);
		assert.equal(ledger.counts.heartbeat, 5);
	});

	it("replays byte for byte with a seed", () => {
		const run = () => {
			const t = setup({ seed: "same" });
			const id = t.start();
			t.clock.advance(100);
			return [id, t.heartbeat(id).raw.body, t.apiKey];
		};
		assert.deepEqual(run(), run());
	});

	it("never reads the real clock: a frozen clock means no time passes", () => {
		const clock = { now: () => 42 };
		const sim = new PlayWaveSimulator({ clock });
		sim.addGame();
		sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 10 });
		assert.equal(sim.balance(1), 10);
		assert.equal(sim.ledger().otts[0].issuedAt, 42);
	});

	it("tolerates a clock that steps back by standing still", () => {
		let now = 1000;
		const sim = new PlayWaveSimulator({ clock: { now: () => now } });
		sim.addGame();
		sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 10 });
		now = 500;
		assert.equal(sim.balance(1), 10);
	});
});

describe("ManualClock", () => {
	it("advances and refuses to go back", () => {
		const clock = new ManualClock(5);
		assert.equal(clock.advance(2.5), 7.5);
		assert.equal(clock.set(10), 10);
		assert.throws(() => clock.set(9));
		assert.throws(() => clock.advance(-1));
	});
});
