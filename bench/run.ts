// `npm run bench`: the SDK and the documented baseline integration side by side, on the same headless
// runtime and simulator, for N = 50, 200 and 700 players, then the request-path scenarios of issue #10
// (a slow API, a busy game, a revoked key). Every figure comes from this run.
// Options: --players 50,200,700  --seed 7  --json bench/results/latest.json  --suite load,requests
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { EPOCH, Harness, NOTICE_REMOTE } from "../test/e2e/harness";
import { GAME_BACKEND, gameLoadStats, maxAcceptedGap, startGameLoad } from "../test/e2e/observe";
import type { GameLoadStats } from "../test/e2e/observe";
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
const SUITES = option("suite", "load,requests").split(",");

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
	/** PlayWave requests that left the server (virtual seconds). */
	requestTimes: number[];
	/** The game's own requests (to its back end) that left the server. */
	gameTimes: number[];
	join(userId: number, balanceSec?: number): void;
	leave(userId: number): void;
	httpStats(): Promise<{ sent: number; rejected: number }>;
	heapKb(): Promise<number>;
}

async function rig(impl: Impl, seed: number): Promise<Rig> {
	const harness = await Harness.create({ wire: "inprocess", seed });
	const requestTimes: number[] = [];
	const gameTimes: number[] = [];
	const inner = harness.httpHandler();
	const http = (request: HttpRequest): HttpResponse | Promise<HttpResponse> => {
		if (request.url.startsWith(GAME_BACKEND)) {
			gameTimes.push(harness.now);
			return { status: 200, body: "{}" };
		}
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
		gameTimes,
		join(userId, balanceSec = 36_000) {
			const launchData = harness.launchData({ userId, pcId: `pc-${userId}`, balanceSec, prefixed: true });
			// Server-side figures: players join without a client (the baseline has none either; 700 clients would
			// cost the bench ~0.6 MB of Luau heap each).
			server.players.join({ userId, name: `p${userId}`, launchData, client: false });
		},
		leave(userId) {
			server.players.leave(userId);
		},
		async httpStats() {
			const [stats] = await server.eval(`return game:GetService("HeadlessRuntime"):GetHttpStats()`);
			return stats as { sent: number; rejected: number };
		},
		async heapKb() {
			const [kb] = await server.eval(SETTLED_HEAP_LUAU);
			return kb as number;
		},
	};
}

/**
 * The state's Luau heap with as little garbage in it as this build allows. It has no forced collection
 * (no `collectgarbage`), so this allocates throwaway tables worth three times the heap, which drives the
 * incremental collector through at least one whole cycle, and takes the lowest `gcinfo()` seen: the live
 * heap plus the garbage made while the last sweep ran. (Checked in the runtime: 20,000 kept tables read
 * as 6.2 ± 0.3 MB this way; a single `gcinfo()` read, as the bench took before, varied by 2.5 MB.)
 */
const SETTLED_HEAP_LUAU = `
	local lowest = gcinfo()
	for _ = 1, math.ceil(lowest * 3 / 0.5) do -- a 32-slot table is about half a KB
		local _garbage = table.create(32, 0)
		lowest = math.min(lowest, gcinfo())
	end
	return lowest`;

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
	/** Largest gap between accepted heartbeats of any session over the run (s). */
	maxGapSec: number;
	/** Warning lines the server printed (e.g. the SDK saying its share cannot carry every session). */
	warnings: string[];
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
	const maxGapSec = maxAcceptedGap(ledger, harness.now);
	const warnings = r.server.lines("warning");
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
		maxGapSec,
		warnings,
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
		[
			"largest accepted-heartbeat gap (s; TTL 240)",
			(r) =>
				`${fmt(r.steady.maxGapSec, 1)}${r.steady.warnings.length > 0 ? ` (${r.steady.warnings.length} warning(s))` : ""}`,
		],
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
		// The settled heap (SETTLED_HEAP_LUAU) at minute 10 less the one before the joins; a delta at or
		// below zero is below what the reading can tell apart.
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

// ---- request path (issue #10): a slow API, a busy game, a revoked key ------------------------------

