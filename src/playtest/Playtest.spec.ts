import { asPlayer, FakeEngine, FakePlayer } from "../testing/FakePorts";
import { fakeHost, recordCalls } from "../testing/serverFixture";
import { ManualClock } from "../testing/ManualClock";
import { PlaywaveConfig } from "../server/config/PlaywaveConfig";
import { createPlaywave, PLAYTEST_REFUSED } from "../server/Playwave";
import { PlaywaveServer } from "../server/PlaywaveServer";
import { HANDOVER_KEY } from "../server/facade/PlayerFlow";
import { PlaytestConfig } from "./scenarios";
import { expectAtLeast, expectContains, expectIncludes } from "../testing/expect";

function setup(playtest: PlaytestConfig, studio = true, extra: Partial<PlaywaveConfig> = {}) {
	const clock = new ManualClock();
	const engine = new FakeEngine(clock);
	const calls = new Array<string>();
	const callbacks = recordCalls(calls, ["onVerified", "onChargeExhausted", "onReplaced", "onLost", "onEnded"]);
	const server = createPlaywave({ playtest, ...callbacks, ...extra }, fakeHost(engine, studio));
	server.start();
	return { clock, engine, server, calls };
}

function errorOf(run: () => void): string {
	const [ok, problem] = pcall(run);
	return ok ? "" : tostring(problem);
}

function noticesOf(player: FakePlayer) {
	return player.received
		.filter((message) => message.type === "notice")
		.map((message) => (message.type === "notice" ? message.notice : ""));
}

