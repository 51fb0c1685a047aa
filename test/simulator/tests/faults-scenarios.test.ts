// The faults the request-path scenarios need (issue #10): latency distributions and per-endpoint
// latency, keys revoked or rotated at a time, 400 mid-session, odd 200 bodies, one server's 503
// window, 429 with Retry-After.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { drawLatency } from "../faults";
import { PlayWaveSimulator } from "../simulator";
import { ManualClock } from "../clock";
import { setup, T0 } from "./helpers";

const SLOW_API = { medianSec: 1, tail: { share: 0.05, minSec: 15, maxSec: 25 } };

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

describe("latency distributions", () => {
	it("a fixed latency is the same on every reply", () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "latency", delaySec: 10 } });
		const id = t.start();
		for (let i = 0; i < 5; i++) assert.equal(t.heartbeat(id).raw.delaySec, 10);
	});

	it('"median 1 s, 5 % of replies 15–25 s": the replies show it', () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "latency", delaySec: SLOW_API } });
		const id = t.start();
		const delays: number[] = [];
		for (let i = 0; i < 4000; i++) delays.push(t.heartbeat(id).raw.delaySec ?? 0);
		const slow = delays.filter((d) => d >= 15);
		assert.ok(
			slow.every((d) => d <= 25),
			"the tail stays within 15–25 s",
		);
		const share = slow.length / delays.length;
		assert.ok(share > 0.04 && share < 0.06, `slow share ${share}`);
		const fast = delays.filter((d) => d < 15);
		assert.ok(Math.abs(median(fast) - 1) < 0.05, `body median ${median(fast)}`);
		assert.ok(Math.abs(median(delays) - 1) < 0.15, `overall median ${median(delays)}`);
		assert.ok(fast.some((d) => d > 1.5) && fast.some((d) => d < 0.67), "the body varies around the median");
	});

	it("draws are reproducible with a seed and do not change the ids", () => {
		const run = (withLatency: boolean) => {
			const t = setup({ seed: "same" });
			if (withLatency) t.sim.fault({ effect: { kind: "latency", delaySec: SLOW_API } });
			const id = t.start();
			const delays = Array.from({ length: 20 }, () => t.heartbeat(id).raw.delaySec ?? 0);
			return { id, delays };
		};
		assert.deepEqual(run(true), run(true));
		assert.equal(run(true).id, run(false).id);
	});

	it("spread 0 is fixed; the tail share 1 always answers slowly", () => {
		assert.equal(drawLatency({ medianSec: 2, spread: 0 }, Math.random), 2);
		for (let i = 0; i < 50; i++) {
			const d = drawLatency({ medianSec: 1, tail: { share: 1, minSec: 15, maxSec: 25 } }, Math.random);
			assert.ok(d >= 15 && d <= 25);
		}
	});

	it("refuses nonsense", () => {
		const t = setup();
		assert.throws(() => t.sim.fault({ effect: { kind: "latency", delaySec: -1 } }), RangeError);
		assert.throws(() => t.sim.fault({ effect: { kind: "latency", delaySec: { medianSec: -1 } } }), RangeError);
		assert.throws(
			() =>
				t.sim.fault({
					effect: { kind: "latency", delaySec: { medianSec: 1, tail: { share: 2, minSec: 1, maxSec: 2 } } },
				}),
			RangeError,
		);
		assert.throws(
			() =>
				t.sim.fault({
					effect: { kind: "latency", delaySec: { medianSec: 1, tail: { share: 0.1, minSec: 5, maxSec: 2 } } },
				}),
			RangeError,
		);
	});
});

describe("latency per endpoint", () => {
	for (const seconds of [10, 30, 60]) {
		it(`only heartbeat replies take ${seconds} s; the server acts at the request's reading`, () => {
			const t = setup();
			t.sim.fault({ effect: { kind: "latency", delaySec: seconds }, endpoint: "heartbeat" });
			const id = t.start();
			t.clock.advance(100);
			const hb = t.heartbeat(id);
			assert.equal(hb.raw.delaySec, seconds);
			assert.equal(t.sim.session(id)!.lastHeartbeatAt, T0 + 100, "refreshed when it arrived, not when answered");
			assert.equal(t.end(id).raw.delaySec, undefined);
			const log = t.sim.ledger().requests;
			assert.equal(log[0].replyAt, log[0].at, "verify is fast");
			assert.equal(log[1].replyAt, T0 + 100 + seconds);
		});
	}

	it("a verify reply after 70 s: the session started (and bills) when the request arrived", () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "latency", delaySec: 70 }, endpoint: "verify" });
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 3600 });
		const reply = t.verify(ott);
		assert.equal(reply.raw.delaySec, 70);
		assert.equal(reply.json.data.is_valid, true);
		t.clock.advance(70);
		const session = t.sim.session(reply.json.data.game_session_id)!;
		assert.equal(session.startedAt, T0);
		assert.equal(session.billedSec, 70);
	});
});

