import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup, T0 } from "./helpers";

describe("envelopes", () => {
	it("wraps success as {success:true, request_id:req_…, data} and nothing else", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 60 });
		const reply = t.verify(ott);
		assert.equal(reply.status, 200);
		assert.deepEqual(Object.keys(reply.json).sort(), ["data", "request_id", "success"]);
		assert.equal(reply.json.success, true);
		assert.match(reply.json.request_id, /^req_[0-9a-f]+$/);
		assert.equal(reply.raw.headers["content-type"], "application/json; charset=utf-8");
	});

	it("gives every request its own request_id", () => {
		const t = setup();
		const id = t.start();
		const a = t.heartbeat(id).json.request_id;
		const b = t.heartbeat(id).json.request_id;
		assert.notEqual(a, b);
	});

	it("wraps errors as {success:false, error:{code,message,timestamp}} without request_id", () => {
		const t = setup();
		t.clock.advance(1.5);
		const reply = t.heartbeat("gs_00000000-0000-4000-8000-000000000000");
		assert.equal(reply.status, 404);
		assert.deepEqual(Object.keys(reply.json).sort(), ["error", "success"]);
		assert.equal(reply.json.success, false);
		assert.deepEqual(Object.keys(reply.json.error).sort(), ["code", "message", "timestamp"]);
		assert.equal(reply.json.error.code, "SESSION_NOT_FOUND");
		assert.equal(typeof reply.json.error.message, "string");
		assert.equal(reply.json.error.timestamp, new Date((T0 + 1.5) * 1000).toISOString());
	});

	it("answers 404 NOT_FOUND off the API and 405 for a wrong method, in the error envelope", () => {
		const t = setup();
		const missing = t.send("POST", "/game/session/nope", {});
		assert.equal(missing.status, 404);
		assert.equal(missing.json.error.code, "NOT_FOUND");
		const wrong = t.send("POST", "/game/session/heartbeat", {});
		assert.equal(wrong.status, 405);
		assert.equal(wrong.json.error.code, "METHOD_NOT_ALLOWED");
		const outside = t.sim.handle({ method: "POST", url: "/v2/game/session/verify", body: "{}" });
		assert.equal(outside.status, 404);
	});

	it("routes on the path only: absolute URLs, bare paths and query strings all work", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const reply = t.sim.handle({
			method: "POST",
			url: "/v1/game/session/verify?x=1",
			headers: { "x-api-key": t.apiKey, "content-type": "application/json" },
			body: JSON.stringify({ ott, provider_user_id: "1" }),
		});
		assert.equal(reply.status, 200);
	});

	it("methods are case-sensitive (RFC 9110 §9.1): a lower-case method is another method, 405", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const reply = t.sim.handle({
			method: "post",
			url: "/v1/game/session/verify",
			headers: { "x-api-key": t.apiKey, "content-type": "application/json" },
			body: JSON.stringify({ ott, provider_user_id: "1" }),
		});
		assert.equal(reply.status, 405);
		assert.equal(t.verify(ott, "1").json.data.is_valid, true, "the token was not consumed");
	});

	it("honours a custom base path", () => {
		const t = setup({ basePath: "/api/v1/" });
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const reply = t.sim.handle({
			method: "POST",
			url: "http://localhost/api/v1/game/session/verify",
			headers: { "X-Api-Key": t.apiKey, "Content-Type": "application/json" },
			body: JSON.stringify({ ott, provider_user_id: "1" }),
		});
		assert.equal(reply.status, 200);
	});
});

describe('replyStyle "odd": the same content, written as a real API may also write it', () => {
	/** Drops the fields the docs do not list (where the odd style puts them), to compare with a plain reply. */
	function documented(json: Record<string, any>) {
		const omit = (object: Record<string, any>, keys: string[]) =>
			Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
		const out = omit(json, ["meta"]);
		if (out.data) out.data = omit(out.data, ["server_region", "hint"]);
		if (out.error) out.error = omit(out.error, ["details", "docs_url"]);
		return out;
	}

	it("answers verify, heartbeat, end and an error with the same documented fields as plain", () => {
		const plain = setup();
		const odd = setup({ replyStyle: "odd" });
		for (const t of [plain, odd]) t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 600 });
		const run = (t: ReturnType<typeof setup>) => {
			const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-2", balanceSec: 600 });
			const verify = t.verify(ott);
			const id = verify.json.data.game_session_id as string;
			t.clock.advance(120);
			const beat = t.heartbeat(id);
			const end = t.end(id, 125);
			const gone = t.heartbeat(id);
			return [verify, beat, end, gone];
		};
		const [a, b] = [run(plain), run(odd)];
		for (let i = 0; i < a.length; i++) {
			assert.equal(b[i].status, a[i].status);
			const { request_id: _x, ...plainJson } = a[i].json;
			const { request_id: _y, ...oddJson } = documented(b[i].json);
			assert.deepEqual(oddJson, plainJson);
		}
	});

	it("writes undocumented fields, reversed keys, 120.0, escaped slashes and CRLF; another Content-Type spelling", () => {
		const t = setup({ replyStyle: "odd" });
		const id = t.start();
		t.clock.advance(60);
		const reply = t.heartbeat(id);
		const body = reply.raw.body;
		assert.match(body, /\r\n\t"meta" : \{/);
		assert.match(body, /"next_heartbeat_in" : 120\.0/);
		assert.ok(body.indexOf('"success"') > body.indexOf('"data"'), "keys in reverse order");
		assert.equal(reply.json.data.server_region, "ap-northeast-2");
		assert.equal(reply.raw.headers["content-type"], "application/json;charset=UTF-8");
		const error = t.heartbeat("gs_00000000-0000-4000-8000-000000000000");
		assert.match(error.raw.body, /"docs_url" : "https:\\\/\\\/docs\.playwave\.dev\\\/errors"/);
		assert.equal(error.json.error.code, "SESSION_NOT_FOUND");
	});
});
