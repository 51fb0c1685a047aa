import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiKeyStore } from "../keys";
import { setup } from "./helpers";

function expect401(reply: { status: number; json: { error: { code: string } } }) {
	assert.equal(reply.status, 401);
	assert.equal(reply.json.error.code, "INVALID_API_KEY");
}

describe("API keys", () => {
	it("rejects a missing key", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		const reply = t.send("POST", "/game/session/verify", { ott, provider_user_id: "1" }, null);
		expect401(reply);
	});

	it("rejects an unknown key and an empty key", () => {
		const t = setup();
		expect401(t.heartbeat("gs_x", "1", "pw_dev_nope"));
		expect401(t.heartbeat("gs_x", "1", ""));
	});

	it("rejects a key of another environment", () => {
		const t = setup({ environment: "dev" });
		const qaKey = t.sim.issueApiKey(t.gameId, { environment: "qa" });
		expect401(t.heartbeat("gs_x", "1", qaKey));
	});

	it("rejects the keys of an inactive game, and accepts them again once reactivated", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
		t.sim.setGameActive(t.gameId, false);
		expect401(t.verify(ott, "1"));
		t.sim.setGameActive(t.gameId, true);
		assert.equal(t.verify(ott, "1").json.data.is_valid, true);
	});

	it("rejects a revoked key while the game's other keys keep working", () => {
		const t = setup();
		const second = t.sim.issueApiKey(t.gameId);
		assert.equal(t.sim.revokeApiKey(t.apiKey), true);
		expect401(t.heartbeat("gs_x", "1", t.apiKey));
		assert.equal(t.heartbeat("gs_x", "1", second).status, 404);
	});

	it("checks the key before validating the body", () => {
		const t = setup();
		expect401(t.send("POST", "/game/session/verify", "not json", "wrong"));
	});

	it("identifies the game by the key: a token for game A verified with game B's key is GAME_MISMATCH", () => {
		const t = setup();
		const b = t.sim.addGame({ gameId: "game-b" });
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60, game: "game-a" });
		const reply = t.verify(ott, "1", b.apiKey);
		assert.deepEqual(reply.json.data, { is_valid: false, reason: "GAME_MISMATCH" });
	});

	it("stores only hashes", () => {
		const store = new ApiKeyStore();
		store.add("pw_dev_secret-value", "g", "dev");
		assert.ok(!JSON.stringify(store).includes("secret-value"));
		assert.equal(store.lookup("pw_dev_secret-value", 0)?.gameId, "g");
		assert.equal(store.lookup("pw_dev_secret-valuE", 0), undefined);
		assert.throws(() => store.add("pw_dev_secret-value", "h", "dev"));
	});
});

describe("rate limit", () => {
	it("is off by default", () => {
		const t = setup();
		for (let i = 0; i < 200; i++) assert.equal(t.heartbeat("gs_x").status, 404);
	});

	it("answers 429 RATE_LIMITED past the limit within a window, per key, and resets with the next window", () => {
		const t = setup({ rateLimit: { requests: 3, windowSec: 60 } });
		t.clock.set(Math.ceil(t.clock.now() / 60) * 60);
		const other = t.sim.addGame({ gameId: "game-b" }).apiKey;
		for (let i = 0; i < 3; i++) assert.equal(t.heartbeat("gs_x").status, 404);
		const limited = t.heartbeat("gs_x");
		assert.equal(limited.status, 429);
		assert.equal(limited.json.error.code, "RATE_LIMITED");
		assert.equal(limited.raw.headers["retry-after"], undefined);
		assert.equal(t.heartbeat("gs_x", "1", other).status, 404, "another key has its own budget");
		t.clock.advance(59);
		assert.equal(t.heartbeat("gs_x").status, 429);
		t.clock.advance(1);
		assert.equal(t.heartbeat("gs_x").status, 404);
	});

	it("can send Retry-After and be reconfigured mid-scenario", () => {
		const t = setup();
		t.clock.set(Math.ceil(t.clock.now() / 60) * 60 + 10);
		t.sim.configure({ rateLimit: { requests: 1, windowSec: 60 }, retryAfterHeader: true });
		t.heartbeat("gs_x");
		const limited = t.heartbeat("gs_x");
		assert.equal(limited.status, 429);
		assert.equal(limited.raw.headers["retry-after"], "50");
		t.sim.configure({ rateLimit: null });
		assert.equal(t.heartbeat("gs_x").status, 404);
	});
});