export = () => {
	describe("play-test mode: where it runs", () => {
		it("is refused on a live server (IsStudio false) with a clear message", () => {
			const problem = errorOf(() => setup({ scenario: { kind: "ok" } }, false));
			expectContains(problem, PLAYTEST_REFUSED);
		});

		it("runs in Studio (IsStudio true) without an API key, environment or HTTP", () => {
			const { engine, server, clock } = setup({});
			engine.httpEnabled = false;
			const player = engine.join(-1);
			clock.advance(0);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
			expect(engine.warnings.size()).to.equal(1); // the play-test banner, nothing about HTTP
			expectContains(engine.warnings[0], "PLAY-TEST");
		});

		it("a live server without playtest is untouched: a key is still required", () => {
			const clock = new ManualClock();
			const engine = new FakeEngine(clock);
			const problem = errorOf(() => createPlaywave({ environment: "live" }, fakeHost(engine, false)));
			expectContains(problem, "apiKey");
		});

		it("enabled = false runs for real (and so is allowed on a live server)", () => {
			const clock = new ManualClock();
			const engine = new FakeEngine(clock);
			const server = createPlaywave(
				{ apiKey: "k", environment: "dev", playtest: { enabled: false } },
				fakeHost(engine, false),
			);
			expect(server).to.be.ok();
		});

		it("validates the section, naming the field", () => {
			const bad = (playtest: unknown) =>
				errorOf(() => setup(playtest as PlaytestConfig)).match("invalid config: (.*)")[0] as string;
			expect(bad({ timeScale: 0 })).to.equal(
				"config.playtest.timeScale: expected a number from 1 to 3600, got number 0",
			);
			expect(bad({ scenario: { kind: "boom" } })).to.equal(
				'config.playtest.scenario.kind: expected "ok", "chargeExhausted", "replaced", "lost" or "rejected", got "boom"',
			);
			expect(bad({ scenario: { kind: "chargeExhausted" } })).to.equal(
				"config.playtest.scenario.afterSec: expected a number of seconds from 0 to 1e7, got nil",
			);
			expect(bad({ players: { [5]: { kind: "rejected", reason: "NOPE" } } })).to.equal(
				'config.playtest.players[5].reason: expected "OTT_EXPIRED", "OTT_ALREADY_USED", "GAME_MISMATCH" or "NOT_CHARGEABLE", got "NOPE"',
			);
			expect(bad({ players: { x: { kind: "ok" } } })).to.equal(
				'config.playtest.players: expected UserIds (whole numbers) as keys, got "x"',
			);
			expect(bad({ scenario: { kind: "ok", extra: 1 } })).to.equal(
				"config.playtest.scenario.extra: unknown field",
			);
		});
	});

	describe("play-test mode: scenarios through the real SDK", () => {
		it("ok: verified as a PC-cafe player, heartbeats stay OK, the leave ends the session", () => {
			const { clock, engine, server, calls } = setup({ scenario: { kind: "ok" } });
			const player = engine.join(-1);
			clock.advance(1000);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
			engine.leave(player);
			clock.advance(1);
			expect(calls.join("|")).to.equal("verified player-1 true VERIFIED|ended player-1 Ended");
		});

		it("chargeExhausted: the notice, the 2-minute grace, then 410 and the SDK's kick", () => {
			const { clock, engine, calls } = setup({ scenario: { kind: "chargeExhausted", afterSec: 300 } });
			const player = engine.join(-1);
			engine.clientReady(player);
			clock.advance(299);
			expect(calls.join("|")).to.equal("verified player-1 true VERIFIED");
			clock.advance(122); // heartbeats at 360 (CHARGE_EXHAUSTED) … 420 is the end of the grace
			expectIncludes(calls, "chargeExhausted player-1");
			expectIncludes(noticesOf(player), "CHARGE_EXHAUSTED");
			expect(player.kickedWith).to.equal(undefined);
			clock.advance(240);
			// 410 SESSION_ENDING during termination, SESSION_ENDED after: which one depends on the beat's timing.
			expect(calls[calls.size() - 1].sub(1, 25)).to.equal("lost player-1 SESSION_END");
			expect(player.kickedWith).to.be.ok();
		});

		it("replaced: SESSION_REPLACED, benefits off, never ended", () => {
			const { clock, engine, server, calls } = setup({ scenario: { kind: "replaced", afterSec: 100 } });
			const player = engine.join(-1);
			engine.clientReady(player);
			clock.advance(130);
			expect(calls.join("|")).to.equal("verified player-1 true VERIFIED|replaced player-1");
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(false);
			expect(noticesOf(player)).to.never.equal(undefined);
			expectIncludes(noticesOf(player), "SESSION_REPLACED");
			engine.leave(player);
			clock.advance(5);
			expect(calls.size()).to.equal(2);
		});

		it("lost: 404 SESSION_NOT_FOUND and 410 SESSION_ENDED kick", () => {
			const { clock, engine, calls } = setup({
				players: {
					[-1]: { kind: "lost", afterSec: 50, code: "SESSION_NOT_FOUND" },
					[-2]: { kind: "lost", afterSec: 50 },
				},
			});
			const a = engine.join(-1);
			const b = engine.join(-2);
			clock.advance(130);
			expectIncludes(calls, "lost player-1 SESSION_NOT_FOUND");
			expectIncludes(calls, "lost player-2 SESSION_ENDED");
			expect(a.kickedWith).to.be.ok();
			expect(b.kickedWith).to.be.ok();
		});

		it("rejected: each documented reason, with the SDK's default action", () => {
			const { clock, engine, calls } = setup({
				players: {
					[1]: { kind: "rejected", reason: "OTT_EXPIRED" },
					[2]: { kind: "rejected", reason: "OTT_ALREADY_USED" },
					[3]: { kind: "rejected", reason: "GAME_MISMATCH" },
					[4]: { kind: "rejected", reason: "NOT_CHARGEABLE" },
				},
			});
			const players = [1, 2, 3, 4].map((id) => {
				const player = engine.join(id);
				engine.clientReady(player);
				return player;
			});
			clock.advance(1);
			expect(calls.join("|")).to.equal(
				"verified player1 false REJECTED OTT_EXPIRED|verified player2 false REJECTED OTT_ALREADY_USED|" +
					"verified player3 false REJECTED GAME_MISMATCH|verified player4 false REJECTED NOT_CHARGEABLE",
			);
			expectIncludes(noticesOf(players[0]), "OTT_EXPIRED");
			expect(players[1].kickedWith).to.be.ok();
			expect(players[2].kickedWith).to.be.ok();
			expectIncludes(noticesOf(players[3]), "NOT_CHARGEABLE");
		});

		it("per player by UserId, the default for everyone else", () => {
			const { clock, engine, calls } = setup({
				scenario: { kind: "rejected", reason: "NOT_CHARGEABLE" },
				players: { [7]: { kind: "ok" } },
			});
			engine.join(7);
			engine.join(8);
			clock.advance(1);
			expect(calls.join("|")).to.equal(
				"verified player7 true VERIFIED|verified player8 false REJECTED NOT_CHARGEABLE",
			);
		});

		it("a player who has LaunchData keeps it", () => {
			const { clock, engine, calls } = setup({ scenario: { kind: "ok" } });
			engine.join(1, "not-a-token");
			clock.advance(1);
			expect(calls.join("|")).to.equal("verified player1 false INVALID_PREFIX INVALID_LAUNCH_DATA");
		});
	});

	describe("play-test mode: time scale", () => {
		it("timeScale 60: the grace takes 2 s and the kick comes within seconds", () => {
			const { clock, engine, calls } = setup({
				timeScale: 60,
				scenario: { kind: "chargeExhausted", afterSec: 60 },
			});
			const player = engine.join(-1);
			clock.advance(0.9);
			expect(calls.join("|")).to.equal("verified player-1 true VERIFIED");
			clock.advance(1.3); // heartbeats every 2 s (120 / 60), not clamped to 10 s
			expectIncludes(calls, "chargeExhausted player-1");
			clock.advance(4);
			expect(calls[calls.size() - 1].sub(1, 15)).to.equal("lost player-1 S");
			expect(player.kickedWith).to.be.ok();
		});

		it("timeScale 60: an OK session beats every 2 s and stays alive", () => {
			const { clock, engine, server } = setup({ timeScale: 60 });
			const player = engine.join(-1);
			let beats = 0;
			clock.advance(0);
			server.getSession(asPlayer(player))!.heartbeat.Connect(() => (beats += 1));
			clock.advance(60);
			expectAtLeast(beats, 30);
			expect(server.isPcCafeUser(asPlayer(player))).to.equal(true);
		});
	});

	describe("play-test mode: teleports", () => {
		it("a stand-in on another server accepts the resume heartbeat and carries the scenario on", () => {
			const clock = new ManualClock();
			const origin = new FakeEngine(clock);
			// Two servers of one experience: one MemoryStore.
			const destination = new FakeEngine(clock, origin.store);
			const calls = new Array<string>();
			const make = (engine: FakeEngine): PlaywaveServer => {
				const server = createPlaywave(
					{
						playtest: { scenario: { kind: "chargeExhausted", afterSec: 600 } },
						onVerified: (player, _, reason) => calls.push(`${reason} ${player.Name}`),
						onChargeExhausted: (player) => calls.push(`chargeExhausted ${player.Name}`),
						onLost: (player, code) => calls.push(`lost ${player.Name} ${code}`),
					},
					fakeHost(engine, true),
				);
				server.start();
				return server;
			};
			const from = make(origin);
			const to = make(destination);
			const player = origin.join(-1);
			clock.advance(200);
			const options = {} as TeleportOptions;
			expect(from.prepareForTeleport(asPlayer(player), options)).to.equal(true);
			const teleportData = (options as unknown as { data: Record<string, { gameSessionId: string }> }).data;
			const id = teleportData[HANDOVER_KEY].gameSessionId;
			expect(id.sub(1, 6)).to.equal("gs_pt-");
			origin.leave(player);
			const arrived = destination.join(-1, undefined, teleportData);
			clock.advance(1);
			expect(calls.join("|")).to.equal("VERIFIED player-1|RESUMED player-1");
			expect(to.isPcCafeUser(asPlayer(arrived))).to.equal(true);
			clock.advance(600);
			expectIncludes(calls, "chargeExhausted player-1");
			expect(calls[calls.size() - 1].sub(1, 25)).to.equal("lost player-1 SESSION_END");
		});
	});
};
