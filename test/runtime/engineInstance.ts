// An engine instance on the world clock: one engine (a DataModel and its Luau scheduler) booted in a
// LuauState and driven through the dispatch function of the engine's driver (engine/init.luau). A
// server and each player's client are one each; this is what they share: booting, the engine's clock
// as the JS side last saw it, running it to a time, queueing an op at the world's time, script chunks
// and their results, and output lines.
import { engineChunk, hold, type StateSlot } from "./luau";
import type { TreeNode } from "./project";
import type { OutputLevel, OutputLine } from "./types";
import { withVm } from "./vm";
import type { World } from "./world";

type Dispatch = (op: string, payload: string) => Promise<unknown[]>;

/** What the driver's `runUntil` and `nextWake` ops report. */
export interface RunStatus {
	/** Why the run stopped: the limit reached, waiting for I/O (HTTP), or interrupted. */
	status: "limit" | "io" | "interrupt";
	now: number;
	/** When the engine next needs to run (negative: never, until something happens). */
	nextWake: number;
	/** Requests the engine waits on the JS side to answer (a server's HTTP). */
	pendingIO: number;
}

/** A script chunk run by `eval`, as its `chunkDone` host call reported it. */
export interface ChunkState {
	done: boolean;
	ok?: boolean;
	results?: unknown[];
	error?: string;
	trace?: string;
}

export abstract class EngineInstance {
	/** Everything the engine's scripts printed, warned or reported as an error, in order. */
	readonly output: OutputLine[] = [];
	/** Called for every output line as it happens. */
	onOutput?: (line: OutputLine) => void;
	/** Virtual time as this engine last saw it (it may lag the world while it has nothing to do). */
	protected clock = 0;
	protected nextWake: number | undefined;
	private readonly chunks = new Map<number, ChunkState>();
	private nextChunk = 0;
	private dispatch!: Dispatch;

	protected constructor(readonly world: World) {}

	/** Virtual time as this engine last saw it. */
	get now(): number {
		return this.clock;
	}

	/** Output lines at `level` (or all), as text. */
	lines(level?: OutputLevel): string[] {
		return this.output.filter((l) => level === undefined || l.level === level).map((l) => l.text);
	}

	/** @internal Queues an engine op at the world's current time; resolves when it has run. */
	abstract command(op: string, payload: string): Promise<void>;

	/** Boots the engine in `slot` from `config` and the project `tree` (inside a VM task). */
	protected async bootEngine(slot: StateSlot, config: Record<string, unknown>, tree: TreeNode): Promise<void> {
		const init = engineChunk(slot, "init") as () => Promise<unknown[]>;
		const [boot] = (await init()) as [(config: string, tree: string) => Promise<unknown[]>];
		const [dispatch] = (await boot(JSON.stringify(config), JSON.stringify(tree))) as [Dispatch];
		hold(slot, boot);
		this.dispatch = hold(slot, dispatch);
	}

	/**
	 * Runs `op` at the world's current time: the engine first catches up with the world (its clock lags
	 * while it has nothing to do), one `catchUp` at a time, then the op runs and the next wake is read.
	 */
	protected runCommand(op: string, payload: string, catchUp: (limit: number) => Promise<void>): Promise<void> {
		return withVm(async () => {
			while (this.clock < this.world.now) await catchUp(this.world.now);
			await this.invoke(op, payload);
			await this.refresh();
		});
	}

	/** Runs the engine's work due up to `limit`, handing it `deliveries` (answers to its I/O) first. */
	protected async invokeRun(limit: number, deliveries: unknown[] = []): Promise<RunStatus> {
		const s = JSON.parse(await this.invoke("runUntil", JSON.stringify({ limit, deliveries }))) as RunStatus;
		this.absorb(s);
		return s;
	}

	/** Reads the engine's clock and next wake. */
	protected async refresh(): Promise<void> {
		const s = JSON.parse(await this.invoke("nextWake", "")) as RunStatus;
		this.absorb(s);
	}

	protected absorb(s: RunStatus): void {
		this.clock = s.now;
		this.nextWake = s.nextWake < 0 ? undefined : s.nextWake;
	}

	/**
	 * Runs Luau `source` as a chunk named `name` and drives the world until it returns; resolves with its
	 * return values, rejects with its error (its Luau traceback, if any, as `luauTrace`).
	 */
	protected async evalChunk(source: string, name: string, maxVirtualSeconds = 3600): Promise<unknown[]> {
		const id = await this.spawnChunk(source, name);
		const chunk = this.chunks.get(id)!;
		await this.world.runUntil(() => chunk.done, maxVirtualSeconds);
		this.chunks.delete(id);
		if (!chunk.ok) {
			const error = new Error(chunk.error);
			(error as Error & { luauTrace?: string }).luauTrace = chunk.trace;
			throw error;
		}
		return chunk.results ?? [];
	}

	/** Starts Luau `source` as a chunk named `name`; resolves with its id once it is spawned. */
	protected async spawnChunk(source: string, name: string): Promise<number> {
		const id = ++this.nextChunk;
		this.chunks.set(id, { done: false });
		await this.command("spawnChunk", JSON.stringify({ id, source, name }));
		return id;
	}

	/** The `chunkDone` host call: a chunk returned (or failed). */
	protected chunkDone(payload: string): void {
		const r = JSON.parse(payload) as ChunkState & { id: number; n?: number };
		const chunk = this.chunks.get(r.id);
		if (!chunk) return;
		chunk.done = true;
		chunk.ok = r.ok;
		chunk.error = r.error;
		chunk.trace = r.trace;
		chunk.results = Array.from({ length: r.n ?? 0 }, (_, i) => r.results?.[i] ?? undefined);
	}

	/** Keeps an output line and passes it on; echoes it to the console, labelled `[label t=…]`, when `echo`. */
	protected record(level: OutputLevel, text: string, now: number, echo: boolean, label: string): void {
		const line: OutputLine = { level, text, time: now };
		this.output.push(line);
		if (echo) {
			const prefix = level === "print" || level === "info" ? "" : `[${level}] `;
			console.log(`[${label} t=${now.toFixed(2)}] ${prefix}${text}`);
		}
		this.onOutput?.(line);
	}

	private async invoke(op: string, payload: string): Promise<string> {
		const [result] = await this.dispatch(op, payload);
		return result as string;
	}
}
