// The e2e harness: real game places (a roblox-ts game on the npm build, a Luau game on the Wally build)
// running in the headless Roblox runtime against the PlayWave simulator, on one virtual clock.
// Reusable by scenario tests, the demo and benchmarks.
import { join } from "node:path";
import { World } from "../runtime";
import type {
	Client,
	HttpRequest,
	HttpResponse,
	PlayerHandle,
	Server,
	ServerOptions,
	SignalBehavior,
} from "../runtime";
import { PlayWaveSimulator } from "../simulator";
import type { IssueOttOptions, Ledger, SessionRecord, SimServer, SimulatorOptions, SimResponse } from "../simulator";

/** Unix time at virtual 0, shared by the world and the simulator. */
export const EPOCH = 1_700_000_000;

export const PLACES = {
	/** A roblox-ts game importing the npm (package-mode) build from rbxts_include.node_modules. */
	rbxts: join(__dirname, "places", "rbxts-game.project.json"),
	/** A plain Luau game requiring the Wally build from ReplicatedStorage.Packages (shared realm). */
	wally: join(__dirname, "places", "wally-game.project.json"),
} as const;
export type PlaceName = keyof typeof PLACES;

/** The secret name both places pass as `apiKeySecret`. */
export const SECRET_NAME = "playwave_api_key";
export const NOTICE_REMOTE = "ReplicatedStorage.PlaywaveNotices";
export const TELEPORT_REMOTE = "ReplicatedStorage.PlaywaveE2ETeleport";
const EVENT_PREFIX = "PLAYWAVE-EVENT ";
const CLIENT_PREFIX = "PLAYWAVE-CLIENT ";
const TAG_HEADER = "x-e2e-request";

/**
 * How game servers reach the simulator: `loopback` forwards every request with `fetch` to
 * `sim.listen()` on 127.0.0.1 (the wire: real HTTP, real sockets); `inprocess` calls `sim.httpHandler()`.
 */
export type Wire = "loopback" | "inprocess";

export interface HarnessOptions {
	wire?: Wire;
	/** Seeds the world (math.random, GUIDs) and the simulator's ids. */
	seed?: number;
	/** Simulator options other than the clock. */
	sim?: Omit<SimulatorOptions, "clock">;
	/** Workspace.SignalBehavior of the game servers (default: E2E_SIGNAL_BEHAVIOR, else the runtime's Deferred). */
	signalBehavior?: SignalBehavior;
	/** How PlayWave answers (default: E2E_API, else "prompt"); see {@link ApiManner}. */
	api?: ApiManner;
}

/**
 * How the simulated API answers a whole run. "prompt": at once, in the documented envelope. "rough":
 * every reply late (a log-normal around {@link ROUGH_LATENCY}'s median, a few much later) and written in
 * the simulator's odd-but-valid style (fields the docs do not list, other key order, `120.0`, CRLF):
 * the world as it is, which every scenario family must also pass. A scenario's own latency and fault
 * rules apply on top.
 */
export type ApiManner = "prompt" | "rough";

/** The latency of the "rough" manner: median 0.4 s, 2 % of replies 3–8 s. */
export const ROUGH_LATENCY = { medianSec: 0.4, spread: 0.6, tail: { share: 0.02, minSec: 3, maxSec: 8 } } as const;

/** The API manner `npm test` runs the suite under (it runs the deferred-events pass also "rough"). */
export function apiMannerFromEnv(): ApiManner | undefined {
	const value = process.env.E2E_API;
	if (value === undefined || value === "") return undefined;
	if (value !== "prompt" && value !== "rough") throw new Error(`E2E_API must be prompt or rough, not ${value}`);
	return value;
}

/** The signal behaviour `npm test` runs the suite under (it runs it once per mode). */
export function signalBehaviorFromEnv(): SignalBehavior | undefined {
	const value = process.env.E2E_SIGNAL_BEHAVIOR;
	if (value === undefined || value === "") return undefined;
	if (value !== "Deferred" && value !== "Immediate") {
		throw new Error(`E2E_SIGNAL_BEHAVIOR must be Deferred or Immediate, not ${value}`);
	}
	return value;
}

/** One line the game's PlayWave callbacks printed. */
export interface GameEvent {
	kind: string;
	userId: number;
	/** The callback's arguments, as printed ("-" for nil). */
	args: string[];
	/** Virtual seconds. */
	time: number;
}

