// One player's client: a second engine (its own DataModel and scheduler) in its server's LuauState,
// built from the place's replicated services only, running the place's LocalScripts. Remote events
// and ReplicatedStorage changes travel between it and the server through the emulated network
// (engine/network.luau), delivered by the world after `networkLatency` virtual seconds.
import { engineChunk, hold, type StateSlot } from "./luau";
import type { TreeNode } from "./project";
import type { ClientOptions, CoreCall, OutputLevel, OutputLine } from "./types";
import { withVm } from "./vm";
import type { PlayerHandle, Server } from "./server";

interface ChunkState {
	done: boolean;
	ok?: boolean;
	results?: unknown[];
	error?: string;
}

type Dispatch = (op: string, payload: string) => Promise<unknown[]>;

interface RunStatus {
	status: "limit" | "io" | "interrupt";
	now: number;
	nextWake: number;
}

/** Services whose contents the engine never sends to clients (ServerScriptService, ServerStorage). */
const SERVER_ONLY = new Set(["ServerScriptService", "ServerStorage"]);

/** The project tree as a client sees it: the server-only services are there, but empty. */
export function clientTree(tree: TreeNode): TreeNode {
	return {
		...tree,
		children: (tree.children ?? []).map((child) =>
			SERVER_ONLY.has(child.className) || SERVER_ONLY.has(child.name)
				? { name: child.name, className: child.className, children: [] }
				: child,
		),
	};
}

export class Client {
	/** Everything the client's scripts printed, warned or reported as an error. */
	readonly output: OutputLine[] = [];
	/** Called for every output line as it happens. */
	onOutput?: (line: OutputLine) => void;
	/** Every successful StarterGui:SetCore call, in order. */
	readonly core: CoreCall[] = [];
	/** False once the player left the server (the client is gone with it). */
	alive = true;
	private clock = 0;
	private readonly chunks = new Map<number, ChunkState>();
	private nextChunk = 0;
	private nextWake: number | undefined;
	private dispatch!: Dispatch;

	private constructor(
		readonly server: Server,
		readonly player: PlayerHandle,
		readonly options: ClientOptions,
	) {}

	/** @internal Use the `client` join option or `player.startClient()`. */
	static async create(
		server: Server,
		player: PlayerHandle,
		slot: StateSlot,
		tree: TreeNode,
		config: Record<string, unknown>,
		options: ClientOptions,
	): Promise<Client> {
		const client = new Client(server, player, options);
		await withVm(async () => {
			const init = engineChunk(slot, "init") as () => Promise<unknown[]>;
			const [boot] = (await init()) as [(config: string, tree: string) => Promise<unknown[]>];
			const [dispatch] = (await boot(JSON.stringify(config), JSON.stringify(clientTree(tree)))) as [Dispatch];
			hold(slot, boot);
			client.dispatch = hold(slot, dispatch);
		});
		client.clock = server.world.now;
		await withVm(() => client.refresh());
		return client;
	}

	get userId(): number {
		return this.player.userId;
	}

	/** Virtual time as this client last saw it. */
	get now(): number {
		return this.clock;
	}

	/** StarterGui:SetCore calls, optionally of one name (e.g. "SendNotification"). */
	coreCalls(name?: string): CoreCall[] {
		return this.core.filter((c) => name === undefined || c.name === name);
	}

	/** The notifications SetCore("SendNotification", …) showed: their config tables. */
	notifications(): Array<{ Title: string; Text: string; Duration?: number; [key: string]: unknown }> {
		return this.coreCalls("SendNotification").map(
			(c) => c.args[0] as { Title: string; Text: string; Duration?: number },
		);
	}

