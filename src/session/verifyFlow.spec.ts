import { Envelope } from "../testing/FakeTransport";
import { makeHarness, OTT, USER_ID } from "../testing/harness";
import { expectAbove, expectAtLeast, expectAtMost, expectBelow } from "../testing/expect";
import { activeSession, beatOk, serverDown, SESSION, sessionWith, verified } from "../testing/sessionFixture";

// How a session starts billing: verifying a launch token, or resuming a session handed over by a teleport.

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

		it("retries through 60 s of 503s (past the 45 s verify window) and resumes", () => {
			const { clock, session, log } = sessionWith({
				heartbeat: () => (clock.now() < 60 ? serverDown() : beatOk()),
			});
			session.resume(SESSION, true);
			clock.advance(120);
			expect(log[0]).to.equal(`resumed ${SESSION}`);
			expect(session.getStatus()).to.equal("ACTIVE");
		});

		it("gives up only when no retry could reach the server before the session's TTL", () => {
			const { clock, transport, session, log } = sessionWith({ heartbeat: serverDown });
			session.resume(SESSION, true);
			clock.advance(120);
			expect(session.getStatus()).to.equal("VERIFYING");
			clock.advance(600);
			expect(log.join("|")).to.equal("rejected REQUEST_FAILED");
			const tries = transport.to("heartbeat");
			expectAbove(tries[tries.size() - 1].at, 200);
			expectAtMost(tries[tries.size() - 1].at, 237);
		});
	});
};
