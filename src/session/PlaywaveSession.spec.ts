import { OTT } from "../testing/harness";
import { activeSession, beatOk, resultOf, SESSION, sessionWith, slow, verified } from "../testing/sessionFixture";

// The session's own methods beside its flows: destroy, hand-off, and the hand-over helpers.

export = () => {
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

	describe("hand-off", () => {
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
};
