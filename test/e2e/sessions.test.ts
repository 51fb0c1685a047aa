// Real sessions end to end on both builds: launcher → verify → heartbeats → leave → end, billed ≈ played.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EPOCH, heartbeatGaps } from "./harness";
import { harness, HEARTBEAT_SEC, TTL_SEC } from "./fixtures";

for (const place of ["rbxts", "wally"] as const) {
	describe(`${place} game place`, () => {
		test("a launcher player is verified, kept alive and ended on leave; billed ≈ played", async () => {
			const h = await harness({ wire: "loopback" });
			const game = await h.startServer({ place });
			const player = game.join({ userId: 101, pcId: "pc-1" });
			const verified = await game.waitForEvent(101, "verified");
			assert.deepEqual(verified.args, ["true", "VERIFIED", "-"]);
			game.event(101, "pcCafe");
			// The client module says it is ready over the network; the status comes back to it.
			await h.runUntil(() => game.clientStatuses(101).length > 0, 10);
			assert.deepEqual(game.messages(101), [{ type: "status", isPcCafe: true }]);
			assert.deepEqual(game.clientStatuses(101), [true]);

			const joinedAt = h.now;
			await h.advance(10 * 60);
			const live = h.sessionOf(101);
			assert.equal(live.state, "active");
			assert.ok(live.requests.heartbeat >= 5, `heartbeats in 10 minutes: ${live.requests.heartbeat}`);

			game.leave(101);
			await h.runUntil(() => game.events(101, "ended").length > 0, 60);
			const played = h.now - joinedAt;
			const ended = game.event(101, "ended");
			assert.equal(ended.args[0], "Ended");
			const session = h.sessionOf(101);
			assert.equal(session.state, "ended");
			assert.equal(session.endedBy, "ended_by_game");
			assert.ok(Math.abs(session.billedSec - played) <= 2, `billed ${session.billedSec}s, played ${played}s`);
			assert.equal(Number(ended.args[1]), Math.floor(session.playDurationSec));
			assert.equal(player.kicked, false);
			assert.deepEqual(game.notices(101), []);
			assert.deepEqual(h.violations(), []);
			assert.deepEqual(game.errors(), []);
			assert.ok(h.wireRequests >= 7, "the requests went over the loopback wire");
		});
	});
}

test("a 30-minute session is billed within a few seconds of play and ended on leave", async () => {
	const h = await harness({ wire: "loopback" });
	const game = await h.startServer();
	game.join({ userId: 7, pcId: "pc-7" });
	// Billing starts when the verify is answered (later when replies are slow) and stops at the leave.
	const joinedAt = (await game.waitForEvent(7, "verified")).time;
	await h.advance(30 * 60);
	game.leave(7);
	const played = h.now - joinedAt;
	await h.runUntil(() => game.events(7, "ended").length > 0, 60);
	const session = h.sessionOf(7);
	assert.equal(session.endedBy, "ended_by_game");
	assert.ok(Math.abs(session.billedSec - 30 * 60) <= 3, `billed ${session.billedSec}s for ${played}s of play`);
	assert.equal(session.clientPlayDurationSec !== null && Math.abs(session.clientPlayDurationSec - played) <= 3, true);
	const gaps = heartbeatGaps(h.ledger(), session.gameSessionId);
	assert.ok(gaps.length >= 14, `heartbeats: ${gaps.length}`);
	assert.ok(Math.max(...gaps) <= HEARTBEAT_SEC, `largest gap ${Math.max(...gaps)}s`);
	assert.ok(Math.max(...gaps) < TTL_SEC);
	assert.ok(session.startedAt >= EPOCH);
	assert.deepEqual(h.violations(), []);
});

describe("players who are not PlayWave launches", () => {
	test("no LaunchData: a normal player, no request", async () => {
		const h = await harness({ wire: "inprocess" });
		const game = await h.startServer();
		const player = game.join({ userId: 20 });
		await h.advance(300);
		assert.deepEqual(game.event(20, "verified").args, ["false", "NO_OTT", "NO_OTT"]);
		assert.equal(game.events(20, "pcCafe").length, 0);
		assert.equal(player.kicked, false);
		assert.deepEqual(h.ledger().counts, { verify: 0, heartbeat: 0, end: 0, other: 0 });
		game.leave(20);
		await h.advance(5);
		assert.equal(game.events(20, "ended").length, 0);
		assert.equal(h.ledger().requests.length, 0);
	});

	for (const garbage of ["hello", "playwave_not-a-uuid", '{"ott":1}', "x".repeat(500)]) {
		test(`garbage LaunchData ${JSON.stringify(garbage.slice(0, 20))}: invalid, no request, no kick`, async () => {
			const h = await harness({ wire: "inprocess" });
			const game = await h.startServer();
			const player = game.join({ userId: 21, launchData: garbage });
			await h.advance(60);
			assert.deepEqual(game.event(21, "verified").args, ["false", "INVALID_PREFIX", "INVALID_LAUNCH_DATA"]);
			assert.equal(player.kicked, false);
			assert.equal(h.ledger().requests.length, 0);
			assert.deepEqual(game.notices(21), []);
		});
	}

	test("a bare-UUID LaunchData is accepted like the prefixed one", async () => {
		const h = await harness({ wire: "inprocess" });
		const game = await h.startServer({ place: "wally" });
		game.join({ userId: 22, pcId: "pc-22", bare: true });
		assert.deepEqual((await game.waitForEvent(22, "verified")).args, ["true", "VERIFIED", "-"]);
	});
});
