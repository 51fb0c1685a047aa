// Whole servers: a shutdown with 100 players, a teleport to a second server, a failed teleport.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EPOCH, heartbeatGaps } from "./harness";
import { harness, TTL_SEC } from "./fixtures";

test("server shutdown with 100 players: every session ended inside the BindToClose deadline", async () => {
	const h = await harness();
	const game = await h.startServer();
	const users = Array.from({ length: 100 }, (_, i) => 1000 + i);
	for (const userId of users) game.join({ userId, pcId: `pc-${userId}` });
	// The SDK caps requests in flight, so verifies go in waves; all within the OTT's minute.
	await h.advance(30);
	assert.equal(h.sim.sessions().length, 100);
	assert.equal(game.events(undefined, "pcCafe").length, 100);
	await h.advance(300);

	const closing = h.now;
	await game.server.close();
	const ledger = h.ledger();
	assert.equal(ledger.sessions.length, 100);
	const byEnd = new Map<string, number>();
	for (const session of ledger.sessions)
		byEnd.set(String(session.endedBy), (byEnd.get(String(session.endedBy)) ?? 0) + 1);
	assert.deepEqual(Object.fromEntries(byEnd), { ended_by_game: 100 });
	for (const session of ledger.sessions) {
		const endedAt = session.endedAt! - EPOCH;
		assert.ok(endedAt - closing < 30, `ended ${endedAt - closing}s after close began`);
		assert.ok(Math.abs(session.billedSec - closing) <= 30);
	}
	assert.equal(game.events(undefined, "ended").length, 100);
	assert.equal(ledger.counts.end, 100, "one end call each");
	assert.deepEqual(h.violations(), []);
});

// Both directions: the npm build hands over to the Wally build and back.
for (const [from, to] of [
	["rbxts", "wally"],
	["wally", "rbxts"],
] as const) {
	test(`a teleport to a second server (${from} → ${to}) resumes the session: never double-billed, no gap over the TTL`, async () => {
		const h = await harness();
		const origin = await h.startServer({ placeId: 1001, place: from });
		const destination = await h.startServer({ placeId: 2002, place: to });
		origin.join({ userId: 81, pcId: "pc-81" });
		// A normal player stays behind, so the origin is not emptied and closed by the teleport.
		origin.join({ userId: 80 });
		await h.advance(0);
		const joinedAt = h.now;
		await h.advance(300);

		await origin.requestTeleport(81, 2002);
		await h.runUntil(() => destination.events(81, "verified").length > 0, 60);
		assert.deepEqual(origin.event(81, "teleport").args.slice(0, 3), ["2002", "true", "ok"]);
		assert.deepEqual(destination.event(81, "verified").args, ["true", "RESUMED", "-"]);
		destination.event(81, "pcCafe");
		await h.advance(1);
		assert.deepEqual(
			destination.clientStatuses(81),
			[true],
			"the player's client at the destination hears the status",
		);
		const call = origin.server.teleports.calls[0];
		assert.equal(call.outcome, "success");
		assert.match(JSON.stringify(call.teleportData), /"gameSessionId":"gs_/);
		assert.equal(origin.events(81, "ended").length, 0, "leaving by teleport does not end the session");

		const teleportedAt = h.now;
		await h.advance(20 * 60);
		const beatsAfter = h
			.ledger()
			.requests.filter((r) => r.endpoint === "heartbeat" && r.at > EPOCH + teleportedAt + 5).length;
		assert.ok(
			beatsAfter <= Math.ceil((20 * 60) / 108) + 1,
			`${beatsAfter} heartbeats in 20 min: two servers beating?`,
		);
		// What each server's getStats() says an operator: the origin handed one session over, the destination
		// resumed one, and nothing was ended or lost on either side.
		const [sent, received] = [(await origin.stats()).totals, (await destination.stats()).totals];
		assert.equal(sent.handedOver, 1, `origin totals ${JSON.stringify(sent)}`);
		assert.equal(received.resumed, 1, `destination totals ${JSON.stringify(received)}`);
		assert.equal(received.handedOver, 0);
		const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
		for (const totals of [sent, received])
			assert.equal(sum(totals.ended) + sum(totals.lost), 0, JSON.stringify(totals));
		destination.leave(81);
		await h.runUntil(() => destination.events(81, "ended").length > 0, 60);
		const played = h.now - joinedAt;

		const sessions = h.sessionsOf(81);
		assert.equal(sessions.length, 1, "one session across both servers");
		const [session] = sessions;
		assert.equal(session.endedBy, "ended_by_game");
		assert.ok(Math.abs(session.billedSec - played) <= 3, `billed ${session.billedSec}s for ${played}s`);
		assert.equal(session.requests.end, 1);
		const gaps = heartbeatGaps(h.ledger(), session.gameSessionId);
		assert.ok(Math.max(...gaps) < TTL_SEC, `largest heartbeat gap ${Math.max(...gaps)}s`);
		assert.equal(h.ledger().counts.verify, 1, "no second verify");
		assert.deepEqual(h.violations(), []);
	});
}

test("a failed teleport (TeleportInitFailed): heartbeats go on at the origin", async () => {
	const h = await harness();
	const origin = await h.startServer({ placeId: 1001 });
	await h.startServer({ placeId: 2002 });
	const player = origin.join({ userId: 82, pcId: "pc-82" });
	await h.advance(200);
	origin.server.teleports.failNext({ mode: "initFailed" });
	await origin.requestTeleport(82, 2002);
	await h.advance(5);
	assert.equal(origin.server.teleports.calls[0].outcome, "initFailed");
	assert.equal(origin.events(82, "teleportFailed").length, 1);
	const beatsBefore = h.sessionOf(82).requests.heartbeat;
	await h.advance(10 * 60);
	const session = h.sessionOf(82);
	assert.equal(session.state, "active");
	assert.ok(session.requests.heartbeat >= beatsBefore + 4, "heartbeats continue at the origin");
	assert.equal(player.left, false);

	origin.leave(82);
	await h.advance(30);
	assert.equal(h.sessionOf(82).endedBy, "ended_by_game", "a later plain leave ends the session");
	assert.deepEqual(h.violations(), []);
});

test("a forged hand-over (unknown or someone else's session id) is RESUME_REJECTED and bills nothing", async () => {
	const h = await harness();
	const origin = await h.startServer({ placeId: 1001 });
	const destination = await h.startServer({ placeId: 2002 });
	origin.join({ userId: 83, pcId: "pc-83" });
	await h.advance(10);
	const victim = h.sessionOf(83).gameSessionId;
	const forged = [
		{ userId: 84, id: "gs_00000000-0000-4000-8000-000000000000" },
		{ userId: 85, id: victim },
	];
	for (const { userId, id } of forged) {
		destination.server.players.join({
			userId,
			teleportData: { playwave: { gameSessionId: id } },
			sourcePlaceId: 1001,
		});
	}
	await h.advance(30);
	for (const { userId } of forged) {
		assert.deepEqual(destination.event(userId, "verified").args, ["false", "RESUME_REJECTED", "RESUME_REJECTED"]);
	}
	assert.equal(h.sessionsOf(84).length + h.sessionsOf(85).length, 0);
	assert.equal(h.sessionOf(83).state, "active", "the real owner's session is untouched");
});
