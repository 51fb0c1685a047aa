import type { Clock } from "./clock";
import { faultActs, FaultPlan, htmlErrorPage, malformBody, SERVER_HEADER } from "./faults";
import type { FaultEffect, FaultRule, FaultScope } from "./faults";
import { listen } from "./http";
import type { ListenOptions, SimServer } from "./http";
import { IdSource } from "./ids";
import { ApiKeyStore } from "./keys";
import { DEFAULT_BASE_PATH, DEFAULT_TIMING, ERROR_STATUS, ROUTES } from "./protocol";
import type { Endpoint, Environment, ErrorCode, Timing } from "./protocol";
import { FixedWindowLimiter } from "./rate-limit";
import type { RateLimit } from "./rate-limit";
import { jsonHeaders, writeJson } from "./replyStyle";
import type { ReplyStyle } from "./replyStyle";
import { parseJsonObject, validateEnd, validateHeartbeat, validateVerify } from "./validation";
import { World } from "./world";
import type { LauncherMode, OttRecord, SessionRecord } from "./world";

export interface SimulatorOptions {
	/** The only source of time. Pass a virtual clock to run hours in milliseconds. */
	clock: Clock;
	/** The environment this instance plays; keys of other environments get 401. Default "dev". */
	environment?: Environment;
	/** Default "/v1". */
	basePath?: string;
	/** Makes every generated id (OTT, session, request, key) reproducible. */
	seed?: string;
	timing?: Partial<Timing>;
	/** Sent verbatim as `next_heartbeat_in` (any JSON value, to test clients); default `timing.heartbeatIntervalSec`. */
	nextHeartbeatIn?: unknown;
	/** Per-key limit; null (default) for none. */
	rateLimit?: RateLimit | null;
	/** Add `Retry-After` to 429 replies. PlayWave documents none, so default false. */
	retryAfterHeader?: boolean;
	/** Answer 400 when `Content-Type` is not application/json. Default true. */
	requireJsonContentType?: boolean;
	/** How launchers of new PCs beat: "auto" (until killed, the default) or "manual". */
	launcherMode?: LauncherMode;
	/** Most request records kept in the ledger (oldest dropped first). Default 10 000. */
	requestLogLimit?: number;
	/**
	 * How JSON replies are written: "plain" (default) or "odd", the same content with fields the docs do
	 * not list, other key order, `120.0` for 120, `\/`, CRLF and indentation (see replyStyle.ts).
	 */
	replyStyle?: ReplyStyle;
}

export type Configurable = Omit<SimulatorOptions, "clock" | "seed" | "basePath" | "environment">;

/** A request as the game server's HttpService would send it. */
export interface SimRequest {
	method: string;
	/** An absolute URL or a path; only the path is used. */
	url: string;
	headers?: Record<string, string | string[] | undefined>;
	body?: string | null;
	/** Which game server sent it (fault rules with `server`); the `x-sim-server` header says the same over HTTP. */
	server?: string;
}

export interface SimResponse {
	/** 0 when the reply was dropped. */
	status: number;
	headers: Record<string, string>;
	body: string;
	/** Virtual seconds the reply takes to arrive; the caller applies it. */
	delaySec?: number;
	/** The reply was lost: the caller must surface a network error instead of this response. */
	dropped?: boolean;
	/** With `dropped`: whether the server processed the request before the reply was lost. */
	acted?: boolean;
}

/** What a runtime's HTTP handler receives (the shape of HttpService:RequestAsync's request). */
export interface WireRequest {
	url: string;
	method: string;
	headers?: Record<string, string>;
	body?: string;
}

/** What it returns: a response, or an engine-level error name (`HttpError: <name>`). */
export type WireResponse =
	| { status: number; body: string; headers: Record<string, string>; delay?: number }
	| { error: string; delay?: number };

export interface HttpHandlerOptions {
	/** Error for a reply lost after the server acted. Default "TimedOut". */
	lostReply?: string;
	/** Error for a request that never reached the server. Default "ConnectFail". */
	unreachable?: string;
	/** Tags every request as coming from this game server (fault rules with `server`). */
	server?: string;
}

export interface IssueOttOptions {
	userId: string | number;
	pcId: string;
	/** Default true (the only value PlayWave returns today). */
	isPcCafe?: boolean;
	/** Sets the account's play-time balance in seconds; omitted keeps the current one (0 for a new account). */
	balanceSec?: number;
	/** The game the token is for; default the first game added. */
	game?: string;
	launcher?: LauncherMode;
}