export interface ServerMessage {
	type: "status" | "notice";
	isPcCafe?: boolean;
	notice?: string;
	text?: string;
}

/** What the client notices module handed the game's LocalScript (its signals). */
export type ClientEvent =
	| { kind: "status"; isPcCafe: boolean; time: number }
	| { kind: "notice"; notice: string; text: string; time: number };

export interface JoinOptions {
	userId: number;
	name?: string;
	/** Issue a launcher token for this PC (LaunchData `playwave_<ott>`); omitted: use `launchData` as given. */
	pcId?: string;
	/** With `pcId`: the account's G-coin balance in seconds (default 10 hours). */
	balanceSec?: number;
	/** With `pcId`: the bare UUID instead of the prefixed form. */
	bare?: boolean;
	/** Raw LaunchData when no `pcId` (omitted: a normal player). */
	launchData?: string;
	/**
	 * The player's client starts with the join and its LocalScript runs PlaywaveNotices.start(),
	 * which tells the server it is ready (default true; false: start it later with `game.ready`).
	 */
	ready?: boolean;
	/** With `pcId`: whether the launcher says PC-cafe (default true). */
	isPcCafe?: boolean;
}

/** How the game place starts the SDK (set as ServerStorage attributes before its scripts run). */
export interface GameOptions {
	/** Pass the key as `apiKey` instead of `apiKeySecret`. */
	keyInConfig?: boolean;
	debug?: boolean;
	/** The game's BindToClose teleports everyone to `placeId`, bound before or after the SDK's. */
	softShutdown?: { order: "gameFirst" | "sdkFirst"; placeId: number; delaySec?: number };
}

export class Harness {
	readonly sim: PlayWaveSimulator;
	readonly apiKey: string;
	readonly gameId: string;
	readonly servers: GameServer[] = [];
	/** Requests forwarded over the wire (loopback only). */
	wireRequests = 0;
	private loop?: SimServer;
	private tagSeq = 0;
	private readonly tags = new Map<string, SimResponse>();
	private nextPlaceId = 1000;

	private constructor(
		readonly world: World,
		readonly wire: Wire,
		/** How the simulated API answers this run ("rough": slow, odd-but-valid replies). */
		readonly manner: ApiManner,
		simOptions: Omit<SimulatorOptions, "clock"> | undefined,
	) {
		this.sim = new PlayWaveSimulator({
			...(manner === "rough" ? { replyStyle: "odd" } : {}),
			...simOptions,
			clock: { now: () => EPOCH + world.now },
		});
		if (manner === "rough") this.sim.fault({ effect: { kind: "latency", delaySec: ROUGH_LATENCY } });
		const game = this.sim.addGame({ name: "e2e-game" });
		this.apiKey = game.apiKey;
		this.gameId = game.gameId;
	}

	static async create(options: HarnessOptions = {}): Promise<Harness> {
		const world = await World.create({
			seed: options.seed ?? 1,
			epoch: EPOCH,
			signalBehavior: options.signalBehavior ?? signalBehaviorFromEnv(),
		});
		const manner = options.api ?? apiMannerFromEnv() ?? "prompt";
		const simOptions = { seed: String(options.seed ?? 1), ...options.sim };
		const harness = new Harness(world, options.wire ?? "loopback", manner, simOptions);
		if (harness.wire === "loopback") await harness.openLoopback();
		return harness;
	}

	/** Virtual seconds. */
	get now(): number {
		return this.world.now;
	}

	/** The simulator served on 127.0.0.1; its `handle` is wrapped to tag each reply's latency and loss. */
	private async openLoopback() {
		const handle = this.sim.handle.bind(this.sim);
		this.sim.handle = (request) => {
			const response = handle(request);
			const raw = request.headers?.[TAG_HEADER];
			const tag = Array.isArray(raw) ? raw[0] : raw;
			if (tag !== undefined) this.tags.set(tag, response);
			return response;
		};
		this.loop = await this.sim.listen(0, { host: "127.0.0.1", realSecondsPerVirtualSecond: 0 });
	}

