// `npm run demo`: an emulated Roblox game server (the roblox-ts place on the npm build) with a handful
// of players, against the embedded PlayWave simulator, over an hour of virtual time in a few real
// seconds. One player runs out of G-coin, one is replaced (the same PC starts another session), one
// teleports to a second server (the Luau place on the Wally build); one joins without the launcher.
// Then an update: the lobby shuts down and its own BindToClose moves everyone still there to the new
// lobby (a soft shutdown); the ledger shows one continuous session per player across it.
//
// At the end it prints each running server's stats snapshot (`getStats()`); with --watch it redraws a
// small live table of sessions and requests per minute while the hour runs.
//
// Options: --players N (default 8, at least 1), --minutes M (default 60), --wire loopback|inprocess,
// --watch (live table, about 15 real seconds for the hour).
import { parseArgs } from "node:util";
import { EPOCH, Harness, heartbeatGaps, type GameServer, type PlaywaveStatsJson } from "../test/e2e/harness";
import type { PlayerHandle } from "../test/runtime";

const { values } = parseArgs({
	options: {
		players: { type: "string", default: "8" },
		minutes: { type: "string", default: "60" },
		wire: { type: "string", default: "inprocess" },
		watch: { type: "boolean", default: false },
		help: { type: "boolean", short: "h", default: false },
	},
});
if (values.help) {
	console.log("usage: npm run demo -- [--players N] [--minutes M] [--wire loopback|inprocess] [--watch]");
	process.exit(0);
}
const playerCount = Math.max(1, Math.floor(Number(values.players)));
const minutes = Math.max(5, Number(values.minutes));
if (!Number.isFinite(playerCount) || !Number.isFinite(minutes)) throw new Error("--players and --minutes take numbers");
const wire = values.wire === "loopback" ? "loopback" : "inprocess";
const total = minutes * 60;

const NAMES = ["Ana", "Ben", "Chloe", "Dae", "Eun", "Farid", "Gina", "Hyun", "Ivo", "Jin", "Kai", "Lena"];
const nameOf = (index: number) => (index < NAMES.length ? NAMES[index] : `Player${index + 1}`);

type Role = "gcoin" | "teleport" | "replaced" | "leaves" | "stays" | "normal";
interface Cast {
	userId: number;
	name: string;
	pcId?: string;
	role: Role;
	balanceSec: number;
	joinAt: number;
}

// Roles in order of interest; the last player (when there are at least 2) is not from the launcher.
const launcherRoles: Role[] = ["gcoin", "replaced", "teleport", "leaves"];
const cast: Cast[] = [];
for (let i = 0; i < playerCount; i++) {
	const normal = playerCount >= 2 && i === playerCount - 1;
	const role: Role = normal ? "normal" : (launcherRoles[i] ?? "stays");
	cast.push({
		userId: 1001 + i,
		name: nameOf(i),
		pcId: normal ? undefined : `PC-${String(i + 1).padStart(2, "0")}`,
		role,
		balanceSec: role === "gcoin" ? Math.round(Math.min(15 * 60, total / 4)) : 10 * 3600,
		joinAt: i * 7,
	});
}

// ---- stats ------------------------------------------------------------------------------------------

const STATES = ["VERIFYING", "ACTIVE", "ENDING", "HANDED_OFF", "REJECTED", "REPLACED", "LOST"] as const;

/** The live table of --watch: one row per server, sessions by state and requests in the last minute. */
function watchTable(now: number, servers: [string, PlaywaveStatsJson][]): string[] {
	const header = [
		"server",
		...STATES.map((s) => s.toLowerCase()),
		"req/min",
		"verify",
		"beat",
		"end",
		"refused",
		"connection",
	];
	const rows = servers.map(([name, stats]) => {
		const r = stats.requests;
		const condition = stats.connection.condition + (stats.connection.cause ? ` (${stats.connection.cause})` : "");
		return [
			name,
			...STATES.map((state) => String(stats.sessions[state] ?? 0)),
			`${r.sentLastMinute}/${r.share}`,
			String(r.lastMinute.verify.sent),
			String(r.lastMinute.heartbeat.sent),
			String(r.lastMinute.end.sent),
			String(r.refusedLastMinute),
			condition,
		];
	});
	return [`PlayWave live stats at ${mmss(now)} (virtual)`, "", ...table(header, rows)];
}

