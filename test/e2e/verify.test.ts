// Verify rejections and what each player sees; client notices held until the client is ready.
import assert from "node:assert/strict";
import { test } from "node:test";
import { harness } from "./fixtures";

test("GAME_MISMATCH: a token for another game is a kick", async () => {
	const h = await harness();
	const other = h.sim.addGame({ name: "another-game" });
	const game = await h.startServer();
	const launchData = h.launchData({ userId: 90, pcId: "pc-90", balanceSec: 3600, game: other.gameId });
	const player = game.join({ userId: 90, launchData });
	await h.advance(10);
	assert.deepEqual(game.event(90, "verified").args, ["false", "REJECTED", "GAME_MISMATCH"]);
	assert.match(player.kickMessage ?? "", /different game/);
	assert.equal(h.sim.sessions().length, 0);
});

test("OTT_EXPIRED: a token older than a minute is a notice to relaunch, not a kick", async () => {
	const h = await harness();
	const game = await h.startServer();
	const launchData = h.launchData({ userId: 91, pcId: "pc-91", balanceSec: 3600 });
	await h.advance(61);
	const player = game.join({ userId: 91, launchData });
	await h.advance(10);
	assert.deepEqual(game.event(91, "verified").args, ["false", "REJECTED", "OTT_EXPIRED"]);
	assert.equal(player.kicked, false);
	assert.deepEqual(game.notices(91), ["OTT_EXPIRED"]);
	assert.deepEqual(game.clientNotices(91), ["OTT_EXPIRED"]);
	assert.deepEqual(game.shown(91), [game.messages(91)[0].text]);
	assert.match(game.shown(91)[0], /relaunch|launcher/i);
	assert.equal(h.ledger().counts.verify, 1, "a rejection is not retried");
});

test("NOT_CHARGEABLE: no G-coin is a notice to recharge, not a kick", async () => {
	const h = await harness();
	const game = await h.startServer({ place: "wally" });
	const player = game.join({ userId: 92, pcId: "pc-92", balanceSec: 0 });
	await h.advance(10);
	assert.deepEqual(game.event(92, "verified").args, ["false", "REJECTED", "NOT_CHARGEABLE"]);
	assert.equal(player.kicked, false);
	assert.deepEqual(game.notices(92), ["NOT_CHARGEABLE"]);
	assert.deepEqual(game.clientNotices(92), ["NOT_CHARGEABLE"]);
	assert.deepEqual(game.shown(92), [game.messages(92)[0].text]);
	assert.match(game.shown(92)[0], /G-coin/);
	assert.equal(h.sim.sessions().length, 0);
});

test("OTT_ALREADY_USED from a genuine duplicate (another connection used the token) is a kick", async () => {
	const h = await harness();
	const game = await h.startServer();
	const launchData = h.launchData({ userId: 93, pcId: "pc-93", balanceSec: 3600 });
	const first = game.join({ userId: 93, launchData });
	await h.advance(5);
	const second = game.join({ userId: 94, launchData });
	await h.advance(10);
	assert.deepEqual(game.event(93, "verified").args, ["true", "VERIFIED", "-"]);
	assert.equal(first.kicked, false);
	assert.deepEqual(game.event(94, "verified").args, ["false", "REJECTED", "OTT_ALREADY_USED"]);
	assert.match(second.kickMessage ?? "", /already used/);
	assert.equal(h.sim.sessions().length, 1);
});

test("notices sent before the client is ready are delivered when it says so", async () => {
	const h = await harness();
	const game = await h.startServer();
	game.join({ userId: 95, pcId: "pc-95", balanceSec: 200, ready: false });
	await h.runUntil(() => game.events(95, "chargeExhausted").length > 0, 600);
	assert.deepEqual(game.messages(95), [], "nothing reaches a client that is not ready");
	await game.ready(95); // the player's client starts now; its notices module says it is ready
	await h.advance(2);
	assert.deepEqual(game.messages(95), [
		{ type: "status", isPcCafe: true },
		{ type: "notice", notice: "CHARGE_EXHAUSTED", text: game.messages(95)[1]?.text },
	]);
	assert.match(String(game.messages(95)[1].text), /G-coin/);
	assert.deepEqual(game.clientStatuses(95), [true]);
	assert.deepEqual(game.clientNotices(95), ["CHARGE_EXHAUSTED"]);
	assert.deepEqual(game.shown(95), [game.messages(95)[1].text]);
});