interface PathResult {
	scenario: string;
	impl: Impl;
	players: number;
	/** Sessions the simulator lost to the TTL (billing started, nobody kept it alive). */
	lost: number;
	/** Players verified (a session started for them). */
	verified: number;
	/** PlayWave requests the server sent over the scenario. */
	requests: number;
	maxGapSec: number;
	/** The game's own requests and how many the engine refused ("Number of requests exceeded limit"). */
	game?: GameLoadStats;
	/** Only for the revoked key: the same 10 minutes with a working key. */
	workingKeyRequests?: number;
	warnings: number;
	/** Warnings naming the requests a minute needed (the SDK's load warning). */
	shareWarnings: number;
	/** The first few warning lines, for the JSON. */
	warningTexts: string[];
	kicked: number;
	/** Players told PlayWave "could not be reached" (SESSION_LOST). */
	toldUnreachable: number;
}

/** Joins `players` within 10 s from user `first`; returns their ids. */
async function joinTen(r: Rig, random: () => number, first: number, players: number): Promise<number[]> {
	return (await joinOver(r, random, first, players, 10)).map((j) => j.userId);
}

function pathResult(r: Rig, impl: Impl, scenario: string, userIds: number[], requests: number): PathResult {
	const ledger = r.harness.ledger();
	const players = new Set(userIds.map(String));
	const sessions = ledger.sessions.filter((s) => players.has(s.providerUserId));
	return {
		scenario,
		impl,
		players: userIds.length,
		lost: sessions.filter((s) => s.endedBy === "ttl_expired").length,
		verified: sessions.length,
		requests,
		maxGapSec: maxAcceptedGap(ledger, r.harness.now),
		warnings: r.server.lines("warning").length,
		shareWarnings: r.server.lines("warning").filter((line) => /requests\s*\/\s*min|requestsPerMinute/i.test(line))
			.length,
		warningTexts: [...new Set(r.server.lines("warning"))].slice(0, 3),
		kicked: userIds.filter((id) => r.server.players.get(id)?.kicked === true).length,
		toldUnreachable: userIds.filter((id) =>
			r.server.remotes
				.firedTo(id, NOTICE_REMOTE)
				.some((fire) => (fire.args[0] as { notice?: string } | undefined)?.notice === "SESSION_LOST"),
		).length,
	};
}

/** 200 players for 30 minutes; replies take a median 1 s, and 5 % of them 15–25 s. */
async function slowApi(impl: Impl): Promise<PathResult> {
	const random = rng(SEED * 4000);
	const r = await rig(impl, SEED + 3);
	r.harness.sim.fault({
		effect: { kind: "latency", delaySec: { medianSec: 1, tail: { share: 0.05, minSec: 15, maxSec: 25 } } },
	});
	const userIds = await joinTen(r, random, 40_000, 200);
	await r.harness.advance(1800 - r.harness.now);
	const result = pathResult(r, impl, "slow API", userIds, r.requestTimes.length);
	await r.harness.dispose();
	return result;
}

/** `players` join; from minute 1 the game's own scripts send `load` requests a minute; 30 minutes of that. */
async function busyGame(impl: Impl, load: number, players: number): Promise<PathResult> {
	const random = rng(SEED * 5000 + load);
	const r = await rig(impl, SEED + 4);
	const userIds = await joinTen(r, random, 50_000, players);
	await r.harness.advance(60 - r.harness.now);
	await startGameLoad(r.server, load);
	await r.harness.advance(60 + 1800 - r.harness.now);
	const result = pathResult(r, impl, `busy game ${load} req/min`, userIds, r.requestTimes.length);
	result.game = await gameLoadStats(r.server);
	await r.harness.dispose();
	return result;
}

/**
 * 700 players join over 3 minutes (so every verify fits the engine's minute: the join burst is the
 * steady suite's business) and play 30 minutes: can the share carry 700 sessions with the TTL − 60 s
 * margin (700 × 60 / 180 ≈ 233 a minute of a 240 share), and if not, does the SDK say so?
 */
async function steady700(impl: Impl): Promise<PathResult> {
	const random = rng(SEED * 7000);
	const r = await rig(impl, SEED + 6);
	const joins = await joinOver(r, random, 70_000, 700, 180);
	await r.harness.advance(180 + 1800 - r.harness.now);
	const result = pathResult(
		r,
		impl,
		"700 players steady",
		joins.map((j) => j.userId),
		r.requestTimes.length,
	);
	await r.harness.dispose();
	return result;
}

