// getStats() and connectionChanged read from running games: an outage, a 429, a refused key, HTTP off.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EPOCH } from "./harness";
import { harness } from "./fixtures";

const PLAYERS = [81, 82, 83];

test("an outage: paused (outage) with its start and last failure, then healthy again by itself", async () => {
	const h = await harness({ wire: "inprocess" });
	const game = await h.startServer();
	game.join({ userId: 1 }); // a normal player keeps the server open
	for (const userId of PLAYERS) game.join({ userId, pcId: `pc-${userId}` });
	await h.advance(130);
	let stats = await game.stats();
	assert.equal(stats.connection.condition, "healthy");
	assert.equal(stats.sessions.ACTIVE, 3);
	assert.equal(stats.sessions.REJECTED, 1);
	assert.equal(stats.totals.verified, 3);
	assert.equal(stats.totals.rejected.NO_OTT, 1);
	assert.equal(stats.requests.lastMinute.heartbeat.sent, 3, "each session beat once in the last minute");
	assert.equal(stats.requests.share, 240);
	assert.equal(stats.requests.engineLimit, 500);

	const from = h.now;
	h.sim.outage(EPOCH + from, EPOCH + from + 150);
	await h.advance(140);
	stats = await game.stats();
	assert.equal(stats.connection.condition, "paused");
	assert.equal(stats.connection.cause, "outage");
	assert.ok(
		stats.connection.since >= from && stats.connection.since <= from + 125,
		`since ${stats.connection.since}`,
	);
	assert.equal(stats.connection.lastFailure?.failureClass, "ServerError");
	assert.equal(stats.connection.lastFailure?.kind, "heartbeat");
	await h.advance(150);
	stats = await game.stats();
	assert.equal(stats.connection.condition, "healthy");
	assert.equal(stats.sessions.ACTIVE, 3, "the outage was shorter than the TTL: nobody lost");
	const changes = game.events(0, "connection").map((e) => e.args.slice(0, 3).join(" "));
	assert.deepEqual(changes, ["paused outage healthy", "healthy - paused"]);
});

test("a 429: paused (rateLimited)", async () => {
	const h = await harness({ wire: "inprocess" });
	const game = await h.startServer();
	game.join({ userId: 1 });
	for (const userId of PLAYERS) game.join({ userId, pcId: `pc-${userId}` });
	await h.advance(100);
	h.sim.fault({ effect: { kind: "error", status: 429 }, from: EPOCH + h.now, to: EPOCH + h.now + 120 });
	await h.advance(60);
	const stats = await game.stats();
	assert.equal(stats.connection.condition, "paused");
	assert.equal(stats.connection.cause, "rateLimited");
	assert.equal(stats.connection.lastFailure?.failureClass, "RateLimited");
});

test("a refused key and HTTP off: misconfigured, with the cause", async () => {
	const h = await harness({ wire: "inprocess" });
	const game = await h.startServer({ apiKey: "pw_dev_0000000000000000000000000000000000000000" });
	game.join({ userId: 81, pcId: "pc-81" });
	await h.advance(10);
	let stats = await game.stats();
	assert.equal(stats.connection.condition, "misconfigured");
	assert.equal(stats.connection.cause, "keyRefused");
	assert.equal(stats.connection.lastFailure?.status, 401);
	assert.equal(stats.totals.rejected.REQUEST_FAILED, 1);
	assert.deepEqual(
		game.events(0, "connection").map((e) => e.args.slice(0, 2).join(" ")),
		["misconfigured keyRefused"],
	);

	const off = await h.startServer({ httpEnabled: false });
	stats = await off.stats();
	assert.equal(stats.connection.condition, "misconfigured");
	assert.equal(stats.connection.cause, "httpDisabled");
});