	/** The runtime HTTP handler for this harness's wire. */
	httpHandler(): (request: HttpRequest) => HttpResponse | Promise<HttpResponse> {
		if (this.wire === "inprocess") return this.sim.httpHandler() as (request: HttpRequest) => HttpResponse;
		const origin = this.loop!.origin;
		return async (request) => {
			this.wireRequests++;
			const tag = String(++this.tagSeq);
			const url = new URL(request.url);
			// The place says `environment = "dev"`: only the path matters, the host becomes the loopback.
			const target = `${origin}${url.pathname}${url.search}`;
			try {
				const reply = await fetch(target, {
					method: request.method,
					headers: { ...request.headers, [TAG_HEADER]: tag },
					body: request.body,
				});
				const body = await reply.text();
				const delay = this.tags.get(tag)?.delaySec;
				this.tags.delete(tag);
				const headers: Record<string, string> = {};
				reply.headers.forEach((value, key) => (headers[key] = value));
				return delay === undefined
					? { status: reply.status, body, headers }
					: { status: reply.status, body, headers, delay };
			} catch {
				// The simulator dropped the reply (socket destroyed): TimedOut (HttpError: Timedout) if it acted, else ConnectFail.
				const seen = this.tags.get(tag);
				this.tags.delete(tag);
				const error = seen?.dropped && seen.acted ? "TimedOut" : "ConnectFail";
				return seen?.delaySec === undefined ? { error } : { error, delay: seen.delaySec };
			}
		};
	}

	/** Builds and starts a game server from a place. */
	async startServer(
		options: {
			place?: PlaceName;
			placeId?: number;
			apiKey?: string;
			echo?: boolean;
			game?: GameOptions;
			/** Extra fields of the game's Playwave config (JSON values only), e.g. `{ analytics: true }`. */
			config?: Record<string, unknown>;
		} & Partial<ServerOptions> = {},
	): Promise<GameServer> {
		const { place = "rbxts", apiKey = this.apiKey, game: gameOptions, config, ...rest } = options;
		const server = await this.world.createServer({
			project: PLACES[place],
			placeId: options.placeId ?? this.nextPlaceId++,
			// Bound to the dev environment's domain, like a secret created for it in the Creator Dashboard.
			secrets: { [SECRET_NAME]: { value: apiKey, domains: ["*.playwave.dev"] } },
			http: this.httpHandler(),
			// Players arriving by teleport get a client too (`join` decides for the players it joins).
			clients: true,
			...rest,
		});
		const game = new GameServer(this, server, place);
		this.servers.push(game);
		const attributes: Record<string, string | number | boolean> = {};
		if (gameOptions?.keyInConfig) attributes.PlaywaveApiKey = apiKey;
		if (gameOptions?.debug) attributes.PlaywaveDebug = true;
		if (gameOptions?.softShutdown) {
			attributes.SoftShutdown = gameOptions.softShutdown.order;
			attributes.SoftShutdownPlaceId = gameOptions.softShutdown.placeId;
			attributes.SoftShutdownDelay = gameOptions.softShutdown.delaySec ?? 0;
		}
		if (config !== undefined) attributes.PlaywaveE2EConfig = JSON.stringify(config);
		const sets = Object.entries(attributes).map(
			([name, value]) => `storage:SetAttribute(${JSON.stringify(name)}, ${JSON.stringify(value)})`,
		);
		if (sets.length > 0) await server.eval(`local storage = game:GetService("ServerStorage")\n${sets.join("\n")}`);
		await server.start();
		await this.world.advance(0);
		return game;
	}

	/** `playwave_<ott>` from the launcher (account = the Roblox UserId). */
	launchData(options: IssueOttOptions & { prefixed?: boolean }): string {
		return this.sim.issueLaunchData(options);
	}

	ledger(): Ledger {
		return this.sim.ledger();
	}

	/** Sessions of one Roblox user, oldest first. */
	sessionsOf(userId: number): SessionRecord[] {
		return this.sim.sessions().filter((s) => s.providerUserId === String(userId));
	}

	sessionOf(userId: number): SessionRecord {
		const sessions = this.sessionsOf(userId);
		if (sessions.length === 0) throw new Error(`no PlayWave session for user ${userId}`);
		return sessions[sessions.length - 1];
	}

	/** Every output line of every server that contains `text` (the API key must never be one). */
	outputContaining(text: string): string[] {
		return this.servers.flatMap((game) =>
			game.server.output
				.filter((line) => line.text.includes(text))
				.map((line) => `${game.placeId}: ${line.text}`),
		);
	}

