// `npx tsx bench/stats.ts`: what `getStats()` costs with N PlayWave sessions on one server (issue #15 asks
// for a snapshot cheap enough to read every frame). Runs the rbxts place in the headless runtime with N
// launcher players, then times K calls inside one script, against the same loop without the call.
// Real time on the Luau VM (luau-web), so compare the per-call figure with a 60 Hz frame (16.7 ms).
// Options: --players 50,700 --calls 2000
import { performance } from "node:perf_hooks";
import { Harness } from "../test/e2e/harness";

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const COUNTS = option("players", "50,700").split(",").map(Number);
const CALLS = Number(option("calls", "2000"));

const LOOP = (body: string) => `
local server = require(game:GetService("ServerStorage").PlaywaveE2E).server
local n = 0
for i = 1, ${CALLS} do
	${body}
end
return n`;

async function timed(run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	return performance.now() - start;
}

async function main() {
	console.log(`getStats() cost, ${CALLS} calls per run, best of 3 (real ms on the Luau VM)`);
	console.log("players  per call (µs)  share of a 60 Hz frame");
	for (const players of COUNTS) {
		const h = await Harness.create({ wire: "inprocess", seed: 3 });
		const game = await h.startServer({ config: { analytics: true } });
		for (let i = 0; i < players; i++) {
			game.join({ userId: 5000 + i, pcId: `pc-${i}` });
			if (i % 100 === 99) await h.advance(15);
		}
		await h.advance(200);
		const stats = await game.stats();
		if (stats.sessions.ACTIVE !== players) throw new Error(`${stats.sessions.ACTIVE} active of ${players}`);
		let best = Infinity;
		for (let run = 0; run < 3; run++) {
			const empty = await timed(() => game.server.eval(LOOP("n += 1")));
			const full = await timed(() => game.server.eval(LOOP("n += server:getStats().sessions.ACTIVE")));
			best = Math.min(best, (full - empty) / CALLS);
		}
		const us = best * 1000;
		console.log(
			`${String(players).padEnd(8)} ${us.toFixed(1).padStart(13)}  ${((best / (1000 / 60)) * 100).toFixed(2)} %`,
		);
		await h.dispose();
	}
}

main().catch((problem) => {
	console.error(problem);
	process.exit(1);
});
