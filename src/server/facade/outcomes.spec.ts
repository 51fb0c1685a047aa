import { Envelope, FakeReply } from "../../testing/FakeTransport";
import { asPlayer, FakePlayer } from "../../testing/FakePorts";
import { OTT, TEST_KEY } from "../../testing/harness";
import { beatOk, endOk, ott, setupServer, verified } from "../../testing/serverFixture";
import { expectBelow, expectIncludes } from "../../testing/expect";

export = () => {
	describe("PlaywaveServer: session outcomes", () => {
		it("leaving ends the session with the measured play time", () => {
			const { clock, engine, transport, server, calls } = setupServer();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(600);
			engine.leave(player);
			clock.advance(1);
			const ends = transport.to("end");
			expect(ends.size()).to.equal(1);
			expect(ends[0].request.body.play_duration_sec).to.equal(600);
			expect(calls[calls.size() - 1]).to.equal("ended player1 Ended");
			expect(server.getSession(asPlayer(player))).to.equal(undefined);
		});

		it("leaving mid-verify ends the session once verify returns", () => {
			const { clock, engine, transport, server } = setupServer({
				verify: () => ({ ...(verified() as { status: number; body: string }), latency: 4 }),
				end: endOk,
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(1);
			engine.leave(player);
			clock.advance(10);
			expect(transport.to("end").size()).to.equal(1);
			expect(transport.to("end")[0].at).to.equal(4);
		});

		it("404 on heartbeat: kicked with the session-lost text, no end call", () => {
			const { clock, engine, transport, server, calls } = setupServer({
				verify: verified,
				heartbeat: () => Envelope.error(404, "SESSION_NOT_FOUND"),
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(200);
			expect(player.kickedWith).to.be.ok();
			expect(player.kickedWith!.find("relaunch", 1, true)[0]).to.be.ok();
			expectIncludes(calls, "lost player1 SESSION_NOT_FOUND");
			expect(transport.to("end").size()).to.equal(0);
		});

		it("the kick on session loss can be turned off", () => {
			const { clock, engine, server } = setupServer(
				{ verify: verified, heartbeat: () => Envelope.error(410, "SESSION_ENDED") },
				{ actions: { kickOnSessionLost: false } },
			);
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(200);
			expect(player.kickedWith).to.equal(undefined);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(false);
		});

		it("CHARGE_EXHAUSTED: notice and callback, no kick", () => {
			const { clock, engine, server, calls } = setupServer({
				verify: verified,
				heartbeat: () =>
					Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 100 }),
			});
			server.start();
			const player = engine.join(1, OTT);
			engine.clientReady(player);
			clock.advance(200);
			expectIncludes(calls, "chargeExhausted player1");
			const notice = player.received.find((message) => message.type === "notice");
			expect(notice !== undefined && notice.type === "notice" && notice.notice).to.equal("CHARGE_EXHAUSTED");
			expect(player.kickedWith).to.equal(undefined);
		});

		it("SESSION_REPLACED: PC-cafe benefits go, the session is never ended", () => {
			const { clock, engine, transport, server, calls } = setupServer({
				verify: verified,
				heartbeat: () => Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 100 }),
				end: endOk,
			});
			server.start();
			const player = engine.join(1, OTT);
			engine.clientReady(player);
			clock.advance(200);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(false);
			expectIncludes(calls, "replaced player1");
			const last = player.received.find((message) => message.type === "status" && !message.isPcCafe);
			expect(last).to.be.ok();
			engine.leave(player);
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(0);
			expect(player.kickedWith).to.equal(undefined);
		});
	});

	describe("PlaywaveServer: a key refused mid-session", () => {
		const PLAYERS = 20;
		const OTTS = new Array<string>();
		for (let i = 0; i < PLAYERS; i++) OTTS.push(ott(i + 1));

		/** 20 players for 10 minutes; heartbeats get `refusal` from 300 s until `restoredAt`. */
		function run(refusal: () => FakeReply, restoredAt = math.huge) {
			const harness = setupServer({
				verify: () => verified(),
				heartbeat: () => {
					const now = harness.clock.now();
					return now >= 300 && now < restoredAt ? refusal() : beatOk();
				},
				end: endOk,
			});
			harness.server.start();
			const players = OTTS.map((token, index) => harness.engine.join(index + 1, token));
			for (const player of players) harness.engine.clientReady(player);
			harness.clock.advance(600);
			const notices = players.reduce(
				(total, player) => total + player.received.filter((message) => message.type === "notice").size(),
				0,
			);
			const kicked = players.filter((player) => player.kickedWith !== undefined).size();
			return { ...harness, players, notices, kicked };
		}

		it("a revoked key (401): one warning, fewer requests than a working key, no kicks, no notices", () => {
			const working = run(() => beatOk());
			const revoked = run(() => Envelope.error(401, "INVALID_API_KEY", `key ${TEST_KEY} was revoked`));
			expect(revoked.engine.warnings.size()).to.equal(1);
			const warning = revoked.engine.warnings[0];
			expect(warning.find("refused the API key", 1, true)[0]).to.be.ok();
			expect(warning.find("HTTP 401 INVALID_API_KEY", 1, true)[0]).to.be.ok();
			expect(warning.find(`apiKey (a ${TEST_KEY.size()}-character string)`, 1, true)[0]).to.be.ok();
			expect(warning.find(TEST_KEY, 1, true)[0]).never.to.be.ok();
			// The server's own text never reaches the log: it might echo the key.
			expect(warning.find("was revoked", 1, true)[0]).never.to.be.ok();
			expectBelow(revoked.transport.sent.size(), working.transport.sent.size());
			expect(revoked.kicked).to.equal(0);
			expect(revoked.notices).to.equal(0);
			// The sessions are lost to the TTL only once it has really passed.
			expect(revoked.calls.filter((line) => line.find("lost", 1, true)[0] !== undefined).size()).to.equal(
				PLAYERS,
			);
		});

		it("403 is a key problem too; 400 is a request-shape problem: one warning each, no kicks, no notices", () => {
			const forbidden = run(() => Envelope.error(403, "FORBIDDEN"));
			expect(forbidden.engine.warnings.size()).to.equal(1);
			expect(forbidden.engine.warnings[0].find("HTTP 403", 1, true)[0]).to.be.ok();
			const shape = run(() => Envelope.error(400, "BAD_REQUEST"));
			expect(shape.engine.warnings.size()).to.equal(1);
			expect(shape.engine.warnings[0].find("malformed", 1, true)[0]).to.be.ok();
			for (const result of [forbidden, shape]) {
				expect(result.kicked).to.equal(0);
				expect(result.notices).to.equal(0);
			}
		});

		it("the API down (503) until the TTL: the player is told PlayWave could not be reached, not kicked", () => {
			const down = run(() => ({ status: 503, body: "<html>503</html>" }));
			expect(down.engine.warnings.size()).to.equal(0);
			expect(down.kicked).to.equal(0);
			expect(down.notices).to.equal(PLAYERS);
			for (const player of down.players) {
				const notice = player.received.find((message) => message.type === "notice");
				expect(notice !== undefined && notice.type === "notice" && notice.notice).to.equal("SESSION_LOST");
			}
		});

		it("the key works again within the TTL: every session is kept, by itself", () => {
			const restored = run(() => Envelope.error(401, "INVALID_API_KEY"), 360);
			expect(restored.calls.filter((line) => line.find("lost", 1, true)[0] !== undefined).size()).to.equal(0);
			for (const player of restored.players) {
				expect(restored.server.isPcCafeUser(asPlayer(player))).to.equal(true);
			}
			expect(restored.connection.scheduler.trouble()).to.equal(undefined);
		});
	});

	describe("PlaywaveServer: accepted heartbeats with undocumented content", () => {
		it("an unknown result is OK for every session, warned once per server", () => {
			const { clock, engine, server, calls } = setupServer({
				verify: () => verified(),
				heartbeat: () => Envelope.ok({ result: "PAUSED", next_heartbeat_in: 120, play_duration_sec: "1" }),
			});
			server.start();
			const players = new Array<FakePlayer>();
			for (let i = 1; i <= 5; i++) players.push(engine.join(i, ott(i)));
			clock.advance(1200);
			expect(calls.filter((line) => line.find("lost", 1, true)[0] !== undefined).size()).to.equal(0);
			for (const player of players) expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
			// One for the result value, one for the mistyped play_duration_sec.
			expect(engine.warnings.size()).to.equal(2);
		});
	});
};
