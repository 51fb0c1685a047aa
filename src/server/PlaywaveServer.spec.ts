import { Envelope, FakeReply } from "../testing/FakeTransport";
import { FakeEngine, FakePlayer } from "../testing/FakePorts";
import { makeHarness, OTT, routes, TEST_KEY } from "../testing/harness";
import { PlaywaveConfig, resolveConfig } from "./config";
import { HANDOVER_KEY, PlaywaveServer } from "./PlaywaveServer";

const SESSION = "gs_11111111-2222-4333-8444-555555555555";
const verified = (): FakeReply => Envelope.ok({ is_valid: true, game_session_id: SESSION, is_pc_cafe: true });
const beatOk = (): FakeReply => Envelope.ok({ result: "OK", next_heartbeat_in: 120, play_duration_sec: 0 });
const endOk = (): FakeReply => Envelope.ok({ result: "SUCCESS", play_duration_sec: 60, client_play_duration_sec: 60 });

function setup(
	replies: Parameters<typeof routes>[0] = { verify: verified, heartbeat: beatOk, end: endOk },
	extra: Partial<PlaywaveConfig> = {},
) {
	let engine: FakeEngine | undefined;
	const { clock, transport, connection } = makeHarness({ warn: (message) => engine!.warnings.push(message) });
	engine = new FakeEngine(clock);
	transport.handler = routes(replies);
	const calls = new Array<string>();
	const config: PlaywaveConfig = {
		apiKey: TEST_KEY,
		baseUrl: "https://api.test/v1",
		onVerified: (player, isPcCafe, reason, detail) =>
			calls.push(`verified ${player.Name} ${isPcCafe} ${reason}${detail !== undefined ? ` ${detail}` : ""}`),
		onPcCafe: (player) => calls.push(`pcCafe ${player.Name}`),
		onChargeExhausted: (player) => calls.push(`chargeExhausted ${player.Name}`),
		onReplaced: (player) => calls.push(`replaced ${player.Name}`),
		onLost: (player, code) => calls.push(`lost ${player.Name} ${code}`),
		onEnded: (player, result) => calls.push(`ended ${player.Name} ${result.kind}`),
		...extra,
	};
	const resolved = resolveConfig(config, () => error("no secrets here"));
	if (!resolved.ok) error(tostring(resolved.error));
	const server = new PlaywaveServer(resolved.config, connection, engine.ports);
	return { clock, engine, transport, server, calls, connection };
}

function asPlayer(player: FakePlayer) {
	return player as unknown as Player;
}

