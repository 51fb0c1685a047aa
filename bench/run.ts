// `npm run bench`: the SDK and the documented baseline integration side by side, on the same headless
// runtime and simulator, for N = 50, 200 and 700 players. Every figure comes from this run.
// Options: --players 50,200,700  --seed 7  --json bench/results/latest.json
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { EPOCH, Harness } from "../test/e2e/harness";
import type { HttpRequest, HttpResponse, Server } from "../test/runtime";

type Impl = "sdk" | "baseline";
const IMPLS: Impl[] = ["sdk", "baseline"];
const BASELINE_PLACE = join(__dirname, "places", "baseline.project.json");
const BUDGET_PER_MINUTE = 500;
const OTT_TTL = 60;

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const PLAYER_COUNTS = option("players", "50,200,700").split(",").map(Number);
const SEED = Number(option("seed", "7"));
const JSON_PATH = option("json", join(__dirname, "results", "latest.json"));

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A game server (SDK place or baseline place) plus a request log per virtual second. */
interface Rig {
	harness: Harness;
	server: Server;
	requestTimes: number[];
	join(userId: number, balanceSec?: number): void;
	leave(userId: number): void;
	httpStats(): Promise<{ sent: number; rejected: number }>;
	heapKb(): Promise<number>;
}

async function rig(impl: Impl, seed: number): Promise<Rig> {
	const harness = await Harness.create({ wire: "inprocess", seed });
	const requestTimes: number[] = [];
	const inner = harness.httpHandler();
	const http = (request: HttpRequest): HttpResponse | Promise<HttpResponse> => {
		requestTimes.push(harness.now);
		return inner(request);
	};
	let server: Server;
	if (impl === "sdk") {
		server = (await harness.startServer({ place: "rbxts", http })).server;
	} else {
		server = await harness.world.createServer({
			project: BASELINE_PLACE,
			placeId: 2000,
			secrets: { playwave_api_key: { value: harness.apiKey, domains: ["*.playwave.dev"] } },
			http,
		});
		await server.start();
		await harness.world.advance(0);
	}
	return {
		harness,
		server,
		requestTimes,
		join(userId, balanceSec = 36_000) {
			const launchData = harness.launchData({ userId, pcId: `pc-${userId}`, balanceSec, prefixed: true });
			server.players.join({ userId, name: `p${userId}`, launchData });
		},
		leave(userId) {
			server.players.leave(userId);
		},
		async httpStats() {
			const [stats] = await server.eval(`return game:GetService("HeadlessRuntime"):GetHttpStats()`);
			return stats as { sent: number; rejected: number };
		},
		async heapKb() {
			const [kb] = await server.eval(`return gcinfo()`);
			return kb as number;
		},
	};
}

/** `players` join at random times within `spanSec` from now (user ids from `firstUserId`); returns when. */
async function joinOver(r: Rig, random: () => number, firstUserId: number, players: number, spanSec: number) {
	const joins = Array.from({ length: players }, (_, i) => ({ userId: firstUserId + i, at: random() * spanSec })).sort(
		(a, b) => a.at - b.at,
	);
	for (const join of joins) {
		await r.harness.advance(join.at - r.harness.now);
		r.join(join.userId);
	}
	return joins;
}

