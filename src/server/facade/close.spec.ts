import { Envelope } from "../../testing/FakeTransport";
import { asPlayer, FakePlayer } from "../../testing/FakePorts";
import { OTT } from "../../testing/harness";
import { beatOk, endOk, serverWorld, setupServer, teleport, verified } from "../../testing/serverFixture";
import { decodeRecord, handoverKey } from "../../handover/handover";
import { expectAtLeast, expectBelow, expectIncludes } from "../../testing/expect";

/** An update that moves everyone to a new server, with the game's and the SDK's callbacks in either order. */
function softShutdown(order: "game first" | "sdk first") {
	const { clock, addServer } = serverWorld({
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
	describe("PlaywaveServer: shutdown", () => {
		it("a plain shutdown ends every live session after the teleport grace, concurrently, and returns", () => {
			const { clock, engine, transport, server } = setupServer({
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
			const { clock, engine, transport, server } = setupServer({
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
			const { clock, engine, transport, server } = setupServer();
			server.start();
			engine.close();
			engine.join(1, OTT);
			clock.advance(5);
			expect(transport.to("verify").size()).to.equal(0);
		});

		it("server empty: the last leave's end got a 503; BindToClose waits and the retry lands before it returns", () => {
			const { clock, engine, transport, server, calls } = setupServer({
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
			const { clock, engine, transport, server, calls } = setupServer({
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
		it("soft shutdown, the game's BindToClose first: everyone is handed over, nothing is ended", () => {
			softShutdown("game first");
		});

		it("soft shutdown, the SDK's BindToClose first: the same", () => {
			softShutdown("sdk first");
		});

		it("a teleport that threw, then the server empties: the closing origin abandons the hand-over and ends it in time", () => {
			const { clock, engine, transport, server, calls } = setupServer();
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
			const { clock, engine, transport, server } = setupServer();
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
};
