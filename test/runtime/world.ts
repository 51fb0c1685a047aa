// The world: one virtual clock shared by any number of game servers, and the loop that advances
// it — each step runs the server with the earliest wake-up, never past another server's.
import { Analytics } from "./analytics";
import { loadLuauWeb } from "./luau";
import type { Client } from "./client";
import { MemoryStore } from "./memoryStore";
import { Messaging } from "./messaging";
import { Server } from "./server";
import type { ServerOptions, SignalBehavior } from "./types";
import { vmIdle } from "./vm";

export interface WorldOptions {
	/** Seeds math.random and GUIDs in every server (each server gets seed + its index). */
	seed?: number;
	/** Unix time of virtual time 0 (os.time(), tick()). */
	epoch?: number;
	/** Default `Workspace.SignalBehavior` of its servers (default "Deferred"). */
	signalBehavior?: SignalBehavior;
}

interface WorldEvent {
	time: number;
	seq: number;
	run: () => Promise<void>;
}

interface DriveOptions {
	stopWhenIdle?: boolean;
	until?: () => boolean;
}

export class World {
	/** Virtual seconds since the world started. */
	now = 0;
	readonly servers: Server[] = [];
	readonly seed: number;
	readonly epoch: number;
	readonly signalBehavior: SignalBehavior;
	/** MemoryStoreService's data, shared by the world's servers: inspection, failure and quota injection. */
	readonly memoryStore: MemoryStore = new MemoryStore(this);
	/** MessagingService between the world's servers: published messages, failure injection. */
	readonly messaging: Messaging = new Messaging(this);
	/** AnalyticsService events of the world's servers (`server.analytics()` shows one server's). */
	readonly analytics: Analytics = new Analytics(this);
	private events: WorldEvent[] = [];
	/** Work started from JS that the clock must not run ahead of (players' clients booting). */
	private readonly starting = new Set<Promise<unknown>>();
	private eventSeq = 0;

	private constructor(options: WorldOptions) {
		this.seed = options.seed ?? 1;
		this.epoch = options.epoch ?? 1_700_000_000;
		this.signalBehavior = options.signalBehavior ?? "Deferred";
	}

	static async create(options: WorldOptions = {}): Promise<World> {
		await loadLuauWeb();
		return new World(options);
	}

	/** Builds a game server from a Rojo project; call `start()` on it to run its Scripts. */
	async createServer(options: ServerOptions): Promise<Server> {
		const server = await Server.create(this, options, this.servers.length);
		this.servers.push(server);
		return server;
	}

	/** Runs `run` when the world's clock reaches `time` (after the servers' own work at that time). */
	schedule(time: number, run: () => Promise<void>): void {
		this.events.push({ time: Math.max(time, this.now), seq: this.eventSeq++, run });
		this.events.sort((a, b) => a.time - b.time || a.seq - b.seq);
	}

	/** @internal The clock waits for `work` before it moves (its failure stays with its own promise). */
	track(work: Promise<unknown>): void {
		const settled = work.then(
			() => undefined,
			() => undefined,
		);
		this.starting.add(settled);
		void settled.then(() => this.starting.delete(settled));
	}

	/** Advances virtual time by `seconds`, running everything due on the way. */
	async advance(seconds: number): Promise<void> {
		await this.drive(this.now + seconds, {});
	}

	/**
	 * Runs until nothing is scheduled anywhere (no sleeping thread, no frame listener, no request in
	 * flight), or `maxVirtualSeconds` pass. Returns whether the world went idle.
	 */
	async runUntilIdle(maxVirtualSeconds = 3600): Promise<boolean> {
		return this.drive(this.now + maxVirtualSeconds, { stopWhenIdle: true });
	}

	/** Runs until `condition()` holds, checked after every event; throws after `maxVirtualSeconds`. */
	async runUntil(condition: () => boolean, maxVirtualSeconds = 3600): Promise<void> {
		const met = await this.drive(this.now + maxVirtualSeconds, { until: condition });
		if (!met) {
			throw new Error(`runUntil: condition not met within ${maxVirtualSeconds} virtual seconds`);
		}
	}

	/** Like runUntil, but returns false instead of throwing when time runs out. */
	async tryRunUntil(condition: () => boolean, maxVirtualSeconds: number): Promise<boolean> {
		return this.drive(this.now + maxVirtualSeconds, { until: condition });
	}

	/** Stops every server for good; their LuauStates are reused by servers created later. */
	async dispose(): Promise<void> {
		for (const server of this.servers) await server.destroy();
	}

	/** True when no server has anything scheduled and no world event is pending. */
	isIdle(): boolean {
		return this.events.length === 0 && this.liveNodes().every((s) => s.wakeTime() === undefined);
	}

	private liveServers(): Server[] {
		return this.servers.filter((s) => s.alive);
	}

	/** What the clock loop drives: live servers and their players' clients. */
	private liveNodes(): Array<Server | Client> {
		const nodes: Array<Server | Client> = [];
		for (const server of this.liveServers()) nodes.push(server, ...server.liveClients());
		return nodes;
	}

	private async drive(target: number, options: DriveOptions): Promise<boolean> {
		for (;;) {
			await vmIdle();
			while (this.starting.size > 0) {
				await Promise.all([...this.starting]);
				await vmIdle();
			}
			if (options.until?.()) return true;
			let best: { time: number; server?: Server | Client; event?: WorldEvent } | undefined;
			for (const server of this.liveNodes()) {
				const wake = server.wakeTime();
				if (wake !== undefined && (best === undefined || wake < best.time)) best = { time: wake, server };
			}
			const event = this.events[0];
			if (event && (best === undefined || event.time < best.time)) best = { time: event.time, event };
			if (best === undefined || best.time > target) {
				if (best === undefined && options.stopWhenIdle) return true;
				for (const server of this.liveNodes()) await server.runTo(target);
				this.now = Math.max(this.now, target);
				return options.until ? options.until() : false;
			}
			this.now = Math.max(this.now, best.time);
			if (best.event) {
				this.events.shift();
				await best.event.run();
				continue;
			}
			// Other servers' next wake-ups bound this run; anything observable (output, host calls)
			// interrupts it, so conditions are checked as soon as they may have changed.
			let limit = target;
			for (const server of this.liveNodes()) {
				const wake = server.wakeTime();
				if (server !== best.server && wake !== undefined) limit = Math.min(limit, wake);
			}
			if (this.events[0]) limit = Math.min(limit, this.events[0].time);
			await best.server!.runTo(Math.max(limit, best.time));
			this.now = Math.max(this.now, best.server!.now);
		}
	}
}