export = () => {
	describe("PlaywaveServer: joining", () => {
		it("examines players already in the server and every later joiner at once", () => {
			const { clock, engine, transport, server, calls } = setup();
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
			expect(calls.includes("verified player1 true VERIFIED")).to.equal(true);
			expect(calls.includes("pcCafe player2")).to.equal(true);
		});

		it("a normal player and garbage LaunchData: reported, no request, not kicked", () => {
			const { clock, engine, transport, server, calls } = setup();
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
			const { clock, engine, server } = setup();
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
				const { clock, engine, server, calls } = setup({
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
			const { clock, engine, server, calls } = setup({
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
			const { clock, engine, server, calls } = setup({ verify: () => Envelope.error(401, "INVALID_API_KEY") });
			server.start();
			for (let i = 1; i <= 5; i++) engine.join(i, OTT);
			clock.advance(60);
			expect(engine.warnings.size()).to.equal(1);
			expect(engine.warnings[0].find("401", 1, true)[0]).to.be.ok();
			expect(engine.warnings[0].find(TEST_KEY, 1, true)[0]).never.to.be.ok();
			expect(calls.size()).to.equal(5);
		});

		it("HTTP disabled: one clear warning at start", () => {
			const { clock, engine, server } = setup({ verify: () => ({ failure: { kind: "HttpDisabled" } }) });
			engine.httpEnabled = false;
			server.start();
			for (let i = 1; i <= 3; i++) engine.join(i, OTT);
			clock.advance(60);
			expect(engine.warnings.size()).to.equal(1);
			expect(engine.warnings[0].find("Allow HTTP Requests", 1, true)[0]).to.be.ok();
		});

		it("a game callback that errors is logged and the flow goes on", () => {
			const { clock, engine, transport, server } = setup(undefined, {
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

	describe("PlaywaveServer: session outcomes", () => {
		it("leaving ends the session with the measured play time", () => {
			const { clock, engine, transport, server, calls } = setup();
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
			const { clock, engine, transport, server } = setup({
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
			const { clock, engine, transport, server, calls } = setup({
				verify: verified,
				heartbeat: () => Envelope.error(404, "SESSION_NOT_FOUND"),
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(200);
			expect(player.kickedWith).to.be.ok();
			expect(player.kickedWith!.find("relaunch", 1, true)[0]).to.be.ok();
			expect(calls.includes("lost player1 SESSION_NOT_FOUND")).to.equal(true);
			expect(transport.to("end").size()).to.equal(0);
		});

		it("the kick on session loss can be turned off", () => {
			const { clock, engine, server } = setup(
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
			const { clock, engine, server, calls } = setup({
				verify: verified,
				heartbeat: () =>
					Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 100 }),
			});
			server.start();
			const player = engine.join(1, OTT);
			engine.clientReady(player);
			clock.advance(200);
			expect(calls.includes("chargeExhausted player1")).to.equal(true);
			const notice = player.received.find((message) => message.type === "notice");
			expect(notice !== undefined && notice.type === "notice" && notice.notice).to.equal("CHARGE_EXHAUSTED");
			expect(player.kickedWith).to.equal(undefined);
		});

		it("SESSION_REPLACED: PC-cafe benefits go, the session is never ended", () => {
			const { clock, engine, transport, server, calls } = setup({
				verify: verified,
				heartbeat: () => Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 100 }),
				end: endOk,
			});
			server.start();
			const player = engine.join(1, OTT);
			engine.clientReady(player);
			clock.advance(200);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(false);
			expect(calls.includes("replaced player1")).to.equal(true);
			const last = player.received.find((message) => message.type === "status" && !message.isPcCafe);
			expect(last).to.be.ok();
			engine.leave(player);
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(0);
			expect(player.kickedWith).to.equal(undefined);
		});
	});

	describe("PlaywaveServer: shutdown", () => {
		it("ends every live session concurrently and returns within the deadline; leaving afterwards sends nothing", () => {
			const { clock, engine, transport, server } = setup({
				verify: verified,
				heartbeat: beatOk,
				end: () => ({ ...(endOk() as { status: number; body: string }), latency: 0.5 }),
			});
			server.start();
			const players = new Array<FakePlayer>();
			for (let i = 1; i <= 20; i++) players.push(engine.join(i, OTT));
			clock.advance(100);
			let finished = false;
			task.spawn(() => {
				engine.close();
				finished = true;
			});
			clock.advance(2);
			task.wait();
			expect(transport.to("end").size()).to.equal(20);
			for (const player of players) engine.leave(player);
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(20);
			expect(finished).to.equal(true);
		});

		it("at shutdown, ends keep trying until the shutdown deadline instead of the usual 10 s", () => {
			// The API fails ends for 15 s, then accepts them: a leave would have given up at 10 s.
			const { clock, engine, transport, server } = setup({
				verify: verified,
				heartbeat: beatOk,
				end: () => (clock.now() < 115 ? { status: 503, body: "down" } : endOk()),
			});
			server.start();
			for (let i = 1; i <= 3; i++) engine.join(i, OTT);
			clock.advance(100);
			task.spawn(() => engine.close());
			clock.advance(30);
			task.wait();
			const ends = transport.to("end");
			const accepted = ends.filter((entry) => entry.at >= 115);
			expect(accepted.size()).to.equal(3);
			expect(ends.every((entry) => entry.at < 100 + 25)).to.equal(true);
		});

		it("ignores players who join while the server closes", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			task.spawn(() => engine.close());
			engine.join(1, OTT);
			clock.advance(5);
			expect(transport.to("verify").size()).to.equal(0);
		});
	});

	describe("PlaywaveServer: teleports", () => {
		it("prepareForTeleport adds the hand-over data, keeps the game's, and the departure does not end", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			const options = { data: { level: 3 } } as unknown as TeleportOptions;
			expect(server.prepareForTeleport(asPlayer(player), options)).to.equal(true);
			const data = (options as unknown as { data: Record<string, unknown> }).data;
			expect(data.level).to.equal(3);
			expect((data[HANDOVER_KEY] as { gameSessionId: string }).gameSessionId).to.equal(SESSION);
			engine.leave(player);
			clock.advance(600);
			expect(transport.to("end").size()).to.equal(0);
			expect(transport.to("heartbeat").size()).to.equal(0);
		});

		it("a failed teleport keeps the session beating, and a later leave ends it", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			server.prepareForTeleport(asPlayer(player), {} as TeleportOptions);
			engine.failTeleport(player);
			clock.advance(200);
			expect(transport.to("heartbeat").size()).to.equal(2);
			engine.leave(player);
			clock.advance(1);
			expect(transport.to("end").size()).to.equal(1);
		});

		it("the destination resumes with a heartbeat for the handed-over id and the real UserId", () => {
			const { clock, engine, transport, server, calls } = setup();
			server.start();
			const player = engine.join(77, undefined, { [HANDOVER_KEY]: { gameSessionId: SESSION, isPcCafe: false } });
			clock.advance(0);
			expect(transport.to("verify").size()).to.equal(0);
			const beat = transport.to("heartbeat")[0];
			expect(beat.request.body.game_session_id).to.equal(SESSION);
			expect(beat.request.body.provider_user_id).to.equal("77");
			expect(calls[0]).to.equal("verified player77 true RESUMED");
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
		});

		it("a hand-over the server no longer knows is RESUME_REJECTED", () => {
			const { clock, engine, server, calls } = setup({
				heartbeat: () => Envelope.error(404, "SESSION_NOT_FOUND"),
			});
			server.start();
			engine.join(77, undefined, { [HANDOVER_KEY]: { gameSessionId: SESSION } });
			clock.advance(30);
			expect(calls[0]).to.equal("verified player77 false RESUME_REJECTED RESUME_REJECTED");
		});

		it("forged hand-over data is ignored and LaunchData is used instead", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			engine.join(5, OTT, { [HANDOVER_KEY]: { gameSessionId: "'; drop table" } });
			engine.join(6, undefined, { [HANDOVER_KEY]: "gs_x" });
			clock.advance(1);
			expect(transport.to("verify").size()).to.equal(1);
			expect(transport.to("heartbeat").size()).to.equal(0);
		});
	});

	describe("PlaywaveServer: a key refused mid-session", () => {
		const PLAYERS = 20;
		const OTTS = new Array<string>();
		for (let i = 0; i < PLAYERS; i++) OTTS.push(string.format("%08x-6a4f-4c1b-9a53-2f9e8c1d7a10", i + 1));

		/** 20 players for 10 minutes; heartbeats get `refusal` from 300 s until `restoredAt`. */
		function run(refusal: () => FakeReply, restoredAt = math.huge) {
			const harness = setup({
				verify: () => verified(),
				heartbeat: () => {
					const now = harness.clock.now();
					return now >= 300 && now < restoredAt ? refusal() : beatOk();
				},
				end: endOk,
			});
			harness.server.start();
			const players = OTTS.map((ott, index) => harness.engine.join(index + 1, ott));
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
			expect(revoked.transport.sent.size() < working.transport.sent.size()).to.equal(true);
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
				expect(restored.server.isPcCafeUser(player as unknown as Player)).to.equal(true);
			}
			expect(restored.connection.scheduler.trouble()).to.equal(undefined);
		});
	});

	describe("PlaywaveServer: accepted heartbeats with undocumented content", () => {
		it("an unknown result is OK for every session, warned once per server", () => {
			const { clock, engine, server, calls } = setup({
				verify: () => verified(),
				heartbeat: () => Envelope.ok({ result: "PAUSED", next_heartbeat_in: 120, play_duration_sec: "1" }),
			});
			server.start();
			const players = new Array<FakePlayer>();
			for (let i = 1; i <= 5; i++)
				players.push(engine.join(i, string.format("%08x-6a4f-4c1b-9a53-2f9e8c1d7a10", i)));
			clock.advance(1200);
			expect(calls.filter((line) => line.find("lost", 1, true)[0] !== undefined).size()).to.equal(0);
			for (const player of players) expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
			// One for the result value, one for the mistyped play_duration_sec.
			expect(engine.warnings.size()).to.equal(2);
		});
	});
};
