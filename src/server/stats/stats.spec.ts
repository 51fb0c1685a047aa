import { Envelope, FakeReply } from "../../testing/FakeTransport";
import { asPlayer, FakePlayer } from "../../testing/FakePorts";
import {
	beatOk,
	endOk,
	HAPPY_REPLIES,
	ott,
	Replies,
	serverFixture,
	SESSION,
	verified,
	verifiedAs,
} from "../../testing/serverFixture";
import { PlaywaveConfig } from "../config/PlaywaveConfig";
import { PlaywaveServer } from "../PlaywaveServer";
import { HANDOVER_KEY } from "../facade/PlayerFlow";
import { ConnectionStatus } from "./ConnectionMonitor";
import { SessionTally } from "./SessionTally";

const budget: FakeReply = {
	failure: { kind: "BudgetExceeded", detail: "HttpService: Number of requests exceeded limit" },
};

/** A started server whose shares are 200 / 400 a minute unless `extra` says otherwise; `changes` records `connectionChanged`. */
function setup(replies: Replies = {}, extra: Partial<PlaywaveConfig> = {}) {
	const requestsPerMinute = extra.requestsPerMinute ?? 200;
	const urgentRequestsPerMinute = extra.urgentRequestsPerMinute ?? 400;
	const fixture = serverFixture({
		replies: { ...HAPPY_REPLIES, ...replies },
		config: { requestsPerMinute: 200, urgentRequestsPerMinute: 400, ...extra },
		scheduler: { requestsPerMinute, urgentRequestsPerMinute },
	});
	const changes = new Array<[ConnectionStatus, ConnectionStatus]>();
	fixture.server.connectionChanged.Connect((status, previous) => changes.push([status, previous]));
	fixture.server.start();
	return { ...fixture, changes };
}

