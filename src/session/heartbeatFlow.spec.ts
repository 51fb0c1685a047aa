import { Envelope } from "../testing/FakeTransport";
import { fixedRandom, ManualClock } from "../testing/ManualClock";
import { count, makeHarness, OTT, routes, USER_ID } from "../testing/harness";
import { expectAtLeast, expectAtMost, expectBelow } from "../testing/expect";
import {
	activeSession,
	beatOk,
	resultOf,
	serverDown,
	SESSION,
	sessionWith,
	slow,
	verified,
} from "../testing/sessionFixture";

// A live session's heartbeat loop: the plan, the replies, retries, and the TTL that alone decides a loss.

export = () => {
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
			const { transport, session, log } = sessionWith(
				{ verify: verified, heartbeat: serverDown },
				{ clock: earlyClock },
			);
			(transport as unknown as { clock: unknown }).clock = manual;
			session.start(OTT);
			manual.advance(600);
			expect(count(log, "lost TTL_EXPIRED")).to.equal(1);
			expect(session.getStatus()).to.equal("LOST");
		});
	});
};
