import type { Endpoint } from "./protocol";

/**
 * Fault injection. A rule names an effect, the endpoint it hits ("*" for all) and optionally a
 * window of clock time and a number of uses. Faults model the network and the gateway in front of
 * PlayWave, so they apply before authentication.
 */

export type FaultScope = Endpoint | "*";

/** What a malformed reply looks like. `transform` receives the real body and returns the one sent. */
export type MalformedBody = "non-json" | "html" | "empty" | "truncated" | "missing-fields" | ((body: string) => string);

export type FaultEffect =
	/** The reply arrives `delaySec` virtual seconds late (reported as `delaySec`; the HTTP face sleeps). Latencies add up. */
	| { kind: "latency"; delaySec: number }
	/**
	 * The reply is lost: the caller should see a network error. With `acted` (default true) the server
	 * processed the request first (an OTT is consumed, a heartbeat is recorded); without, the request
	 * never arrived.
	 */
	| { kind: "drop"; acted?: boolean }
	/**
	 * An error status instead of the real reply. Default: 500 INTERNAL_ERROR in the documented envelope,
	 * not acted. `html` sends a gateway's HTML page instead of JSON (the default for 502/503/504).
	 */
	| { kind: "error"; status?: number; code?: string; html?: boolean; acted?: boolean }
	/**
	 * The server acts (by default), but the body is broken. `fields` (dot paths such as
	 * `data.next_heartbeat_in`) are what `missing-fields` removes; by default every field of `data`.
	 */
	| { kind: "malformed"; body: MalformedBody; fields?: string[]; status?: number; acted?: boolean };

export interface FaultRule {
	effect: FaultEffect;
	endpoint?: FaultScope;
	/** Active from this clock reading (inclusive). */
	from?: number;
	/** Active until this clock reading (exclusive). */
	to?: number;
	/** Applies to this many matching requests, then retires. */
	times?: number;
}

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

	add(rule: FaultRule): number {
		if (rule.times !== undefined && !(rule.times >= 1)) throw new RangeError("times must be at least 1");
		if (rule.effect.kind === "latency" && !(rule.effect.delaySec >= 0))
			throw new RangeError("delaySec must be >= 0");
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

	/** Finds the rules that hit a request and uses them up. `endpoint` is undefined for unknown routes. */
	match(endpoint: Endpoint | undefined, now: number): FaultMatch {
		const result: FaultMatch = { delaySec: 0, ruleIds: [] };
		for (const rule of this.rules) {
			const scope = rule.endpoint ?? "*";
			if (scope !== "*" && scope !== endpoint) continue;
			if (rule.from !== undefined && now < rule.from) continue;
			if (rule.to !== undefined && now >= rule.to) continue;
			if (rule.effect.kind === "latency") {
				result.delaySec += rule.effect.delaySec;
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
export function malformBody(body: string, kind: MalformedBody, fields?: string[]): string {
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
