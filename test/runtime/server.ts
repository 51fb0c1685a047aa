// One emulated game server: a LuauState running the engine, its DataModel, and the JS side of
// the services the test controls (players, HTTP, teleports, remotes, output).
import type { AnalyticsEvent } from "./analytics";
import { Client } from "./client";
import { EngineInstance, type RunStatus } from "./engineInstance";
import { acquireState, releaseState, type StateSlot } from "./luau";
import { loadProjectTree, type TreeNode } from "./project";
import type {
	ClientOptions,
	HttpRequest,
	HttpResponse,
	JoinOptions,
	OutputLevel,
	RemoteFire,
	ServerOptions,
	SignalBehavior,
	SpecOutcome,
	SpecResults,
	TeleportCall,
	TeleportFailure,
} from "./types";
import { withVm } from "./vm";
import type { World } from "./world";

/** Enum.PlayerExitReason items (Roblox page "PlayerExitReason"). */
export const PLAYER_EXIT_REASONS = ["Unknown", "PlatformKick", "CreatorKick"] as const;
export type PlayerExitReason = (typeof PLAYER_EXIT_REASONS)[number];

/** Enum.CloseReason items (Roblox page "CloseReason"). */
export const CLOSE_REASONS = [
	"Unknown",
	"RobloxMaintenance",
	"DeveloperShutdown",
	"DeveloperUpdate",
	"ServerEmpty",
	"OutOfMemory",
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Why a player left, for the test (the engine only tells scripts a PlayerExitReason). */
export type LeaveCause = "left" | "kicked" | "teleported" | "shutdown";

/** One Player instance as the test sees it (a rejoin of the same user is a new handle). */
export class PlayerHandle {
	/** Message passed to the first Player:Kick, once kicked. */
	kickMessage?: string;
	/** Every Player:Kick call on this Player, in order (repeated calls included). */
	readonly kicks: { message: string; time: number }[] = [];
	/** Set when the player left the server (PlayerRemoving fired). */
	left = false;
	/** The Enum.PlayerExitReason item PlayerRemoving carried. */
	leaveReason?: PlayerExitReason;
	/** What made the player leave. */
	leaveCause?: LeaveCause;
	/** Resolves once PlayerAdded has fired in the server (and the player's client started, if it runs one). */
	joined: Promise<void> = Promise.resolve();
	/** The player's client, once started (the `client` join option or `startClient()`). */
	client?: Client;
	private clientStart?: Promise<Client>;

	constructor(
		readonly server: Server,
		readonly userId: number,
		readonly name: string,
		/** @internal Identifies this Player instance in the engine. */
		readonly joinId: number,
	) {}

	get kicked(): boolean {
		return this.kickMessage !== undefined;
	}

	/** Starts this player's client (once): its DataModel, then its LocalScripts. Resolves with it. */
	startClient(options: ClientOptions = {}): Promise<Client> {
		if (!this.clientStart) {
			this.clientStart = this.server.startClient(this, options).then((client) => (this.client = client));
			this.server.world.track(this.clientStart);
		}
		return this.clientStart;
	}
}

export class ServerPlayers {
	private readonly handles: PlayerHandle[] = [];
	private readonly byJoin = new Map<number, PlayerHandle>();
	private nextJoin = 0;

	constructor(private readonly server: Server) {}

	/** Joins a player (PlayerAdded fires at the current virtual time); returns its handle at once. */
	join(options: JoinOptions): PlayerHandle {
		if (!this.server.alive || this.server.closing) {
			throw new Error(`server ${this.server.jobId} is shutting down; it accepts no players`);
		}
		const name = options.name ?? `Player${options.userId}`;
		const handle = new PlayerHandle(this.server, options.userId, name, ++this.nextJoin);
		this.handles.push(handle);
		this.byJoin.set(handle.joinId, handle);
		const { client, ...rest } = options;
		// LaunchData is always a string (Roblox page "Player", GetJoinData).
		const launchData =
			rest.launchData === undefined || typeof rest.launchData === "string"
				? rest.launchData
				: JSON.stringify(rest.launchData);
		const info = { ...rest, name, launchData, joinId: handle.joinId };
		const clientOption = client ?? this.server.options.clients ?? false;
		const joined = this.server.command("join", JSON.stringify(info));
		handle.joined =
			clientOption === false
				? joined
				: joined.then(async () => {
						await handle.startClient(clientOption === true ? {} : clientOption);
					});
		this.server.world.track(handle.joined);
		this.server.world.memoryStore.playersChanged(this.server);
		return handle;
	}

	/** The player leaves: PlayerRemoving fires with `reason` (default Unknown), then the Player is removed. */
	leave(userId: number, reason: PlayerExitReason = "Unknown"): Promise<void> {
		if (!(PLAYER_EXIT_REASONS as readonly string[]).includes(reason)) {
			throw new Error(`"${reason}" is not an Enum.PlayerExitReason item (${PLAYER_EXIT_REASONS.join(", ")})`);
		}
		return this.server.command("leave", JSON.stringify({ userId, reason }));
	}

	/** The latest Player of this user in this server (the one present, if any). */
	get(userId: number): PlayerHandle | undefined {
		for (let i = this.handles.length - 1; i >= 0; i--)
			if (this.handles[i].userId === userId) return this.handles[i];
		return undefined;
	}

	/** Every Player this user has had in this server, oldest first. */
	all(userId: number): PlayerHandle[] {
		return this.handles.filter((h) => h.userId === userId);
	}

	/** Players currently in the server. */
	list(): PlayerHandle[] {
		return this.handles.filter((h) => !h.left);
	}

	/** @internal */
	markKicked(joinId: number, message: string, time: number): void {
		const handle = this.byJoin.get(joinId);
		if (!handle) return;
		handle.kicks.push({ message, time });
		handle.kickMessage ??= message;
	}

	/** @internal */
	markLeft(joinId: number, reason: PlayerExitReason, cause: LeaveCause): void {
		const handle = this.byJoin.get(joinId);
		if (handle) {
			handle.left = true;
			handle.leaveReason = reason;
			handle.leaveCause = cause;
			if (handle.client) handle.client.alive = false;
		}
	}
}

export class ServerTeleports {
	/** Every TeleportAsync call, in order. */
	readonly calls: TeleportCall[] = [];
	/** Virtual seconds between a successful TeleportAsync and the players leaving / arriving. */
	delay = 1;
	/** Decides each call's fate; return a failure to fail it. Runs after `failNext` entries are used up. */
	decide?: (call: TeleportCall) => TeleportFailure | undefined;
	/** Picks the destination server; by default a live server of this world with the target PlaceId. */
	route?: (call: TeleportCall) => Server | undefined;
	private readonly failures: TeleportFailure[] = [];

	constructor(private readonly server: Server) {}

	/** Makes the next TeleportAsync call fail. */
	failNext(failure: TeleportFailure = {}): void {
		this.failures.push(failure);
	}

	/** Moves a player to another server as a teleport would: leaves here, joins there with TeleportData. */
	async moveTo(userId: number, target: Server, teleportData?: unknown): Promise<void> {
		const handle = this.server.players.get(userId);
		await this.server.command("leave", JSON.stringify({ userId, reason: "Unknown", cause: "teleported" }));
		target.players.join({
			userId,
			name: handle?.name,
			teleportData,
			sourcePlaceId: this.server.placeId,
			sourceGameId: this.server.gameId,
		});
	}

	/** @internal Called by the engine for TeleportAsync. */
	handle(payload: string, now: number): string {
		const request = JSON.parse(payload) as {
			placeId: number;
			userIds: number[];
			teleportData?: string;
			reservedServerAccessCode?: string;
			serverInstanceId?: string;
			shouldReserveServer?: boolean;
		};
		const call: TeleportCall = {
			time: now,
			placeId: request.placeId,
			userIds: request.userIds,
			teleportData: request.teleportData === undefined ? undefined : JSON.parse(request.teleportData),
			reservedServerAccessCode: request.reservedServerAccessCode,
			serverInstanceId: request.serverInstanceId,
			shouldReserveServer: request.shouldReserveServer,
			outcome: "success",
		};
		const failure = this.failures.shift() ?? this.decide?.(call);
		this.calls.push(call);
		if (failure) {
			call.outcome = failure.mode ?? "throw";
			return JSON.stringify({
				outcome: call.outcome,
				message: failure.message ?? "Teleport failed",
				result: failure.result ?? "Failure",
				delay: this.delay,
			});
		}
		const world = this.server.world;
		const destination =
			this.route?.(call) ??
			world.servers.find((s) => s !== this.server && s.alive && !s.closing && s.placeId === call.placeId);
		if (destination) {
			call.destination = destination.jobId;
			world.schedule(now + this.delay, async () => {
				// A destination that shut down meanwhile takes nobody (the players are lost, as on Roblox).
				if (!destination.alive || destination.closing) return;
				for (const userId of call.userIds) {
					const name = this.server.players.get(userId)?.name;
					await destination.players.join({
						userId,
						name,
						teleportData: call.teleportData,
						sourcePlaceId: this.server.placeId,
						sourceGameId: this.server.gameId,
						members: call.userIds,
					}).joined;
				}
			});
		}
		return JSON.stringify({ outcome: "success", delay: this.delay });
	}
}

export class ServerRemotes {
	/** Every server→client FireClient/FireAllClients/InvokeClient, in order. */
	readonly fired: RemoteFire[] = [];
	private nextInvoke = 0;
	/** @internal */
	readonly invokes = new Map<number, (r: { ok: boolean; results: unknown[] }) => void>();

	constructor(private readonly server: Server) {}

	/** Fires that reached one player. */
	firedTo(userId: number, remote?: string): RemoteFire[] {
		return this.fired.filter((f) => f.userIds.includes(userId) && (remote === undefined || f.remote === remote));
	}

	/** A client fires a RemoteEvent: OnServerEvent(player, ...args) runs. `path` is dot-separated from game. */
	fireServer(path: string | string[], userId: number, ...args: unknown[]): Promise<void> {
		return this.server.command(
			"fireServer",
			JSON.stringify({ path: splitPath(path), userId, args, n: args.length }),
		);
	}

	/** A client invokes a RemoteFunction; drives the world until OnServerInvoke returns. */
	async invokeServer(path: string | string[], userId: number, ...args: unknown[]): Promise<unknown[]> {
		const id = ++this.nextInvoke;
		let outcome: { ok: boolean; results: unknown[] } | undefined;
		this.invokes.set(id, (r) => (outcome = r));
		await this.server.command(
			"fireServer",
			JSON.stringify({ path: splitPath(path), userId, args, n: args.length, id }),
		);
		await this.server.world.runUntil(() => outcome !== undefined, 3600);
		if (!outcome!.ok) throw new Error(String(outcome!.results[0]));
		return outcome!.results;
	}
}

/** Secrets as the engine holds them: a plain string is a secret usable with any domain ("*"). */
function normalizeSecrets(secrets: ServerOptions["secrets"]): Record<string, { value: string; domains: string[] }> {
	const out: Record<string, { value: string; domains: string[] }> = {};
	for (const [name, secret] of Object.entries(secrets ?? {})) {
		const entry = typeof secret === "string" ? { value: secret, domains: ["*"] } : secret;
		// The "Secrets stores" guide: up to 1,024 characters, and a domain for each secret.
		if (typeof entry.value !== "string" || entry.value.length > 1024) {
			throw new Error(`secret "${name}": the value must be a string of at most 1,024 characters`);
		}
		if (!Array.isArray(entry.domains) || entry.domains.length === 0) {
			throw new Error(`secret "${name}": give the domains it may be sent to (e.g. ["*.example.com"])`);
		}
		out[name] = { value: entry.value, domains: [...entry.domains] };
	}
	return out;
}

function splitPath(path: string | string[]): string[] {
	return typeof path === "string" ? path.split(".") : path;
}

export class Server extends EngineInstance {
	readonly players: ServerPlayers;
	readonly teleports: ServerTeleports;
	readonly remotes: ServerRemotes;
	/** What the spec bootstrap reported through HeadlessRuntime:ReportResults. */
	specResults?: SpecResults;
	/** Path of the spec TestEZ is running, as reported by the bootstrap. */
	currentSpec?: { path: string; since: number };
	/** Called when the bootstrap reports the spec it starts (or `undefined` when one ends). */
	onSpec?: (path: string | undefined) => void;
	/** Every finished spec as the bootstrap reported it, in order (kept when a later spec hangs). */
	readonly specsDone: SpecOutcome[] = [];
	/** Called for each finished spec. */
	onSpecDone?: (outcome: SpecOutcome) => void;
	readonly placeId: number;
	readonly gameId: number;
	readonly jobId: string;
	/** `Workspace.SignalBehavior` of this server. */
	readonly signalBehavior: SignalBehavior;
	/** False once the server shut down. */
	alive = true;
	/** True from the moment the server starts shutting down (BindToClose callbacks running). */
	closing = false;
	/** The Enum.CloseReason of the shutdown, once closing. */
	closeReason?: CloseReason;
	closeDone = false;
	started = false;

	private pendingIO = 0;
	private readonly pendingHttp = new Map<number, Promise<string>>();
	private settledHttp: { id: number; answer: string }[] = [];
	private slot?: StateSlot;
	private tree?: TreeNode;
	/** Clients of this server's players, by UserId (they share its LuauState). */
	private readonly clients = new Map<number, Client>();
	private static netKeys = 0;
	private readonly netKey = `net-${++Server.netKeys}`;

	private constructor(
		world: World,
		readonly options: ServerOptions,
		index: number,
	) {
		super(world);
		this.placeId = options.placeId ?? 0;
		this.signalBehavior = options.signalBehavior ?? world.signalBehavior;
		this.gameId = options.gameId ?? 0;
		this.jobId = options.jobId ?? `server-${index + 1}`;
		this.players = new ServerPlayers(this);
		this.teleports = new ServerTeleports(this);
		this.remotes = new ServerRemotes(this);
	}

	/** @internal Use world.createServer. */
	static async create(world: World, options: ServerOptions, index: number): Promise<Server> {
		const server = new Server(world, options, index);
		await server.boot(index);
		return server;
	}

	private async boot(index: number): Promise<void> {
		const timeout = this.options.httpTimeoutSec;
		if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
			throw new TypeError(`httpTimeoutSec must be a positive number of seconds, got ${String(timeout)}`);
		}
		const tree = loadProjectTree(this.options.project);
		this.tree = tree;
		const config = {
			placeId: this.placeId,
			gameId: this.options.gameId ?? 0,
			jobId: this.jobId,
			studio: this.options.studio ?? false,
			httpEnabled: this.options.httpEnabled ?? true,
			secrets: normalizeSecrets(this.options.secrets),
			localSecrets: normalizeSecrets(this.options.localSecrets),
			httpBudgetPerMinute: this.options.httpBudgetPerMinute ?? 500,
			httpTimeoutSec: this.options.httpTimeoutSec ?? 30,
			seed: this.world.seed + index,
			epoch: this.world.epoch,
			signalBehavior: this.signalBehavior,
			netKey: this.netKey,
		};
		await withVm(async () => {
			this.slot = await acquireState({
				hostCall: (op, payload, now, node) => this.hostCall(op, payload, now, node),
				hostOutput: (level, text, now, node) => this.emit(level as OutputLevel, text, now, node),
			});
			await this.bootEngine(this.slot, config, tree);
		});
		this.clock = this.world.now;
		await this.refresh();
	}

	/** Runs every Script under ServerScriptService (and installs a Luau HTTP handler, if given). */
	async start(): Promise<void> {
		if (this.started) throw new Error("server already started");
		this.started = true;
		const http = this.options.http;
		if (http && typeof http === "object" && "luau" in http) {
			await this.spawnChunk(
				`local handler = (function()\n${http.luau}\nend)()\ngame:GetService("HeadlessRuntime"):SetHttpHandler(handler)`,
				"HttpHandler",
			);
		}
		await this.command("start", "");
	}

	/**
	 * Shuts the server down like the engine (see the README): BindToClose callbacks run concurrently with
	 * the Enum.CloseReason, players still here are disconnected after them, and the server dies when the
	 * callbacks finish or 30 virtual seconds pass. `reason` defaults to what Roblox would pass: ServerEmpty
	 * when nobody is in the server, else DeveloperShutdown; a Studio play-test always closes with
	 * DeveloperShutdown.
	 */
	async close(options: { reason?: CloseReason } = {}): Promise<void> {
		if (!this.alive) return;
		if (!this.closing) {
			const studio = this.options.studio ?? false;
			const reason =
				options.reason ?? (studio || this.players.list().length > 0 ? "DeveloperShutdown" : "ServerEmpty");
			if (!(CLOSE_REASONS as readonly string[]).includes(reason)) {
				throw new Error(`"${reason}" is not an Enum.CloseReason item (${CLOSE_REASONS.join(", ")})`);
			}
			if (studio && reason !== "DeveloperShutdown") {
				throw new Error("a Studio play-test always closes with DeveloperShutdown (Roblox page CloseReason)");
			}
			await this.command("close", JSON.stringify({ reason }));
		}
		await this.world.tryRunUntil(() => this.closeDone, 31);
		this.alive = false;
	}

	/**
	 * Runs Luau source as a script in this server and drives the world until it returns; resolves
	 * with its return values (instances as `{ $instance: fullName }`), rejects with its error.
	 */
	eval(source: string, options: { name?: string; maxVirtualSeconds?: number } = {}): Promise<unknown[]> {
		return this.evalChunk(source, options.name ?? "eval", options.maxVirtualSeconds);
	}

	/**
	 * Stops the server for good and gives its LuauState back: the next server created reuses it
	 * (luau-web cannot free states, see luau.ts). Output and records stay readable.
	 */
	async destroy(): Promise<void> {
		this.alive = false;
		for (const client of this.clients.values()) client.alive = false;
		await withVm(async () => {
			if (this.slot) await releaseState(this.slot);
			this.slot = undefined;
		});
	}

	/** AnalyticsService events this server logged, dropped ones included (see `AnalyticsEvent.dropped`). */
	analytics(): AnalyticsEvent[] {
		return this.world.analytics.events.filter((e) => e.server === this.jobId);
	}

	/** Clients still connected (players who left take theirs with them). */
	liveClients(): Client[] {
		return [...this.clients.values()].filter((c) => c.alive);
	}

	/** @internal Boots a player's client in this server's LuauState and starts its LocalScripts. */
	async startClient(player: PlayerHandle, options: ClientOptions): Promise<Client> {
		if (!this.slot || !this.alive) throw new Error(`server ${this.jobId} is shut down`);
		if (player.left) throw new Error(`player ${player.userId} has left ${this.jobId}`);
		const config = {
			role: "client",
			node: String(player.userId),
			netKey: this.netKey,
			userId: player.userId,
			playerName: player.name,
			placeId: this.placeId,
			gameId: this.options.gameId ?? 0,
			jobId: this.jobId,
			studio: this.options.studio ?? false,
			httpEnabled: false,
			secrets: {},
			seed: this.world.seed + 1000 + player.userId,
			epoch: this.world.epoch,
			signalBehavior: this.signalBehavior,
			now: this.world.now,
			coreScriptsDelay: options.coreScriptsDelay ?? 0.5,
		};
		const client = await Client.create(this, player, this.slot, this.tree!, config, options);
		this.clients.set(player.userId, client);
		await client.command("start", "");
		return client;
	}

	/** @internal A packet of the emulated network: delivered to `to` after the latency. */
	sendPacket(to: number | "server", id: number, now: number): void {
		const latency = this.options.networkLatency ?? 0.05;
		this.world.schedule(now + latency, async () => {
			if (to === "server") {
				if (this.alive) await this.command("deliver", String(id));
				return;
			}
			const client = this.clients.get(to);
			if (client?.alive) await client.command("deliver", String(id));
		});
	}

	/** @internal A client's host call happened at virtual `now`. */
	observeFromClient(now: number): void {
		this.observe(now);
	}

	// ---- driver side ---------------------------------------------------------------------------

	/** @internal When this server next needs to run, if ever. */
	wakeTime(): number | undefined {
		if (this.pendingIO > 0 || this.settledHttp.length > 0) return this.clock;
		return this.nextWake;
	}

	/** @internal Runs this server's work due up to `limit`, awaiting HTTP handlers as needed. */
	async runTo(limit: number): Promise<void> {
		for (;;) {
			const status = await withVm(() => this.invokeRun(limit));
			if (status.status === "io") {
				await this.awaitHttp();
				continue;
			}
			if (status.status === "interrupt") return;
			return;
		}
	}

	/** @internal Queues an engine op at the world's current time; resolves when it has run. */
	command(op: string, payload: string): Promise<void> {
		if (!this.alive) return Promise.reject(new Error(`server ${this.jobId} is shut down`));
		return this.runCommand(op, payload, async (limit) => {
			const status = await this.invokeRun(limit);
			if (status.status === "io") await this.awaitHttp();
		});
	}

	protected override absorb(s: RunStatus): void {
		super.absorb(s);
		this.pendingIO = s.pendingIO;
	}

	/** Runs the engine up to `limit`, handing it the HTTP answers that settled meanwhile. */
	protected override invokeRun(limit: number): Promise<RunStatus> {
		const deliveries = this.settledHttp;
		this.settledHttp = [];
		return super.invokeRun(limit, deliveries);
	}

	private async awaitHttp(): Promise<void> {
		const pending = [...this.pendingHttp.entries()];
		if (pending.length === 0 && this.settledHttp.length === 0) {
			throw new Error(`server ${this.jobId}: the engine waits for HTTP responses the runtime does not have`);
		}
		this.pendingHttp.clear();
		// A handler whose promise does not settle within `httpHandlerRealTimeoutMs` real milliseconds
		// never answers: the request times out in the engine, on virtual time (HttpError: Timedout).
		const realTimeout = this.options.httpHandlerRealTimeoutMs ?? 2000;
		const answers = await Promise.all(
			pending.map(([, p]) => {
				let timer: NodeJS.Timeout | undefined;
				const giveUp = new Promise<string>((resolve) => {
					timer = setTimeout(() => resolve(JSON.stringify({ noAnswer: true })), realTimeout);
				});
				return Promise.race([p, giveUp]).finally(() => clearTimeout(timer));
			}),
		);
		pending.forEach(([id], i) => this.settledHttp.push({ id, answer: answers[i] }));
	}

	// ---- host functions (called synchronously from Luau) ----------------------------------------

	/** A host call happened at virtual `now`: the world's clock shows it to JS code (HTTP handlers, hooks). */
	private observe(now: number): void {
		if (now > this.clock) this.clock = now;
		if (now > this.world.now) this.world.now = now;
	}

	private emit(level: OutputLevel, text: string, now: number, node?: string): void {
		if (node !== undefined) {
			this.clients.get(Number(node))?.emit(level, text, now);
			return;
		}
		this.observe(now);
		this.record(level, text, now, this.options.echo ?? false, this.jobId);
	}

	private hostCall(op: string, payload: string, now: number, node?: string): string | undefined {
		if (node !== undefined) return this.clients.get(Number(node))?.hostCall(op, payload, now);
		this.observe(now);
		switch (op) {
			case "net": {
				const { to, id } = JSON.parse(payload) as { to: number; id: number };
				this.sendPacket(to, id, now);
				return undefined;
			}
			case "http":
				return this.startHttp(payload, now);
			case "kick": {
				const { joinId, message } = JSON.parse(payload) as { joinId: number; message: string };
				this.players.markKicked(joinId, message, now);
				return undefined;
			}
			case "left": {
				const { joinId, reason, cause } = JSON.parse(payload) as {
					joinId: number;
					reason: PlayerExitReason;
					cause: LeaveCause;
				};
				this.players.markLeft(joinId, reason, cause);
				return undefined;
			}
			case "closing":
				this.closing = true;
				this.closeReason = (JSON.parse(payload) as { reason: CloseReason }).reason;
				return undefined;
			case "teleport":
				return this.teleports.handle(payload, now);
			case "memoryStore":
				return this.world.memoryStore.hostRequest(this, payload, now);
			case "messaging":
				return this.world.messaging.hostRequest(this, payload, now);
			case "analytics":
				return this.world.analytics.hostRequest(this, payload, now);
			case "remote": {
				const fire = JSON.parse(payload) as { remote: string; userIds: number[]; args: unknown[]; n: number };
				const args = Array.from({ length: fire.n }, (_, i) => fire.args[i] ?? undefined);
				this.remotes.fired.push({ time: now, remote: fire.remote, userIds: fire.userIds, args });
				return undefined;
			}
			case "results":
				this.specResults = JSON.parse(payload) as SpecResults;
				return undefined;
			case "spec":
				this.currentSpec = payload === "" ? undefined : { path: payload, since: now };
				this.onSpec?.(this.currentSpec?.path);
				return undefined;
			case "specDone":
				this.specsDone.push(JSON.parse(payload) as SpecOutcome);
				this.onSpecDone?.(this.specsDone[this.specsDone.length - 1]);
				return undefined;
			case "closeDone":
				this.closeDone = true;
				this.alive = false;
				return undefined;
			case "chunkDone":
				this.chunkDone(payload);
				return undefined;
			case "invokeDone": {
				const r = JSON.parse(payload) as { id: number; ok: boolean; results: unknown[] };
				this.remotes.invokes.get(r.id)?.({ ok: r.ok, results: r.results ?? [] });
				this.remotes.invokes.delete(r.id);
				return undefined;
			}
		}
		throw new Error(`unknown host op ${op}`);
	}

	private startHttp(payload: string, now: number): string {
		const { id, request } = JSON.parse(payload) as { id: number; request: HttpRequest };
		const handler = this.options.http;
		if (typeof handler !== "function") {
			this.emit(
				"warning",
				`HTTP ${request.method} ${request.url}: no HTTP handler in this test (ConnectFail)`,
				now,
			);
			return JSON.stringify({ error: "ConnectFail" });
		}
		const failed = (e: unknown): string => {
			this.emit("warning", `HTTP handler threw (reported as ConnectFail): ${String(e)}`, now);
			return JSON.stringify({ error: "ConnectFail" });
		};
		let result: HttpResponse | Promise<HttpResponse>;
		try {
			result = handler({ ...request, headers: { ...request.headers } });
		} catch (e) {
			return failed(e);
		}
		if (result === null || typeof result !== "object") {
			return failed(new Error(`handler returned ${String(result)}, not a response`));
		}
		if (typeof (result as Promise<HttpResponse>).then === "function") {
			this.pendingHttp.set(
				id,
				(result as Promise<HttpResponse>).then(
					(r) =>
						r !== null && typeof r === "object"
							? JSON.stringify(r)
							: failed(new Error(`handler resolved to ${String(r)}, not a response`)),
					failed,
				),
			);
			return "";
		}
		return JSON.stringify(result);
	}
}