export = () => {
	describe("getStats: sessions by state", () => {
		it("counts verifying, active, rejected, ending sessions as they move, and drops released ones", () => {
			let hangVerify = true;
			const { clock, engine, server } = setup({
				verify: () => (hangVerify ? "hang" : verified()),
				end: () => "hang",
			});
			const waiting = engine.join(1, ott(1));
			engine.join(2); // a normal player: REJECTED (NO_OTT)
			clock.advance(1);
			let sessions = server.getStats().sessions;
			expect(sessions.VERIFYING).to.equal(1);
			expect(sessions.REJECTED).to.equal(1);
			expect(sessions.ACTIVE).to.equal(0);
			hangVerify = false;
			const active = engine.join(3, ott(3));
			clock.advance(1);
			sessions = server.getStats().sessions;
			expect(sessions.ACTIVE).to.equal(1);
			expect(sessions.VERIFYING).to.equal(1);
			engine.leave(active);
			clock.advance(1);
			sessions = server.getStats().sessions;
			expect(sessions.ACTIVE).to.equal(0);
			expect(sessions.ENDING).to.equal(1);
			engine.leave(waiting);
			clock.advance(120);
			sessions = server.getStats().sessions;
			// The end gave up at its deadline (Unconfirmed) and the session was released; the departed
			// player's verify still hangs (a sent request is never abandoned), so that session is still here.
			expect(sessions.ENDING).to.equal(0);
			expect(sessions.ENDED).to.equal(0);
			expect(sessions.VERIFYING).to.equal(1);
			expect(server.getStats().totals.ended.Unconfirmed).to.equal(1);
		});

		it("counts replaced and lost sessions while their players are still here, and a departure nobody claimed", () => {
			const { clock, engine, server } = setup(
				{
					heartbeat: (n) =>
						n === 1
							? Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 10 })
							: n === 2
								? Envelope.error(404, "SESSION_NOT_FOUND")
								: beatOk(),
				},
				{ actions: { kickOnSessionLost: false } },
			);
			engine.join(1, ott(1));
			engine.join(2, ott(2));
			const traveller = engine.join(3, ott(3));
			clock.advance(400);
			const sessions = server.getStats().sessions;
			expect(sessions.REPLACED).to.equal(1);
			expect(sessions.LOST).to.equal(1);
			expect(server.prepareForTeleport(asPlayer(traveller), {} as TeleportOptions)).to.equal(true);
			expect(server.getStats().sessions.ACTIVE).to.equal(1);
			engine.leave(traveller);
			clock.advance(1);
			// Heartbeats go on at the origin until the destination claims the session.
			expect(server.getStats().sessions.ACTIVE).to.equal(1);
			clock.advance(200);
			// Nobody claimed it: the origin ended it; it was not handed over.
			const stats = server.getStats();
			expect(stats.sessions.ACTIVE).to.equal(0);
			expect(stats.totals.handedOver).to.equal(0);
			expect(stats.totals.ended.Ended).to.equal(1);
		});

		it("a session not started yet is NONE; one ended with nothing to end is ENDED until untracked", () => {
			const { connection } = setup();
			const tally = new SessionTally();
			const session = connection.createSession(42);
			tally.track(session);
			expect(tally.sessions().NONE).to.equal(1);
			session.endSession().catch(() => {});
			expect(tally.sessions().NONE).to.equal(0);
			expect(tally.sessions().ENDED).to.equal(1);
			tally.untrack(session);
			expect(tally.sessions().ENDED).to.equal(0);
			expect(tally.size()).to.equal(0);
		});

		it("a session handed off to another server is HANDED_OFF until released, and counted as handed over", () => {
			const { clock, connection, transport } = setup();
			const tally = new SessionTally();
			const session = connection.createSession(42);
			tally.track(session);
			session.start(ott(42));
			clock.advance(1);
			expect(tally.sessions().ACTIVE).to.equal(1);
			session.handOff();
			expect(tally.sessions().ACTIVE).to.equal(0);
			expect(tally.sessions().HANDED_OFF).to.equal(1);
			expect(tally.sinceStart().handedOver).to.equal(1);
			expect(transport.to("verify").size()).to.equal(1);
		});
	});

	describe("getStats: requests in the last minute", () => {
		it("counts sends by kind, against the share, the urgent ceiling and the engine's limit, for one minute", () => {
			const { clock, engine, server } = setup();
			const players = new Array<FakePlayer>();
			for (let i = 1; i <= 3; i++) players.push(engine.join(i, ott(i)));
			clock.advance(1);
			let requests = server.getStats().requests;
			expect(requests.lastMinute.verify.sent).to.equal(3);
			expect(requests.lastMinute.heartbeat.sent).to.equal(0);
			expect(requests.share).to.equal(200);
			expect(requests.urgentLimit).to.equal(400);
			expect(requests.engineLimit).to.equal(500);
			expect(requests.available).to.equal(200);
			clock.advance(130);
			requests = server.getStats().requests;
			// The verifies have left the minute; each session has beaten once.
			expect(requests.lastMinute.verify.sent).to.equal(0);
			expect(requests.lastMinute.heartbeat.sent).to.equal(3);
			engine.leave(players[0]);
			clock.advance(1);
			requests = server.getStats().requests;
			expect(requests.lastMinute.end.sent).to.equal(1);
			expect(requests.sentLastMinute).to.equal(4);
			expect(requests.refusedLastMinute).to.equal(0);
			clock.advance(120);
			expect(server.getStats().requests.lastMinute.end.sent).to.equal(0);
		});

		it("counts the engine's budget refusals by kind, not as sends, and what the SDK can count on drops", () => {
			const { clock, engine, server } = setup({
				verify: (n) => (n <= 2 ? budget : verified()),
				heartbeat: (n) => (n === 1 ? budget : beatOk()),
			});
			engine.join(1, ott(1));
			clock.advance(10);
			let requests = server.getStats().requests;
			expect(requests.lastMinute.verify.refused).to.equal(2);
			expect(requests.lastMinute.verify.sent).to.equal(1);
			expect(requests.refusedLastMinute).to.equal(2);
			expect(requests.available < 200).to.equal(true);
			expect(server.getStats().sessions.ACTIVE).to.equal(1);
			clock.advance(120);
			requests = server.getStats().requests;
			expect(requests.lastMinute.heartbeat.refused).to.equal(1);
			expect(requests.lastMinute.heartbeat.sent).to.equal(1);
			expect(requests.lastMinute.verify.refused).to.equal(0);
		});

		it("counts queued, in-flight and slow requests, and verifies that expired unsent", () => {
			const { clock, engine, server } = setup(
				{ verify: () => "hang" },
				{ requestsPerMinute: 1, urgentRequestsPerMinute: 1 },
			);
			engine.join(1, ott(1));
			engine.join(2, ott(2));
			clock.advance(1);
			let requests = server.getStats().requests;
			expect(requests.inFlight).to.equal(1);
			expect(requests.queued).to.equal(1);
			expect(requests.slowInFlight).to.equal(0);
			clock.advance(20);
			expect(server.getStats().requests.slowInFlight).to.equal(1);
			clock.advance(60);
			requests = server.getStats().requests;
			// The second verify could not go within its window (one request a minute): never sent.
			expect(requests.queued).to.equal(0);
			expect(requests.expiredUnsent).to.equal(1);
		});
	});

	describe("getStats: the connection's condition", () => {
		it("healthy, paused for an outage, healthy again: since when, the last failure, one signal per change", () => {
			let down = false;
			const { clock, engine, server, changes } = setup({
				heartbeat: () => (down ? Envelope.error(503, "UNAVAILABLE") : beatOk()),
			});
			engine.join(1, ott(1));
			clock.advance(1);
			let connection = server.getStats().connection;
			expect(connection.condition).to.equal("healthy");
			expect(connection.lastFailure).to.equal(undefined);
			down = true;
			clock.advance(120);
			connection = server.getStats().connection;
			expect(connection.condition).to.equal("paused");
			expect(connection.cause).to.equal("outage");
			expect(connection.since > 100 && connection.since <= 121).to.equal(true);
			expect(connection.lastFailure!.failureClass).to.equal("ServerError");
			expect(connection.lastFailure!.status).to.equal(503);
			expect(connection.lastFailure!.kind).to.equal("heartbeat");
			expect(
				connection.lastFailure!.at >= connection.since && connection.lastFailure!.at <= clock.now(),
			).to.equal(true);
			expect(connection.pausedUntil! > connection.since).to.equal(true);
			expect(changes.size()).to.equal(1);
			expect(changes[0][0].condition).to.equal("paused");
			expect(changes[0][1].condition).to.equal("healthy");
			const pausedAt = connection.since;
			clock.advance(5);
			expect(server.getStats().connection.since).to.equal(pausedAt);
			down = false;
			clock.advance(30);
			connection = server.getStats().connection;
			expect(connection.condition).to.equal("healthy");
			expect(connection.cause).to.equal(undefined);
			expect(connection.since > pausedAt).to.equal(true);
			// The last failure stays for the record.
			expect(connection.lastFailure!.failureClass).to.equal("ServerError");
			expect(changes.size()).to.equal(2);
			expect(changes[1][0].condition).to.equal("healthy");
		});

		it("paused for a 429 (rate limited)", () => {
			const { clock, engine, server, changes } = setup({
				heartbeat: () => ({ ...Envelope.error(429, "RATE_LIMITED"), headers: { "Retry-After": "30" } }),
			});
			engine.join(1, ott(1));
			clock.advance(125);
			const connection = server.getStats().connection;
			expect(connection.condition).to.equal("paused");
			expect(connection.cause).to.equal("rateLimited");
			expect(connection.lastFailure!.failureClass).to.equal("RateLimited");
			expect(changes[0][0].cause).to.equal("rateLimited");
		});

		it("misconfigured: a refused key, a refused request shape, HTTP requests not enabled", () => {
			const key = setup({ verify: () => Envelope.error(401, "INVALID_API_KEY") });
			key.engine.join(1, ott(1));
			key.clock.advance(1);
			let connection = key.server.getStats().connection;
			expect(connection.condition).to.equal("misconfigured");
			expect(connection.cause).to.equal("keyRefused");
			expect(connection.lastFailure!.failureClass).to.equal("InvalidApiKey");

			const shape = setup({ verify: () => Envelope.error(400, "BAD_REQUEST") });
			shape.engine.join(1, ott(1));
			shape.clock.advance(1);
			connection = shape.server.getStats().connection;
			expect(connection.condition).to.equal("misconfigured");
			expect(connection.cause).to.equal("requestRefused");
			expect(connection.lastFailure!.failureClass).to.equal("BadRequest");

			const http = setup({ verify: () => ({ failure: { kind: "HttpDisabled" } }) });
			http.engine.join(1, ott(1));
			http.clock.advance(1);
			connection = http.server.getStats().connection;
			expect(connection.condition).to.equal("misconfigured");
			expect(connection.cause).to.equal("httpDisabled");
			expect(connection.lastFailure!.failureClass).to.equal("HttpDisabled");
			expect(http.changes.size()).to.equal(1);
		});

		it("HTTP switched off in Game Settings reads as misconfigured before any request", () => {
			const { engine, server } = setup();
			engine.httpEnabled = false;
			expect(server.getStats().connection.cause).to.equal("httpDisabled");
		});
	});

	describe("getStats: counts since start", () => {
		it("verified (and PC-cafe), rejected by reason, charge exhausted, ended by result", () => {
			const { clock, engine, server } = setup({
				verify: (n) =>
					n === 1
						? verifiedAs(true)
						: n === 2
							? verifiedAs(false)
							: Envelope.ok({ is_valid: false, reason: n === 3 ? "OTT_EXPIRED" : "NOT_CHARGEABLE" }),
				heartbeat: () =>
					Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 300 }),
				end: (n) => (n === 1 ? endOk() : Envelope.error(404, "SESSION_NOT_FOUND")),
			});
			const first = engine.join(1, ott(1));
			const second = engine.join(2, ott(2));
			engine.join(3, ott(3));
			engine.join(4, ott(4));
			engine.join(5);
			engine.join(6, "garbage");
			clock.advance(200);
			let totals = server.getStats().totals;
			expect(totals.verified).to.equal(2);
			expect(totals.verifiedPcCafe).to.equal(1);
			expect(totals.rejected.OTT_EXPIRED).to.equal(1);
			expect(totals.rejected.NOT_CHARGEABLE).to.equal(1);
			expect(totals.rejected.NO_OTT).to.equal(1);
			expect(totals.rejected.INVALID_LAUNCH_DATA).to.equal(1);
			expect(totals.rejected.GAME_MISMATCH).to.equal(0);
			// Fired once per session, however many CHARGE_EXHAUSTED beats follow.
			expect(totals.chargeExhausted).to.equal(2);
			engine.leave(first);
			engine.leave(second);
			clock.advance(10);
			totals = server.getStats().totals;
			expect(totals.ended.Ended).to.equal(1);
			expect(totals.ended.AlreadyGone).to.equal(1);
			expect(totals.ended.Unconfirmed).to.equal(0);
		});

		it("a game's callback already sees the outcome counted", () => {
			let seen = -1;
			let server: PlaywaveServer | undefined;
			const harness = setup(
				{ heartbeat: () => Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60 }) },
				{ onChargeExhausted: () => (seen = server!.getStats().totals.chargeExhausted) },
			);
			server = harness.server;
			harness.engine.join(1, ott(1));
			harness.clock.advance(130);
			expect(seen).to.equal(1);
		});

		it("an end that cannot land before its deadline counts as Unconfirmed", () => {
			const { clock, engine, server } = setup({ end: () => Envelope.error(503, "UNAVAILABLE") });
			const player = engine.join(1, ott(1));
			clock.advance(1);
			engine.leave(player);
			clock.advance(120);
			expect(server.getStats().totals.ended.Unconfirmed).to.equal(1);
		});

		it("lost by code and replaced", () => {
			const codes = [
				Envelope.error(404, "SESSION_NOT_FOUND"),
				Envelope.error(410, "SESSION_ENDED"),
				Envelope.error(410, "SESSION_ENDING"),
				Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 10 }),
			];
			const { clock, engine, server } = setup(
				{ heartbeat: (n) => codes[n - 1] ?? beatOk() },
				{ actions: { kickOnSessionLost: false } },
			);
			for (let i = 1; i <= 4; i++) engine.join(i, ott(i));
			clock.advance(400);
			const totals = server.getStats().totals;
			expect(totals.lost.SESSION_NOT_FOUND).to.equal(1);
			expect(totals.lost.SESSION_ENDED).to.equal(1);
			expect(totals.lost.SESSION_ENDING).to.equal(1);
			expect(totals.lost.TTL_EXPIRED).to.equal(0);
			expect(totals.replaced).to.equal(1);
		});

		it("lost to the TTL while PlayWave is unreachable", () => {
			const { clock, engine, server } = setup({
				heartbeat: () => ({ failure: { kind: "NetworkError", detail: "ConnectFail" } }),
			});
			engine.join(1, ott(1));
			clock.advance(600);
			expect(server.getStats().totals.lost.TTL_EXPIRED).to.equal(1);
		});

		it("resumed: a session handed to this server by a teleport", () => {
			const { clock, engine, server } = setup();
			engine.join(77, undefined, { [HANDOVER_KEY]: { gameSessionId: SESSION } });
			clock.advance(1);
			const stats = server.getStats();
			expect(stats.totals.resumed).to.equal(1);
			expect(stats.sessions.ACTIVE).to.equal(1);
		});

		it("the snapshot is a copy: reading it twice, or changing it, does not change the counts", () => {
			const { clock, engine, server } = setup();
			engine.join(1, ott(1));
			clock.advance(1);
			const first = server.getStats();
			first.totals.verified = 99;
			first.sessions.ACTIVE = 99;
			first.requests.lastMinute.verify.sent = 99;
			const second = server.getStats();
			expect(second.totals.verified).to.equal(1);
			expect(second.sessions.ACTIVE).to.equal(1);
			expect(second.requests.lastMinute.verify.sent).to.equal(1);
			expect(second.at).to.equal(clock.now());
		});
	});
};
