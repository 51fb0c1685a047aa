// What the request-path scenarios (issue #10) observe from outside the SDK: requests in flight per
// session from the simulator's request log, one server's tagged wire, and a game's own HTTP load
// injected into a running place (a script of the game, counting its own refusals).
import type { HttpRequest, HttpResponse, Server } from "../runtime";
import { SERVER_HEADER } from "../simulator";
import type { Ledger, RequestRecord } from "../simulator";
import { EPOCH } from "./harness";
import type { Harness } from "./harness";

/** Where the game's own requests go: answered by the test's wire, never by PlayWave. */
export const GAME_BACKEND = "https://game-backend.example.com";

/** The most requests naming one session that were in flight at once, and where. */
export interface InFlight {
	max: number;
	/** A session (or `user:<id>` for verifies) that reached `max`, and when (virtual seconds). */
	where?: { key: string; at: number; requests: number[] };
}

/**
 * Requests in flight at once per session, from the simulator's view: a request is in flight over
 * [at, replyAt) (the reply's latency is on the wire). Heartbeats and ends count for the session they
 * name, verifies for the player (`user:<id>`); a verify's session is keyed by the player too, since
 * no heartbeat can name it before the reply arrives.
 */
export function maxInFlight(ledger: Ledger): InFlight {
	const byKey = new Map<string, RequestRecord[]>();
	for (const r of ledger.requests) {
		const key =
			r.endpoint === "verify"
				? `user:${r.providerUserId}`
				: r.endpoint === "heartbeat" || r.endpoint === "end"
					? r.gameSessionId
					: null;
		if (key === null) continue;
		const list = byKey.get(key) ?? [];
		list.push(r);
		byKey.set(key, list);
	}
	let result: InFlight = { max: 0 };
	for (const [key, list] of byKey) {
		// The most overlapping intervals are all open at one of their starts. A request counts at its
		// own start even with no latency; another one counts if it started no later and has not
		// been answered yet.
		for (const r of list) {
			const open = list.filter((o) => o === r || (o.at <= r.at && o.replyAt > r.at));
			if (open.length > result.max) {
				result = { max: open.length, where: { key, at: r.at - EPOCH, requests: open.map((o) => o.seq) } };
			}
		}
	}
	return result;
}

/** Requests the simulator received in [from, to) virtual seconds. */
export function requestsBetween(ledger: Ledger, from: number, to: number): RequestRecord[] {
	return ledger.requests.filter((r) => r.at >= EPOCH + from && r.at < EPOCH + to);
}

/**
 * The largest gap between accepted heartbeats (or the verify) of any session: up to its end, to the
 * TTL's expiry for a session lost to it, or to `until` (virtual seconds) for one still live.
 */
export function maxAcceptedGap(ledger: Ledger, until: number): number {
	const times = new Map<string, number[]>();
	for (const r of ledger.requests) {
		if (r.gameSessionId === null || !r.acted) continue;
		const accepted =
			(r.endpoint === "heartbeat" && r.status === 200) || (r.endpoint === "verify" && r.result === "VALID");
		if (!accepted) continue;
		const list = times.get(r.gameSessionId) ?? [];
		list.push(r.at);
		times.set(r.gameSessionId, list);
	}
	let max = 0;
	for (const session of ledger.sessions) {
		const list = times.get(session.gameSessionId) ?? [];
		const end =
			session.endedBy === "ttl_expired"
				? session.closedAt!
				: (session.endedAt ?? session.closedAt ?? EPOCH + until);
		const points = [...list, Math.max(end, list.at(-1) ?? end)];
		for (let i = 1; i < points.length; i++) max = Math.max(max, points[i] - points[i - 1]);
	}
	return max;
}

/** Game-side HTTP traffic and PlayWave traffic through one server's wire, with the times each was sent. */
export interface Wire {
	handler: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;
	/** Virtual times of PlayWave requests that left this server (the engine admitted them). */
	playwaveSent: number[];
	/** Virtual times of the game's own requests that left this server. */
	gameSent: number[];
}

/**
 * A server's wire: PlayWave requests go to the harness's wire, tagged with `server` (so fault rules
 * naming it hit only this server); the game's own requests (to `GAME_BACKEND`) get an immediate 200.
 */
export function serverWire(h: Harness, server?: string): Wire {
	const inner = h.httpHandler();
	const wire: Wire = { playwaveSent: [], gameSent: [], handler: () => ({ error: "ConnectFail" }) };
	wire.handler = (request) => {
		if (request.url.startsWith(GAME_BACKEND)) {
			wire.gameSent.push(h.now);
			return { status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } };
		}
		wire.playwaveSent.push(h.now);
		const headers = server === undefined ? request.headers : { ...request.headers, [SERVER_HEADER]: server };
		return inner({ ...request, headers });
	};
	return wire;
}

/**
 * The game's own scripts: `perMinute` HttpService requests a minute to the game's back end, spread
 * evenly (a share every second), each in its own thread as a game's systems would send them. The
 * script counts what the engine refused ("Number of requests exceeded limit") and when.
 */
export function gameLoadSource(perMinute: number): string {
	return `
local HttpService = game:GetService("HttpService")
local stats = { sent = 0, refused = 0, failed = 0, refusedAt = {} }
_G.GameLoadStats = stats
local function send()
	local ok, problem = pcall(function()
		return HttpService:RequestAsync({
			Url = "${GAME_BACKEND}/v1/telemetry",
			Method = "POST",
			Headers = { ["Content-Type"] = "application/json" },
			Body = "{}",
		})
	end)
	if ok then
		stats.sent += 1
	elseif string.find(tostring(problem), "Number of requests exceeded limit", 1, true) then
		stats.refused += 1
		table.insert(stats.refusedAt, tick())
	else
		stats.failed += 1
	end
end
task.spawn(function()
	local owed = 0
	while true do
		owed += ${perMinute} / 60
		while owed >= 1 do
			owed -= 1
			task.spawn(send)
		end
		task.wait(1)
	end
end)
return true
`;
}

export interface GameLoadStats {
	sent: number;
	refused: number;
	failed: number;
	/** Virtual seconds (world time) of each refusal. */
	refusedAt: number[];
}

/** Starts the game's own load in a running server. */
export async function startGameLoad(server: Server, perMinute: number): Promise<void> {
	await server.eval(gameLoadSource(perMinute), { name: "GameLoad" });
}

export async function gameLoadStats(server: Server): Promise<GameLoadStats> {
	const [raw] = await server.eval("return _G.GameLoadStats");
	const stats = raw as {
		sent: number;
		refused: number;
		failed: number;
		refusedAt?: number[] | Record<string, number>;
	};
	const times = Array.isArray(stats.refusedAt) ? stats.refusedAt : Object.values(stats.refusedAt ?? {});
	return { sent: stats.sent, refused: stats.refused, failed: stats.failed, refusedAt: times.map((t) => t - EPOCH) };
}

/** How many of `times` fall in the 60 s before `t` (the engine's sliding window: (t − 60, t]). */
export function inWindow(times: number[], t: number): number {
	let count = 0;
	for (const x of times) if (x > t - 60 && x <= t) count++;
	return count;
}