export interface AddGameOptions {
	gameId?: string;
	name?: string;
	active?: boolean;
	/** Use this plaintext key instead of generating one. */
	apiKey?: string;
}

export interface RequestRecord {
	seq: number;
	at: number;
	method: string;
	path: string;
	endpoint: Endpoint | null;
	/** The game whose key authenticated the call. */
	gameId: string | null;
	/** 0 when dropped. */
	status: number;
	/** The error code, if the reply was an error envelope. */
	code: string | null;
	/** verify: "VALID" or the rejection reason; heartbeat: the result; end: "SUCCESS". */
	result: string | null;
	/** The session the request named (`game_session_id` of its body), or the one verify created. */
	gameSessionId: string | null;
	/** `provider_user_id` of the body, when it had a string one. */
	providerUserId: string | null;
	/** The sending server's tag, if the wire gave one. */
	server: string | null;
	/** When the reply reaches the caller: `at + delaySec`. A request is in flight over [at, replyAt). */
	replyAt: number;
	/** Whether the server processed the request (false when a fault struck first). */
	acted: boolean;
	fault: FaultEffect["kind"] | null;
	dropped: boolean;
	delaySec: number;
}

export interface Ledger {
	sessions: SessionRecord[];
	otts: OttRecord[];
	requests: RequestRecord[];
	/** Requests received per endpoint (faulted ones included); "other" is anything off the API. */
	counts: Record<Endpoint | "other", number>;
	totalBilledSec: number;
}

interface Game {
	name: string;
	active: boolean;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
	code?: string;
	result?: string;
	gameId?: string;
	gameSessionId?: string;
	dropped?: boolean;
}

type Route = { endpoint: Endpoint } | { endpoint?: undefined; code: "NOT_FOUND" | "METHOD_NOT_ALLOWED" };

const MESSAGES: Record<ErrorCode, string> = {
	BAD_REQUEST: "Bad request",
	INVALID_API_KEY: "Invalid API key",
	RATE_LIMITED: "Too many requests",
	INTERNAL_ERROR: "Internal server error",
	SESSION_NOT_FOUND: "Game session not found",
	SESSION_ENDED: "Game session has ended",
	SESSION_ENDING: "Game session is ending",
	ALREADY_ENDED: "Game session already ended",
	NOT_FOUND: "Not found",
	METHOD_NOT_ALLOWED: "Method not allowed",
};

/**
 * The PlayWave Game Server API, in process. `handle` is pure and synchronous (no sockets, no
 * timers); `listen` serves the same handler over HTTP. Launcher-side methods drive the scenario.
 */
export class PlayWaveSimulator {
	readonly clock: Clock;
	readonly environment: Environment;
	readonly basePath: string;

	private readonly ids: IdSource;
	private readonly keys = new ApiKeyStore();
	private readonly games = new Map<string, Game>();
	private readonly faults: FaultPlan;
	private readonly limiter = new FixedWindowLimiter();
	private readonly world: World;
	private readonly config: Required<Omit<Configurable, "timing" | "nextHeartbeatIn">> & {
		timing: Timing;
		nextHeartbeatIn: unknown;
	};
	private requestLog: RequestRecord[] = [];
	private readonly counts: Record<Endpoint | "other", number> = { verify: 0, heartbeat: 0, end: 0, other: 0 };
	private seq = 0;

	constructor(options: SimulatorOptions) {
		this.clock = options.clock;
		this.environment = options.environment ?? "dev";
		this.basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
		this.ids = new IdSource(options.seed);
		// Latency draws have their own stream, so adding a latency rule does not change the ids.
		const draws = new IdSource(options.seed === undefined ? undefined : `${options.seed}:latency`);
		this.faults = new FaultPlan(() => draws.bytes(6).readUIntBE(0, 6) / 2 ** 48);
		this.config = {
			timing: { ...DEFAULT_TIMING },
			nextHeartbeatIn: undefined,
			rateLimit: null,
			retryAfterHeader: false,
			requireJsonContentType: true,
			launcherMode: "auto",
			requestLogLimit: 10_000,
			replyStyle: "plain",
		};
		this.configure(options);
		this.world = new World(
			() => this.config.timing,
			this.ids,
			() => this.config.launcherMode,
		);
	}