describe("API keys revoked or rotated at a time", () => {
	it("revoked from t: every request from t on is 401 INVALID_API_KEY, before it works", () => {
		const t = setup();
		const id = t.start();
		t.sim.revokeApiKey(t.apiKey, { at: T0 + 300 });
		t.clock.advance(150);
		assert.equal(t.heartbeat(id).status, 200);
		t.clock.advance(149);
		assert.equal(t.heartbeat(id).status, 200);
		t.clock.advance(1);
		for (const reply of [t.heartbeat(id), t.end(id), t.verify(t.sim.issueOtt({ userId: 5, pcId: "p5" }), "5")]) {
			assert.equal(reply.status, 401);
			assert.equal(reply.json.error.code, "INVALID_API_KEY");
		}
		t.clock.advance(3600);
		assert.equal(t.heartbeat(id).status, 401, "for good");
	});

	it("without a time, revocation is immediate; a later revoke does not undo an earlier one", () => {
		const t = setup();
		t.sim.revokeApiKey(t.apiKey, { at: T0 + 10 });
		t.sim.revokeApiKey(t.apiKey, { at: T0 + 1000 });
		t.clock.advance(10);
		assert.equal(t.heartbeat("gs_x").status, 401);
		const u = setup();
		u.sim.revokeApiKey(u.apiKey);
		assert.equal(u.heartbeat("gs_x").status, 401);
	});

	it("rotated: the new key works at once, the old one until t", () => {
		const t = setup();
		const id = t.start();
		const fresh = t.sim.rotateApiKey(t.apiKey, { at: T0 + 60 });
		assert.notEqual(fresh, t.apiKey);
		assert.equal(t.heartbeat(id, "123", fresh).status, 200);
		assert.equal(t.heartbeat(id).status, 200);
		t.clock.advance(60);
		assert.equal(t.heartbeat(id).status, 401);
		assert.equal(t.heartbeat(id, "123", fresh).json.data.result, "OK");
		assert.throws(() => t.sim.rotateApiKey("pw_dev_unknown"));
	});

	it("the session itself is untouched by the 401s: it expires on the TTL as usual", () => {
		const t = setup();
		const id = t.start();
		t.sim.revokeApiKey(t.apiKey, { at: T0 + 100 });
		t.clock.advance(200);
		assert.equal(t.heartbeat(id).status, 401);
		t.clock.advance(40);
		assert.equal(t.sim.session(id)!.endedBy, "ttl_expired");
		assert.equal(t.sim.session(id)!.lastHeartbeatAt, T0);
	});
});

describe("a 400 mid-session", () => {
	it("heartbeats get 400 BAD_REQUEST from t, not acted; the session lives on its TTL", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "error", status: 400 }, endpoint: "heartbeat", from: T0 + 120 });
		t.clock.advance(119);
		assert.equal(t.heartbeat(id).status, 200);
		t.clock.advance(1);
		const bad = t.heartbeat(id);
		assert.equal(bad.status, 400);
		assert.equal(bad.json.error.code, "BAD_REQUEST");
		assert.equal(t.sim.session(id)!.lastHeartbeatAt, T0 + 119);
		assert.equal(t.sim.ledger().requests.at(-1)!.acted, false);
	});
});

describe("200 bodies the SDK must still accept", () => {
	it("an unknown `result` value: the server acted, the heartbeat refreshed the session", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({
			effect: { kind: "malformed", body: "set-fields", set: { "data.result": "BONUS_TIME" } },
			endpoint: "heartbeat",
		});
		t.clock.advance(100);
		const hb = t.heartbeat(id);
		assert.equal(hb.status, 200);
		assert.equal(hb.json.success, true);
		assert.equal(hb.json.data.result, "BONUS_TIME");
		assert.equal(hb.json.data.next_heartbeat_in, 120, "the rest of the body is the real one");
		assert.equal(t.sim.session(id)!.lastHeartbeatAt, T0 + 100);
		const record = t.sim.ledger().requests.at(-1)!;
		assert.deepEqual([record.status, record.acted, record.fault, record.result], [200, true, "malformed", "OK"]);
	});

	it("`play_duration_sec` as a string", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({
			effect: { kind: "malformed", body: "set-fields", set: { "data.play_duration_sec": "100" } },
			endpoint: "heartbeat",
		});
		t.clock.advance(100);
		const hb = t.heartbeat(id);
		assert.equal(hb.json.data.play_duration_sec, "100");
		assert.equal(hb.json.data.result, "OK");
		assert.equal(t.sim.session(id)!.lastHeartbeatAt, T0 + 100);
	});

	it("set-fields works through the admin route too (plain JSON, no function)", async () => {
		const clock = new ManualClock(T0);
		const sim = new PlayWaveSimulator({ clock, seed: "admin" });
		const { apiKey } = sim.addGame();
		const server = await sim.listen(0, { admin: true });
		try {
			const added = await fetch(`${server.origin}/_sim/faults`, {
				method: "POST",
				body: JSON.stringify({
					effect: { kind: "malformed", body: "set-fields", set: { "data.result": "NEW" } },
					endpoint: "heartbeat",
				}),
			});
			assert.equal(added.status, 201);
			const ott = sim.issueOtt({ userId: 9, pcId: "pc-9", balanceSec: 600 });
			const headers = { "X-Api-Key": apiKey, "Content-Type": "application/json" };
			const verified = (await (
				await fetch(`${server.baseUrl}/game/session/verify`, {
					method: "POST",
					headers,
					body: JSON.stringify({ ott, provider_user_id: "9" }),
				})
			).json()) as { data: { game_session_id: string } };
			const hb = (await (
				await fetch(`${server.baseUrl}/game/session/heartbeat`, {
					method: "PATCH",
					headers,
					body: JSON.stringify({ game_session_id: verified.data.game_session_id, provider_user_id: "9" }),
				})
			).json()) as { data: { result: string } };
			assert.equal(hb.data.result, "NEW");
		} finally {
			await server.close();
		}
	});
});

