import { Envelope } from "../testing/FakeTransport";
import { fixedRandom, ManualClock } from "../testing/ManualClock";
import { count, makeHarness, OTT, recordEvents, routes, USER_ID } from "../testing/harness";
import { expectAtLeast, expectAtMost, expectBelow } from "../testing/expect";
import {
	activeSession,
	beatOk,
	endOk,
	resultOf,
	serverDown,
	SESSION,
	sessionWith,
	slow,
	verified,
} from "../testing/sessionFixture";

export = () => {
	describe("verify", () => {
		it("a player without LaunchData is a normal player: no request", () => {
			const { clock, transport, session, log } = sessionWith({});
			session.start(undefined);
			clock.advance(60);
			expect(transport.sent.size()).to.equal(0);
			expect(log.join("|")).to.equal("rejected NO_OTT");
			expect(session.getStatus()).to.equal("REJECTED");
		});

		it("garbage LaunchData is invalid: no request", () => {
			const { clock, transport, session, log } = sessionWith({});
			session.start("join-my-friend");
			clock.advance(60);
			expect(transport.sent.size()).to.equal(0);
			expect(log.join("|")).to.equal("rejected INVALID_LAUNCH_DATA");
		});

		it("verifies at once on start, then goes ACTIVE with is_pc_cafe", () => {
			const { session, transport, log } = activeSession(() => beatOk());
			const sent = transport.to("verify");
			expect(sent.size()).to.equal(1);
			expect(sent[0].at).to.equal(0);
			expect(sent[0].request.method).to.equal("POST");
			expect(sent[0].request.url).to.equal("https://api.test/v1/game/session/verify");
			expect(sent[0].request.body.ott).to.equal(OTT);
			expect(sent[0].request.body.provider_user_id).to.equal(tostring(USER_ID));
			expect(log[0]).to.equal(`verified ${SESSION} true`);
			expect(session.getStatus()).to.equal("ACTIVE");
			expect(session.isPcCafe()).to.equal(true);
			expect(session.getGameSessionId()).to.equal(SESSION);
		});

		for (const reason of ["OTT_EXPIRED", "OTT_ALREADY_USED", "GAME_MISMATCH", "NOT_CHARGEABLE"]) {
			it(`is_valid=false ${reason}: rejected with that reason, no heartbeat`, () => {
				const { clock, transport, session, log } = sessionWith({
					verify: () => Envelope.ok({ is_valid: false, reason }),
				});
				session.start(`playwave_${OTT}`);
				clock.advance(600);
				expect(log.join("|")).to.equal(`rejected ${reason}`);
				expect(transport.sent.size()).to.equal(1);
				expect(session.getStatus()).to.equal("REJECTED");
			});
		}

		it("retries a transient failure while the token can still be valid", () => {
			const { clock, transport, session, log } = sessionWith({
				verify: (n) => (n === 1 ? serverDown() : verified()),
			});
			session.start(OTT);
			clock.advance(10);
			const sent = transport.to("verify");
			expect(sent.size()).to.equal(2);
			expect(sent[1].at).to.equal(2);
			expect(log.join("|")).to.equal(`verified ${SESSION} true`);
		});

		it("gives up once the token cannot be valid any more: REQUEST_FAILED, no kick reason", () => {
			const { clock, transport, session, log } = sessionWith({ verify: serverDown });
			session.start(OTT);
			clock.advance(300);
			const sent = transport.to("verify");
			expectAtLeast(sent.size(), 4);
			expectBelow(sent[sent.size() - 1].at, 45);
			expect(log.join("|")).to.equal("rejected REQUEST_FAILED");
		});

		it("OTT_ALREADY_USED after an attempt whose reply was lost is not a duplicate connection", () => {
			const { clock, session, log } = sessionWith({
				verify: (n) =>
					n === 1
						? { failure: { kind: "NetworkError", detail: "HttpError: ConnectionReset" } }
						: Envelope.ok({ is_valid: false, reason: "OTT_ALREADY_USED" }),
			});
			session.start(OTT);
			clock.advance(30);
			expect(log.join("|")).to.equal("rejected VERIFY_OUTCOME_UNKNOWN");
		});

		it("OTT_ALREADY_USED after a 429 (the server did not act) is a real duplicate", () => {
			const { clock, session, log } = sessionWith({
				verify: (n) =>
					n === 1
						? Envelope.error(429, "RATE_LIMITED")
						: Envelope.ok({ is_valid: false, reason: "OTT_ALREADY_USED" }),
			});
			session.start(OTT);
			clock.advance(30);
			expect(log.join("|")).to.equal("rejected OTT_ALREADY_USED");
		});

		it("a wrong API key is not retried", () => {
			const { clock, transport, session, log } = sessionWith({
				verify: () => Envelope.error(401, "INVALID_API_KEY", "unknown key"),
			});
			session.start(OTT);
			clock.advance(60);
			expect(transport.sent.size()).to.equal(1);
			expect(log.join("|")).to.equal("rejected REQUEST_FAILED");
			const state = session.getState();
			expect(state.status === "REJECTED" && state.failure?.kind).to.equal("InvalidApiKey");
		});

		it("HTTP disabled fails verify at once with a typed failure", () => {
			const { clock, transport, connection } = makeHarness();
			transport.handler = () => ({ failure: { kind: "HttpDisabled" } });
			const session = connection.createSession(USER_ID);
			session.start(OTT);
			clock.advance(60);
			expect(transport.sent.size()).to.equal(1);
			const state = session.getState();
			expect(state.status === "REJECTED" && state.failure?.kind).to.equal("HttpDisabled");
		});
	});

	describe("heartbeat loop", () => {
		it("OK: beats every next_heartbeat_in (early by jitter, never late) with session id and UserId", () => {
			const { clock, transport, log } = activeSession((n) => beatOk(n === 1 ? 60 : 120, n * 60));
			clock.advance(400);
			const beats = transport.to("heartbeat");
			// Default 120 s after verify, 5% early; then 60 s (server said so), then 120 s.
			expect(beats[0].at).to.equal(114);
			expect(beats[1].at).to.equal(114 + 57);
			expect(beats[2].at).to.equal(114 + 57 + 114);
			expect(beats[0].request.method).to.equal("PATCH");
			expect(beats[0].request.url).to.equal("https://api.test/v1/game/session/heartbeat");
			expect(beats[0].request.body.game_session_id).to.equal(SESSION);
			expect(beats[0].request.body.provider_user_id).to.equal(tostring(USER_ID));
			expect(log[1]).to.equal("heartbeat 60 60");
			expect(log[2]).to.equal("heartbeat 120 120");
		});

		for (const [label, value] of [
			["missing", undefined],
			["0", 0],
			["-5", -5],
			["1e9", 1e9],
			['"abc"', "abc"],
		] as const) {
			it(`next_heartbeat_in ${label}: uses the default 120 s`, () => {
				const { clock, transport } = activeSession(() => beatOk(value));
				clock.advance(300);
				const beats = transport.to("heartbeat");
				expect(beats.size()).to.equal(2);
				expect(beats[1].at - beats[0].at).to.equal(114);
			});
		}

		it("CHARGE_EXHAUSTED: notifies once and keeps beating through the grace, then 410 SESSION_ENDING loses it", () => {
			const { clock, transport, session, log } = activeSession((n) =>
				n === 1
					? beatOk()
					: n <= 3
						? Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 300 })
						: Envelope.error(410, "SESSION_ENDING"),
			);
			clock.advance(1000);
			expect(count(log, "chargeExhausted")).to.equal(1);
			expect(transport.to("heartbeat").size()).to.equal(4);
			expect(log[log.size() - 1]).to.equal("lost SESSION_ENDING");
			expect(session.getStatus()).to.equal("LOST");
			expect(transport.to("end").size()).to.equal(0);
		});

		it("SESSION_REPLACED: stops for good and never calls end", () => {
			const { clock, transport, session, log } = activeSession(() =>
				Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 200 }),
			);
			clock.advance(3600);
			expect(transport.to("heartbeat").size()).to.equal(1);
			expect(log[log.size() - 1]).to.equal("replaced");
			const promise = session.endSession();
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(0);
			expect(resultOf(promise)?.kind).to.equal("NotNeeded");
		});

		for (const [status, code] of [
			[404, "SESSION_NOT_FOUND"],
			[410, "SESSION_ENDED"],
			[410, "SESSION_ENDING"],
		] as const) {
			it(`${status} ${code}: stops, reports lost with the code, no end call`, () => {
				const { clock, transport, session, log } = activeSession(() => Envelope.error(status, code));
				clock.advance(3600);
				expect(transport.to("heartbeat").size()).to.equal(1);
				expect(log[log.size() - 1]).to.equal(`lost ${code}`);
				const promise = session.endSession();
				clock.advance(30);
				expect(transport.to("end").size()).to.equal(0);
				expect(resultOf(promise)?.kind).to.equal("NotNeeded");
			});
		}

		// Was "an unknown result is retried, not trusted": a 200 with success: true is an accepted heartbeat.
		it("an unknown result is an accepted heartbeat: no retry, the next beat at the interval", () => {
			const { clock, transport, session, log } = activeSession(() =>
				Envelope.ok({ result: "PAUSED", next_heartbeat_in: 120, play_duration_sec: "ten" }),
			);
			clock.advance(1200);
			const beats = transport.to("heartbeat");
			expect(beats.size()).to.equal(10);
			for (let i = 1; i < beats.size(); i++) expect(beats[i].at - beats[i - 1].at).to.equal(114);
			expect(session.getStatus()).to.equal("ACTIVE");
			expect(count(log, "heartbeat")).to.equal(10);
		});

		it("API down for 90 s: retries with back-off and the session survives", () => {
			// Beat 1 at 114 fails; the API is back at 204.
			const { clock, transport, session, log } = activeSession(() =>
				clock.now() >= 114 && clock.now() < 204 ? serverDown() : beatOk(),
			);
			clock.advance(600);
			const beats = transport.to("heartbeat");
			const failed = beats.filter((beat) => beat.at >= 114 && beat.at < 204);
			expectAtMost(failed.size(), 6);
			expect(session.getStatus()).to.equal("ACTIVE");
			expect(count(log, "lost")).to.equal(0);
			// Every accepted heartbeat came within the TTL of the previous one.
			const accepted = [0, ...beats.filter((beat) => !(beat.at >= 114 && beat.at < 204)).map((beat) => beat.at)];
			for (let i = 1; i < accepted.size(); i++) expectBelow(accepted[i] - accepted[i - 1], 240);
		});

		it("API down for 5 minutes: lost to the TTL without spinning, and nothing sent afterwards", () => {
			const { clock, transport, session, log } = activeSession(() =>
				clock.now() >= 114 && clock.now() < 414 ? serverDown() : beatOk(),
			);
			clock.advance(3600);
			const beats = transport.to("heartbeat");
			expectAtMost(beats.size(), 12);
			expectAtLeast(beats.size(), 6);
			// The last attempt still had time for an answer before the server's TTL (240 s after verify).
			expectAtMost(beats[beats.size() - 1].at, 240 - 3);
			expect(log[log.size() - 1]).to.equal("lost TTL_EXPIRED");
			expect(session.getStatus()).to.equal("LOST");
			expect(transport.to("end").size()).to.equal(0);
		});

		it("API down until the TTL: lost even when the engine's timers fire a hair early", () => {
			const { clock, session, log } = activeSession(() =>
				clock.now() >= 114 && clock.now() < 414 ? serverDown() : beatOk(),
			);
			clock.earlySec = 1e-7;
			clock.advance(3600);
			expect(log[log.size() - 1]).to.equal("lost TTL_EXPIRED");
			expect(session.getStatus()).to.equal("LOST");
		});

		it("429 for a minute: the whole connection backs off and the session survives", () => {
			const { clock, transport, session } = activeSession(() =>
				clock.now() >= 114 && clock.now() < 174 ? Envelope.error(429, "RATE_LIMITED") : beatOk(),
			);
			clock.advance(600);
			const during = transport.to("heartbeat").filter((beat) => beat.at >= 114 && beat.at < 174);
			expectAtMost(during.size(), 5);
			expect(session.getStatus()).to.equal("ACTIVE");
		});

		it("the server's HttpService budget spent for a while: the session survives", () => {
			const { clock, transport, session } = activeSession(() =>
				clock.now() >= 114 && clock.now() < 150
					? { failure: { kind: "BudgetExceeded", detail: "Number of requests exceeded limit" } }
					: beatOk(),
			);
			clock.advance(600);
			expect(session.getStatus()).to.equal("ACTIVE");
			expectAtLeast(transport.to("heartbeat").size(), 5);
		});

		it("stretches the interval when the budget share cannot carry every session at the server's rate", () => {
			const { clock, transport, connection } = makeHarness({
				scheduler: { requestsPerMinute: 60 },
				random: fixedRandom(0.05, 0.35, 0.65, 0.95, 0.2, 0.5, 0.8),
			});
			transport.handler = routes({ verify: verified, heartbeat: () => beatOk() });
			for (let i = 0; i < 120; i++) connection.createSession(USER_ID + i).start(OTT);
			clock.advance(0);
			expect(connection.load.activeSessions()).to.equal(120);
			// 120 sessions at 120 s would need 60 a minute, all of the share: each beats every
			// 120 * 60 / (60 * 0.75) = 160 s instead (up to 10 % early), and none is lost.
			clock.advance(1200);
			const first = transport
				.to("heartbeat")
				.filter((beat) => beat.request.body.provider_user_id === tostring(USER_ID));
			expectAtLeast(first.size(), 6);
			// Later beats of one session come every ~160 s (less up to 10 % jitter), not every 120 s.
			for (let i = 2; i < first.size(); i++) expectAtLeast(first[i].at - first[i - 1].at, 144);
			// The burst's first beats spread over most of the interval instead of all falling due at once: the
			// first go as soon as the 120 verifies leave the sliding minute, not at 114 s.
			const firstBeats = new Map<string, number>();
			for (const beat of transport.to("heartbeat")) {
				const user = beat.request.body.provider_user_id as string;
				if (!firstBeats.has(user)) firstBeats.set(user, beat.at);
			}
			let earliest = math.huge;
			for (const [, at] of firstBeats) earliest = math.min(earliest, at);
			expectAtMost(earliest, 61);
			// And none was lost to the TTL.
			expect(connection.load.activeSessions()).to.equal(120);
		});

		it("nextHeartbeatAt: the planned beat while active, none while one is out or once ending", () => {
			const { clock, session } = activeSession(() => slow(beatOk(), 5));
			// Planned 120 s after the verify went out, 5% early.
			expect(session.nextHeartbeatAt()).to.equal(114);
			clock.advance(116);
			expect(session.nextHeartbeatAt()).to.equal(undefined);
			// Answered at 119: the next is planned from the send at 114.
			clock.advance(4);
			expect(session.nextHeartbeatAt()).to.equal(114 + 114);
			const ending = session.endSession();
			expect(session.nextHeartbeatAt()).to.equal(undefined);
			clock.advance(1);
			expect(resultOf(ending)?.kind).to.equal("Ended");
		});

		it("a listener that throws does not break the session", () => {
			const { clock, transport, session } = activeSession(() => beatOk());
			session.heartbeat.Connect(() => error("game code bug"));
			clock.advance(600);
			expect(transport.to("heartbeat").size()).to.equal(5);
			expect(session.getStatus()).to.equal("ACTIVE");
		});
	});

	describe("endSession", () => {
		it("sends DELETE with the measured play time and reports the server's", () => {
			const { clock, transport, session, log } = activeSession(() => beatOk());
			clock.advance(1795.4);
			const promise = session.endSession();
			clock.advance(1);
			const ends = transport.to("end");
			expect(ends.size()).to.equal(1);
			expect(ends[0].request.method).to.equal("DELETE");
			expect(ends[0].request.url).to.equal("https://api.test/v1/game/session/end");
			expect(ends[0].request.body.game_session_id).to.equal(SESSION);
			expect(ends[0].request.body.play_duration_sec).to.equal(1795);
			const result = resultOf(promise);
			expect(result?.kind).to.equal("Ended");
			expect(result?.kind === "Ended" && result.serverPlayDurationSec).to.equal(600);
			expect(log[log.size() - 1]).to.equal("ended Ended");
			expect(session.getStatus()).to.equal("ENDED");
			clock.advance(600);
			expect(transport.sent.size()).to.equal(1 + 15 + 1);
		});

		it("is idempotent: one DELETE, one promise", () => {
			const { clock, transport, session } = activeSession(() => beatOk());
			clock.advance(50);
			const first = session.endSession();
			const second = session.endSession();
			clock.advance(5);
			expect(first).to.equal(second);
			expect(transport.to("end").size()).to.equal(1);
			expect(session.endSession()).to.equal(first);
		});

		for (const [status, code] of [
			[404, "SESSION_NOT_FOUND"],
			[409, "ALREADY_ENDED"],
		] as const) {
			it(`${status} ${code}: already cleaned up, not retried`, () => {
				const { clock, transport, session } = activeSession(
					() => beatOk(),
					() => Envelope.error(status, code),
				);
				const promise = session.endSession();
				clock.advance(30);
				expect(transport.to("end").size()).to.equal(1);
				expect(resultOf(promise)?.kind).to.equal("AlreadyGone");
			});
		}

		it("retries transient failures within its deadline, then resolves unconfirmed", () => {
			const { clock, transport, session } = activeSession(() => beatOk(), serverDown);
			const promise = session.endSession();
			clock.advance(1);
			expect(resultOf(promise)).to.equal(undefined);
			clock.advance(9.1);
			expect(resultOf(promise)?.kind).to.equal("Unconfirmed");
			const ends = transport.to("end");
			// 0, then back-off 2 and 4 s; the last try (due at 9 s) waits behind the client-wide pause the
			// outage caused, and the deadline comes first.
			expect(ends.map((entry) => entry.at).join(",")).to.equal("0,2,6");
			clock.advance(600);
			expect(transport.to("end").size()).to.equal(3);
			expect(transport.to("heartbeat").size()).to.equal(0);
		});

		it("a player who leaves mid-verify is ended as soon as verify returns, without a heartbeat", () => {
			const { clock, transport, session, log } = sessionWith({
				verify: () => slow(verified(), 3),
				end: endOk,
			});
			session.start(OTT);
			clock.advance(1);
			const promise = session.endSession();
			clock.advance(600);
			expect(transport.to("end").size()).to.equal(1);
			expect(transport.to("end")[0].at).to.equal(3);
			expect(transport.to("heartbeat").size()).to.equal(0);
			expect(resultOf(promise)?.kind).to.equal("Ended");
			expect(log.join("|")).to.equal(`verified ${SESSION} true|ended Ended`);
		});

		it("a player who leaves mid-verify that is then rejected needs no end", () => {
			const { clock, transport, session } = sessionWith({
				verify: () => slow(Envelope.ok({ is_valid: false, reason: "OTT_EXPIRED" }), 3),
			});
			session.start(OTT);
			const promise = session.endSession();
			clock.advance(60);
			expect(transport.to("end").size()).to.equal(0);
			expect(resultOf(promise)?.kind).to.equal("NotNeeded");
		});
	});

	describe("destroy", () => {
		it("mid-request: the late reply fires nothing and nothing else is sent", () => {
			const { clock, transport, session, log } = sessionWith({
				verify: () => slow(verified(), 5),
			});
			session.start(OTT);
			clock.advance(1);
			session.destroy();
			clock.advance(3600);
			expect(log.size()).to.equal(0);
			expect(transport.sent.size()).to.equal(1);
			expect(session.getStatus()).to.equal("VERIFYING");
			expect(clock.pendingCount()).to.equal(0);
		});

		it("with a heartbeat scheduled: it never goes out", () => {
			const { clock, transport, session } = activeSession(() => beatOk());
			session.destroy();
			clock.advance(3600);
			expect(transport.to("heartbeat").size()).to.equal(0);
			expect(clock.pendingCount()).to.equal(0);
		});
	});

	describe("resume after a teleport", () => {
		it("a heartbeat OK for the handed-over id resumes the session", () => {
			const { clock, transport, session, log } = sessionWith({ heartbeat: () => beatOk() });
			session.resume(SESSION, true);
			clock.advance(0);
			expect(log.join("|")).to.equal(`resumed ${SESSION}|heartbeat 0 120`);
			expect(transport.to("heartbeat")[0].request.body.game_session_id).to.equal(SESSION);
			expect(transport.to("verify").size()).to.equal(0);
			clock.advance(120);
			expect(transport.to("heartbeat").size()).to.equal(2);
		});

		it("404/410 for the handed-over id rejects the resume", () => {
			const { clock, session, log } = sessionWith({
				heartbeat: () => Envelope.error(410, "SESSION_ENDED"),
			});
			session.resume(SESSION, true);
			clock.advance(60);
			expect(log.join("|")).to.equal("rejected RESUME_REJECTED");
		});

		it("hand-off stops beating without ending", () => {
			const { clock, transport, session } = activeSession(() => beatOk());
			clock.advance(100);
			expect(session.handOff()).to.equal(SESSION);
			const ended = session.endSession();
			clock.advance(300);
			expect(transport.to("heartbeat").size()).to.equal(0);
			expect(transport.to("end").size()).to.equal(0);
			expect(resultOf(ended)!.kind).to.equal("NotNeeded");
			expect(session.getStatus()).to.equal("HANDED_OFF");
		});
	});
	describe("hand-over helpers", () => {
		it("a verify not sent when the player left (or the server closes) is given up, never retried", () => {
			const { clock, transport, connection, session, log } = sessionWith({ verify: verified });
			// Ten verifies fill the in-flight cap, so this one waits in the queue.
			for (let i = 0; i < 10; i++) connection.createSession(i + 1).start(OTT);
			session.start(OTT);
			const ended = session.endSession();
			connection.scheduler.stopSending("verify");
			clock.advance(60);
			expect(transport.to("verify").size()).to.equal(10);
			expect(log.join("|")).to.equal("rejected REQUEST_FAILED|ended NotNeeded");
			expect(resultOf(ended)!.kind).to.equal("NotNeeded");
		});

		it("setPcCafe changes a live session's status once; rejectResume refuses without a request", () => {
			const { session } = activeSession(() => beatOk());
			expect(session.setPcCafe(true)).to.equal(false);
			expect(session.setPcCafe(false)).to.equal(true);
			expect(session.isPcCafe()).to.equal(false);
			const { clock, transport, session: other, log } = sessionWith({});
			other.rejectResume("hand-over claimed");
			clock.advance(10);
			expect(transport.sent.size()).to.equal(0);
			expect(log.join("|")).to.equal("rejected RESUME_REJECTED");
		});
	});
	describe("timers that fire early", () => {
		it("a TTL check that fires a hair before the TTL looks again: the session is still declared lost", () => {
			// The engine resumes timers on 60 Hz frames with a rounding tolerance: a delay may end a few
			// nanoseconds before now + d (test/runtime's scheduler does the same).
			const manual = new ManualClock();
			const earlyClock = {
				now() {
					return manual.now();
				},
				delay(seconds: number, callback: () => void) {
					return manual.delay(seconds > 1e-6 ? seconds - 1e-8 : seconds, callback);
				},
			};
			const { transport, connection } = makeHarness({ clock: earlyClock });
			(transport as unknown as { clock: unknown }).clock = manual;
			transport.handler = routes({ verify: verified, heartbeat: serverDown });
			const session = connection.createSession(USER_ID);
			const log = recordEvents(session);
			session.start(OTT);
			manual.advance(600);
			expect(count(log, "lost TTL_EXPIRED")).to.equal(1);
			expect(session.getStatus()).to.equal("LOST");
		});
	});
};