	/** Changes behaviour mid-scenario (timings, interval, rate limit, strictness). */
	configure(changes: Configurable): void {
		const { timing, ...rest } = changes;
		if (timing !== undefined) this.config.timing = { ...this.config.timing, ...timing };
		if ("nextHeartbeatIn" in rest) this.config.nextHeartbeatIn = rest.nextHeartbeatIn;
		if (rest.rateLimit !== undefined) this.config.rateLimit = rest.rateLimit;
		if (rest.retryAfterHeader !== undefined) this.config.retryAfterHeader = rest.retryAfterHeader;
		if (rest.requireJsonContentType !== undefined) this.config.requireJsonContentType = rest.requireJsonContentType;
		if (rest.launcherMode !== undefined) this.config.launcherMode = rest.launcherMode;
		if (rest.requestLogLimit !== undefined) this.config.requestLogLimit = rest.requestLogLimit;
		if (rest.replyStyle !== undefined) this.config.replyStyle = rest.replyStyle;
	}

	get timing(): Readonly<Timing> {
		return this.config.timing;
	}

	// ---- games and keys --------------------------------------------------------------------------

	/** Registers a game and issues it a key for this environment. */
	addGame(options: AddGameOptions = {}): { gameId: string; apiKey: string } {
		const gameId = options.gameId ?? `game_${this.ids.hex(12)}`;
		if (this.games.has(gameId)) throw new Error(`game "${gameId}" already exists`);
		this.games.set(gameId, { name: options.name ?? gameId, active: options.active ?? true });
		const apiKey = this.issueApiKey(gameId, { apiKey: options.apiKey });
		return { gameId, apiKey };
	}

	/** Issues another key for a game, possibly for another environment (which this instance then refuses). */
	issueApiKey(gameId: string, options: { environment?: Environment; apiKey?: string } = {}): string {
		if (!this.games.has(gameId)) throw new Error(`unknown game "${gameId}"`);
		const environment = options.environment ?? this.environment;
		const apiKey = options.apiKey ?? `pw_${environment}_${this.ids.hex(40)}`;
		this.keys.add(apiKey, gameId, environment);
		return apiKey;
	}

	/** Every request with this key gets 401 INVALID_API_KEY from `at` (a clock reading; default now) on. */
	revokeApiKey(apiKey: string, options: { at?: number } = {}): boolean {
		return this.keys.revoke(apiKey, options.at ?? this.clock.now());
	}

	/**
	 * Key rotation: a new key for the same game works at once; the old one is refused from `at`
	 * (default now). Returns the new key.
	 */
	rotateApiKey(apiKey: string, options: { at?: number; newKey?: string } = {}): string {
		const gameId = this.keys.gameOf(apiKey);
		if (gameId === undefined) throw new Error("unknown API key");
		const fresh = this.issueApiKey(gameId, { apiKey: options.newKey });
		this.keys.revoke(apiKey, options.at ?? this.clock.now());
		return fresh;
	}

	/** An inactive game's keys get 401 INVALID_API_KEY. */
	setGameActive(gameId: string, active: boolean): void {
		const game = this.games.get(gameId);
		if (game === undefined) throw new Error(`unknown game "${gameId}"`);
		game.active = active;
	}

	// ---- launcher side ---------------------------------------------------------------------------

	/** The launcher issues a one-time token for a player on a PC; returns the bare UUID. */
	issueOtt(options: IssueOttOptions): string {
		const gameId = options.game ?? this.games.keys().next().value;
		if (gameId === undefined || !this.games.has(gameId)) throw new Error(`unknown game "${String(gameId)}"`);
		return this.world.issueOtt(this.clock.now(), {
			userId: String(options.userId),
			pcId: options.pcId,
			gameId,
			isPcCafe: options.isPcCafe ?? true,
			balanceSec: options.balanceSec,
			launcher: options.launcher,
		});
	}

	/** Issues an OTT and returns it as the launcher puts it in `LaunchData`: `playwave_<uuid>`, or bare with `prefixed: false`. */
	issueLaunchData(options: IssueOttOptions & { prefixed?: boolean }): string {
		const ott = this.issueOtt(options);
		return options.prefixed === false ? ott : `playwave_${ott}`;
	}

	/** The launcher's own heartbeat (needed only for PCs in "manual" launcher mode; restarts a killed one). */
	launcherHeartbeat(pcId: string): void {
		this.world.launcherHeartbeat(this.clock.now(), pcId);
	}