/** Requests per virtual minute over [from, to). */
function perMinute(times: number[], from: number, to: number): { peak: number; mean: number } {
	const buckets = new Array(Math.max(1, Math.ceil((to - from) / 60))).fill(0);
	for (const t of times) if (t >= from && t < to) buckets[Math.floor((t - from) / 60)]++;
	// Sliding peak: the most requests in any 60 s window (what the engine's limit counts).
	let peak = 0;
	const inRange = times.filter((t) => t >= from && t < to).sort((a, b) => a - b);
	for (let i = 0, j = 0; i < inRange.length; i++) {
		while (inRange[i] - inRange[j] >= 60) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return { peak, mean: buckets.reduce((a, b) => a + b, 0) / buckets.length };
}

interface SteadyResult {
	rpmPeak: number;
	rpmMean: number;
	idealRpm: number;
	budgetErrors: number;
	verifiedShare: number;
	verifyP50: number;
	verifyP99: number;
	physicalLimitShare: number;
	lostWhileUp: number;
	billingMeanError: number;
	billingWorstError: number;
	msPerSessionHour: number;
	kbPerSession: number;
}

/** N players join within 10 s; 30 minutes of play; they leave over 5 minutes. */
async function steady(impl: Impl, players: number): Promise<SteadyResult> {
	const random = rng(SEED * 1000 + players);
	const r = await rig(impl, SEED);
	const { harness } = r;
	const baseHeap = await r.heapKb();
	const joins = await joinOver(r, random, 10_000, players, 10);
	await harness.advance(600 - harness.now);
	const heapAt10 = await r.heapKb();
	const costStart = performance.now();
	await harness.advance(1800 - harness.now);
	const costMs = performance.now() - costStart;
	const leaves = joins.map((j) => ({ userId: j.userId, at: 1800 + random() * 300 })).sort((a, b) => a.at - b.at);
	let stats = { sent: 0, rejected: 0 };
	for (const [i, leave] of leaves.entries()) {
		await harness.advance(leave.at - harness.now);
		// The server closes itself when its last player leaves (CloseReason ServerEmpty), so its request
		// counters are read just before (only the last player's end call comes after).
		if (i === leaves.length - 1) stats = await r.httpStats();
		r.leave(leave.userId);
	}
	await harness.advance(2400 - harness.now);
	const ledger = harness.ledger();
	const leaveAt = new Map(leaves.map((l) => [String(l.userId), l.at]));
	const joinAt = new Map(joins.map((j) => [String(j.userId), j.at]));
	const sessions = ledger.sessions;
	const verifyLatency = sessions.map((s) => Math.max(0, s.startedAt - EPOCH - joinAt.get(s.providerUserId)!));
	const errors = sessions
		.filter((s) => s.endedBy === "ended_by_game")
		.map((s) => s.billedSec - (leaveAt.get(s.providerUserId)! - (s.startedAt - EPOCH)));
	const steadyRpm = perMinute(r.requestTimes, 300, 1800);
	const whole = perMinute(r.requestTimes, 0, 2400);
	await harness.dispose();
	return {
		rpmPeak: whole.peak,
		rpmMean: steadyRpm.mean,
		idealRpm: players / 2,
		budgetErrors: stats.rejected,
		verifiedShare: sessions.length / players,
		verifyP50: percentile(verifyLatency, 50),
		verifyP99: percentile(verifyLatency, 99),
		// At most the whole budget can be spent on verifies in the token's 60 s.
		physicalLimitShare: Math.min(1, BUDGET_PER_MINUTE / players),
		lostWhileUp: sessions.filter((s) => s.endedBy === "ttl_expired").length,
		billingMeanError: errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length),
		billingWorstError: errors.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0),
		msPerSessionHour: costMs / ((players * 1200) / 3600),
		kbPerSession: (heapAt10 - baseHeap) / players,
	};
}

interface OutageResult {
	survivedShare: number;
	requestsDuringOutage: number;
}

/** N players (joined over 2 minutes); the API answers 503 for 3 minutes from minute 10. */
async function outage(impl: Impl, players: number): Promise<OutageResult> {
	const random = rng(SEED * 2000 + players);
	const r = await rig(impl, SEED + 1);
	const { harness } = r;
	await joinOver(r, random, 20_000, players, 120);
	await harness.advance(600 - harness.now);
	const liveBefore = harness.sim.sessions().filter((s) => s.endedBy === null).length;
	harness.sim.outage(EPOCH + 600, EPOCH + 780);
	await harness.advance(1500 - harness.now);
	const survived = harness.sim.sessions().filter((s) => s.endedBy === null).length;
	const during = r.requestTimes.filter((t) => t >= 600 && t < 780).length;
	await harness.dispose();
	return { survivedShare: survived / Math.max(1, liveBefore), requestsDuringOutage: during };
}

interface ShutdownResult {
	endedShare: number;
	lastEndAfterCloseSec: number;
	/** The most the engine's 500 a minute allows: 500 less what was sent in the 30 s before the close. */
	limitShare: number;
}

/** N players in a server that shuts down at minute 5: how many sessions are ended inside BindToClose. */
async function shutdown(impl: Impl, players: number): Promise<ShutdownResult> {
	const random = rng(SEED * 3000 + players);
	const r = await rig(impl, SEED + 2);
	const { harness } = r;
	for (let i = 0; i < players; i++) {
		await harness.advance(random() * (60 / players));
		r.join(30_000 + i);
	}
	await harness.advance(300 - harness.now);
	const live = harness.sim.sessions().filter((s) => s.endedBy === null);
	const closeAt = harness.now;
	const sentBefore = r.requestTimes.filter((t) => t >= closeAt - 30 && t < closeAt).length;
	await r.server.close();
	const after = new Map(harness.sim.sessions().map((s) => [s.gameSessionId, s]));
	const ended = live.filter((s) => {
		const now = after.get(s.gameSessionId)!;
		return now.endedBy === "ended_by_game" && now.closedAt !== null && now.closedAt - EPOCH <= closeAt + 30;
	});
	const lastEnd = Math.max(0, ...ended.map((s) => after.get(s.gameSessionId)!.closedAt! - EPOCH - closeAt));
	await harness.dispose();
	return {
		endedShare: ended.length / Math.max(1, live.length),
		lastEndAfterCloseSec: lastEnd,
		limitShare: Math.min(1, (BUDGET_PER_MINUTE - sentBefore) / Math.max(1, live.length)),
	};
}

