// Creator Analytics (config.analytics) against the runtime's AnalyticsService, and the stats snapshot
// read from a running game.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AnalyticsEvent } from "../runtime";
import { harness } from "./fixtures";

/** `userId eventName value CustomField01` for each event, in order. */
function lines(events: AnalyticsEvent[]): string[] {
	return events.map(
		(e) =>
			`${e.userId} ${String(e.fields.eventName)} ${String(e.fields.value)} ${e.customFields.CustomField01 ?? "-"}`,
	);
}

for (const place of ["rbxts", "wally"] as const) {
	test(`${place}: outcomes become LogCustomEvent calls with their reason, code or play time`, async () => {
		const h = await harness({ wire: "inprocess" });
		const other = h.sim.addGame({ name: "another-game" });
		const game = await h.startServer({ place, config: { analytics: true } });
		const elsewhere = await h.startServer({ place: "wally" });
		// A normal player stays throughout, so the server never empties.
		game.join({ userId: 1 });
		game.join({ userId: 2, pcId: "pc-2" });
		game.join({ userId: 3, launchData: h.launchData({ userId: 3, pcId: "pc-3", game: other.gameId }) });
		game.join({ userId: 4, pcId: "pc-4", balanceSec: 0 });
		game.join({ userId: 5, pcId: "pc-5", balanceSec: 200 });
		game.join({ userId: 6, pcId: "pc-6" });
		game.join({ userId: 7, pcId: "pc-7" });
		await h.advance(100);
		h.sim.killLauncher("pc-7");
		// Another account starts a session on player 6's PC, in another server.
		elsewhere.join({ userId: 60, pcId: "pc-6" });
		await h.runUntil(() => game.events(5, "chargeExhausted").length > 0 && game.events(7, "lost").length > 0, 900);
		await h.runUntil(() => game.events(6, "replaced").length > 0, 300);
		game.leave(2);
		await h.runUntil(() => game.events(2, "ended").length > 0, 60);

		const events = game.server.analytics();
		assert.ok(events.length > 0);
		for (const event of events) {
			assert.equal(event.method, "LogCustomEvent");
			assert.equal(event.dropped, undefined, `dropped: ${event.dropped}`);
			assert.equal(typeof event.fields.value, "number");
		}
		const logged = lines(events);
		const expected = [
			"2 PlayWaveVerified 1 PC-cafe",
			"3 PlayWaveRejected 1 GAME_MISMATCH",
			"4 PlayWaveRejected 1 NOT_CHARGEABLE",
			"5 PlayWaveVerified 1 PC-cafe",
			"6 PlayWaveVerified 1 PC-cafe",
			"7 PlayWaveVerified 1 PC-cafe",
			"5 PlayWaveChargeExhausted 1 -",
			"7 PlayWaveLost 1 SESSION_ENDED",
			"6 PlayWaveReplaced 1 -",
		];
		for (const line of expected) assert.ok(logged.includes(line), `missing "${line}" in ${logged.join("; ")}`);
		// The normal player is not a PlayWave outcome: nothing about them.
		assert.equal(events.filter((e) => e.userId === 1).length, 0, "nothing for a normal player");
		// Play time at the end: the server's figure for the session.
		const ended = game.event(2, "ended");
		const playTime = events.filter((e) => e.fields.eventName === "PlayWavePlayTime" && e.userId === 2);
		assert.equal(playTime.length, 1);
		assert.equal(playTime[0].customFields.CustomField01, ended.args[0]);
		assert.equal(playTime[0].fields.value, Math.floor(Number(ended.args[1])));
		assert.ok(Number(playTime[0].fields.value) >= 100, `play time ${String(playTime[0].fields.value)}`);
		// Nothing personal: no session id, token or key anywhere in what was sent.
		const sent = JSON.stringify(events.map((e) => [e.fields, e.customFields]));
		assert.doesNotMatch(sent, /gs_|playwave_|[0-9a-f]{8}-[0-9a-f]{4}/);
		assert.ok(!sent.includes(h.apiKey));

		const stats = await game.stats();
		assert.deepEqual(stats.analytics, { logged: events.length, dropped: 0 });
		assert.equal(game.errors().length, 0, game.errors().join("\n"));
	});
}

test("off by default: no AnalyticsService call", async () => {
	const h = await harness({ wire: "inprocess" });
	const game = await h.startServer();
	game.join({ userId: 1 });
	game.join({ userId: 2, pcId: "pc-2" });
	await h.advance(10);
	game.leave(2);
	await h.advance(10);
	assert.deepEqual(game.server.analytics(), []);
	assert.equal((await game.stats()).analytics, undefined);
});

test("700 players join, play and leave: within AnalyticsService's limits", async () => {
	const h = await harness({ wire: "inprocess" });
	const game = await h.startServer({ config: { analytics: true } });
	game.join({ userId: 1 }); // stays, so the server never empties
	const PLAYERS = 700;
	// Joins over two minutes (the verify budget is 450 a minute).
	for (let i = 0; i < PLAYERS; i++) {
		const userId = 1000 + i;
		game.join({ userId, pcId: `pc-${userId}` });
		if (i % 70 === 69) await h.advance(12);
	}
	await h.advance(300);
	// Everyone leaves within 30 s: 700 play-time events while the server, and its limit, shrink.
	for (let i = 0; i < PLAYERS; i++) {
		game.leave(1000 + i);
		if (i % 70 === 69) await h.advance(3);
	}
	await h.advance(120);

	const events = game.server.analytics();
	// The runtime applies the service's limits (120 + 20 × players events a sliding minute per server,
	// 100 event names per experience, string custom fields): it dropped none of the SDK's events.
	assert.deepEqual(
		events.filter((e) => e.dropped !== undefined).map((e) => e.dropped),
		[],
	);
	assert.ok(new Set(events.map((e) => e.fields.eventName)).size <= 6);
	const stats = await game.stats();
	assert.equal(stats.totals.verified, PLAYERS, "every player verified");
	assert.equal(
		events.filter((e) => e.fields.eventName === "PlayWaveVerified").length,
		PLAYERS,
		"every verify logged: a join burst is well inside the limit",
	);
	// What the SDK held back to keep to its quarter of the limit, it counted; nothing else went missing.
	const ends = Object.values(stats.totals.ended).reduce((a, b) => a + b, 0);
	assert.equal(ends, PLAYERS);
	assert.equal(stats.analytics!.logged, events.length);
	assert.equal(stats.analytics!.logged + stats.analytics!.dropped, PLAYERS + ends);
	assert.ok(stats.analytics!.dropped > 0, "the leave burst outgrew the shrinking limit: the SDK held back");
	assert.equal(game.errors().length, 0, game.errors().slice(0, 3).join("\n"));
});