	/** The launcher crashes or is force-closed now. */
	killLauncher(pcId: string): void {
		this.world.killLauncher(this.clock.now(), pcId);
	}

	/** False once the launcher has been silent for `launcherSilenceSec`. */
	launcherAlive(pcId: string): boolean {
		return this.world.launcherAlive(this.clock.now(), pcId);
	}

	/** Adds (or with a negative amount removes) play time; sessions in grace resume billing. Returns the new balance. */
	addBalance(userId: string | number, seconds: number): number {
		return this.world.addBalance(this.clock.now(), String(userId), seconds);
	}

	setBalance(userId: string | number, seconds: number): void {
		this.world.setBalance(this.clock.now(), String(userId), seconds);
	}

	/** The account's remaining play time in seconds, as of now. */
	balance(userId: string | number): number {
		return this.world.balance(this.clock.now(), String(userId));
	}

	// ---- faults ----------------------------------------------------------------------------------

	/** Adds a fault rule; returns its id for `removeFault`. */
	fault(rule: FaultRule): number {
		return this.faults.add(rule);
	}

	removeFault(id: number): boolean {
		return this.faults.remove(id);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/**
	 * The API is down during [from, to): 503 from the gateway, or no answer at all with `unreachable`;
	 * with `server`, only for that game server's requests.
	 */
	outage(
		from: number,
		to: number,
		options: { endpoint?: FaultScope; status?: number; unreachable?: boolean; server?: string } = {},
	): number {
		const effect: FaultEffect = options.unreachable
			? { kind: "drop", acted: false }
			: { kind: "error", status: options.status ?? 503, acted: false };
		return this.faults.add({ effect, endpoint: options.endpoint, from, to, server: options.server });
	}

	// ---- ledger ----------------------------------------------------------------------------------

	ledger(): Ledger {
		const sessions = this.world.sessionRecords(this.clock.now());
		return {
			sessions,
			otts: this.world.ottRecords(this.clock.now()),
			requests: this.requestLog.map((r) => ({ ...r })),
			counts: { ...this.counts },
			totalBilledSec: sessions.reduce((sum, s) => sum + s.billedSec, 0),
		};
	}

	sessions(): SessionRecord[] {
		return this.world.sessionRecords(this.clock.now());
	}

	session(gameSessionId: string): SessionRecord | undefined {
		return this.world.sessionRecord(this.clock.now(), gameSessionId);
	}

	// ---- the two faces ---------------------------------------------------------------------------

	/**
	 * `handle` shaped as a headless runtime's HTTP handler: `{ status, body, headers, delay }`, or
	 * `{ error, delay }` for a lost reply (`TimedOut` if the server acted, `ConnectFail` if the request
	 * never arrived).
	 */
	httpHandler(options: HttpHandlerOptions = {}): (request: WireRequest) => WireResponse {
		return (request) => {
			const response = this.handle(
				options.server === undefined ? request : { ...request, server: options.server },
			);
			const delay = response.delaySec;
			if (response.dropped) {
				const error = response.acted
					? (options.lostReply ?? "TimedOut")
					: (options.unreachable ?? "ConnectFail");
				return delay === undefined ? { error } : { error, delay };
			}
			const wire = { status: response.status, body: response.body, headers: response.headers };
			return delay === undefined ? wire : { ...wire, delay };
		};
	}

	/** Serves `handle` on 127.0.0.1 (port 0 picks a free one). */
	listen(port = 0, options: Omit<ListenOptions, "port"> = {}): Promise<SimServer> {
		return listen(this, { ...options, port });
	}

	/** Answers one API request at the clock's current reading. Synchronous and deterministic. */
	handle(request: SimRequest): SimResponse {
		const now = this.clock.now();
		// Methods are case-sensitive (RFC 9110 §9.1): "patch" is not PATCH.
		const method = request.method ?? "GET";
		const path = pathOf(request.url);
		const route = this.route(method, path);
		this.counts[route.endpoint ?? "other"] += 1;
		const headers = normalizeHeaders(request.headers);
		const server = request.server ?? headers[SERVER_HEADER];

		const faults = this.faults.match(route.endpoint, now, server);
		const effect = faults.effect;
		let reply: Reply;
		let acted = true;
		if (effect !== undefined && !faultActs(effect)) {
			acted = false;
			reply = this.faultReply(effect, now, undefined);
		} else {
			try {
				reply = this.process(route, request, headers, now);
				if (effect !== undefined) reply = { ...reply, ...this.faultReply(effect, now, reply) };
			} catch (error) {
				// A bug here (or a transform that throws) must look like PlayWave failing, not crash the caller.
				const message = error instanceof Error ? error.message : String(error);
				reply = this.error("INTERNAL_ERROR", now, `Simulator error: ${message}`);
			}
		}

		const named = bodyStrings(request.body);
		this.log({
			seq: ++this.seq,
			at: now,
			method,
			path,
			endpoint: route.endpoint ?? null,
			gameId: reply.gameId ?? null,
			status: reply.dropped ? 0 : reply.status,
			code: reply.code ?? null,
			result: reply.result ?? null,
			gameSessionId: reply.gameSessionId ?? named.gameSessionId,
			providerUserId: named.providerUserId,
			server: server ?? null,
			replyAt: now + faults.delaySec,
			acted,
			fault: effect?.kind ?? (faults.delaySec > 0 ? "latency" : null),
			dropped: reply.dropped === true,
			delaySec: faults.delaySec,
		});

		const response: SimResponse = reply.dropped
			? { status: 0, headers: {}, body: "", dropped: true, acted }
			: { status: reply.status, headers: { ...reply.headers }, body: reply.body };
		if (faults.delaySec > 0) response.delaySec = faults.delaySec;
		return response;
	}

	private route(method: string, path: string): Route {
		if (!path.startsWith(`${this.basePath}/`)) return { code: "NOT_FOUND" };
		const relative = path.slice(this.basePath.length);
		for (const [endpoint, spec] of Object.entries(ROUTES) as [Endpoint, { method: string; path: string }][]) {
			if (spec.path !== relative) continue;
			return spec.method === method ? { endpoint } : { code: "METHOD_NOT_ALLOWED" };
		}
		return { code: "NOT_FOUND" };
	}

	private process(route: Route, request: SimRequest, headers: Record<string, string>, now: number): Reply {
		if (route.endpoint === undefined) return this.error(route.code, now);

		const match = this.keys.lookup(headers["x-api-key"] ?? "", now);
		if (match === undefined || match.environment !== this.environment || !this.games.get(match.gameId)?.active) {
			return this.error("INVALID_API_KEY", now);
		}
		const gameId = match.gameId;
		const admitted = this.limiter.admit(match.keyId, now, this.config.rateLimit);
		if (!admitted.ok) {
			const reply = this.error("RATE_LIMITED", now, undefined, gameId);
			if (this.config.retryAfterHeader) reply.headers["retry-after"] = String(admitted.retryAfterSec);
			return reply;
		}
		if (this.config.requireJsonContentType && !/^application\/json\s*(;|$)/i.test(headers["content-type"] ?? "")) {
			return this.error("BAD_REQUEST", now, "Content-Type must be application/json", gameId);
		}
		const parsed = parseJsonObject(request.body);
		if (!parsed.ok) return this.error("BAD_REQUEST", now, parsed.message, gameId);

		switch (route.endpoint) {
			case "verify": {
				const body = validateVerify(parsed.value);
				if (!body.ok) return this.error("BAD_REQUEST", now, body.message, gameId);
				const outcome = this.world.verify(now, gameId, body.value.ott, body.value.providerUserId);
				if (!outcome.valid) {
					return {
						...this.success({ is_valid: false, reason: outcome.reason }),
						result: outcome.reason,
						gameId,
					};
				}
				return {
					...this.success({
						is_valid: true,
						game_session_id: outcome.gameSessionId,
						is_pc_cafe: outcome.isPcCafe,
					}),
					result: "VALID",
					gameId,
					gameSessionId: outcome.gameSessionId,
				};
			}
			case "heartbeat": {
				const body = validateHeartbeat(parsed.value);
				if (!body.ok) return this.error("BAD_REQUEST", now, body.message, gameId);
				const outcome = this.world.heartbeat(now, body.value.gameSessionId, body.value.providerUserId);
				if (outcome.kind === "error") {
					return {
						...this.error(outcome.code, now, undefined, gameId),
						gameSessionId: outcome.gameSessionId,
					};
				}
				const data = {
					result: outcome.result,
					next_heartbeat_in: this.config.nextHeartbeatIn ?? this.config.timing.heartbeatIntervalSec,
					play_duration_sec: Math.floor(outcome.playDurationSec + 1e-9),
				};
				return { ...this.success(data), result: outcome.result, gameId, gameSessionId: outcome.gameSessionId };
			}
			case "end": {
				const body = validateEnd(parsed.value);
				if (!body.ok) return this.error("BAD_REQUEST", now, body.message, gameId);
				const outcome = this.world.end(now, body.value.gameSessionId, body.value.clientPlayDurationSec);
				if (outcome.kind === "error") {
					return {
						...this.error(outcome.code, now, undefined, gameId),
						gameSessionId: outcome.gameSessionId,
					};
				}
				const data = {
					result: "SUCCESS",
					play_duration_sec: Math.floor(outcome.playDurationSec + 1e-9),
					client_play_duration_sec: outcome.clientPlayDurationSec,
				};
				return { ...this.success(data), result: "SUCCESS", gameId, gameSessionId: outcome.gameSessionId };
			}
		}
	}

	private success(data: Record<string, unknown>): Reply {
		const body = { success: true, request_id: `req_${this.ids.hex(24)}`, data };
		const style = this.config.replyStyle;
		return { status: 200, headers: jsonHeaders(style), body: writeJson(body, style) };
	}

	private error(code: ErrorCode, now: number, message?: string, gameId?: string): Reply {
		const body = { success: false, error: { code, message: message ?? MESSAGES[code], timestamp: isoTime(now) } };
		const style = this.config.replyStyle;
		return { status: ERROR_STATUS[code], headers: jsonHeaders(style), body: writeJson(body, style), code, gameId };
	}

	/** The reply a fault puts in place of (or over) the real one. */
	private faultReply(effect: Exclude<FaultEffect, { kind: "latency" }>, now: number, real: Reply | undefined): Reply {
		switch (effect.kind) {
			case "drop":
				return { status: 0, headers: {}, body: "", dropped: true };
			case "error": {
				const status = effect.status ?? 500;
				if (effect.html ?? (status === 502 || status === 503 || status === 504)) {
					const headers: Record<string, string> = { "content-type": "text/html" };
					if (effect.retryAfterSec !== undefined) headers["retry-after"] = String(effect.retryAfterSec);
					return { status, headers, body: htmlErrorPage(status), code: undefined };
				}
				const code = (effect.code ?? codeForStatus(status)) as ErrorCode;
				const body = {
					success: false,
					error: { code, message: MESSAGES[code] ?? code, timestamp: isoTime(now) },
				};
				const headers = jsonHeaders(this.config.replyStyle);
				if (effect.retryAfterSec !== undefined) headers["retry-after"] = String(effect.retryAfterSec);
				return { status, headers, body: writeJson(body, this.config.replyStyle), code };
			}
			case "malformed": {
				const base = real ?? this.success({});
				const html = effect.body === "html";
				return {
					status: effect.status ?? base.status,
					headers: html ? { "content-type": "text/html" } : { ...base.headers },
					body: malformBody(base.body, effect.body, effect.fields, effect.set),
				};
			}
		}
	}

	private log(record: RequestRecord): void {
		this.requestLog.push(record);
		const excess = this.requestLog.length - this.config.requestLogLimit;
		if (excess > 0) this.requestLog = this.requestLog.slice(excess);
	}
}

function pathOf(url: string): string {
	try {
		return new URL(url, "http://simulator.invalid").pathname;
	} catch {
		return url;
	}
}

/** `game_session_id` and `provider_user_id` of a JSON body, when they are strings (for the request log). */
function bodyStrings(body: string | null | undefined): { gameSessionId: string | null; providerUserId: string | null } {
	const none = { gameSessionId: null, providerUserId: null };
	if (typeof body !== "string" || body === "") return none;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return none;
	}
	if (typeof parsed !== "object" || parsed === null) return none;
	const record = parsed as Record<string, unknown>;
	return {
		gameSessionId: typeof record.game_session_id === "string" ? record.game_session_id : null,
		providerUserId: typeof record.provider_user_id === "string" ? record.provider_user_id : null,
	};
}

function normalizeHeaders(headers: SimRequest["headers"]): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined) continue;
		result[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
	}
	return result;
}

function codeForStatus(status: number): ErrorCode {
	const byStatus: Record<number, ErrorCode> = { 400: "BAD_REQUEST", 401: "INVALID_API_KEY", 429: "RATE_LIMITED" };
	return byStatus[status] ?? "INTERNAL_ERROR";
}

function isoTime(seconds: number): string {
	const ms = seconds * 1000;
	return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : new Date(0).toISOString();
}
