// Issue #10, black box: requests are never abandoned, and sessions survive slow replies, a revoked
// key, odd 200 bodies, a busy HTTP budget and a slow destination after a teleport. Both builds, over
// loopback HTTP; only what the simulator, the players and the game's output show is asserted.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EPOCH, heartbeatGaps } from "./harness";
import type { GameServer, Harness, PlaceName } from "./harness";
import { harness, TTL_SEC } from "./fixtures";
import {
	gameLoadStats,
	inWindow,
	maxAcceptedGap,
	maxInFlight,
	requestsBetween,
	serverWire,
	startGameLoad,
} from "./observe";

const PLACES: PlaceName[] = ["rbxts", "wally"];

/**
 * What the SDK does not do yet (issue #10, fixed on another branch): such a scenario runs and reports
 * as todo instead of failing the suite. Its assertions stay as the issue states them.
 */
const PENDING: Record<string, string> = {};

function pending(key: string): { todo?: string } {
	const reason = PENDING[key];
	return reason === undefined ? {} : { todo: `issue #10: ${reason}` };
}
/** The SDK's default steady share of the 500 requests a minute (README, Configuration). */
const DEFAULT_SHARE = 240;

async function joinAll(game: GameServer, users: number[]): Promise<void> {
	for (const userId of users) game.join({ userId, pcId: `pc-${userId}` });
	await game.harness.advance(0);
}

function users(first: number, count: number): number[] {
	return Array.from({ length: count }, (_, i) => first + i);
}

/** Nobody lost, kicked or told PlayWave could not be reached; every session still billing. */
function assertNoneLost(h: Harness, game: GameServer, players: number[]): void {
	for (const userId of players) {
		assert.equal(game.events(userId, "lost").length, 0, `user ${userId}: ${game.describe(userId)}`);
		assert.equal(game.server.players.get(userId)?.kicked ?? false, false, `user ${userId} kicked`);
		assert.ok(!game.notices(userId).includes("SESSION_LOST"), `user ${userId} told PlayWave is unreachable`);
		assert.equal(h.sessionOf(userId).state, "active", `user ${userId}: ${JSON.stringify(h.sessionOf(userId))}`);
	}
}

