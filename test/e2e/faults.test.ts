// The API misbehaving: outages, 429s, lost verify replies, a wrong key, HTTP off.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EPOCH, type GameServer, type Harness } from "./harness";
import { harness, TTL_SEC } from "./fixtures";

const PLAYERS = [61, 62, 63, 64, 65];

async function fivePlayers(h: Harness): Promise<GameServer> {
	const game = await h.startServer();
	for (const userId of PLAYERS) game.join({ userId, pcId: `pc-${userId}` });
	for (const userId of PLAYERS) {
		assert.deepEqual((await game.waitForEvent(userId, "verified")).args, ["true", "VERIFIED", "-"]);
	}
	return game;
}

/**
 * Runs until every user's session has had a heartbeat accepted since now. An outage survives only if
 * it ends before the TTL (240 s) since the last accepted heartbeat, so outages start right after one.
 */
async function untilAllBeat(h: Harness, users: number[]): Promise<void> {
	const before = new Map(users.map((userId) => [userId, h.sessionOf(userId).lastHeartbeatAt]));
	for (let i = 0; i < 300; i++) {
		if (users.every((userId) => h.sessionOf(userId).lastHeartbeatAt > before.get(userId)!)) return;
		await h.advance(1);
	}
	throw new Error("no heartbeat within 300 s");
}

/** Requests the simulator received in [from, to) (virtual seconds). */
function requestsBetween(h: Harness, from: number, to: number) {
	return h.ledger().requests.filter((r) => r.at >= EPOCH + from && r.at < EPOCH + to);
}

describe("API outage", () => {
	test("3 minutes: every session survives, without a request storm", async () => {
		const h = await harness();
		const game = await fivePlayers(h);
		await h.advance(200);
		await untilAllBeat(h, PLAYERS);
		const from = h.now;
		h.sim.outage(EPOCH + from, EPOCH + from + 180);
		await h.advance(180);
		const during = requestsBetween(h, from, from + 180);
		assert.ok(during.length > 0, "the SDK kept trying");
		assert.ok(during.length <= 8 * PLAYERS.length, `${during.length} requests in 3 minutes for 5 players`);
		await h.advance(600);
		for (const userId of PLAYERS) {
			assert.equal(game.events(userId, "lost").length, 0, game.describe(userId));
			const session = h.sessionOf(userId);
			assert.equal(session.state, "active");
			assert.ok(session.lastHeartbeatAt > EPOCH + from + 180, "heartbeats resumed after the outage");
		}
		const start = h.now;
		for (const userId of PLAYERS) game.leave(userId);
		await h.advance(30);
		for (const userId of PLAYERS) {
			const session = h.sessionOf(userId);
			assert.equal(session.endedBy, "ended_by_game");
			assert.ok(Math.abs(session.billedSec - start) <= 3, `billed ${session.billedSec}s of ${start}s`);
		}
		assert.deepEqual(h.violations(), []);
	});

	test("6 minutes: sessions lost (TTL_EXPIRED), players notified not kicked, no request storm", async () => {
		const h = await harness();
		const game = await fivePlayers(h);
		const handles = PLAYERS.map((userId) => game.server.players.get(userId));
		await h.advance(200);
		await untilAllBeat(h, PLAYERS);
		const from = h.now;
		h.sim.outage(EPOCH + from, EPOCH + from + 360);
		await h.advance(360);
		const during = requestsBetween(h, from, from + 360);
		assert.ok(during.length <= 10 * PLAYERS.length, `${during.length} requests in 6 minutes for 5 players`);
		await h.advance(600);
		for (const userId of PLAYERS) {
			const lost = game.event(userId, "lost");
			assert.equal(lost.args[0], "TTL_EXPIRED");
			assert.ok(lost.time - from <= TTL_SEC + 1, `lost ${lost.time - from}s into the outage`);
			assert.ok(game.notices(userId).includes("SESSION_LOST"));
			assert.ok(game.clientNotices(userId).includes("SESSION_LOST"), `client ${userId} was not told`);
			const lostText = game.messages(userId).find((m) => m.notice === "SESSION_LOST")?.text;
			assert.ok(game.shown(userId).includes(lostText!), `shown: ${game.shown(userId).join(" | ")}`);
			assert.equal(h.sessionOf(userId).endedBy, "ttl_expired");
		}
		for (const handle of handles) assert.equal(handle?.kicked ?? false, false);
		const after = requestsBetween(h, from + 360, h.now).filter((r) => r.endpoint === "heartbeat");
		assert.deepEqual(after, [], "no heartbeats for lost sessions after the outage");
		assert.deepEqual(h.violations(), []);
	});
});

