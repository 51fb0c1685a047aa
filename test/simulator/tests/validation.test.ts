import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

const UUID = "0b788078-937c-4c6e-96f9-8b641b7a9129";

function expect400(reply: { status: number; json: { success: boolean; error: { code: string } } }, why: string) {
	assert.equal(reply.status, 400, why);
	assert.equal(reply.json.success, false, why);
	assert.equal(reply.json.error.code, "BAD_REQUEST", why);
}

describe("request validation → 400 BAD_REQUEST", () => {
	const bodies: [string, string, unknown][] = [
		["verify", "invalid JSON", "{ott:"],
		["verify", "empty body", ""],
		["verify", "JSON array", "[]"],
		["verify", "JSON string", '"x"'],
		["verify", "missing ott", { provider_user_id: "1" }],
		["verify", "numeric ott", { ott: 5, provider_user_id: "1" }],
		["verify", "ott not a UUID", { ott: "abc", provider_user_id: "1" }],
		["verify", "prefixed ott", { ott: `playwave_${UUID}`, provider_user_id: "1" }],
		["verify", "missing provider_user_id", { ott: UUID }],
		["verify", "numeric provider_user_id", { ott: UUID, provider_user_id: 123 }],
		["verify", "empty provider_user_id", { ott: UUID, provider_user_id: "" }],
		["verify", "provider_user_id in exponent form", { ott: UUID, provider_user_id: "1.5e+09" }],
		["verify", "provider_user_id with leading zeros", { ott: UUID, provider_user_id: "0123" }],
		["verify", "provider_user_id with a plus sign", { ott: UUID, provider_user_id: "+123" }],
		["verify", "provider_user_id -0", { ott: UUID, provider_user_id: "-0" }],
		["verify", "provider_user_id with spaces", { ott: UUID, provider_user_id: " 123" }],
		["verify", "an undocumented field", { ott: UUID, provider_user_id: "1", x: 1 }],
		[
			"heartbeat",
			"an undocumented field",
			{ game_session_id: "gs_x", provider_user_id: "1", play_duration_sec: 1 },
		],
		["end", "an undocumented field", { game_session_id: "gs_x", provider_user_id: "1" }],
		["heartbeat", "missing game_session_id", { provider_user_id: "1" }],
		["heartbeat", "numeric game_session_id", { game_session_id: 1, provider_user_id: "1" }],
		["heartbeat", "missing provider_user_id", { game_session_id: "gs_x" }],
		["heartbeat", "numeric provider_user_id", { game_session_id: "gs_x", provider_user_id: 1 }],
		["end", "missing game_session_id", { play_duration_sec: 1 }],
		["end", "string play_duration_sec", { game_session_id: "gs_x", play_duration_sec: "10" }],
		["end", "negative play_duration_sec", { game_session_id: "gs_x", play_duration_sec: -1 }],
		["end", "fractional play_duration_sec", { game_session_id: "gs_x", play_duration_sec: 1.5 }],
	];
	const routes = {
		verify: ["POST", "/game/session/verify"],
		heartbeat: ["PATCH", "/game/session/heartbeat"],
		end: ["DELETE", "/game/session/end"],
	} as const;

	for (const [endpoint, why, body] of bodies) {
		it(`${endpoint}: ${why}`, () => {
			const t = setup();
			const [method, path] = routes[endpoint as keyof typeof routes];
			expect400(t.send(method, path, body), why);
		});
	}

	it("requires Content-Type: application/json (configurable)", () => {
		const t = setup();
		const request = {
			method: "PATCH",
			url: "/v1/game/session/heartbeat",
			headers: { "X-Api-Key": t.apiKey },
			body: JSON.stringify({ game_session_id: "gs_x", provider_user_id: "1" }),
		};
		assert.equal(t.sim.handle(request).status, 400);
		assert.equal(
			t.sim.handle({ ...request, headers: { ...request.headers, "Content-Type": "text/plain" } }).status,
			400,
		);
		assert.equal(
			t.sim.handle({
				...request,
				headers: { ...request.headers, "content-type": "application/json; charset=utf-8" },
			}).status,
			404,
		);
		t.sim.configure({ requireJsonContentType: false });
		assert.equal(t.sim.handle(request).status, 404);
	});

	it("an upper-case copy of an issued OTT is another string: unknown, so OTT_EXPIRED, and not consumed", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		assert.notEqual(ott.toUpperCase(), ott, "PlayWave issues lower-case tokens");
		const upper = t.verify(ott.toUpperCase(), "1");
		assert.equal(upper.status, 200, "a well-formed UUID is not a 400");
		assert.deepEqual(upper.json.data, { is_valid: false, reason: "OTT_EXPIRED" });
		assert.equal(t.verify(ott, "1").json.data.is_valid, true);
	});

	it("accepts a Studio test player's negative id and a null play_duration_sec", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const verified = t.send("POST", "/game/session/verify", { ott, provider_user_id: "-1" });
		assert.equal(verified.json.data.is_valid, true);
		const ended = t.send("DELETE", "/game/session/end", {
			game_session_id: verified.json.data.game_session_id,
			play_duration_sec: null,
		});
		assert.equal(ended.status, 200);
		assert.equal(ended.json.data.client_play_duration_sec, null);
	});

	it("does not act on a rejected request", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		expect400(t.send("POST", "/game/session/verify", { ott, provider_user_id: 1 }), "numeric user");
		assert.equal(t.verify(ott, "1").json.data.is_valid, true);
	});
});
