import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

describe("fault injection", () => {
	it("latency: reported in delaySec, summed over rules, scoped to an endpoint", () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "latency", delaySec: 2 } });
		t.sim.fault({ effect: { kind: "latency", delaySec: 3 }, endpoint: "heartbeat" });
		const id = t.start();
		const hb = t.heartbeat(id);
		assert.equal(hb.status, 200);
		assert.equal(hb.raw.delaySec, 5);
		assert.equal(t.end(id).raw.delaySec, 2);
		assert.equal(t.sim.ledger().requests.at(-1)?.fault, "latency");
	});

	it("drop: the server acts but the reply is lost — a retried verify sees OTT_ALREADY_USED", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 600 });
		t.sim.fault({ effect: { kind: "drop" }, endpoint: "verify", times: 1 });
		const lost = t.verify(ott);
		assert.equal(lost.raw.dropped, true);
		assert.equal(lost.status, 0);
		assert.equal(lost.raw.body, "");
		assert.deepEqual(t.verify(ott).json.data, { is_valid: false, reason: "OTT_ALREADY_USED" });
		const orphan = t.sim.sessions()[0];
		assert.equal(orphan.state, "active");
		t.clock.advance(240);
		assert.equal(t.sim.session(orphan.gameSessionId)!.endedBy, "ttl_expired");
		assert.equal(t.sim.session(orphan.gameSessionId)!.billedSec, 0);
		const log = t.sim.ledger().requests;
		assert.deepEqual(
			log.map((r) => [r.dropped, r.acted, r.result]),
			[
				[true, true, "VALID"],
				[false, true, "OTT_ALREADY_USED"],
			],
		);
	});

	it("drop before arrival: nothing happens server-side", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 600 });
		t.sim.fault({ effect: { kind: "drop", acted: false }, times: 1 });
		assert.equal(t.verify(ott).raw.dropped, true);
		assert.equal(t.verify(ott).json.data.is_valid, true);
	});

	it("a dropped heartbeat still refreshes the session", () => {
		const t = setup();
		const id = t.start();
		t.clock.advance(200);
		t.sim.fault({ effect: { kind: "drop" }, endpoint: "heartbeat", times: 1 });
		assert.equal(t.heartbeat(id).raw.dropped, true);
		t.clock.advance(200);
		assert.equal(t.heartbeat(id).json.data.result, "OK");
	});

	it("error: 500 INTERNAL_ERROR in the envelope, without acting, for `times` requests", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "error" }, endpoint: "heartbeat", times: 2 });
		for (let i = 0; i < 2; i++) {
			const reply = t.heartbeat(id);
			assert.equal(reply.status, 500);
			assert.equal(reply.json.success, false);
			assert.equal(reply.json.error.code, "INTERNAL_ERROR");
			assert.equal(typeof reply.json.error.timestamp, "string");
		}
		assert.equal(t.heartbeat(id).status, 200);
		assert.equal(t.sim.session(id)!.requests.heartbeat, 1, "failed heartbeats never reached the session");
	});

	it("error after acting: the end happened even though the reply was a 500", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "error", acted: true }, endpoint: "end", times: 1 });
		assert.equal(t.end(id).status, 500);
		assert.equal(t.end(id).status, 409);
	});

	it("error: 502/503/504 come as a gateway's HTML page; any status or code can be forced", () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "error", status: 502 }, times: 1 });
		const gateway = t.heartbeat("gs_x");
		assert.equal(gateway.status, 502);
		assert.equal(gateway.raw.headers["content-type"], "text/html");
		assert.match(gateway.raw.body, /<title>502 Bad Gateway<\/title>/);
		t.sim.fault({ effect: { kind: "error", status: 429 }, times: 1 });
		assert.equal(t.heartbeat("gs_x").json.error.code, "RATE_LIMITED");
		t.sim.fault({ effect: { kind: "error", status: 500, html: true }, times: 1 });
		assert.match(t.heartbeat("gs_x").raw.body, /^<html>/);
	});

	it("malformed: non-JSON, HTML, empty and truncated bodies, after acting", () => {
		const t = setup();
		const id = t.start();
		for (const body of ["non-json", "html", "empty", "truncated"] as const) {
			t.sim.fault({ effect: { kind: "malformed", body }, endpoint: "heartbeat", times: 1 });
			const reply = t.heartbeat(id);
			assert.equal(reply.status, 200, body);
			assert.equal(reply.json, undefined, `${body} must not parse`);
		}
		assert.equal(t.sim.session(id)!.requests.heartbeat, 4);
	});

	it("malformed: missing fields (all of data by default, or named paths) and a custom transform", () => {
		const t = setup();
		const id = t.start();
		t.sim.fault({ effect: { kind: "malformed", body: "missing-fields" }, times: 1 });
		assert.deepEqual(t.heartbeat(id).json.data, {});
		t.sim.fault({
			effect: { kind: "malformed", body: "missing-fields", fields: ["data.next_heartbeat_in", "request_id"] },
			times: 1,
		});
		const partial = t.heartbeat(id).json;
		assert.equal(partial.request_id, undefined);
		assert.deepEqual(Object.keys(partial.data).sort(), ["play_duration_sec", "result"]);
		t.sim.fault({ effect: { kind: "malformed", body: (b) => b.replace('"OK"', '"WHATEVER"') }, times: 1 });
		assert.equal(t.heartbeat(id).json.data.result, "WHATEVER");
	});

	it("outage(from, to): 503 in the window only, per endpoint or global; or unreachable", () => {
		const t = setup();
		const now = t.clock.now();
		const id = t.start();
		t.sim.outage(now + 100, now + 200, { endpoint: "heartbeat" });
		t.clock.advance(99);
		assert.equal(t.heartbeat(id).status, 200);
		t.clock.advance(1);
		assert.equal(t.heartbeat(id).status, 503);
		assert.equal(t.verify("0b788078-937c-4c6e-96f9-8b641b7a9129").status, 200, "other endpoints are up");
		t.clock.advance(100);
		assert.equal(t.heartbeat(id).status, 200);
		t.sim.outage(now + 300, now + 400, { unreachable: true });
		t.clock.advance(100);
		assert.equal(t.heartbeat(id).raw.dropped, true);
		assert.equal(t.end(id).raw.dropped, true);
		assert.equal(t.sim.ledger().requests.at(-1)?.acted, false);
	});

	it("faults strike before authentication, and can be removed", () => {
		const t = setup();
		const rule = t.sim.fault({ effect: { kind: "error", status: 503 } });
		assert.equal(t.heartbeat("gs_x", "1", "bad-key").status, 503);
		assert.equal(t.sim.removeFault(rule), true);
		assert.equal(t.heartbeat("gs_x", "1", "bad-key").status, 401);
		t.sim.fault({ effect: { kind: "error" } });
		t.sim.clearFaults();
		assert.equal(t.heartbeat("gs_x").status, 404);
	});

	it("the first matching non-latency rule wins; later ones are not used up", () => {
		const t = setup();
		t.sim.fault({ effect: { kind: "error", status: 500 }, times: 1 });
		t.sim.fault({ effect: { kind: "error", status: 504 }, times: 1 });
		assert.equal(t.heartbeat("gs_x").status, 500);
		assert.equal(t.heartbeat("gs_x").status, 504);
		assert.equal(t.heartbeat("gs_x").status, 404);
	});
});

describe("robustness", () => {
	it("turns an internal failure (here a transform that throws) into 500 INTERNAL_ERROR", () => {
		const t = setup();
		t.sim.fault({
			effect: {
				kind: "malformed",
				body: () => {
					throw new Error("boom");
				},
			},
			times: 1,
		});
		const reply = t.heartbeat("gs_x");
		assert.equal(reply.status, 500);
		assert.equal(reply.json.error.code, "INTERNAL_ERROR");
		assert.equal(t.heartbeat("gs_x").status, 404);
	});

	it("issues launch data with or without the prefix", () => {
		const t = setup();
		const prefixed = t.sim.issueLaunchData({ userId: 1, pcId: "pc", balanceSec: 60 });
		assert.match(prefixed, /^playwave_[0-9a-f-]{36}$/);
		const bare = t.sim.issueLaunchData({ userId: 1, pcId: "pc", prefixed: false });
		assert.match(bare, /^[0-9a-f-]{36}$/);
		assert.equal(t.verify(prefixed.slice("playwave_".length), "1").json.data.is_valid, true);
	});
});