	/** Every protocol violation the simulator recorded, over all sessions. */
	violations(): string[] {
		return this.sim.sessions().flatMap((s) => s.violations.map((v) => `${s.gameSessionId}: ${v}`));
	}

	advance(seconds: number): Promise<void> {
		return this.world.advance(seconds);
	}

	runUntil(condition: () => boolean, maxVirtualSeconds = 600): Promise<void> {
		return this.world.runUntil(condition, maxVirtualSeconds);
	}

	async dispose(): Promise<void> {
		await this.world.dispose();
		await this.loop?.close();
		this.loop = undefined;
	}
}

/** A started game server and what its players and the game saw. */
export class GameServer {
	constructor(
		readonly harness: Harness,
		readonly server: Server,
		readonly place: PlaceName,
	) {}

	get placeId(): number {
		return this.server.placeId;
	}

	/** A player joins: from the launcher (`pcId`), with raw LaunchData, or as a normal player. */
	join(options: JoinOptions): PlayerHandle {
		let launchData = options.launchData;
		if (options.pcId !== undefined) {
			launchData = this.harness.launchData({
				userId: options.userId,
				pcId: options.pcId,
				balanceSec: options.balanceSec ?? 36_000,
				prefixed: !options.bare,
				isPcCafe: options.isPcCafe,
			});
		}
		return this.server.players.join({
			userId: options.userId,
			name: options.name ?? `player${options.userId}`,
			launchData,
			client: options.ready !== false,
		});
	}

	/** Starts the player's client (its LocalScript runs PlaywaveNotices.start(), which says it is ready). */
	ready(userId: number): Promise<Client> {
		const handle = this.server.players.get(userId);
		if (!handle) throw new Error(`no player ${userId} joined ${this.server.jobId}`);
		return handle.startClient();
	}

	/** The player's client (throws when it has none). */
	client(userId: number): Client {
		const client = this.server.players.get(userId)?.client;
		if (!client) throw new Error(`player ${userId} has no client in ${this.server.jobId}`);
		return client;
	}

	/** What the client notices module reported to the game's LocalScript, in order. */
	clientEvents(userId: number): ClientEvent[] {
		const events: ClientEvent[] = [];
		for (const line of this.client(userId).output) {
			if (line.level !== "print" || !line.text.startsWith(CLIENT_PREFIX)) continue;
			const rest = line.text.slice(CLIENT_PREFIX.length);
			const [kind, first] = rest.split(" ", 2);
			if (kind === "status") events.push({ kind, isPcCafe: first === "true", time: line.time });
			else if (kind === "notice") {
				const text = rest.slice(kind.length + first.length + 2);
				events.push({ kind, notice: first, text, time: line.time });
			}
		}
		return events;
	}

	/** The notice kinds the client module received. */
	clientNotices(userId: number): string[] {
		return this.clientEvents(userId).flatMap((e) => (e.kind === "notice" ? [e.notice] : []));
	}

	/** The PC-cafe statuses the client module reported. */
	clientStatuses(userId: number): boolean[] {
		return this.clientEvents(userId).flatMap((e) => (e.kind === "status" ? [e.isPcCafe] : []));
	}

	/** Texts of the engine notifications the client showed (StarterGui:SetCore "SendNotification"). */
	shown(userId: number): string[] {
		return this.client(userId)
			.notifications()
			.map((n) => n.Text);
	}

	leave(userId: number): void {
		this.server.players.leave(userId);
	}

	/**
	 * The player's client asks the game to teleport it (the game calls prepareForTeleport, then
	 * TeleportAsync); a player without a client has the test fire the remote in its name.
	 */
	async requestTeleport(userId: number, placeId: number): Promise<void> {
		const client = this.server.players.get(userId)?.client;
		if (client?.alive) {
			// From the player's own client, through the emulated network, as a game's teleport button would.
			await client.eval(
				`game:GetService("ReplicatedStorage"):WaitForChild("PlaywaveE2ETeleport"):FireServer(${Number(placeId)})`,
			);
			return;
		}
		this.server.remotes.fireServer(TELEPORT_REMOTE, userId, placeId);
	}