for (const place of PLACES) {
	describe(`${place}: slow replies are never abandoned`, () => {
		for (const latency of [10, 30, 60]) {
			test(
				`${latency} s on every heartbeat reply: no session lost, one request in flight per session`,
				pending("latency"),
				async () => {
					const h = await harness();
					h.sim.fault({ effect: { kind: "latency", delaySec: latency }, endpoint: "heartbeat" });
					// These scenarios model an engine that waits for the reply (issue #10, item 1): the
					// engine's request timeout is undocumented, so the server's is set above the latency.
					// The engine's own time-out (the runtime's default 30 s) has its scenarios below.
					const game = await h.startServer({ place, httpTimeoutSec: latency + 30 });
					const players = users(100, 3);
					// A player without LaunchData stays, so the server does not empty and close when the others
					// leave: this scenario measures slow replies; the close with slow ends is lifecycle.test.ts's.
					game.join({ userId: 99 });
					await joinAll(game, players);
					await h.advance(15 * 60);
					assertNoneLost(h, game, players);
					const inFlight = maxInFlight(h.ledger());
					assert.equal(inFlight.max, 1, `requests in flight together: ${JSON.stringify(inFlight.where)}`);
					for (const userId of players) {
						const gaps = heartbeatGaps(h.ledger(), h.sessionOf(userId).gameSessionId);
						assert.ok(gaps.length >= 5, `user ${userId}: ${gaps.length} accepted heartbeats in 15 min`);
						assert.ok(Math.max(...gaps) < TTL_SEC, `user ${userId}: gap ${Math.max(...gaps)} s`);
					}
					const leftAt = h.now;
					for (const userId of players) game.leave(userId);
					await h.advance(latency + 30);
					for (const userId of players) {
						const session = h.sessionOf(userId);
						assert.equal(session.endedBy, "ended_by_game", `user ${userId}`);
						// One request in flight per session: the end may wait for a heartbeat's reply.
						const by = leftAt + latency + 5;
						assert.ok(
							session.endedAt! - EPOCH <= by,
							`ended at ${session.endedAt! - EPOCH} s, left at ${leftAt} s`,
						);
					}
					assert.deepEqual(h.violations(), []);
				},
			);
		}

		test(
			"a verify reply after 70 s starts the session: billing and heartbeats continue",
			pending("lateVerify"),
			async () => {
				const h = await harness();
				h.sim.fault({ effect: { kind: "latency", delaySec: 70 }, endpoint: "verify" });
				// An engine that waits 70 s for the reply (issue #10, item 2); the runtime's default 30 s
				// time-out would end the request first (see the engine time-out scenarios below).
				const game = await h.startServer({ place, httpTimeoutSec: 100 });
				const player = game.join({ userId: 110, pcId: "pc-110" });
				// Stays, so the server does not empty and close (ServerEmpty ends are issue #11's).
				game.join({ userId: 97 });
				await h.advance(80);
				assert.deepEqual(game.event(110, "verified").args, ["true", "VERIFIED", "-"], game.describe(110));
				assert.equal(game.events(110, "pcCafe").length, 1);
				await h.advance(10 * 60);
				assertNoneLost(h, game, [110]);
				assert.equal(player.kicked, false);
				const ledger = h.ledger();
				assert.equal(ledger.counts.verify, 1, "the token was sent once: no OTT_ALREADY_USED retry");
				const session = h.sessionOf(110);
				const gaps = heartbeatGaps(ledger, session.gameSessionId);
				assert.ok(gaps.length >= 4, `${gaps.length} accepted heartbeats after the late verify`);
				assert.ok(Math.max(...gaps) < TTL_SEC, `gap ${Math.max(...gaps)} s`);
				assert.equal(maxInFlight(ledger).max, 1);
				game.leave(110);
				await h.advance(30);
				assert.equal(h.sessionOf(110).endedBy, "ended_by_game");
				assert.ok(Math.abs(h.sessionOf(110).billedSec - (h.now - 30)) <= 3, "billed for the whole stay");
			},
		);

		test(
			"a verify reply after 70 s for a player who left meanwhile: the session is ended at once",
			pending("lateVerifyLeft"),
			async () => {
				const h = await harness();
				h.sim.fault({ effect: { kind: "latency", delaySec: 70 }, endpoint: "verify" });
				// An engine that waits 70 s for the reply, as in the scenario above.
				const game = await h.startServer({ place, httpTimeoutSec: 100 });
				game.join({ userId: 111, pcId: "pc-111" });
				// Stays, so the server does not empty and close (ServerEmpty ends are issue #11's).
				game.join({ userId: 98 });
				await h.advance(30);
				game.leave(111);
				await h.advance(60);
				const session = h.sessionOf(111);
				assert.equal(session.endedBy, "ended_by_game", "not left to bill until the TTL");
				assert.ok(session.endedAt! - EPOCH <= 75, `ended at ${session.endedAt! - EPOCH} s`);
				assert.equal(session.requests.heartbeat, 0);
			},
		);
	});

	describe(`${place}: the engine times out a slow reply (default 30 s timeout, 60 s latency)`, () => {
		// The runtime keeps its default engine timeout (30 s; Roblox does not document the value), so
		// every reply 60 s late ends in HttpError: Timedout: the engine's own failure of the request.
		// PlayWave acted on each request when it arrived, so the SDK cannot know whether it was
		// accepted. By the protocol page a network error is transient (retry), and a session is
		// declared lost (TTL_EXPIRED: notify, never kick) once the TTL has passed since its last
		// accepted send with nothing outstanding that could still have refreshed it.
		const ENGINE_TIMEOUT_SEC = 30;

		test("every heartbeat times out: one request at a time, no spin, TTL_EXPIRED notified not kicked, billing ends within the TTL", async () => {
			const h = await harness();
			const game = await h.startServer({ place });
			const players = users(120, 3);
			game.join({ userId: 96 }); // stays, so the server does not empty (ServerEmpty is issue #11's)
			await joinAll(game, players);
			await h.advance(60);
			for (const userId of players) {
				assert.deepEqual(game.event(userId, "verified").args, ["true", "VERIFIED", "-"], game.describe(userId));
			}
			const faultFrom = h.now;
			h.sim.fault({ effect: { kind: "latency", delaySec: 60 }, endpoint: "heartbeat" });
			await h.advance(15 * 60);
			const ledger = h.ledger();
			const inFlight = maxInFlight(ledger, ENGINE_TIMEOUT_SEC);
			assert.equal(inFlight.max, 1, `requests in flight together: ${JSON.stringify(inFlight.where)}`);
			for (const userId of players) {
				const player = game.server.players.get(userId);
				assert.equal(player?.kicked ?? false, false, `user ${userId} kicked: ${game.describe(userId)}`);
				const lost = game.event(userId, "lost");
				assert.equal(lost.args[0], "TTL_EXPIRED", game.describe(userId));
				assert.ok(game.notices(userId).includes("SESSION_LOST"), `user ${userId} not told`);
				const session = h.sessionOf(userId);
				const sent = ledger.requests.filter((r) => r.gameSessionId === session.gameSessionId);
				// Never spins: one request at a time, each taking the engine's whole timeout, and none
				// once the SDK has given the session up.
				const heartbeats = sent.filter((r) => r.endpoint === "heartbeat");
				assert.ok(heartbeats.length >= 2, `user ${userId}: ${heartbeats.length} heartbeats sent (no retry)`);
				assert.ok(heartbeats.length <= 10, `user ${userId}: ${heartbeats.length} heartbeats sent`);
				assert.deepEqual(
					sent.filter((r) => r.at - EPOCH > lost.time),
					[],
					`user ${userId}: requests after the SDK gave the session up`,
				);
				// The session was lost no sooner than the TTL after the last send PlayWave accepted
				// before the fault, and billing ended within the TTL once the SDK stopped.
				assert.ok(lost.time >= faultFrom, `user ${userId} lost at ${lost.time} s`);
				assert.equal(session.endedBy, "ttl_expired", `user ${userId}`);
				const lastSend = Math.max(...sent.map((r) => r.at - EPOCH));
				assert.ok(
					session.closedAt! - EPOCH <= lastSend + TTL_SEC + 1,
					`billed until ${session.closedAt! - EPOCH} s`,
				);
				assert.ok(
					session.closedAt! - EPOCH <= lost.time + TTL_SEC + 1,
					`billing went on after the SDK stopped`,
				);
			}
			assert.deepEqual(h.violations(), []);
		});

		test("a verify that the engine times out never kicks the player; the started billing ends within the TTL", async () => {
			const h = await harness();
			h.sim.fault({ effect: { kind: "latency", delaySec: 60 }, endpoint: "verify" });
			const game = await h.startServer({ place });
			game.join({ userId: 95 }); // stays, so the server does not empty (ServerEmpty is issue #11's)
			const player = game.join({ userId: 130, pcId: "pc-130" });
			await h.advance(10 * 60);
			// VERIFY_OUTCOME_UNKNOWN: the verify may have started a session (it did), and a retry
			// meets OTT_ALREADY_USED; neither may kick the player.
			assert.equal(player.kicked, false, game.describe(130));
			const verified = game.event(130, "verified");
			assert.equal(verified.args[0], "false", game.describe(130));
			assert.equal(game.events(130, "pcCafe").length, 0);
			const ledger = h.ledger();
			const verifies = ledger.requests.filter((r) => r.endpoint === "verify");
			assert.ok(verifies.length >= 1 && verifies.length <= 3, `${verifies.length} verifies sent`);
			assert.equal(maxInFlight(ledger, ENGINE_TIMEOUT_SEC).max, 1);
			const session = h.sessionOf(130);
			assert.equal(session.endedBy, "ttl_expired");
			const lastSend = Math.max(...verifies.map((r) => r.at - EPOCH));
			assert.ok(
				session.closedAt! - EPOCH <= lastSend + TTL_SEC + 1,
				`billed until ${session.closedAt! - EPOCH} s`,
			);
			assert.deepEqual(h.violations(), []);
		});
	});

	describe(`${place}: a revoked key or a 400 is a problem of the connection`, () => {
		/** 20 players for 10 minutes; `revoke` revokes the key at minute 5. */
		async function twentyForTen(revoke: boolean) {
			const h = await harness();
			const game = await h.startServer({ place });
			const players = users(200, 20);
			await joinAll(game, players);
			if (revoke) h.sim.revokeApiKey(h.apiKey, { at: EPOCH + 300 });
			await h.advance(300);
			const warningsBefore = game.warnings().length;
			await h.advance(300);
			const requests = requestsBetween(h.ledger(), 0, 600).length;
			// Requests are compared over the 10 minutes; kicks and notices are watched 5 minutes more,
			// past the point where every session's TTL has run out.
			await h.advance(300);
			return { h, game, players, warningsBefore, requests };
		}

		test(
			"revoked at minute 5, 20 sessions: one warning, fewer requests than a working key, no kicks, no notices",
			pending("revoked"),
			async () => {
				const working = await twentyForTen(false);
				const revoked = await twentyForTen(true);
				const { h, game, players, warningsBefore } = revoked;
				const warnings = game.warnings().slice(warningsBefore);
				assert.equal(warnings.length, 1, `warnings after the revocation:\n${warnings.join("\n")}`);
				assert.match(warnings[0], /key/i, "the warning says what to check");
				assert.ok(!warnings[0].includes(h.apiKey), "the key itself is never printed");
				assert.ok(
					revoked.requests < working.requests,
					`${revoked.requests} requests with the key revoked vs ${working.requests} with a working key`,
				);
				for (const userId of players) {
					assert.equal(game.server.players.get(userId)?.kicked ?? false, false, `user ${userId} kicked`);
					assert.ok(!game.notices(userId).includes("SESSION_LOST"), `user ${userId} told it is unreachable`);
				}
			},
		);

		test(
			"400 on every heartbeat for 150 s: one warning, then every session recovers",
			pending("badRequest"),
			async () => {
				const h = await harness();
				const game = await h.startServer({ place });
				const players = users(220, 10);
				await joinAll(game, players);
				await h.advance(125);
				// Every session's second heartbeat (due about 120 s after the first) falls in the window,
				// which ends early enough for the TTL to allow a recovery.
				const from = h.now;
				const WINDOW = 150;
				h.sim.fault({
					effect: { kind: "error", status: 400 },
					endpoint: "heartbeat",
					from: EPOCH + from,
					to: EPOCH + from + WINDOW,
				});
				const warningsBefore = game.warnings().length;
				await h.advance(20 * 60);
				const during = requestsBetween(h.ledger(), from, from + WINDOW);
				assert.ok(
					during.some((r) => r.status === 400),
					"the SDK met the 400s",
				);
				const warnings = game.warnings().slice(warningsBefore);
				assert.equal(warnings.length, 1, `warnings:\n${warnings.join("\n")}`);
				assertNoneLost(h, game, players);
				for (const userId of players) {
					const last = h.sessionOf(userId).lastHeartbeatAt - EPOCH;
					assert.ok(
						last > from + WINDOW,
						`user ${userId}: heartbeats resumed after the 400s (last at ${last} s)`,
					);
				}
				assert.ok(during.length <= 2 * players.length, `${during.length} requests during ${WINDOW} s of 400s`);
			},
		);
	});

	describe(`${place}: a 200 with success: true is an accepted heartbeat`, () => {
		const bodies: [string, Record<string, unknown>, RegExp][] = [
			["an unknown result value", { "data.result": "BONUS_TIME" }, /BONUS_TIME/],
			["play_duration_sec as a string", { "data.play_duration_sec": "100" }, /play_duration_sec/],
		];
		for (const [what, set, named] of bodies) {
			test(`${what}: accepted, no loss, no retries, one warning`, pending("oddBody"), async () => {
				const h = await harness();
				const game = await h.startServer({ place });
				const players = users(300, 5);
				await joinAll(game, players);
				h.sim.fault({ effect: { kind: "malformed", body: "set-fields", set }, endpoint: "heartbeat" });
				await h.advance(12 * 60);
				assertNoneLost(h, game, players);
				for (const userId of players) {
					const beats = h.sessionOf(userId).requests.heartbeat;
					assert.ok(beats <= 8, `user ${userId}: ${beats} heartbeats in 12 minutes (retried?)`);
				}
				const warnings = game.warnings().filter((line) => named.test(line));
				assert.equal(warnings.length, 1, `warnings:\n${game.warnings().join("\n")}`);
			});
		}
	});

	describe(`${place}: a busy game`, () => {
		// Players verify first, then the game's own scripts get busy: at 480 req/min only 20 of the
		// 500 a minute are left, so no verify burst could pass anyway (the bench measures joins);
		// what must hold is that sessions already running are kept. The bench runs 30 minutes;
		// here 10 minutes of load (more than two TTLs) keep the suite's real time down.
		const cases = [
			{ load: 480, players: 50 },
			{ load: 400, players: 200 },
		];
		const LOAD_MINUTES = 10;
		for (const { load, players: count } of cases) {
			const title = `the game's scripts use ${load} req/min, ${count} players: none lost, no refusals beyond the share`;
			test(title, load === 480 ? pending("busy480") : {}, async () => {
				const h = await harness();
				const wire = serverWire(h);
				const game = await h.startServer({ place, http: wire.handler });
				const players = users(400, count);
				for (const userId of players) {
					game.join({ userId, pcId: `pc-${userId}` });
					await h.advance(10 / count);
				}
				await h.advance(50);
				assert.equal(h.sim.sessions().length, count, "every player verified before the load");
				await startGameLoad(game.server, load);
				await h.advance(LOAD_MINUTES * 60);
				const ledger = h.ledger();
				const lostAt = players.flatMap((userId) => game.events(userId, "lost").map((e) => e.time));
				if (h.manner === "rough" && load === 480 && lostAt.length > 0) {
					// With slow replies on top, the first heartbeats (planned before the game got busy, all
					// within 10 s of each other) cannot all pass through the 20 a minute the game leaves
					// before their TTL: the SDK only learns the budget from the engine's refusals. What it
					// promises then is the warning naming the share, before the first loss.
					const warnedAt = game.server.output.find(
						(line) => line.level === "warning" && /requests\s*\/\s*min/i.test(line.text),
					)?.time;
					assert.ok(
						warnedAt !== undefined && warnedAt <= Math.min(...lostAt),
						`${lostAt.length} lost, first at ${Math.min(...lostAt)} s; warned at ${warnedAt} s`,
					);
					assert.ok(lostAt.length <= 0.1 * count, `${lostAt.length} of ${count} lost`);
					return;
				}
				for (const userId of players) {
					assert.equal(game.events(userId, "lost").length, 0, `user ${userId}: ${game.describe(userId)}`);
				}
				const lost = ledger.sessions.filter((s) => s.endedBy !== null);
				assert.equal(lost.length, 0, `${lost.length} sessions ended: ${lost.map((s) => s.endedBy).join(",")}`);
				const stats = await gameLoadStats(game.server);
				// A refusal of the game's own request is the SDK's doing beyond its share only if the SDK
				// had sent more than its configured share in the engine's window at that moment.
				const beyond = stats.refusedAt.filter((t) => inWindow(wire.playwaveSent, t) > DEFAULT_SHARE);
				assert.equal(beyond.length, 0, `${beyond.length} of ${stats.refused} game refusals beyond the share`);
				assert.ok(stats.sent > load * LOAD_MINUTES * 0.9, `the game sent ${stats.sent}`);
				// The issue's stretching rule: never later than TTL − 60 s after the last accepted
				// heartbeat, or, when the budget cannot carry every session with that margin, one warning
				// with the numbers (the share needed).
				const gap = maxAcceptedGap(ledger, h.now);
				assert.ok(gap < TTL_SEC, `largest accepted-heartbeat gap ${gap} s`);
				const shareWarnings = game
					.warnings()
					.filter((line) => /requests\s*\/\s*min|requestsPerMinute/i.test(line));
				assert.ok(
					shareWarnings.length <= 1,
					`warned ${shareWarnings.length} times:\n${shareWarnings.join("\n")}`,
				);
				assert.ok(
					gap <= TTL_SEC - 60 || (shareWarnings.length === 1 && /\d/.test(shareWarnings[0])),
					`largest accepted-heartbeat gap ${gap.toFixed(1)} s (over TTL − 60 s) and no warning naming the share needed`,
				);
			});
		}
	});

	describe(`${place}: resume after a teleport`, () => {
		test(
			"60 s of 503s at the destination: the resume keeps trying and the session survives",
			pending("resume"),
			async () => {
				const h = await harness();
				const origin = await h.startServer({ placeId: 1001, place });
				const destination = await h.startServer({
					placeId: 2002,
					place,
					http: serverWire(h, "destination").handler,
				});
				origin.join({ userId: 500, pcId: "pc-500" });
				await h.advance(130);
				const from = h.now;
				h.sim.outage(EPOCH + from, EPOCH + from + 60, { server: "destination" });
				await origin.requestTeleport(500, 2002);
				await h.advance(5 * 60);
				assert.deepEqual(
					destination.event(500, "verified").args,
					["true", "RESUMED", "-"],
					destination.describe(500),
				);
				assert.equal(destination.events(500, "lost").length, 0);
				const refused = h.ledger().requests.filter((r) => r.server === "destination" && r.status === 503);
				assert.ok(refused.length >= 1, "the destination met the outage");
				await h.advance(10 * 60);
				const session = h.sessionOf(500);
				assert.equal(session.state, "active");
				assert.ok(
					session.lastHeartbeatAt > EPOCH + from + 60 + 5 * 60,
					"heartbeats continue at the destination",
				);
				assert.equal(h.sessionsOf(500).length, 1, "no second session");
				assert.equal(maxInFlight(h.ledger()).max, 1);
				assert.deepEqual(h.violations(), []);
			},
		);
	});

	test(
		`${place}: 429 with Retry-After: 30: nothing is sent to PlayWave before it has passed`,
		pending("retryAfter"),
		async () => {
			const h = await harness();
			const game = await h.startServer({ place });
			const players = users(700, 5);
			await joinAll(game, players);
			await h.advance(60);
			h.sim.fault({ effect: { kind: "error", status: 429, retryAfterSec: 30 }, endpoint: "heartbeat", times: 1 });
			await h.advance(10 * 60);
			const requests = h.ledger().requests;
			const limited = requests.find((r) => r.status === 429);
			assert.ok(limited !== undefined, "a heartbeat met the 429");
			const next = requests.filter((r) => r.at > limited.at);
			assert.ok(next.length > 0);
			assert.ok(
				next[0].at >= limited.at + 30,
				`next request ${(next[0].at - limited.at).toFixed(1)} s after a 429 with Retry-After: 30`,
			);
			assertNoneLost(h, game, players);
		},
	);

	test(
		`${place}: an upper-case token in LaunchData is sent lower-cased and verifies`,
		pending("tokenCase"),
		async () => {
			const h = await harness();
			const game = await h.startServer({ place });
			const ott = h.sim.issueOtt({ userId: 600, pcId: "pc-600", balanceSec: 3600 });
			game.join({ userId: 600, launchData: `playwave_${ott.toUpperCase()}` });
			await h.advance(5);
			assert.deepEqual(game.event(600, "verified").args, ["true", "VERIFIED", "-"], game.describe(600));
			assert.equal(h.sessionOf(600).ott, ott);
		},
	);
}
