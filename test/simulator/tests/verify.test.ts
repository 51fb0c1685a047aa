import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setup } from "./helpers";

describe("POST /game/session/verify", () => {
	it("is_valid:true → game_session_id gs_<uuid> and is_pc_cafe", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 600 });
		const reply = t.verify(ott);
		assert.equal(reply.status, 200);
		assert.deepEqual(Object.keys(reply.json.data).sort(), ["game_session_id", "is_pc_cafe", "is_valid"]);
		assert.equal(reply.json.data.is_valid, true);
		assert.match(
			reply.json.data.game_session_id,
			/^gs_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		assert.equal(reply.json.data.is_pc_cafe, true);
		assert.match(ott, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it("honours is_pc_cafe:false", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 123, pcId: "pc-1", balanceSec: 600, isPcCafe: false });
		assert.equal(t.verify(ott).json.data.is_pc_cafe, false);
	});

	it("OTT_EXPIRED: the token lives 60 s from issuance (59.9 s is fine, 60 s is not)", () => {
		const t = setup();
		const early = t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 600 });
		const late = t.sim.issueOtt({ userId: 2, pcId: "pc-2", balanceSec: 600 });
		t.clock.advance(59.9);
		assert.equal(t.verify(early, "1").json.data.is_valid, true);
		t.clock.advance(0.1);
		assert.deepEqual(t.verify(late, "2").json.data, { is_valid: false, reason: "OTT_EXPIRED" });
	});

	it("OTT_EXPIRED for a well-formed token that was never issued", () => {
		const t = setup();
		const reply = t.verify("0b788078-937c-4c6e-96f9-8b641b7a9129");
		assert.equal(reply.status, 200);
		assert.deepEqual(reply.json.data, { is_valid: false, reason: "OTT_EXPIRED" });
	});

	it("OTT_ALREADY_USED: single use, whoever asks and however old", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 600 });
		assert.equal(t.verify(ott, "1").json.data.is_valid, true);
		assert.deepEqual(t.verify(ott, "1").json.data, { is_valid: false, reason: "OTT_ALREADY_USED" });
		assert.deepEqual(t.verify(ott, "999").json.data, { is_valid: false, reason: "OTT_ALREADY_USED" });
		t.clock.advance(3600);
		assert.deepEqual(t.verify(ott, "1").json.data, { is_valid: false, reason: "OTT_ALREADY_USED" });
	});

	it("GAME_MISMATCH: the token is for another game", () => {
		const t = setup();
		t.sim.addGame({ gameId: "game-b" });
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 600, game: "game-b" });
		assert.deepEqual(t.verify(ott, "1").json.data, { is_valid: false, reason: "GAME_MISMATCH" });
	});

	it("NOT_CHARGEABLE: zero balance; a failed verify does not consume the token", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 0 });
		assert.deepEqual(t.verify(ott, "1").json.data, { is_valid: false, reason: "NOT_CHARGEABLE" });
		t.sim.addBalance(1, 60);
		assert.equal(t.verify(ott, "1").json.data.is_valid, true);
	});

	it("keeps the balance of an account when a token is issued without one", () => {
		const t = setup();
		t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 90 });
		t.sim.issueOtt({ userId: 1, pcId: "pc-1" });
		assert.equal(t.sim.balance(1), 90);
		const fresh = t.sim.issueOtt({ userId: 2, pcId: "pc-2" });
		assert.deepEqual(t.verify(fresh, "2").json.data, { is_valid: false, reason: "NOT_CHARGEABLE" });
	});

	it("checks used before expired, expired before game, game before balance", () => {
		const t = setup();
		t.sim.addGame({ gameId: "game-b" });
		const wrongGameNoMoney = t.sim.issueOtt({ userId: 1, pcId: "pc-1", balanceSec: 0, game: "game-b" });
		assert.equal(t.verify(wrongGameNoMoney, "1").json.data.reason, "GAME_MISMATCH");
		t.clock.advance(60);
		assert.equal(t.verify(wrongGameNoMoney, "1").json.data.reason, "OTT_EXPIRED");
	});

	it("records the verified session in the ledger with its provider user and PC", () => {
		const t = setup();
		const ott = t.sim.issueOtt({ userId: "acct-9", pcId: "pc-7", balanceSec: 600 });
		const id = t.verify(ott, "555").json.data.game_session_id;
		const record = t.sim.session(id);
		assert.equal(record?.providerUserId, "555");
		assert.equal(record?.userId, "acct-9");
		assert.equal(record?.pcId, "pc-7");
		assert.equal(record?.state, "active");
		assert.equal(t.sim.ledger().otts.find((o) => o.ott === ott)?.gameSessionId, id);
	});
});