	/** What the game's PlayWave callbacks received, in order. */
	events(userId?: number, kind?: string): GameEvent[] {
		const events: GameEvent[] = [];
		for (const line of this.server.output) {
			if (line.level !== "print" || !line.text.startsWith(EVENT_PREFIX)) continue;
			const [eventKind, user, ...args] = line.text.slice(EVENT_PREFIX.length).split(" ");
			const event = { kind: eventKind, userId: Number(user), args, time: line.time };
			if ((userId === undefined || event.userId === userId) && (kind === undefined || event.kind === kind)) {
				events.push(event);
			}
		}
		return events;
	}

	/** The one event of a kind for a user (throws when there is not exactly one). */
	event(userId: number, kind: string): GameEvent {
		const found = this.events(userId, kind);
		if (found.length !== 1) {
			throw new Error(`expected one ${kind} event for ${userId}, got ${found.length}: ${this.describe(userId)}`);
		}
		return found[0];
	}

	/** What the player's client received on PlaywaveNotices. */
	messages(userId: number): ServerMessage[] {
		return this.server.remotes.firedTo(userId, NOTICE_REMOTE).map((fire) => fire.args[0] as ServerMessage);
	}

	notices(userId: number): string[] {
		return this.messages(userId)
			.filter((m) => m.type === "notice")
			.map((m) => m.notice!);
	}

	warnings(): string[] {
		return this.server.lines("warning");
	}

	errors(): string[] {
		return this.server.lines("error");
	}

	/**
	 * Runs the world until `userId` has an event of `kind` (for at most `withinSec` virtual seconds), then
	 * returns it: replies take time (always in the "rough" manner), so a scenario waits for them.
	 */
	async waitForEvent(userId: number, kind: string, withinSec = 30): Promise<GameEvent> {
		await this.harness.runUntil(() => this.events(userId, kind).length > 0, withinSec);
		return this.event(userId, kind);
	}

	/** The SDK's stats snapshot (`getStats()` on the server facade), as JSON. */
	async stats(): Promise<PlaywaveStatsJson> {
		const [json] = await this.server.eval(
			`return game:GetService("HttpService"):JSONEncode(require(game:GetService("ServerStorage").PlaywaveE2E).server:getStats())`,
		);
		return JSON.parse(String(json)) as PlaywaveStatsJson;
	}

	/** Handy in failure messages. */
	describe(userId?: number): string {
		return this.events(userId)
			.map((e) => `${e.time.toFixed(1)} ${e.kind} ${e.userId} ${e.args.join(" ")}`)
			.join("; ");
	}
}

/**
 * `getStats()` as it comes out of JSONEncode: the SDK's `PlaywaveStats` (src/server/stats/types.ts, the
 * source of truth), with absent optional fields missing. Declared again because the Node side cannot
 * type-check the SDK's roblox-ts sources; test/architecture/statsShape.test.ts keeps the fields in step.
 */
export interface PlaywaveStatsJson {
	at: number;
	sessions: Record<string, number>;
	requests: {
		lastMinute: Record<"verify" | "heartbeat" | "end", { sent: number; refused: number }>;
		sentLastMinute: number;
		refusedLastMinute: number;
		share: number;
		urgentLimit: number;
		available: number;
		engineLimit: number;
		queued: number;
		inFlight: number;
		slowInFlight: number;
		expiredUnsent: number;
	};
	connection: {
		condition: "healthy" | "paused" | "misconfigured";
		cause?: string;
		since: number;
		lastFailure?: { failureClass: string; status?: number; kind: string; at: number };
		pausedUntil?: number;
	};
	totals: {
		verified: number;
		verifiedPcCafe: number;
		rejected: Record<string, number>;
		lost: Record<string, number>;
		chargeExhausted: number;
		replaced: number;
		ended: Record<"Ended" | "AlreadyGone" | "Unconfirmed", number>;
		handedOver: number;
		resumed: number;
	};
	analytics?: { logged: number; dropped: number };
}

/** Seconds between consecutive accepted heartbeats (and verify) of a session, from the ledger. */
export function heartbeatGaps(ledger: Ledger, gameSessionId: string): number[] {
	const times = ledger.requests
		.filter(
			(r) =>
				r.gameSessionId === gameSessionId &&
				r.acted &&
				((r.endpoint === "heartbeat" && r.status === 200) || (r.endpoint === "verify" && r.result === "VALID")),
		)
		.map((r) => r.at);
	return times.slice(1).map((t, i) => t - times[i]);
}
