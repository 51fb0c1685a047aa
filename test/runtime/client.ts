// One player's client: a second engine (its own DataModel and scheduler) in its server's LuauState,
// built from the place's replicated services only, running the place's LocalScripts. Remote events
// and ReplicatedStorage changes travel between it and the server through the emulated network
// (engine/network.luau), delivered by the world after `networkLatency` virtual seconds.
import { EngineInstance } from "./engineInstance";
import type { StateSlot } from "./luau";
import type { TreeNode } from "./project";
import type { ClientOptions, CoreCall, OutputLevel } from "./types";
import { withVm } from "./vm";
import type { PlayerHandle, Server } from "./server";

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

export class Client extends EngineInstance {
	/** Every successful StarterGui:SetCore call, in order. */
	readonly core: CoreCall[] = [];
	/** False once the player left the server (the client is gone with it). */
	alive = true;

	private constructor(
		readonly server: Server,
		readonly player: PlayerHandle,
		readonly options: ClientOptions,
	) {
		super(server.world);
	}

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
		await withVm(() => client.bootEngine(slot, config, clientTree(tree)));
		client.clock = server.world.now;
		await withVm(() => client.refresh());
		return client;
	}

	get userId(): number {
		return this.player.userId;
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
	eval(source: string, options: { maxVirtualSeconds?: number } = {}): Promise<unknown[]> {
		return this.evalChunk(source, `client${this.userId}.eval`, options.maxVirtualSeconds);
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
		return this.runCommand(op, payload, async (limit) => void (await this.invokeRun(limit)));
	}

	// ---- host functions (routed here by the server that owns the LuauState) -------------------

	/** @internal */
	emit(level: OutputLevel, text: string, now: number): void {
		this.server.observeFromClient(now);
		if (now > this.clock) this.clock = now;
		const echo = this.options.echo ?? this.server.options.echo ?? false;
		this.record(level, text, now, echo, `${this.server.jobId} client ${this.userId}`);
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
			case "chunkDone":
				this.chunkDone(payload);
				return undefined;
			case "kick":
			case "left":
				return undefined;
			case "http":
				return JSON.stringify({ error: "ConnectFail" });
		}
		throw new Error(`unknown host op ${op} from client ${this.userId}`);
	}
}
