import { Envelope } from "../testing/FakeTransport";
import { OTT } from "../testing/harness";
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

// Ending a session: the end call, its deadline and retries, and a heartbeat still in flight when it begins.

export = () => {
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

		// A verify reply may come long after the token's 60 s (its request counts whenever it answers).
		for (const [latency, leftAt] of [
			[3, 1],
			[70, 10],
		]) {
			it(`a player who leaves mid-verify is ended as soon as a ${latency} s verify returns, without a heartbeat`, () => {
				const { clock, transport, session, log } = sessionWith({
					verify: () => slow(verified(), latency),
					end: endOk,
				});
				session.start(OTT);
				clock.advance(leftAt);
				const promise = session.endSession();
				clock.advance(600);
				expect(transport.to("end").size()).to.equal(1);
				expect(transport.to("end")[0].at).to.equal(latency);
				expect(transport.to("heartbeat").size()).to.equal(0);
				expect(resultOf(promise)?.kind).to.equal("Ended");
				expect(log.join("|")).to.equal(`verified ${SESSION} true|ended Ended`);
			});
		}

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

	describe("ending with a heartbeat in flight", () => {
		it("the end waits for the heartbeat's reply (one request per session), then goes", () => {
			const { clock, transport, session } = activeSession(() => slow(beatOk(), 5), endOk);
			clock.advance(115);
			const promise = session.endSession();
			clock.advance(30);
			expect(transport.to("end")[0].at).to.equal(119);
			expect(resultOf(promise)?.kind).to.equal("Ended");
			expect(transport.maxInFlightPerSession()).to.equal(1);
		});

		it("a heartbeat 60 s slow: the end still goes when it answers, and billing stops", () => {
			const { clock, transport, session } = activeSession(
				() => slow(beatOk(), 60),
				() => slow(endOk(), 60),
			);
			clock.advance(115);
			const promise = session.endSession();
			clock.advance(58);
			expect(transport.to("end").size()).to.equal(0);
			clock.advance(300);
			// Sent at 174 when the heartbeat answered; its own 60 s reply comes after the 10 s deadline.
			expect(transport.to("end")[0].at).to.equal(174);
			expect(transport.to("end")[0].request.body.play_duration_sec).to.equal(115);
			expect(resultOf(promise)?.kind).to.equal("Unconfirmed");
			expect(transport.maxInFlightPerSession()).to.equal(1);
		});

		it("at shutdown the deadline is hard: a heartbeat still in flight then means no end (the TTL ends billing)", () => {
			const { clock, transport, session } = activeSession(() => slow(beatOk(), 60), endOk);
			clock.advance(115);
			const promise = session.endSession(24);
			clock.advance(24);
			expect(resultOf(promise)?.kind).to.equal("Unconfirmed");
			clock.advance(300);
			expect(transport.to("end").size()).to.equal(0);
		});

		it("a heartbeat answering 404 while ending: no end is sent", () => {
			const { clock, transport, session } = activeSession(
				() => slow(Envelope.error(404, "SESSION_NOT_FOUND"), 5),
				endOk,
			);
			clock.advance(115);
			const promise = session.endSession();
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(0);
			expect(resultOf(promise)?.kind).to.equal("AlreadyGone");
		});
	});
};