	/**
	 * Runs Luau source as a LocalScript of this client and drives the world until it returns;
	 * resolves with its return values, rejects with its error (like `server.eval`).
	 */
	async eval(source: string, options: { maxVirtualSeconds?: number } = {}): Promise<unknown[]> {
		const id = ++this.nextChunk;
		const chunk: ChunkState = { done: false };
		this.chunks.set(id, chunk);
		await this.command("spawnChunk", JSON.stringify({ id, source, name: `client${this.userId}.eval` }));
		await this.server.world.runUntil(() => chunk.done, options.maxVirtualSeconds ?? 3600);
		this.chunks.delete(id);
		if (!chunk.ok) throw new Error(chunk.error);
		return chunk.results ?? [];
	}

	/** Output lines at `level` (or all), as text. */
	lines(level?: OutputLevel): string[] {
		return this.output.filter((l) => level === undefined || l.level === level).map((l) => l.text);
	}

	// ---- driver side ---------------------------------------------------------------------------

	/** @internal */
	wakeTime(): number | undefined {
		return this.alive ? this.nextWake : undefined;
	}

	/** @internal Runs the client's work due up to `limit`. */
	async runTo(limit: number): Promise<void> {
		if (!this.alive) return;
		await withVm(() => this.invokeRun(limit));
	}

	/** @internal Queues an engine op at the world's current time; resolves when it has run. */
	command(op: string, payload: string): Promise<void> {
		if (!this.alive) return Promise.resolve();
		return withVm(async () => {
			while (this.clock < this.server.world.now) await this.invokeRun(this.server.world.now);
			await this.invoke(op, payload);
			await this.refresh();
		});
	}

	private async invoke(op: string, payload: string): Promise<string> {
		const [result] = await this.dispatch(op, payload);
		return result as string;
	}

	private async refresh(): Promise<void> {
		const s = JSON.parse(await this.invoke("nextWake", "")) as RunStatus;
		this.absorb(s);
	}

	private absorb(s: RunStatus): void {
		this.clock = s.now;
		this.nextWake = s.nextWake < 0 ? undefined : s.nextWake;
	}

	private async invokeRun(limit: number): Promise<RunStatus> {
		const s = JSON.parse(await this.invoke("runUntil", JSON.stringify({ limit, deliveries: [] }))) as RunStatus;
		this.absorb(s);
		return s;
	}

	// ---- host functions (routed here by the server that owns the LuauState) -------------------

	/** @internal */
	emit(level: OutputLevel, text: string, now: number): void {
		this.server.observeFromClient(now);
		if (now > this.clock) this.clock = now;
		const line: OutputLine = { level, text, time: now };
		this.output.push(line);
		if (this.options.echo ?? this.server.options.echo) {
			const prefix = level === "print" || level === "info" ? "" : `[${level}] `;
			console.log(`[${this.server.jobId} client ${this.userId} t=${now.toFixed(2)}] ${prefix}${text}`);
		}
		this.onOutput?.(line);
	}

	/** @internal */
	hostCall(op: string, payload: string, now: number): string | undefined {
		this.server.observeFromClient(now);
		if (now > this.clock) this.clock = now;
		switch (op) {
			case "net": {
				const { id } = JSON.parse(payload) as { id: number };
				this.server.sendPacket("server", id, now);
				return undefined;
			}
			case "core": {
				const { name, args } = JSON.parse(payload) as { name: string; args?: unknown[] };
				this.core.push({ time: now, name, args: args ?? [] });
				return undefined;
			}
			case "chunkDone": {
				const r = JSON.parse(payload) as ChunkState & { id: number; n?: number };
				const chunk = this.chunks.get(r.id);
				if (chunk) {
					chunk.done = true;
					chunk.ok = r.ok;
					chunk.error = r.error;
					chunk.results = Array.from({ length: r.n ?? 0 }, (_, i) => r.results?.[i] ?? undefined);
				}
				return undefined;
			}
			case "kick":
			case "left":
				return undefined;
			case "http":
				return JSON.stringify({ error: "ConnectFail" });
		}
		throw new Error(`unknown host op ${op} from client ${this.userId}`);
	}
}
