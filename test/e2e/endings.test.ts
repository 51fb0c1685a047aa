// Server-side endings that arrive through heartbeats: charge exhausted, session replaced, launcher killed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EPOCH } from "./harness";
import { harness, HEARTBEAT_SEC } from "./fixtures";

const KICK_SESSION_LOST = "Your PlayWave session has ended. Please relaunch the game from the PlayWave launcher.";

test("charge exhausted mid-session: notice, grace, then the kick; nothing billed after", async () => {
	const h = await harness();
	const game = await h.startServer();
	const player = game.join({ userId: 31, pcId: "pc-31", balanceSec: 300 });
	assert.deepEqual((await game.waitForEvent(31, "verified")).args, ["true", "VERIFIED", "-"]);

	await h.runUntil(() => game.events(31, "chargeExhausted").length > 0, 600);
	const exhaustedAt = game.event(31, "chargeExhausted").time;
	assert.ok(exhaustedAt >= 300, `charge exhausted reported at ${exhaustedAt}s, balance was 300s`);
	assert.deepEqual(game.notices(31), ["CHARGE_EXHAUSTED"]);
	assert.equal(player.kicked, false, "no kick during the grace");
	await h.advance(2); // the notice crosses the network; the client module shows it
	assert.deepEqual(game.clientStatuses(31), [true]);
	assert.deepEqual(game.clientNotices(31), ["CHARGE_EXHAUSTED"]);
	assert.deepEqual(game.shown(31), [game.messages(31)[1].text]);

	await h.runUntil(() => player.kicked, 600);
	const lost = game.event(31, "lost");
	assert.match(lost.args[0], /^SESSION_END(ING|ED)$/);
	assert.equal(player.kickMessage, KICK_SESSION_LOST);
	// The grace is 2 minutes from the balance running out (t = 300 s); the kick comes at the first
	// heartbeat after it (within one interval).
	assert.ok(lost.time >= 300 + 120, `kicked at ${lost.time}s, before the grace ended`);
	assert.ok(lost.time <= 300 + 120 + 30 + HEARTBEAT_SEC, `kicked at ${lost.time}s`);

	await h.advance(600);
	const session = h.sessionOf(31);
	assert.equal(session.endedBy, "charge_exhausted");
	assert.equal(session.billedSec, 300, "billed exactly the balance");
	assert.equal(h.sim.balance(31), 0);
	const heartbeatsAfterKick = h
		.ledger()
		.requests.filter((r) => r.gameSessionId === session.gameSessionId && r.at > EPOCH + lost.time);
	assert.deepEqual(heartbeatsAfterKick, [], "no request after the kick");
	assert.equal(session.requests.end, 0, "no end call after a 410");
	assert.equal(game.events(31, "chargeExhausted").length, 1);
	assert.deepEqual(h.violations(), []);
});

test("session replaced (same PC starts another session): no more heartbeats, never ended", async () => {
	const h = await harness();
	const origin = await h.startServer();
	const elsewhere = await h.startServer({ place: "wally" });
	const player = origin.join({ userId: 41, pcId: "pc-41" });
	await h.advance(200);
	const first = h.sessionOf(41);

	// Someone starts another session on the same PC (here: another account, in another game server).
	elsewhere.join({ userId: 42, pcId: "pc-41" });
	await h.advance(0);
	assert.equal(h.sim.session(first.gameSessionId)!.state, "replaced");

	await h.runUntil(() => origin.events(41, "replaced").length > 0, 300);
	assert.deepEqual(origin.notices(41), ["SESSION_REPLACED"]);
	assert.deepEqual(origin.messages(41).at(-2), { type: "status", isPcCafe: false });
	await h.advance(2);
	assert.deepEqual(origin.clientStatuses(41), [true, false], "the client module sees the PC-cafe status go");
	assert.deepEqual(origin.clientNotices(41), ["SESSION_REPLACED"]);
	assert.deepEqual(origin.shown(41), [origin.messages(41).at(-1)!.text]);
	const heartbeatsAtReplace = h.sim.session(first.gameSessionId)!.requests.heartbeat;

	await h.advance(15 * 60);
	assert.equal(player.kicked, false, "replaced is not a kick");
	origin.leave(41);
	await h.advance(60);
	const replaced = h.sim.session(first.gameSessionId)!;
	assert.equal(replaced.requests.heartbeat, heartbeatsAtReplace, "no heartbeat after SESSION_REPLACED");
	assert.equal(replaced.requests.end, 0, "never ended");
	assert.equal(replaced.endedBy, "replaced");
	assert.equal(origin.events(41, "ended").length, 0);
	assert.deepEqual(h.violations(), []);
	// The new session on that PC goes on.
	assert.equal(h.sessionOf(42).state, "active");
});

test("launcher killed: 410 and a kick within one heartbeat interval", async () => {
	const h = await harness();
	const game = await h.startServer();
	const player = game.join({ userId: 51, pcId: "pc-51" });
	await h.advance(100);
	h.sim.killLauncher("pc-51");
	await h.runUntil(() => player.kicked, 900);
	const session = h.sessionOf(51);
	assert.equal(session.endedBy, "launcher_dead");
	const lost = game.event(51, "lost");
	assert.equal(lost.args[0], "SESSION_ENDED");
	assert.equal(player.kickMessage, KICK_SESSION_LOST);
	const endedAt = session.endedAt! - EPOCH;
	assert.ok(lost.time - endedAt <= HEARTBEAT_SEC, `kicked ${lost.time - endedAt}s after the session ended`);
	await h.advance(300);
	assert.equal(h.sessionOf(51).requests.end, 0);
	assert.deepEqual(h.violations(), []);
});
