import { Envelope, FakeReply } from "../testing/FakeTransport";
import { asPlayer, FakeEngine, FakePlayer } from "../testing/FakePorts";
import { ManualClock } from "../testing/ManualClock";
import { FakeHandoverStore } from "../testing/FakeHandoverStore";
import { OTT, routes, TEST_KEY } from "../testing/harness";
import {
	beatOk,
	endOk,
	HAPPY_REPLIES,
	ott,
	recordCalls,
	Replies,
	serverFixture,
	SESSION,
	verified,
} from "../testing/serverFixture";
import { decodeRecord, handoverKey } from "../handover/handover";
import { PlaywaveConfig } from "./config/PlaywaveConfig";
import { CLAIM_WAIT_SEC } from "./facade/Departures";
import { HANDOVER_KEY } from "./facade/PlayerFlow";
import { expectAtLeast, expectAtMost, expectBelow, expectIncludes } from "../testing/expect";

/** One server on fakes (not started), every callback recorded in `calls`. */
function setup(replies: Replies = HAPPY_REPLIES, extra: Partial<PlaywaveConfig> = {}) {
	const calls = new Array<string>();
	const fixture = serverFixture({ replies, config: { ...recordCalls(calls), ...extra } });
	return { ...fixture, calls };
}

/** Several servers of one experience: one clock, one MemoryStore, one PlayWave API. */
function world(replies: Replies = HAPPY_REPLIES) {
	const clock = new ManualClock();
	const store = new FakeHandoverStore(clock);
	const handler = routes(replies);
	const addServer = (extra: Partial<PlaywaveConfig> = {}) => {
		const calls = new Array<string>();
		const config = { ...recordCalls(calls, ["onVerified", "onPcCafe", "onEnded"]), ...extra };
		const { engine, transport, server } = serverFixture({ clock, store, handler, config, start: true });
		return { engine, transport, server, calls };
	};
	return { clock, store, addServer };
}

type WorldServer = ReturnType<ReturnType<typeof world>["addServer"]>;

/** The game's teleport: prepareForTeleport, the player leaves, arrives with the TeleportData the client carried. */
function teleport(
	from: WorldServer,
	to: WorldServer,
	player: FakePlayer,
	forge?: (data: Record<string, unknown>) => void,
): FakePlayer {
	const options = {} as TeleportOptions;
	from.server.prepareForTeleport(asPlayer(player), options);
	const data = { ...((options as unknown as { data?: Record<string, unknown> }).data ?? {}) };
	forge?.(data);
	from.engine.leave(player);
	return to.engine.join(player.UserId, undefined, data);
}

