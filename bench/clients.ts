// What players' clients cost in the headless runtime: N launcher players join the rbxts e2e place
// (npm build) with and without a client each (the client runs the SDK's notices module), then the
// world runs 10 virtual minutes. Reports real time for the joins and the run, the Luau heap of the
// server's LuauState (server and clients share it) and the process's memory.
// `npm run build && npx tsx test/e2e/prepare.ts && npx tsx bench/clients.ts [N ...]` (default 50 200).
import { Harness } from "../test/e2e/harness";

interface Row {
	players: number;
	clients: boolean;
	joinMs: number;
	runMs: number;
	luauHeapMb: number;
	rssMb: number;
	notified: number;
}

const MB = 1024 * 1024;

async function measure(players: number, clients: boolean): Promise<Row> {
	const h = await Harness.create({ wire: "inprocess" });
	const game = await h.startServer({ place: "rbxts" });
	const started = performance.now();
	for (let userId = 1; userId <= players; userId++) {
		// Balance runs out after 5 minutes: every client gets a notice to show.
		game.join({ userId, pcId: `pc-${userId}`, balanceSec: 300, ready: clients });
	}
	await h.advance(0);
	const joinMs = performance.now() - started;
	const running = performance.now();
	await h.advance(600);
	const runMs = performance.now() - running;
	const [kb] = (await game.server.eval("return gcinfo()")) as [number];
	const notified = clients
		? Array.from({ length: players }, (_, i) => game.shown(i + 1).length).filter((n) => n > 0).length
		: 0;
	const row = {
		players,
		clients,
		joinMs,
		runMs,
		luauHeapMb: kb / 1024,
		rssMb: process.memoryUsage().rss / MB,
		notified,
	};
	await h.dispose();
	return row;
}

async function main(): Promise<void> {
	const sizes = process.argv.slice(2).map(Number);
	const rows: Row[] = [];
	for (const players of sizes.length > 0 ? sizes : [50, 200]) {
		for (const clients of [false, true]) {
			const row = await measure(players, clients);
			rows.push(row);
			console.log(
				`${String(players).padStart(4)} players, ${clients ? "with clients   " : "without clients"}: ` +
					`joins ${row.joinMs.toFixed(0)} ms, 10 virtual min ${row.runMs.toFixed(0)} ms, ` +
					`Luau heap ${row.luauHeapMb.toFixed(1)} MB, rss ${row.rssMb.toFixed(0)} MB` +
					(clients ? `, ${row.notified}/${players} clients showed a notification` : ""),
			);
		}
	}
}

void main();
