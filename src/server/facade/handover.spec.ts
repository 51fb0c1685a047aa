import { Envelope } from "../../testing/FakeTransport";
import { asPlayer, FakeEngine } from "../../testing/FakePorts";
import { OTT } from "../../testing/harness";
import { beatOk, departFrom, endOk, serverWorld, SESSION, setupServer, teleport } from "../../testing/serverFixture";
import { decodeRecord, handoverKey } from "../../handover/handover";
import { CLAIM_WAIT_SEC } from "./Departures";
import { HANDOVER_KEY } from "./PlayerFlow";
import { expectAtLeast, expectAtMost, expectIncludes } from "../../testing/expect";

/** Two servers of one experience; player 7 has played `playedSec` on the origin. */
function originAndDestination(playedSec: number) {
	const world = serverWorld();
	const origin = world.addServer();
	const destination = world.addServer();
	const player = origin.engine.join(7, OTT);
	world.clock.advance(playedSec);
	return { ...world, origin, destination, player };
}

export = () => {
	describe("PlaywaveServer: teleports and hand-over", () => {
		it("prepareForTeleport writes the hand-over record and a marker, keeping the game's TeleportData", () => {
			const { clock, engine, server } = setupServer();
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
			const { clock, origin, destination, player } = originAndDestination(100);
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
			const { clock, engine, transport, server } = setupServer();
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
			const { clock, engine, transport, server, calls } = setupServer();
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
			const { clock, addServer } = serverWorld({
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
			const { clock, addServer, origin, destination, player } = originAndDestination(10);
			const other = addServer();
			const data = departFrom(origin, player);
			destination.engine.join(7, undefined, data);
			clock.advance(1);
			other.engine.join(7, undefined, data);
			clock.advance(1);
			expect(other.calls[0]).to.equal("verified player7 false RESUME_REJECTED RESUME_REJECTED");
			expect(other.transport.sent.size()).to.equal(0);
		});

		it("a store outage at the destination: resumes without perks, says so once, and grants them once the read works", () => {
			const { clock, store, origin, destination, player } = originAndDestination(10);
			const data = departFrom(origin, player);
			store.down = true;
			const arrived = destination.engine.join(7, undefined, data);
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
			const { clock, store, origin, destination, player } = originAndDestination(10);
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
			const { clock, store, origin, destination, player } = originAndDestination(10);
			const data = departFrom(origin, player);
			// The claim yields; the player disconnects meanwhile.
			const update = store.update;
			(store as { update: typeof update }).update = (key, transform, expiration) => {
				const arriving = destination.engine.players.find((p) => p.UserId === 7);
				if (arriving) destination.engine.leave(arriving);
				return update(key, transform, expiration);
			};
			destination.engine.join(7, undefined, data);
			clock.advance(5);
			expect(destination.transport.to("end").size()).to.equal(1);
			expect(destination.transport.to("end")[0].request.body.game_session_id).to.equal(SESSION);
			clock.advance(300);
			expect(origin.transport.to("end").size()).to.equal(0);
		});

		it("an invalid marker is ignored and LaunchData is used instead", () => {
			const { clock, engine, transport, server } = setupServer();
			server.start();
			engine.join(5, OTT, { [HANDOVER_KEY]: { gameSessionId: "'; drop table" } });
			engine.join(6, undefined, { [HANDOVER_KEY]: "gs_x" });
			clock.advance(1);
			expect(transport.to("verify").size()).to.equal(1);
			expect(transport.to("heartbeat").size()).to.equal(0);
			expect(engine.store.calls.size()).to.equal(0);
		});
	});
};