function table(header: string[], rows: string[][]): string[] {
	const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
	const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ");
	return [format(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(format)];
}

/** One server's snapshot, as the closing report prints it. */
function statsReport(name: string, stats: PlaywaveStatsJson): string[] {
	const nonzero = (record: Record<string, number>) =>
		Object.entries(record)
			.filter(([, n]) => n > 0)
			.map(([key, n]) => `${key} ${n}`)
			.join(", ") || "none";
	const r = stats.requests;
	const c = stats.connection;
	const t = stats.totals;
	return [
		`${name}: getStats() at ${mmss(stats.at)} of the server's clock`,
		`  sessions now      ${nonzero(stats.sessions)}`,
		`  last minute       verify ${r.lastMinute.verify.sent}, heartbeat ${r.lastMinute.heartbeat.sent}, end ${r.lastMinute.end.sent} sent; ${r.refusedLastMinute} refused by the engine`,
		`  budget            share ${r.share}/min (urgent ${r.urgentLimit}, available ${Math.floor(r.available)}) of the engine's ${r.engineLimit}/min; queued ${r.queued}, in flight ${r.inFlight}`,
		`  connection        ${c.condition}${c.cause ? ` (${c.cause})` : ""} since ${mmss(c.since)}${c.lastFailure ? `; last failure ${c.lastFailure.failureClass} on ${c.lastFailure.kind} at ${mmss(c.lastFailure.at)}` : ""}`,
		`  since start       verified ${t.verified} (PC-cafe ${t.verifiedPcCafe}), rejected ${nonzero(t.rejected)}, charge exhausted ${t.chargeExhausted}, lost ${nonzero(t.lost)}, replaced ${t.replaced}, ended ${nonzero(t.ended)}, handed over ${t.handedOver}, resumed ${t.resumed}`,
		...(stats.analytics
			? [
					`  Creator Analytics ${stats.analytics.logged} custom events logged, ${stats.analytics.dropped} held back`,
				]
			: []),
	];
}

// ---- the timeline ---------------------------------------------------------------------------------

interface Line {
	time: number;
	order: number;
	where: string;
	text: string;
}
const lines: Line[] = [];
let order = 0;
const note = (time: number, where: string, text: string) => lines.push({ time, order: order++, where, text });
const mmss = (seconds: number) => {
	const s = Math.max(0, Math.round(seconds));
	return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

async function main() {
	const started = Date.now();
	const h = await Harness.create({ wire, seed: 7 });
	// The lobby's game binds a soft shutdown: on close it teleports everyone to the updated lobby (3003).
	// Every place opts in to Creator Analytics, so the closing report shows what went to AnalyticsService.
	const analytics = { analytics: true };
	const lobby = await h.startServer({
		place: "rbxts",
		placeId: 1001,
		game: { softShutdown: { order: "gameFirst", placeId: 3003 } },
		config: analytics,
	});
	const arena = await h.startServer({ place: "wally", placeId: 2002, config: analytics });
	const lobby2 = await h.startServer({ place: "rbxts", placeId: 3003, config: analytics });
	const label = new Map<GameServer, string>([
		[lobby, "lobby"],
		[arena, "arena"],
		[lobby2, "lobby2"],
	]);
	const updateAt = Math.round(total * 0.7);
	const names = new Map<number, string>(cast.map((c) => [c.userId, c.name]));
	const handles: { handle: PlayerHandle; server: GameServer; seenKick: boolean }[] = [];

	console.log(
		`PlayWave demo: ${playerCount} player(s), ${minutes} virtual minutes, simulator ${wire === "loopback" ? "over loopback HTTP" : "in process"}`,
	);
	console.log(
		`  lobby = roblox-ts place on the npm build (place 1001); arena = Luau place on the Wally build (place 2002)`,
	);
	console.log(
		`  at ${mmss(updateAt)} an update shuts the lobby down; its BindToClose moves everyone to lobby2 (the new version, place 3003)`,
	);
	for (const c of cast) {
		const what =
			c.pcId === undefined
				? "joins without the launcher"
				: {
						gcoin: `runs out of G-coin (balance ${mmss(c.balanceSec)})`,
						replaced: "is replaced: the same PC starts another session",
						teleport: "teleports to the arena",
						leaves: "leaves early",
						stays: "plays to the end",
						normal: "",
					}[c.role];
		console.log(`  ${c.name.padEnd(7)} ${c.pcId ?? "      "}  ${what}`);
	}
	console.log("");

	// Scripted actions, at virtual times.
	const actions: { at: number; run: () => void | Promise<void> }[] = [];
	actions.push({
		at: updateAt,
		run: async () => {
			note(h.now, "lobby", "an update: the lobby shuts down; its BindToClose teleports everyone to lobby2");
			await lobby.server.close();
			note(h.now, "lobby", "the lobby has closed");
		},
	});
	for (const c of cast) {
		actions.push({
			at: c.joinAt,
			run: () => {
				note(
					h.now,
					"lobby",
					`${c.name} joins${c.pcId ? ` from the launcher on ${c.pcId}` : " (no LaunchData)"}`,
				);
				const handle = lobby.join({ userId: c.userId, name: c.name, pcId: c.pcId, balanceSec: c.balanceSec });
				handles.push({ handle, server: lobby, seenKick: false });
			},
		});
		if (c.role === "teleport") {
			actions.push({
				at: Math.round(total * 0.25),
				run: async () => {
					note(h.now, "lobby", `${c.name} asks to go to the arena`);
					await lobby.requestTeleport(c.userId, 2002);
				},
			});
		}
		if (c.role === "replaced") {
			actions.push({
				at: Math.round(total * 0.4),
				run: () => {
					const guest = 1901;
					names.set(guest, `${c.name}'s friend`);
					note(h.now, "arena", `${c.name}'s friend starts another PlayWave session on ${c.pcId}`);
					const handle = arena.join({ userId: guest, name: `${c.name}'s friend`, pcId: c.pcId });
					handles.push({ handle, server: arena, seenKick: false });
				},
			});
		}
		if (c.role === "leaves") {
			actions.push({
				at: Math.round(total * 0.6),
				run: () => {
					note(h.now, "lobby", `${c.name} leaves the game`);
					lobby.leave(c.userId);
				},
			});
		}
	}
	actions.sort((a, b) => a.at - b.at);

	// Drive the world in small steps; note kicks as they happen.
	const step = 5;
	let drawn = 0;
	/** getStats() of every server still running (the lobby closes for the update). */
	const liveStats = async () => {
		const rows: [string, PlaywaveStatsJson][] = [];
		for (const [game, name] of label)
			if (game.server.alive && !game.server.closing) rows.push([name, await game.stats()]);
		return rows;
	};
	const redraw = async () => {
		const current = watchTable(h.now, await liveStats());
		if (process.stdout.isTTY && drawn > 0) process.stdout.write(`\x1b[${drawn}A\x1b[0J`);
		console.log(current.join("\n"));
		drawn = current.length;
		await new Promise((resolve) => setTimeout(resolve, 150));
	};
	let nextDraw = 0;
	while (h.now < total) {
		if (values.watch && h.now >= nextDraw) {
			await redraw();
			nextDraw = h.now + 30;
		}
		while (actions.length > 0 && actions[0].at <= h.now) await actions.shift()!.run();
		const next = Math.min(total, h.now + step, actions[0]?.at ?? Infinity);
		await h.advance(next - h.now);
		for (const entry of handles) {
			if (!entry.seenKick && entry.handle.kicked) {
				entry.seenKick = true;
				note(h.now, label.get(entry.server)!, `${entry.handle.name} is KICKED: "${entry.handle.kickMessage}"`);
			}
		}
	}
	if (values.watch) {
		await redraw();
		console.log("");
	}
	// The stats snapshot of each server still running, just before they shut down.
	const snapshots = await liveStats();
	const analyticsEvents = [lobby, arena, lobby2].reduce((n, game) => n + game.server.analytics().length, 0);
	note(h.now, "all", "servers shut down (BindToClose ends every live session)");
	await Promise.all([arena.server.close(), lobby2.server.close()]);
	await h.advance(1);

	// What the game's callbacks received, and what the clients were told.
	for (const [server, where] of label) {
		for (const event of server.events()) {
			const who = names.get(event.userId) ?? String(event.userId);
			const [a, b, c] = event.args;
			const text: Record<string, string> = {
				verified: `${who}: onVerified(isPcCafe=${a}, ${b}${c && c !== "-" && c !== b ? `, ${c}` : ""})`,
				pcCafe: `${who}: onPcCafe — PC-cafe perks on`,
				chargeExhausted: `${who}: onChargeExhausted`,
				replaced: `${who}: onReplaced — PC-cafe perks off, session left alone`,
				lost: `${who}: onLost(${a})`,
				ended: `${who}: onEnded(${a}, server play ${b === "-" ? "?" : mmss(Number(b))})`,
				teleport: `${who}: prepareForTeleport → TeleportAsync(${a}) ${c}`,
				teleportFailed: `${who}: teleport failed (${a})`,
				softShutdown: `${who}: soft shutdown: prepareForTeleport → ${b === "true" ? "handed over" : "no live session"}, TeleportAsync(${a}) ${c}`,
			};
			note(event.time, where, text[event.kind] ?? `${who}: ${event.kind} ${event.args.join(" ")}`);
		}
		for (const fire of server.server.remotes.fired) {
			if (!fire.remote.endsWith("PlaywaveNotices")) continue;
			const message = fire.args[0] as { type: string; notice?: string; isPcCafe?: boolean };
			if (message.type !== "notice") continue;
			for (const userId of fire.userIds) {
				note(fire.time, where, `${names.get(userId) ?? userId}'s client: notice ${message.notice}`);
			}
		}
		for (const line of server.warnings()) note(server.server.now, where, `warning: ${line}`);
	}

	// The API side: verify and end one line each, heartbeats summarized per round.
	const ledger = h.ledger();
	const sessionUser = new Map(ledger.sessions.map((s) => [s.gameSessionId, Number(s.providerUserId)]));
	const rounds = new Map<number, { first: number; beats: string[] }>();
	for (const r of ledger.requests) {
		const t = r.at - EPOCH;
		const who = names.get(sessionUser.get(r.gameSessionId ?? "") ?? -1) ?? "?";
		const outcome = r.result ?? r.code ?? String(r.status);
		if (r.endpoint === "heartbeat") {
			const round = Math.floor(t / 60);
			if (!rounds.has(round)) rounds.set(round, { first: t, beats: [] });
			rounds.get(round)!.beats.push(outcome === "OK" ? who : `${who} ${outcome}`);
		} else if (r.endpoint === "verify") {
			note(t, "api", `POST verify → ${outcome === "VALID" ? `VALID (${who})` : outcome}`);
		} else if (r.endpoint === "end") {
			note(t, "api", `DELETE end ${who} → ${outcome}`);
		}
	}
	// One line per minute with heartbeats: how many, whose, and any result other than OK.
	for (const { first, beats } of rounds.values()) {
		note(first, "api", `PATCH heartbeat ×${beats.length}: ${beats.join(", ")}`);
	}

	lines.sort((a, b) => a.time - b.time || a.order - b.order);
	console.log("time   where  what");
	for (const line of lines) {
		console.log(`${mmss(line.time).padEnd(6)} ${line.where.padEnd(6)} ${line.text}`);
	}

	// The closing table, from the simulator's ledger.
	console.log("\nSessions (from the PlayWave simulator's ledger)");
	const header = ["player", "PC", "started", "billed", "heartbeats", "how it ended"];
	const rows = ledger.sessions.map((s) => [
		names.get(Number(s.providerUserId)) ?? s.providerUserId,
		s.pcId,
		mmss(s.startedAt - EPOCH),
		mmss(s.billedSec),
		String(s.requests.heartbeat),
		s.endedBy ?? s.state,
	]);
	for (const line of table(header, rows)) console.log(line);
	const normal = cast.filter((c) => c.pcId === undefined).map((c) => c.name);
	if (normal.length > 0) console.log(`(${normal.join(", ")}: not a PlayWave launch, so no session and no request)`);
	console.log(
		`\nTotal billed ${mmss(ledger.totalBilledSec)}; requests: ${ledger.counts.verify} verify, ${ledger.counts.heartbeat} heartbeat, ${ledger.counts.end} end; protocol violations: ${ledger.sessions.reduce((n, s) => n + s.violations.length, 0)}`,
	);

	// The soft shutdown, proven from the ledger: one session per player across it, no end in the lobby.
	const moved = lobby.events(undefined, "softShutdown").filter((e) => e.args[1] === "true");
	console.log(`\nSoft shutdown at ${mmss(updateAt)}: ${moved.length} PlayWave session(s) moved to lobby2`);
	for (const event of moved) {
		const sessions = h.sessionsOf(event.userId);
		const session = sessions[sessions.length - 1];
		const endedInLobby = lobby.events(event.userId, "ended").length;
		const gaps = heartbeatGaps(ledger, session.gameSessionId);
		const resumed = lobby2.events(event.userId, "verified")[0]?.args ?? [];
		console.log(
			`  ${(names.get(event.userId) ?? String(event.userId)).padEnd(7)} ${sessions.length} session(s); ` +
				`lobby2: onVerified(${resumed.slice(0, 2).join(", ")}); ends in the lobby: ${endedInLobby}; ` +
				`largest heartbeat gap ${Math.round(Math.max(0, ...gaps))} s (TTL 240 s); billed ${mmss(session.billedSec)}, ${session.endedBy ?? session.state}`,
		);
	}

	console.log("\nStats snapshot (getStats() on each server facade still running, just before shutdown)");
	for (const [name, stats] of snapshots) for (const line of statsReport(name, stats)) console.log(line);
	console.log(`  (AnalyticsService recorded ${analyticsEvents} custom events from all servers)`);
	console.log(`${minutes} virtual minutes in ${((Date.now() - started) / 1000).toFixed(1)} real seconds`);
	await h.dispose();
}

main().catch((problem) => {
	console.error(problem);
	process.exit(1);
});