/** 20 players for 10 minutes; the key is revoked at minute 5 (401 INVALID_API_KEY for every request after). */
async function revokedKey(impl: Impl, revoke: boolean): Promise<PathResult> {
	const random = rng(SEED * 6000);
	const r = await rig(impl, SEED + 5);
	if (revoke) r.harness.sim.revokeApiKey(r.harness.apiKey, { at: EPOCH + 300 });
	const userIds = await joinTen(r, random, 60_000, 20);
	await r.harness.advance(600 - r.harness.now);
	const sent = r.requestTimes.filter((t) => t < 600).length;
	// Requests count over the 10 minutes; kicks, notices and warnings are watched 5 minutes more.
	await r.harness.advance(900 - r.harness.now);
	const result = pathResult(r, impl, "revoked key at minute 5", userIds, sent);
	await r.harness.dispose();
	return result;
}

function pathTable(rows: PathResult[]): string {
	const lines = [
		"| scenario | players | | sessions lost | requests sent | largest accepted-heartbeat gap (s) | game's own requests refused / sent | warnings | kicked / told unreachable | gap ≤ 180 s or one warning naming the share |",
		"|---|---|---|---|---|---|---|---|---|---|",
	];
	for (const row of rows) {
		const requests =
			row.workingKeyRequests === undefined
				? fmt(row.requests)
				: `${fmt(row.requests)} (working key: ${fmt(row.workingKeyRequests)})`;
		const game = row.game === undefined ? "—" : `${fmt(row.game.refused)} / ${fmt(row.game.sent)}`;
		// Issue #10's stretching rule, first heartbeat after the verify included; not for a revoked key
		// (its sessions expire because the key no longer works, whatever the client does).
		const rule =
			row.impl !== "sdk" || row.workingKeyRequests !== undefined
				? "—"
				: row.maxGapSec <= 180
					? "held (gap)"
					: row.shareWarnings === 1
						? "held (warned)"
						: "BROKEN";
		lines.push(
			`| ${row.scenario} | ${row.players} | ${row.impl === "sdk" ? "SDK" : "baseline"} | ${fmt(row.lost)} of ${fmt(row.verified)} | ${requests} | ${fmt(row.maxGapSec, 1)} | ${game} | ${fmt(row.warnings)} | ${fmt(row.kicked)} / ${fmt(row.toldUnreachable)} | ${rule} |`,
		);
	}
	return lines.join("\n");
}

async function requestPath(): Promise<PathResult[]> {
	const rows: PathResult[] = [];
	const timed = async (label: string, run: () => Promise<PathResult>) => {
		const t0 = performance.now();
		rows.push(await run());
		console.error(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	};
	for (const impl of IMPLS) await timed(`slow API ${impl}`, () => slowApi(impl));
	for (const [load, players] of [
		[480, 50],
		[400, 200],
	]) {
		for (const impl of IMPLS) await timed(`busy ${load} ${impl}`, () => busyGame(impl, load, players));
	}
	for (const impl of IMPLS) await timed(`700 steady ${impl}`, () => steady700(impl));
	for (const impl of IMPLS) {
		await timed(`revoked ${impl}`, async () => {
			const revoked = await revokedKey(impl, true);
			revoked.workingKeyRequests = (await revokedKey(impl, false)).requests;
			return revoked;
		});
	}
	return rows;
}

async function main() {
	const started = performance.now();
	const rows: Row[] = [];
	const pathRows: PathResult[] = [];
	for (const players of SUITES.includes("load") ? PLAYER_COUNTS : []) {
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
	if (rows.length > 0) console.log(table(rows));
	if (SUITES.includes("requests")) {
		pathRows.push(...(await requestPath()));
		console.log("\n### Request path (issue #10)\n");
		console.log(pathTable(pathRows));
	}
	mkdirSync(dirname(JSON_PATH), { recursive: true });
	writeFileSync(JSON_PATH, JSON.stringify({ seed: SEED, rows, requestPath: pathRows }, null, "\t"));
	console.log(`\nseed ${SEED}; JSON in ${JSON_PATH}; ${((performance.now() - started) / 1000).toFixed(1)} s real`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