/** An update that moves everyone to a new server, with the game's and the SDK's callbacks in either order. */
function softShutdown(order: "game first" | "sdk first") {
	const { clock, addServer } = world({
		verify: (n) => Envelope.ok({ is_valid: true, game_session_id: `gs_soft-${n}`, is_pc_cafe: n % 2 === 0 }),
		heartbeat: beatOk,
		end: endOk,
	});
	const origin = addServer();
	const destination = addServer();
	const players = new Array<FakePlayer>();
	for (let i = 1; i <= 8; i++) players.push(origin.engine.join(i, OTT));
	clock.advance(100);
	const moveEveryone = () => {
		for (const player of [...players]) teleport(origin, destination, player);
	};
	if (order === "game first") {
		moveEveryone();
		origin.engine.close();
	} else {
		origin.engine.close();
		clock.advance(2); // the game reserves a server first
		moveEveryone();
	}
	clock.advance(3);
	expect(origin.engine.closeReturned).to.equal(true);
	expect(origin.transport.to("end").size()).to.equal(0);
	for (let i = 1; i <= 8; i++) {
		const expected = `verified player${i} ${i % 2 === 0} RESUMED`;
		expectIncludes(destination.calls, expected);
	}
	expect(destination.transport.to("verify").size()).to.equal(0);
	const beats = origin.transport.to("heartbeat").size();
	clock.advance(600);
	expect(origin.transport.to("heartbeat").size()).to.equal(beats);
	expectAtLeast(destination.transport.to("heartbeat").size(), 8 * 5);
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
			expectIncludes(calls, "verified player1 true VERIFIED");
			expectIncludes(calls, "pcCafe player2");
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
			expectIncludes(calls, "lost player1 SESSION_NOT_FOUND");
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
			expectIncludes(calls, "chargeExhausted player1");
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
			expectIncludes(calls, "replaced player1");
			const last = player.received.find((message) => message.type === "status" && !message.isPcCafe);
			expect(last).to.be.ok();
			engine.leave(player);
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(0);
			expect(player.kickedWith).to.equal(undefined);
		});
	});

	describe("PlaywaveServer: shutdown", () => {
		it("a plain shutdown ends every live session after the teleport grace, concurrently, and returns", () => {
			const { clock, engine, transport, server } = setup({
				verify: verified,
				heartbeat: beatOk,
				end: () => ({ ...(endOk() as { status: number; body: string }), latency: 0.5 }),
			});
			server.start();
			const players = new Array<FakePlayer>();
			for (let i = 1; i <= 20; i++) players.push(engine.join(i, OTT));
			clock.advance(100);
			engine.close();
			clock.advance(4.9);
			expect(transport.to("end").size()).to.equal(0);
			clock.advance(0.2);
			expect(transport.to("end").size()).to.equal(10); // ten in flight at most
			clock.advance(1);
			expect(transport.to("end").size()).to.equal(20);
			expect(engine.closeReturned).to.equal(true);
			for (const player of players) engine.leave(player);
			clock.advance(30);
			expect(transport.to("end").size()).to.equal(20);
		});

		it("at shutdown, ends keep trying until the shutdown deadline instead of the usual 10 s", () => {
			// The API fails ends for 20 s, then accepts them: a leave would have given up at 10 s.
			const { clock, engine, transport, server } = setup({
				verify: verified,
				heartbeat: beatOk,
				end: () => (clock.now() < 120 ? { status: 503, body: "down" } : endOk()),
			});
			server.start();
			for (let i = 1; i <= 3; i++) engine.join(i, OTT);
			clock.advance(100);
			engine.close();
			clock.advance(30);
			const ends = transport.to("end");
			const accepted = ends.filter((entry) => entry.at >= 120);
			expect(accepted.size()).to.equal(3);
			for (const entry of ends) expectBelow(entry.at, 100 + 25, "an end's send time");
			expect(engine.closeReturned).to.equal(true);
		});

		it("ignores players who join while the server closes", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			engine.close();
			engine.join(1, OTT);
			clock.advance(5);
			expect(transport.to("verify").size()).to.equal(0);
		});

		it("server empty: the last leave's end got a 503; BindToClose waits and the retry lands before it returns", () => {
			const { clock, engine, transport, server, calls } = setup({
				verify: verified,
				heartbeat: beatOk,
				end: (n) => (n === 1 ? Envelope.error(503, "INTERNAL_ERROR") : endOk()),
			});
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(100);
			// The engine fires the last PlayerRemoving, then BindToClose (Enum.CloseReason.ServerEmpty).
			engine.leave(player);
			engine.close();
			clock.advance(0);
			expect(transport.to("end").size()).to.equal(1);
			expect(engine.closeReturned).to.equal(false);
			clock.advance(10);
			expect(transport.to("end").size()).to.equal(2);
			expect(calls[calls.size() - 1]).to.equal("ended player1 Ended");
			expect(engine.closeReturned).to.equal(true);
		});

		it("verifies not yet sent when the close begins are never sent; one already sent still gets its end", () => {
			// Ten requests in flight at most: the first ten verifies hang in flight, two wait in the queue.
			const { clock, engine, transport, server, calls } = setup({
				verify: (n) =>
					n <= 10 ? { ...(verified() as { status: number; body: string }), latency: 3 } : verified(),
				heartbeat: beatOk,
				end: endOk,
			});
			server.start();
			for (let i = 1; i <= 12; i++) engine.join(i, OTT);
			expect(transport.to("verify").size()).to.equal(10);
			engine.close();
			clock.advance(30);
			expect(transport.to("verify").size()).to.equal(10);
			expect(transport.to("end").size()).to.equal(10);
			expectIncludes(calls, "verified player11 false REQUEST_FAILED REQUEST_FAILED");
			expect(engine.closeReturned).to.equal(true);
		});
	});

	describe("PlaywaveServer: teleports and hand-over", () => {
		it("prepareForTeleport writes the hand-over record and a marker, keeping the game's TeleportData", () => {
			const { clock, engine, server } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			const options = { data: { level: 3 } } as unknown as TeleportOptions;
			expect(server.prepareForTeleport(asPlayer(player), options)).to.equal(true);
			const data = (options as unknown as { data: Record<string, unknown> }).data;
			expect(data.level).to.equal(3);
			expect((data[HANDOVER_KEY] as { gameSessionId: string }).gameSessionId).to.equal(SESSION);
			const record = decodeRecord(engine.store.peek(handoverKey(1)));
			expect(record).to.be.ok();
			expect(record!.gameSessionId).to.equal(SESSION);
			expect(record!.userId).to.equal(1);
			expect(record!.isPcCafe).to.equal(true);
			expect(record!.preparedAt).to.equal(FakeEngine.EPOCH + 50);
			expect(record!.state).to.equal("prepared");
		});

		it("the origin beats until the destination claims, then stops without ending; one session across both", () => {
			const { clock, addServer } = world();
			const origin = addServer();
			const destination = addServer();
			const player = origin.engine.join(7, OTT);
			clock.advance(100);
			const arrived = teleport(origin, destination, player);
			clock.advance(0);
			expect(destination.calls[0]).to.equal("verified player7 true RESUMED");
			expect(destination.server.isPcCafeUser(asPlayer(arrived))).to.equal(true);
			expect(decodeRecord(origin.engine.store.peek(handoverKey(7)))!.state).to.equal("claimed");
			clock.advance(6);
			const originBeats = origin.transport.to("heartbeat").size();
			clock.advance(600);
			expect(origin.transport.to("heartbeat").size()).to.equal(originBeats);
			expect(origin.transport.to("end").size()).to.equal(0);
			expectAtLeast(destination.transport.to("heartbeat").size(), 5);
			expect(destination.transport.to("verify").size()).to.equal(0);
		});

		it("a failed teleport (TeleportInitFailed) keeps the session beating; a later leave ends it at once", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			server.prepareForTeleport(asPlayer(player), {} as TeleportOptions);
			engine.failTeleport(player);
			expect(decodeRecord(engine.store.peek(handoverKey(1)))!.state).to.equal("abandoned");
			clock.advance(200);
			expect(transport.to("heartbeat").size()).to.equal(2);
			engine.leave(player);
			clock.advance(1);
			expect(transport.to("end").size()).to.equal(1);
		});

		it(`a teleport that threw, then a disconnect: the origin ends the session within ${CLAIM_WAIT_SEC + 5} s`, () => {
			const { clock, engine, transport, server, calls } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			server.prepareForTeleport(asPlayer(player), {} as TeleportOptions);
			// TeleportAsync threw (no TeleportInitFailed); the player disconnects a little later.
			clock.advance(30);
			engine.leave(player);
			clock.advance(CLAIM_WAIT_SEC - 1);
			expect(transport.to("end").size()).to.equal(0);
			clock.advance(6);
			expect(transport.to("end").size()).to.equal(1);
			expectAtMost(transport.to("end")[0].at, 80 + CLAIM_WAIT_SEC + 5);
			expect(calls[calls.size() - 1]).to.equal("ended player1 Ended");
			expect(decodeRecord(engine.store.peek(handoverKey(1)))!.state).to.equal("abandoned");
		});

		it("a non-PC-cafe session stays non-PC-cafe over any number of teleports, whatever TeleportData says", () => {
			const { clock, addServer } = world({
				verify: () => Envelope.ok({ is_valid: true, game_session_id: SESSION, is_pc_cafe: false }),
				heartbeat: beatOk,
				end: endOk,
			});
			const servers = [addServer(), addServer(), addServer()];
			let player = servers[0].engine.join(9, OTT);
			clock.advance(10);
			for (let hop = 1; hop <= 4; hop++) {
				const from = servers[(hop - 1) % 3];
				const to = servers[hop % 3];
				// The client rewrites the TeleportData it carries: it claims PC-cafe status.
				player = teleport(from, to, player, (data) => {
					data[HANDOVER_KEY] = { gameSessionId: SESSION, isPcCafe: true };
					data.isPcCafe = true;
				});
				clock.advance(10);
				expectIncludes(to.calls, "verified player9 false RESUMED");
				expect(to.calls.includes("pcCafe player9")).to.equal(false);
				expect(to.server.isPcCafeUser(asPlayer(player))).to.equal(false);
			}
		});

		it("a record is claimed once: a second arrival with the same marker is RESUME_REJECTED without a request", () => {
			const { clock, addServer } = world();
			const origin = addServer();
			const destination = addServer();
			const other = addServer();
			const player = origin.engine.join(7, OTT);
			clock.advance(10);
			const options = {} as TeleportOptions;
			origin.server.prepareForTeleport(asPlayer(player), options);
			const data = (options as unknown as { data: object }).data;
			origin.engine.leave(player);
			destination.engine.join(7, undefined, data);
			clock.advance(1);
			other.engine.join(7, undefined, data);
			clock.advance(1);
			expect(other.calls[0]).to.equal("verified player7 false RESUME_REJECTED RESUME_REJECTED");
			expect(other.transport.sent.size()).to.equal(0);
		});

		it("a store outage at the destination: resumes without perks, says so once, and grants them once the read works", () => {
			const { clock, store, addServer } = world();
			const origin = addServer();
			const destination = addServer();
			const player = origin.engine.join(7, OTT);
			clock.advance(10);
			const options = {} as TeleportOptions;
			origin.server.prepareForTeleport(asPlayer(player), options);
			origin.engine.leave(player);
			store.down = true;
			const arrived = destination.engine.join(7, undefined, (options as unknown as { data: object }).data);
			clock.advance(1);
			expect(destination.calls[0]).to.equal("verified player7 false RESUMED");
			expect(destination.server.isPcCafeUser(asPlayer(arrived))).to.equal(false);
			const storeWarnings = destination.engine.warnings.filter(
				(w) => w.find("MemoryStoreService", 1, true)[0] !== undefined,
			);
			expect(storeWarnings.size()).to.equal(1);
			clock.advance(15);
			store.down = false;
			clock.advance(10);
			expect(destination.server.isPcCafeUser(asPlayer(arrived))).to.equal(true);
			expectIncludes(destination.calls, "pcCafe player7");
			// The origin then learns of the claim and never ends the session.
			clock.advance(120);
			expect(origin.transport.to("end").size()).to.equal(0);
		});

		it("a store outage at the origin: the teleport goes ahead, the destination resumes without perks, nobody ends it", () => {
			const { clock, store, addServer } = world();
			const origin = addServer();
			const destination = addServer();
			const player = origin.engine.join(7, OTT);
			clock.advance(10);
			store.down = true;
			const arrived = teleport(origin, destination, player);
			store.down = false;
			clock.advance(1);
			expect(
				origin.engine.warnings.filter((w) => w.find("MemoryStoreService", 1, true)[0] !== undefined).size(),
			).to.equal(1);
			expect(destination.calls[0]).to.equal("verified player7 false RESUMED");
			expect(destination.server.isPcCafeUser(asPlayer(arrived))).to.equal(false);
			clock.advance(300);
			expect(origin.transport.to("end").size()).to.equal(0);
			expect(destination.server.getSession(asPlayer(arrived))!.getStatus()).to.equal("ACTIVE");
		});

		it("a player who leaves while the destination claims: the destination owns the session and ends it", () => {
			const { clock, store, addServer } = world();
			const origin = addServer();
			const destination = addServer();
			const player = origin.engine.join(7, OTT);
			clock.advance(10);
			const options = {} as TeleportOptions;
			origin.server.prepareForTeleport(asPlayer(player), options);
			origin.engine.leave(player);
			// The claim yields; the player disconnects meanwhile.
			const update = store.update;
			(store as { update: typeof update }).update = (key, transform, expiration) => {
				const arriving = destination.engine.players.find((p) => p.UserId === 7);
				if (arriving) destination.engine.leave(arriving);
				return update(key, transform, expiration);
			};
			destination.engine.join(7, undefined, (options as unknown as { data: object }).data);
			clock.advance(5);
			expect(destination.transport.to("end").size()).to.equal(1);
			expect(destination.transport.to("end")[0].request.body.game_session_id).to.equal(SESSION);
			clock.advance(300);
			expect(origin.transport.to("end").size()).to.equal(0);
		});

		it("an invalid marker is ignored and LaunchData is used instead", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			engine.join(5, OTT, { [HANDOVER_KEY]: { gameSessionId: "'; drop table" } });
			engine.join(6, undefined, { [HANDOVER_KEY]: "gs_x" });
			clock.advance(1);
			expect(transport.to("verify").size()).to.equal(1);
			expect(transport.to("heartbeat").size()).to.equal(0);
			expect(engine.store.calls.size()).to.equal(0);
		});

		it("soft shutdown, the game's BindToClose first: everyone is handed over, nothing is ended", () => {
			softShutdown("game first");
		});

		it("soft shutdown, the SDK's BindToClose first: the same", () => {
			softShutdown("sdk first");
		});

		it("a teleport that threw, then the server empties: the closing origin abandons the hand-over and ends it in time", () => {
			const { clock, engine, transport, server, calls } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			server.prepareForTeleport(asPlayer(player), {} as TeleportOptions);
			clock.advance(20);
			engine.leave(player);
			engine.close();
			clock.advance(14.9);
			expect(transport.to("end").size()).to.equal(0);
			clock.advance(1);
			expect(transport.to("end").size()).to.equal(1);
			expect(calls[calls.size() - 1]).to.equal("ended player1 Ended");
			expect(engine.closeReturned).to.equal(true);
			expect(decodeRecord(engine.store.peek(handoverKey(1)))!.state).to.equal("abandoned");
		});

		it("at close, a hand-over that cannot be read is left to its TTL, not ended, and the close returns in time", () => {
			const { clock, engine, transport, server } = setup();
			server.start();
			const player = engine.join(1, OTT);
			clock.advance(50);
			server.prepareForTeleport(asPlayer(player), {} as TeleportOptions);
			engine.store.down = true;
			engine.leave(player);
			engine.close();
			clock.advance(25);
			expect(engine.closeReturned).to.equal(true);
			expect(transport.to("end").size()).to.equal(0);
			const beats = transport.to("heartbeat").size();
			clock.advance(300);
			expect(transport.to("heartbeat").size()).to.equal(beats);
		});
	});

	describe("PlaywaveServer: clients", () => {
		it("a restarted client (a second ready) gets the current status again", () => {
			const { clock, engine, server } = setup();
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
			const { clock, engine, server } = setup({
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

	describe("PlaywaveServer: a key refused mid-session", () => {
		const PLAYERS = 20;
		const OTTS = new Array<string>();
		for (let i = 0; i < PLAYERS; i++) OTTS.push(ott(i + 1));

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
			const { clock, engine, server, calls } = setup({
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
