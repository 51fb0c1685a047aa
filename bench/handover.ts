// `npm run bench:handover`: the numbers of issue #11, measured on the headless runtime and the simulator.
// A soft shutdown of N players in both callback orders (sessions continued, ends at the origin, largest
// heartbeat gap, time to the last claim, MemoryStore requests and request units per teleport), a
// teleport that throws followed by a disconnect (seconds from the leave to the end), and a server-empty
// close whose first end gets a 503 (when the end lands against when the close completes).
// Options: --players 50  --seed 7
import { EPOCH, Harness, heartbeatGaps } from "../test/e2e/harness";

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const PLAYERS = Number(option("players", "50"));
const SEED = Number(option("seed", "7"));

async function softShutdown(order: "gameFirst" | "sdkFirst") {
	const h = await Harness.create({ wire: "inprocess", seed: SEED });
	try {
		const origin = await h.startServer({
			place: "rbxts",
			placeId: 1001,
			game: { softShutdown: { order, placeId: 2002, delaySec: order === "sdkFirst" ? 2 : 0 } },
		});
		const destination = await h.startServer({ place: "wally", placeId: 2002 });
		const users = Array.from({ length: PLAYERS }, (_, i) => 5000 + i);
		for (const userId of users) origin.join({ userId, pcId: `pc-${userId}`, isPcCafe: userId % 5 !== 0 });
		await h.advance(300);
		const closeAt = h.now;
		await origin.server.close();
		const closeSec = h.now - closeAt;
		await h.runUntil(() => users.every((u) => destination.events(u, "verified").length > 0), 120);
		const record = h.world.memoryStore.dump().hashMaps.PlaywaveHandover?.[`u${users[0]}`]?.value;
		await h.advance(600);
		const resumed = users.filter((u) => {
			const args = destination.events(u, "verified")[0]?.args ?? [];
			return args[1] === "RESUMED" && args[0] === String(u % 5 !== 0);
		}).length;
		const ledger = h.ledger();
		let largestGap = 0;
		let sessions = 0;
		for (const userId of users) {
			const own = h.sessionsOf(userId);
			sessions += own.length;
			for (const session of own)
				largestGap = Math.max(largestGap, ...heartbeatGaps(ledger, session.gameSessionId));
		}
		// The runtime logs UpdateAsync as a read and a write phase ("Memory stores": it costs a read unit and a
		// write unit); every other call is one request and one unit.
		const phases = h.world.memoryStore.calls.filter((call) => call.name === "PlaywaveHandover");
		const calls = phases.filter((call) => call.phase !== "write");
		const units = phases.length;
		const claims = phases.filter((call) => call.api === "HashMap.Update" && call.phase === "write");
		const lastClaim = Math.max(...claims.map((call) => call.time)) - closeAt;
		const byApi: Record<string, number> = {};
		for (const call of calls) byApi[call.api] = (byApi[call.api] ?? 0) + 1;
		return {
			order,
			players: PLAYERS,
			continued: `${resumed}/${PLAYERS} resumed with the verified PC-cafe status`,
			sessionsPerPlayer: sessions / PLAYERS,
			endsAtOrigin: origin.events(undefined, "ended").length,
			largestHeartbeatGapSec: Math.round(largestGap),
			bindToCloseSec: Number(closeSec.toFixed(1)),
			lastClaimAfterCloseSec: Number(lastClaim.toFixed(1)),
			memoryStoreRequestsPerTeleport: Number((calls.length / PLAYERS).toFixed(2)),
			requestUnitsPerTeleport: Number((units / PLAYERS).toFixed(2)),
			requestsByApi: byApi,
			record,
			recordJsonBytes: record === undefined ? undefined : JSON.stringify(record).length,
			violations: h.violations().length,
		};
	} finally {
		await h.dispose();
	}
}

async function throwingTeleport() {
	const h = await Harness.create({ wire: "inprocess", seed: SEED });
	try {
		const origin = await h.startServer({ place: "rbxts", placeId: 1001 });
		await h.startServer({ place: "wally", placeId: 2002 });
		origin.join({ userId: 6001 }); // a bystander, so the origin stays open
		origin.join({ userId: 6002, pcId: "pc-6002" });
		await h.advance(100);
		origin.server.teleports.failNext({ mode: "throw" });
		await origin.requestTeleport(6002, 2002);
		await h.advance(30);
		const leftAt = h.now;
		origin.leave(6002);
		await h.runUntil(() => h.sessionOf(6002).endedBy !== null, 300);
		const session = h.sessionOf(6002);
		return {
			endedBy: session.endedBy,
			endedAfterLeaveSec: Number((session.endedAt! - EPOCH - leftAt).toFixed(1)),
			statedBoundSec: 75,
		};
	} finally {
		await h.dispose();
	}
}

async function serverEmpty() {
	const h = await Harness.create({ wire: "inprocess", seed: SEED });
	try {
		const game = await h.startServer({ place: "rbxts", placeId: 1001 });
		game.join({ userId: 7001, pcId: "pc-7001" });
		await h.advance(300);
		h.sim.fault({ effect: { kind: "error", status: 503 }, endpoint: "end", times: 1 });
		const leftAt = h.now;
		game.leave(7001);
		await game.server.close();
		const session = h.sessionOf(7001);
		return {
			endedBy: session.endedBy,
			endLandedAfterLeaveSec: Number((session.endedAt! - EPOCH - leftAt).toFixed(2)),
			closeCompletedAfterLeaveSec: Number((h.now - leftAt).toFixed(2)),
			bindToCloseReturned: game.server.closeDone,
		};
	} finally {
		await h.dispose();
	}
}

async function main() {
	const results = {
		softShutdown: [await softShutdown("gameFirst"), await softShutdown("sdkFirst")],
		throwingTeleport: await throwingTeleport(),
		serverEmpty: await serverEmpty(),
	};
	console.log(JSON.stringify(results, null, 2));
}

main().catch((problem) => {
	console.error(problem);
	process.exit(1);
});