type Row = { players: number; impl: Impl; steady: SteadyResult; outage: OutageResult; shutdown: ShutdownResult };

function fmt(value: number, digits = 0): string {
	if (!Number.isFinite(value)) return "—";
	const text = value.toFixed(digits);
	return Number(text) === 0 ? (0).toFixed(digits) : text; // no "-0.0"
}

function pct(value: number): string {
	return `${(value * 100).toFixed(1)} %`;
}

function table(rows: Row[]): string {
	const lines: string[] = [];
	const metrics: Array<[string, (row: Row) => string]> = [
		["HTTP requests/min: peak (any 60 s)", (r) => fmt(r.steady.rpmPeak)],
		[
			"HTTP requests/min: mean, steady state",
			(r) => `${fmt(r.steady.rpmMean, 1)} (ideal ${fmt(r.steady.idealRpm)})`,
		],
		['"Number of requests exceeded limit" errors', (r) => fmt(r.steady.budgetErrors)],
		[
			"join burst: verified before the token expired",
			(r) => `${pct(r.steady.verifiedShare)} (engine limit ${pct(r.steady.physicalLimitShare)})`,
		],
		[
			"join burst: verify latency p50 / p99 (s)",
			(r) => `${fmt(r.steady.verifyP50, 1)} / ${fmt(r.steady.verifyP99, 1)}`,
		],
		["sessions lost to the TTL, API up", (r) => fmt(r.steady.lostWhileUp)],
		["3-min outage: sessions surviving", (r) => pct(r.outage.survivedShare)],
		["3-min outage: requests sent during it", (r) => fmt(r.outage.requestsDuringOutage)],
		[
			"shutdown: sessions ended inside BindToClose",
			(r) =>
				`${pct(r.shutdown.endedShare)} (engine limit ${pct(r.shutdown.limitShare)}; last +${fmt(r.shutdown.lastEndAfterCloseSec, 1)} s)`,
		],
		[
			"billing error: mean / worst (s)",
			(r) => `${fmt(r.steady.billingMeanError, 1)} / ${fmt(r.steady.billingWorstError, 1)}`,
		],
		["cost: real ms per session-hour", (r) => fmt(r.steady.msPerSessionHour, 1)],
		// Luau's gcinfo() without a forced collection (this build has no collectgarbage): a negative
		// delta means garbage was collected meanwhile, i.e. below the noise.
		[
			"cost: Luau heap KB per live session",
			(r) => (r.steady.kbPerSession > 0 ? fmt(r.steady.kbPerSession, 1) : "below noise"),
		],
	];
	for (const players of [...new Set(rows.map((r) => r.players))]) {
		const sdk = rows.find((r) => r.players === players && r.impl === "sdk")!;
		const base = rows.find((r) => r.players === players && r.impl === "baseline")!;
		lines.push(`\n### N = ${players} (limit ${BUDGET_PER_MINUTE} requests/min; token lives ${OTT_TTL} s)\n`);
		lines.push("| metric | SDK | baseline |", "|---|---|---|");
		for (const [name, get] of metrics) lines.push(`| ${name} | ${get(sdk)} | ${get(base)} |`);
	}
	return lines.join("\n");
}

async function main() {
	const started = performance.now();
	const rows: Row[] = [];
	for (const players of PLAYER_COUNTS) {
		for (const impl of IMPLS) {
			const t0 = performance.now();
			const row: Row = {
				players,
				impl,
				steady: await steady(impl, players),
				outage: await outage(impl, players),
				shutdown: await shutdown(impl, players),
			};
			rows.push(row);
			console.error(`N=${players} ${impl}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		}
	}
	console.log(table(rows));
	mkdirSync(dirname(JSON_PATH), { recursive: true });
	writeFileSync(JSON_PATH, JSON.stringify({ seed: SEED, rows }, null, "\t"));
	console.log(`\nseed ${SEED}; JSON in ${JSON_PATH}; ${((performance.now() - started) / 1000).toFixed(1)} s real`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
