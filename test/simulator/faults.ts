import type { Endpoint } from "./protocol";

/**
 * Fault injection. A rule names an effect, the endpoint it hits ("*" for all) and optionally a
 * window of clock time and a number of uses. Faults model the network and the gateway in front of
 * PlayWave, so they apply before authentication.
 */

export type FaultScope = Endpoint | "*";

/** What a malformed reply looks like. `transform` receives the real body and returns the one sent. */
export type MalformedBody =
	"non-json" | "html" | "empty" | "truncated" | "missing-fields" | "set-fields" | ((body: string) => string);

/**
 * How long replies take, drawn per request: a log-normal body around `medianSec` (`spread` is its
 * σ, default 0.5; 0 makes it fixed), and with probability `tail.share` a slow reply uniform in
 * [`tail.minSec`, `tail.maxSec`] instead. `{ medianSec: 1, tail: { share: 0.05, minSec: 15, maxSec: 25 } }`
 * is "median 1 s, 5 % of replies 15–25 s". Draws come from the simulator's seed.
 */
export interface LatencyDistribution {
	medianSec: number;
	spread?: number;
	tail?: { share: number; minSec: number; maxSec: number };
}

export type FaultEffect =
	/**
	 * The reply arrives `delaySec` virtual seconds late (reported as `delaySec`; the HTTP face sleeps):
	 * a fixed number, or a distribution drawn per request. Latencies add up.
	 */
	| { kind: "latency"; delaySec: number | LatencyDistribution }
	/**
	 * The reply is lost: the caller should see a network error. With `acted` (default true) the server
	 * processed the request first (an OTT is consumed, a heartbeat is recorded); without, the request
	 * never arrived.
	 */
	| { kind: "drop"; acted?: boolean }
	/**
	 * An error status instead of the real reply. Default: 500 INTERNAL_ERROR in the documented envelope,
	 * not acted. `html` sends a gateway's HTML page instead of JSON (the default for 502/503/504).
	 * `retryAfterSec` adds a `Retry-After` header (delay-seconds form, RFC 9110 §10.2.3).
	 */
	| { kind: "error"; status?: number; code?: string; html?: boolean; acted?: boolean; retryAfterSec?: number }
	/**
	 * The server acts (by default), but the body is broken. `fields` (dot paths such as
	 * `data.next_heartbeat_in`) are what `missing-fields` removes; by default every field of `data`.
	 * `set-fields` writes `set` (dot path → any JSON value) over the real body: an unknown `result`,
	 * `play_duration_sec` as a string.
	 */
	| {
			kind: "malformed";
			body: MalformedBody;
			fields?: string[];
			set?: Record<string, unknown>;
			status?: number;
			acted?: boolean;
	  };

export interface FaultRule {
	effect: FaultEffect;
	endpoint?: FaultScope;
	/** Active from this clock reading (inclusive). */
	from?: number;
	/** Active until this clock reading (exclusive). */
	to?: number;
	/** Applies to this many matching requests, then retires. */
	times?: number;
	/**
	 * Only requests from this game server: the tag the test's wire puts on each server's requests
	 * (`SERVER_HEADER`, or `httpHandler({ server })`). Models one server's network or route failing.
	 */
	server?: string;
}

/**
 * The request header a test wire uses to say which game server sent a request. Roblox's own
 * `Roblox-Id` header is locked by the engine and its content undocumented (HttpService page), so
 * the simulator does not rely on it; it never answers differently because of this tag except
 * through fault rules that name a `server`.
 */
export const SERVER_HEADER = "x-sim-server";

export interface FaultMatch {
	delaySec: number;
	/** The first matching non-latency rule, if any. */
	effect?: Exclude<FaultEffect, { kind: "latency" }>;
	ruleIds: number[];
}

interface StoredRule extends FaultRule {
	id: number;
	remaining: number;
}

export class FaultPlan {
	private rules: StoredRule[] = [];
	private nextId = 1;

	/** `random` (uniform in [0, 1)) draws latencies from distributions. */
	constructor(private readonly random: () => number = Math.random) {}

	add(rule: FaultRule): number {
		if (rule.times !== undefined && !(rule.times >= 1)) throw new RangeError("times must be at least 1");
		if (rule.effect.kind === "latency") checkLatency(rule.effect.delaySec);
		if (rule.effect.kind === "error" && rule.effect.retryAfterSec !== undefined) {
			const after = rule.effect.retryAfterSec;
			if (!(Number.isInteger(after) && after >= 0)) throw new RangeError("retryAfterSec must be an integer >= 0");
		}
		const id = this.nextId++;
		this.rules.push({ ...rule, id, remaining: rule.times ?? Infinity });
		return id;
	}

	remove(id: number): boolean {
		const before = this.rules.length;
		this.rules = this.rules.filter((r) => r.id !== id);
		return this.rules.length !== before;
	}

	clear(): void {
		this.rules = [];
	}

