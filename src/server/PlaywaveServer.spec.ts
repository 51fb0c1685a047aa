import { Envelope } from "../testing/FakeTransport";
import { asPlayer } from "../testing/FakePorts";
import { OTT, TEST_KEY } from "../testing/harness";
import { setupServer, verified } from "../testing/serverFixture";
import { expectIncludes } from "../testing/expect";

export = () => {
	describe("PlaywaveServer: joining", () => {
		it("examines players already in the server and every later joiner at once", () => {
			const { clock, engine, transport, server, calls } = setupServer();
			const early = engine.join(1, OTT);
			server.start();
			clock.advance(5);
			const late = engine.join(2, `playwave_${OTT}`);
			clock.advance(0);
			const verifies = transport.to("verify");
			expect(verifies.size()).to.equal(2);
			expect(verifies[0].at).to.equal(0);
			expect(verifies[1].at).to.equal(5);
			expect(verifies[1].request.body.provider_user_id).to.equal("2");
			expect(server.isPcCafeUser(asPlayer(early))).to.equal(true);
			expect(server.isPcCafeUser(asPlayer(late))).to.equal(true);
			expectIncludes(calls, "verified player1 true VERIFIED");
			expectIncludes(calls, "pcCafe player2");
		});

		it("a normal player and garbage LaunchData: reported, no request, not kicked", () => {
			const { clock, engine, transport, server, calls } = setupServer();
			server.start();
			const normal = engine.join(1);
			const garbage = engine.join(2, "friend-invite-42");
			clock.advance(60);
			expect(transport.sent.size()).to.equal(0);
			expect(calls.join("|")).to.equal(
				"verified player1 false NO_OTT NO_OTT|verified player2 false INVALID_PREFIX INVALID_LAUNCH_DATA",
			);
			expect(normal.kickedWith).to.equal(undefined);
			expect(garbage.kickedWith).to.equal(undefined);
			expect(server.isPcCafeUser(asPlayer(normal))).to.equal(false);
		});

		it("delivers the PC-cafe status once the client says it is ready", () => {
			const { clock, engine, server } = setupServer();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(1);
			expect(player.received.size()).to.equal(0);
			engine.clientReady(player);
			expect(player.received.size()).to.equal(1);
			const message = player.received[0];
			expect(message.type === "status" && message.isPcCafe).to.equal(true);
		});

		for (const [reason, kicked] of [
			["OTT_ALREADY_USED", true],
			["GAME_MISMATCH", true],
			["NOT_CHARGEABLE", false],
			["OTT_EXPIRED", false],
		] as const) {
			it(`verify ${reason}: ${kicked ? "kicked with a clear text" : "notified, not kicked"}`, () => {
				const { clock, engine, server, calls } = setupServer({
					verify: () => Envelope.ok({ is_valid: false, reason }),
				});
				server.start();
				const player = engine.join(1, OTT);
				clock.advance(1);
				expect(calls[0]).to.equal(`verified player1 false REJECTED ${reason}`);
				expect(player.kickedWith !== undefined).to.equal(kicked);
				engine.clientReady(player);
				const notices = player.received.filter((message) => message.type === "notice");
				expect(notices.size()).to.equal(kicked ? 0 : 1);
			});
		}

		it("OTT_ALREADY_USED after our own lost attempt: never a kick", () => {
			const { clock, engine, server, calls } = setupServer({
				verify: (n) =>
					n === 1
						? { failure: { kind: "Timeout", detail: "HttpError: Timedout" } }
						: Envelope.ok({ is_valid: false, reason: "OTT_ALREADY_USED" }),
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(30);
			expect(player.kickedWith).to.equal(undefined);
			expect(calls[0]).to.equal("verified player1 false REQUEST_FAILED VERIFY_OUTCOME_UNKNOWN");
		});

		it("a wrong API key warns once, not once per player", () => {
			const { clock, engine, server, calls } = setupServer({
				verify: () => Envelope.error(401, "INVALID_API_KEY"),
			});
			server.start();
			for (let i = 1; i <= 5; i++) engine.join(i, OTT);
			clock.advance(60);
			expect(engine.warnings.size()).to.equal(1);
			expect(engine.warnings[0].find("401", 1, true)[0]).to.be.ok();
			expect(engine.warnings[0].find(TEST_KEY, 1, true)[0]).never.to.be.ok();
			expect(calls.size()).to.equal(5);
		});

		it("HTTP disabled: one clear warning at start", () => {
			const { clock, engine, server } = setupServer({ verify: () => ({ failure: { kind: "HttpDisabled" } }) });
			engine.httpEnabled = false;
			server.start();
			for (let i = 1; i <= 3; i++) engine.join(i, OTT);
			clock.advance(60);
			expect(engine.warnings.size()).to.equal(1);
			expect(engine.warnings[0].find("Allow HTTP Requests", 1, true)[0]).to.be.ok();
		});

		it("a game callback that errors is logged and the flow goes on", () => {
			const { clock, engine, transport, server } = setupServer(undefined, {
				onVerified: () => error("bug in game code"),
			});
			server.start();
			engine.join(1, OTT);
			clock.advance(300);
			expect(engine.warnings.size()).to.equal(1);
			expect(engine.warnings[0].find("onVerified", 1, true)[0]).to.be.ok();
			expect(transport.to("heartbeat").size()).to.equal(2);
		});
	});

	describe("PlaywaveServer: clients", () => {
		it("a restarted client (a second ready) gets the current status again", () => {
			const { clock, engine, server } = setupServer();
			server.start();
			const player = engine.join(1, OTT);
			engine.clientReady(player);
			clock.advance(1);
			expect(player.received.size()).to.equal(1);
			engine.clientReady(player);
			expect(player.received.size()).to.equal(2);
			const last = player.received[1];
			expect(last.type === "status" && last.isPcCafe).to.equal(true);
		});

		it("keeps at most 10 notices for a client that never says it is ready", () => {
			const { clock, engine, server } = setupServer({
				verify: verified,
				heartbeat: () => Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60 }),
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(1);
			for (let i = 0; i < 30; i++) server.getSession(asPlayer(player))!.chargeExhausted.Fire(0);
			engine.clientReady(player);
			expect(player.received.size()).to.equal(10);
		});
	});
};