test("429 for a minute: sessions survive, requests back off", async () => {
	const h = await harness();
	const game = await fivePlayers(h);
	await h.advance(200);
	const from = h.now;
	h.sim.fault({ effect: { kind: "error", status: 429 }, from: EPOCH + from, to: EPOCH + from + 60 });
	await h.advance(60);
	const during = requestsBetween(h, from, from + 60);
	assert.ok(during.length <= 4 * PLAYERS.length, `${during.length} requests during a minute of 429s`);
	await h.advance(900);
	for (const userId of PLAYERS) {
		assert.equal(game.events(userId, "lost").length, 0, game.describe(userId));
		assert.equal(h.sessionOf(userId).state, "active");
	}
	assert.deepEqual(h.violations(), []);
});

describe("lost verify replies", () => {
	test("a dropped reply after the server acted (the OTT_ALREADY_USED trap): never a kick", async () => {
		const h = await harness();
		h.sim.fault({ effect: { kind: "drop", acted: true }, endpoint: "verify", times: 1 });
		const game = await h.startServer();
		const player = game.join({ userId: 71, pcId: "pc-71" });
		await h.advance(120);
		const verify = h.ledger().requests.filter((r) => r.endpoint === "verify");
		assert.ok(verify.length >= 1);
		assert.equal(verify[0].dropped, true);
		const verified = game.event(71, "verified");
		assert.equal(player.kicked, false, `kicked: ${player.kickMessage} (${game.describe(71)})`);
		assert.notEqual(verified.args[2], "OTT_ALREADY_USED", "OTT_ALREADY_USED after our own lost reply");
		if (verify.length > 1) {
			assert.deepEqual(verified.args, ["false", "REQUEST_FAILED", "VERIFY_OUTCOME_UNKNOWN"]);
		}
	});

	test("a dropped request that never arrived: the retry verifies", async () => {
		const h = await harness();
		h.sim.fault({ effect: { kind: "drop", acted: false }, endpoint: "verify", times: 1 });
		const game = await h.startServer({ place: "wally" });
		const player = game.join({ userId: 72, pcId: "pc-72" });
		await h.advance(60);
		assert.deepEqual(game.event(72, "verified").args, ["true", "VERIFIED", "-"]);
		assert.equal(player.kicked, false);
		assert.equal(h.sessionOf(72).state, "active");
	});
});

test("a wrong API key: one warning, not one per player; nobody kicked", async () => {
	const h = await harness();
	const wrongKey = "pw_dev_0000000000000000000000000000000000000000";
	const game = await h.startServer({ apiKey: wrongKey });
	const handles = PLAYERS.map((userId) => game.join({ userId, pcId: `pc-${userId}` }));
	await h.advance(120);
	for (const userId of PLAYERS) assert.equal(game.event(userId, "verified").args[1], "REQUEST_FAILED");
	for (const handle of handles) assert.equal(handle.kicked, false);
	const warnings = game.warnings().filter((line) => /verify failed|refused the API key/i.test(line));
	assert.equal(warnings.length, 1, game.warnings().join("\n"));
	const output = game.server.output.map((line) => line.text).join("\n");
	assert.ok(!output.includes(wrongKey), "the key is never printed");
	assert.ok(h.ledger().counts.verify <= PLAYERS.length, "401 is not retried");
});

test("HTTP disabled: one warning at start, players REQUEST_FAILED, no request", async () => {
	const h = await harness();
	const game = await h.startServer({ httpEnabled: false });
	const handles = PLAYERS.map((userId) => game.join({ userId, pcId: `pc-${userId}` }));
	await h.advance(120);
	for (const userId of PLAYERS) assert.equal(game.event(userId, "verified").args[1], "REQUEST_FAILED");
	for (const handle of handles) assert.equal(handle.kicked, false);
	const warnings = game.warnings().filter((line) => /HTTP/i.test(line));
	assert.equal(warnings.length, 1, game.warnings().join("\n"));
	assert.equal(h.ledger().requests.length, 0);
});