	list(): FaultRule[] {
		return this.rules.map(({ id: _id, remaining, ...rule }) => ({
			...rule,
			times: remaining === Infinity ? undefined : remaining,
		}));
	}

	/**
	 * Finds the rules that hit a request and uses them up. `endpoint` is undefined for unknown routes;
	 * `server` is the sending server's tag, if the wire gave one.
	 */
	match(endpoint: Endpoint | undefined, now: number, server?: string): FaultMatch {
		const result: FaultMatch = { delaySec: 0, ruleIds: [] };
		for (const rule of this.rules) {
			const scope = rule.endpoint ?? "*";
			if (scope !== "*" && scope !== endpoint) continue;
			if (rule.from !== undefined && now < rule.from) continue;
			if (rule.to !== undefined && now >= rule.to) continue;
			if (rule.server !== undefined && rule.server !== server) continue;
			if (rule.effect.kind === "latency") {
				result.delaySec += drawLatency(rule.effect.delaySec, this.random);
			} else if (result.effect === undefined) {
				result.effect = rule.effect;
			} else {
				continue;
			}
			rule.remaining -= 1;
			result.ruleIds.push(rule.id);
		}
		this.rules = this.rules.filter((r) => r.remaining > 0);
		return result;
	}
}

function checkLatency(delay: number | LatencyDistribution): void {
	if (typeof delay === "number") {
		if (!(delay >= 0 && delay < Infinity)) throw new RangeError("delaySec must be a finite number >= 0");
		return;
	}
	if (!(delay.medianSec >= 0 && delay.medianSec < Infinity)) throw new RangeError("medianSec must be >= 0");
	if (delay.spread !== undefined && !(delay.spread >= 0 && delay.spread < Infinity)) {
		throw new RangeError("spread must be >= 0");
	}
	const tail = delay.tail;
	if (tail !== undefined) {
		if (!(tail.share >= 0 && tail.share <= 1)) throw new RangeError("tail.share must be in [0, 1]");
		if (!(tail.minSec >= 0 && tail.maxSec >= tail.minSec && tail.maxSec < Infinity)) {
			throw new RangeError("tail needs 0 <= minSec <= maxSec");
		}
	}
}

/** One reply's latency from a fixed value or a distribution. */
export function drawLatency(delay: number | LatencyDistribution, random: () => number): number {
	if (typeof delay === "number") return delay;
	const tail = delay.tail;
	if (tail !== undefined && random() < tail.share) return tail.minSec + random() * (tail.maxSec - tail.minSec);
	const spread = delay.spread ?? 0.5;
	if (spread === 0 || delay.medianSec === 0) return delay.medianSec;
	// Box–Muller: a standard normal from two uniforms (1 − u keeps the logarithm finite).
	const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
	return delay.medianSec * Math.exp(spread * normal);
}

/** Whether the server processes the request before the fault strikes. */
export function faultActs(effect: Exclude<FaultEffect, { kind: "latency" }>): boolean {
	switch (effect.kind) {
		case "drop":
			return effect.acted ?? true;
		case "error":
			return effect.acted ?? false;
		case "malformed":
			return effect.acted ?? true;
	}
}

const REASON: Record<number, string> = {
	500: "Internal Server Error",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
};

/** The HTML page a load balancer or CDN sends when the API behind it fails. */
export function htmlErrorPage(status: number): string {
	const title = `${status} ${REASON[status] ?? "Error"}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Breaks a JSON body as the malformed effect asks. */
export function malformBody(
	body: string,
	kind: MalformedBody,
	fields?: string[],
	set?: Record<string, unknown>,
): string {
	if (typeof kind === "function") return kind(body);
	switch (kind) {
		case "non-json":
			return "upstream connect error or disconnect/reset before headers. reset reason: overflow";
		case "html":
			return htmlErrorPage(502);
		case "empty":
			return "";
		case "truncated":
			return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
		case "set-fields": {
			const json = JSON.parse(body) as Record<string, unknown>;
			for (const [path, value] of Object.entries(set ?? {})) setPath(json, path.split("."), value);
			return JSON.stringify(json);
		}
		case "missing-fields": {
			const json = JSON.parse(body) as Record<string, unknown>;
			const paths =
				fields ?? Object.keys((json.data as Record<string, unknown> | undefined) ?? {}).map((k) => `data.${k}`);
			for (const path of paths) removePath(json, path.split("."));
			return JSON.stringify(json);
		}
	}
}

function removePath(target: Record<string, unknown>, path: string[]): void {
	const [head, ...rest] = path;
	if (rest.length === 0) {
		delete target[head];
		return;
	}
	const child = target[head];
	if (typeof child === "object" && child !== null) removePath(child as Record<string, unknown>, rest);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
	const [head, ...rest] = path;
	if (rest.length === 0) {
		target[head] = value;
		return;
	}
	let child = target[head];
	if (typeof child !== "object" || child === null) {
		child = {};
		target[head] = child;
	}
	setPath(child as Record<string, unknown>, rest, value);
}