describe("a 503 window at one server", () => {
	it("only the named server's requests fail, only inside the window", () => {
		const t = setup();
		const id = t.start();
		t.sim.outage(T0 + 100, T0 + 160, { server: "dest" });
		const from = (server: string | undefined) =>
			t.sim.handle({
				method: "PATCH",
				url: "/v1/game/session/heartbeat",
				headers: { "X-Api-Key": t.apiKey, "Content-Type": "application/json" },
				body: JSON.stringify({ game_session_id: id, provider_user_id: "123" }),
				server,
			}).status;
		t.clock.advance(99);
		assert.equal(from("dest"), 200);
		t.clock.advance(1);
		assert.equal(from("dest"), 503);
		assert.equal(from("origin"), 200);
		assert.equal(from(undefined), 200);
		t.clock.advance(60);
		assert.equal(from("dest"), 200);
	});

	it("the tag comes from httpHandler({ server }) in process and the X-Sim-Server header over HTTP", async () => {
		const t = setup();
		const id = t.start();
		t.sim.outage(T0, T0 + 60, { server: "dest" });
		const body = JSON.stringify({ game_session_id: id, provider_user_id: "123" });
		const headers = { "X-Api-Key": t.apiKey, "Content-Type": "application/json" };
		const request = { url: "/v1/game/session/heartbeat", method: "PATCH", headers, body };
		const dest = t.sim.httpHandler({ server: "dest" })(request);
		assert.equal("status" in dest && dest.status, 503);
		const other = t.sim.httpHandler()(request);
		assert.equal("status" in other && other.status, 200);
		const server = await t.sim.listen(0);
		try {
			const tagged = await fetch(`${server.baseUrl}/game/session/heartbeat`, {
				method: "PATCH",
				headers: { ...headers, "X-Sim-Server": "dest" },
				body,
			});
			assert.equal(tagged.status, 503);
			await tagged.text();
		} finally {
			await server.close();
		}
	});
});

describe("429 with Retry-After", () => {
	it("an error fault can carry Retry-After, in JSON or on a gateway page", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "error", status: 429, retryAfterSec: 30 }, times: 1 });
		const limited = t.heartbeat(id);
		assert.equal(limited.status, 429);
		assert.equal(limited.json.error.code, "RATE_LIMITED");
		assert.equal(limited.raw.headers["retry-after"], "30");
		t.sim.fault({ effect: { kind: "error", status: 503, retryAfterSec: 5 }, times: 1 });
		const down = t.heartbeat(id);
		assert.equal(down.raw.headers["retry-after"], "5");
		assert.match(down.raw.body, /503/);
		assert.equal(t.heartbeat(id).raw.headers["retry-after"], undefined);
		assert.throws(() => t.sim.fault({ effect: { kind: "error", status: 429, retryAfterSec: 1.5 } }), RangeError);
	});

	it("the rate limiter's own 429 says when its window reopens", () => {
		const t = setup({ rateLimit: { requests: 2, windowSec: 60 }, retryAfterHeader: true });
		t.heartbeat("gs_x");
		t.heartbeat("gs_x");
		const limited = t.heartbeat("gs_x");
		assert.equal(limited.status, 429);
		const after = Number(limited.raw.headers["retry-after"]);
		assert.ok(after >= 1 && after <= 60, `Retry-After ${after}`);
		t.clock.advance(after);
		assert.equal(t.heartbeat("gs_x").status, 404, "admitted again once the window reopened");
	});
});
