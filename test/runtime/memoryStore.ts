// MemoryStoreService's data, shared by every server of one World (the engine module
// engine/memorystore.luau validates arguments, yields with latency and calls in here).
// Follows the Roblox pages "Memory stores" (limits and quotas, status codes), "Memory Store Hash
// Map", "Memory store sorted map", "Partitions and Data Distribution", and the class pages
// MemoryStoreService, MemoryStoreHashMap and MemoryStoreSortedMap.
import { FailureRules, type FailureRule } from "./failureRules";
import type { Server } from "./server";
import type { World } from "./world";

/** A rule that makes matching MemoryStore requests fail (see `MemoryStore.fail`). */
export interface MemoryStoreFailure extends FailureRule {
	/** Error message the call throws (default `InternalError: Internal error.`). */
	error?: string;
	/** Only these APIs, e.g. `"HashMap.Set"`, `"SortedMap.Update"` (see `MemoryStoreApi`). */
	api?: MemoryStoreApi | MemoryStoreApi[];
	/** Only this data structure name. */
	name?: string;
	/** Only this key. */
	key?: string;
}

export type MemoryStoreApi =
	| "HashMap.Get"
	| "HashMap.Set"
	| "HashMap.Update"
	| "HashMap.Remove"
	| "HashMap.ListItems"
	| "SortedMap.Get"
	| "SortedMap.Set"
	| "SortedMap.Update"
	| "SortedMap.Remove"
	| "SortedMap.GetRange"
	| "Queue.Add"
	| "Queue.Read"
	| "Queue.Remove"
	| "Queue.GetSize";

/** Overrides of the documented quotas (undefined fields follow the documented formulas). */
export interface MemoryStoreQuota {
	/** Experience memory quota in bytes (documented: 64 KB + 1.2 KB × users). */
	memoryBytes?: number;
	/** Request units per sliding minute (documented: 1000 + 120 × concurrent users). */
	requestUnitsPerMinute?: number;
}

/** One request as the service saw it. */
export interface MemoryStoreCall {
	time: number;
	/** JobId of the calling server. */
	server: string;
	api: MemoryStoreApi;
	name: string;
	key?: string;
	/** `ok`, `conflict` (an UpdateAsync write lost a race and retries) or the error message thrown. */
	outcome: string;
	/** For UpdateAsync: each attempt is a `read` and, unless the transform cancelled, a `write`. */
	phase?: "read" | "write";
}

export interface MemoryStoreItemDump {
	value: unknown;
	sortKey?: number | string;
	/** Virtual time at which the item expires. */
	expiresAt: number;
}

export interface MemoryStoreQueueItemDump {
	value: unknown;
	priority: number;
	expiresAt: number;
	/** Set while the item is invisible after a ReadAsync (until it is removed or this time passes). */
	invisibleUntil?: number;
}

export interface MemoryStoreDump {
	hashMaps: Record<string, Record<string, MemoryStoreItemDump>>;
	sortedMaps: Record<string, Record<string, MemoryStoreItemDump>>;
	/** Queue items in the order ReadAsync takes them (priority, then addition). */
	queues: Record<string, MemoryStoreQueueItemDump[]>;
	/** Bytes counted against the memory quota (keys, sort keys and JSON values of live items). */
	memoryBytes: number;
	quota: { memoryBytes: number; requestUnitsPerMinute: number };
	/** Request units spent in the last 60 virtual seconds. */
	requestUnitsLastMinute: number;
}

/** Which experience's data: servers with the same GameId share it; Studio data is separate. */
export interface MemoryStoreScope {
	gameId?: number;
	studio?: boolean;
}

type Kind = "HashMap" | "SortedMap" | "Queue";
type SortKey = number | string | undefined;

interface Item {
	/** The value as JSON text, encoded by the engine's JSON rules. */
	json: string;
	sortKey: SortKey;
	expiresAt: number;
	version: number;
}

interface QueueItem {
	json: string;
	priority: number;
	seq: number;
	expiresAt: number;
	invisibleUntil: number;
	readId?: string;
}

interface Experience {
	structures: Map<string, Map<string, Item>>;
	queues: Map<string, QueueItem[]>;
	/** Spent request units, in time order. */
	requests: { time: number; units: number }[];
	/** Concurrent-user samples of the last eight days (the memory quota follows the peak). */
	users: { time: number; users: number }[];
}

// Documented limits ("Memory stores", "Memory Store Hash Map", "Memory store sorted map"). The
// pages say "KB" without defining it; the runtime reads it as 1,000 bytes, the stricter reading.
const KB = 1000;
const MAX_KEY_CHARS = 128;
const MAX_SORT_KEY_CHARS = 128;
const MAX_VALUE_BYTES = 32 * KB;
const MAX_EXPIRATION = 3_888_000;
const SORTED_MAP_MAX_ITEMS = 1_000_000;
const SORTED_MAP_MAX_BYTES = 100_000 * KB;
const QUOTA_TRACEBACK = 8 * 24 * 3600;
const MAX_RANGE_COUNT = 200;

const ERR = {
	throttled: "RequestThrottled: Recent MemoryStores requests hit one or more limits.",
	memory: "TotalMemoryOverLimit: Exceeds universe-level memory quota.",
	valueSize: "ItemValueSizeTooLarge: Value size exceeds limit (32KB).",
	items: "DataStructureItemsOverLimit: Exceeds data structure level item count limit (1M).",
	structureMemory: "DataStructureMemoryOverLimit: Exceeds data structure level memory size limit (100MB).",
	unpublished: "UnpublishedPlace: You must publish this place to use MemoryStoreService.",
	internal: "InternalError: Internal error.",
};

interface Request {
	op:
		| "begin"
		| "get"
		| "set"
		| "read"
		| "write"
		| "remove"
		| "range"
		| "list"
		| "qadd"
		| "qread"
		| "qremove"
		| "qsize";
	api: MemoryStoreApi;
	kind: Kind;
	name: string;
	key?: string;
	json?: string;
	sortKey?: SortKey;
	expiration?: number;
	version?: number;
	descending?: boolean;
	count?: number;
	lower?: { key?: string; sortKey?: SortKey };
	upper?: { key?: string; sortKey?: SortKey };
	/** ListItemsAsync cursor: the last key of the previous page. */
	after?: string;
	/** Queues: AddAsync priority; ReadAsync options; RemoveAsync id. */
	priority?: number;
	allOrNothing?: boolean;
	invisibility?: number;
	/** A ReadAsync poll after the first (waiting costs one unit per poll). */
	poll?: boolean;
	id?: string;
	excludeInvisible?: boolean;
}

class MemoryStoreError extends Error {}

function chars(s: string): number {
	return [...s].length;
}

function byteLength(s: string): number {
	return Buffer.byteLength(s, "utf8");
}

function itemBytes(key: string, item: Item): number {
	return byteLength(key) + byteLength(item.json) + (typeof item.sortKey === "string" ? byteLength(item.sortKey) : 0);
}

// "Memory store sorted map": numeric sort keys first, then string sort keys, then items without
// one; equal sort keys (and no sort key) order by key.
function sortRank(sortKey: SortKey): number {
	return typeof sortKey === "number" ? 0 : typeof sortKey === "string" ? 1 : 2;
}

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function comparePosition(aKey: string, aSort: SortKey, bKey: string, bSort: SortKey): number {
	const ra = sortRank(aSort);
	const rb = sortRank(bSort);
	if (ra !== rb) return ra - rb;
	if (ra === 0 && aSort !== bSort) return (aSort as number) - (bSort as number);
	if (ra === 1 && aSort !== bSort) return compareStrings(aSort as string, bSort as string);
	return compareStrings(aKey, bKey);
}

/**
 * Where an item lies relative to a GetRangeAsync bound: negative before it, 0 on it, positive
 * after. A bound with both fields is a position; with only a sort key, items compare by sort key
 * alone; with only a key, by key alone (the reference page leaves these cases open).
 */
function compareToBound(key: string, sortKey: SortKey, bound: { key?: string; sortKey?: SortKey }): number {
	const hasKey = bound.key !== undefined;
	const hasSort = bound.sortKey !== undefined;
	if (hasKey && hasSort) return comparePosition(key, sortKey, bound.key!, bound.sortKey);
	if (hasSort) {
		const ra = sortRank(sortKey);
		const rb = sortRank(bound.sortKey);
		if (ra !== rb) return ra - rb;
		if (ra === 0) return (sortKey as number) - (bound.sortKey as number);
		return compareStrings(sortKey as string, bound.sortKey as string);
	}
	if (hasKey) return compareStrings(key, bound.key!);
	return 0;
}

/** Accessor for seeding and reading one data structure from a test (no limits, no latency). */
export interface MemoryStoreStructureHandle {
	get(key: string): MemoryStoreItemDump | undefined;
	set(key: string, value: unknown, expiration: number, sortKey?: number | string): void;
	remove(key: string): void;
}

export class MemoryStore {
	/** Virtual seconds of a request's round trip (half there, half back). Default 0.05. */
	latency = 0.05;
	/** Attempts UpdateAsync makes before failing with UpdateConflict (the pages give no number). */
	maxUpdateAttempts = 5;
	/** Every request that reached the service, in order. */
	readonly calls: MemoryStoreCall[] = [];
	private readonly experiences = new Map<string, Experience>();
	private readonly failures = new FailureRules<MemoryStoreFailure>();
	private quotaOverride: MemoryStoreQuota = {};
	private nextVersion = 0;

	constructor(private readonly world: World) {}

	/**
	 * Makes matching requests fail with `error` (a request that fails this way spends no request
	 * units). Returns a handle whose `cancel()` removes the rule.
	 */
	fail(rule: MemoryStoreFailure = {}): { cancel(): void } {
		return this.failures.add(rule);
	}

	/** Removes every failure rule. */
	clearFailures(): void {
		this.failures.clear();
	}

	/** Overrides the memory and request quotas; `setQuota()` goes back to the documented formulas. */
	setQuota(quota: MemoryStoreQuota = {}): void {
		this.quotaOverride = { ...quota };
	}

	/** The quotas in force now for an experience. */
	quota(scope: MemoryStoreScope = {}): { memoryBytes: number; requestUnitsPerMinute: number } {
		return this.quotaFor(this.experienceKey(scope.gameId ?? 0, scope.studio ?? false), this.world.now);
	}

	/** Everything an experience holds now (expired items left out). */
	dump(scope: MemoryStoreScope = {}): MemoryStoreDump {
		const id = this.experienceKey(scope.gameId ?? 0, scope.studio ?? false);
		const now = this.world.now;
		const exp = this.experience(id);
		this.prune(exp, now);
		const out: MemoryStoreDump = {
			hashMaps: {},
			sortedMaps: {},
			queues: {},
			memoryBytes: this.memoryBytes(exp),
			quota: this.quotaFor(id, now),
			requestUnitsLastMinute: this.unitsInWindow(exp, now),
		};
		for (const [structureId, items] of exp.structures) {
			const [kind, name] = splitStructureId(structureId);
			const target = kind === "HashMap" ? out.hashMaps : out.sortedMaps;
			const entries: Record<string, MemoryStoreItemDump> = {};
			for (const [key, item] of items) entries[key] = toDump(item);
			if (Object.keys(entries).length > 0) target[name] = entries;
		}
		for (const [name, queue] of exp.queues) {
			if (queue.length === 0) continue;
			out.queues[name] = queue.map((q) => ({
				value: parseEngineJson(q.json),
				priority: q.priority,
				expiresAt: q.expiresAt,
				...(q.invisibleUntil > now ? { invisibleUntil: q.invisibleUntil } : {}),
			}));
		}
		return out;
	}

	/** Reads and seeds a hash map from the test, bypassing limits and latency. */
	hashMap(name: string, scope: MemoryStoreScope = {}): MemoryStoreStructureHandle {
		return this.handle("HashMap", name, scope);
	}

	/** Reads and seeds a sorted map from the test, bypassing limits and latency. */
	sortedMap(name: string, scope: MemoryStoreScope = {}): MemoryStoreStructureHandle {
		return this.handle("SortedMap", name, scope);
	}

	private handle(kind: Kind, name: string, scope: MemoryStoreScope): MemoryStoreStructureHandle {
		const id = this.experienceKey(scope.gameId ?? 0, scope.studio ?? false);
		const items = () => this.structure(this.experience(id), kind, name);
		return {
			get: (key) => {
				const item = items().get(key);
				return item && item.expiresAt > this.world.now ? toDump(item) : undefined;
			},
			set: (key, value, expiration, sortKey) => {
				const json = JSON.stringify(value);
				if (json === undefined) throw new Error(`memoryStore: value for ${key} is not JSON`);
				items().set(key, {
					json,
					sortKey: kind === "SortedMap" ? sortKey : undefined,
					expiresAt: this.world.now + expiration,
					version: ++this.nextVersion,
				});
			},
			remove: (key) => {
				items().delete(key);
			},
		};
	}

	/** @internal A player joined one of the world's servers: the memory quota follows the peak. */
	playersChanged(server: Server): void {
		const id = this.experienceKey(server.options.gameId ?? 0, server.options.studio ?? false);
		this.sampleUsers(id, this.experience(id), this.world.now);
	}

	// ---- the engine side ------------------------------------------------------------------------

	/** @internal A request from a server's engine (hostCall "memoryStore"); returns JSON. */
	hostRequest(server: Server, payload: string, now: number): string {
		const request = JSON.parse(payload) as Request;
		if (request.op === "begin") {
			if (server.placeId === 0) return JSON.stringify({ error: ERR.unpublished });
			return JSON.stringify({ latency: this.latency, maxUpdateAttempts: this.maxUpdateAttempts });
		}
		const id = this.experienceKey(server.options.gameId ?? 0, server.options.studio ?? false);
		const call: MemoryStoreCall = {
			time: now,
			server: server.jobId,
			api: request.api,
			name: request.name,
			key: request.key,
			outcome: "ok",
		};
		if (request.op === "read" || request.op === "write") call.phase = request.op;
		this.calls.push(call);
		try {
			const result = this.execute(id, request, now);
			if (result.conflict) call.outcome = "conflict";
			return JSON.stringify(result);
		} catch (e) {
			if (!(e instanceof MemoryStoreError)) throw e;
			call.outcome = e.message;
			return JSON.stringify({ error: e.message });
		}
	}

	private execute(id: string, request: Request, now: number): Record<string, unknown> {
		this.injectFailure(request, now);
		const exp = this.experience(id);
		this.sampleUsers(id, exp, now);
		this.prune(exp, now);
		const items =
			request.kind === "Queue" ? new Map<string, Item>() : this.structure(exp, request.kind, request.name);
		const key = request.key ?? "";
		if (request.key !== undefined && (key === "" || chars(key) > MAX_KEY_CHARS)) {
			throw new MemoryStoreError(`InvalidRequest: The key must be 1 to ${MAX_KEY_CHARS} characters long.`);
		}
		switch (request.op) {
			case "get": {
				this.spend(id, exp, now, 1);
				const item = items.get(key);
				return item ? { found: true, json: item.json, sortKey: item.sortKey } : { found: false };
			}
			case "read": {
				// "Memory stores": UpdateAsync consumes a minimum of two units (one read, one write).
				this.spend(id, exp, now, 2);
				const item = items.get(key);
				return item
					? { found: true, json: item.json, sortKey: item.sortKey, version: item.version }
					: { found: false, version: 0 };
			}
			case "set":
			case "write": {
				const current = items.get(key);
				if (request.op === "write" && (current?.version ?? 0) !== request.version) return { conflict: true };
				if (request.op === "set") this.spend(id, exp, now, 1);
				this.store(id, exp, request, items, key, now);
				return { ok: true };
			}
			case "remove":
				this.spend(id, exp, now, 1);
				items.delete(key);
				return { ok: true };
			case "range":
				return this.range(id, exp, request, items, now);
			case "list":
				return this.list(id, exp, request, items, now);
			case "qadd":
			case "qread":
			case "qremove":
			case "qsize":
				return this.queueOp(id, exp, request, now);
			default:
				throw new Error(`memoryStore: unknown op ${String(request.op)}`);
		}
	}

	private store(
		id: string,
		exp: Experience,
		request: Request,
		items: Map<string, Item>,
		key: string,
		now: number,
	): void {
		const expiration = request.expiration ?? 0;
		if (!(expiration > 0 && expiration <= MAX_EXPIRATION)) {
			throw new MemoryStoreError(
				"InvalidExpirationTime: The field 'expiration' time must be between 0 and 3,888,000.",
			);
		}
		const json = request.json ?? "null";
		if (byteLength(json) > MAX_VALUE_BYTES) throw new MemoryStoreError(ERR.valueSize);
		const sortKey = request.kind === "SortedMap" ? request.sortKey : undefined;
		if (typeof sortKey === "string" && chars(sortKey) > MAX_SORT_KEY_CHARS) {
			throw new MemoryStoreError(
				`InvalidRequest: The sort key must be at most ${MAX_SORT_KEY_CHARS} characters long.`,
			);
		}
		const item: Item = {
			json,
			sortKey,
			expiresAt: now + expiration,
			version: ++this.nextVersion,
		};
		const current = items.get(key);
		const delta = itemBytes(key, item) - (current ? itemBytes(key, current) : 0);
		// "After your experience hits the memory size quota, any API requests that increase the
		// memory size always fail. Requests that decrease or don't change the memory size still succeed."
		if (delta > 0 && this.memoryBytes(exp) + delta > this.quotaFor(id, now).memoryBytes) {
			throw new MemoryStoreError(ERR.memory);
		}
		if (request.kind === "SortedMap") {
			if (!current && items.size >= SORTED_MAP_MAX_ITEMS) throw new MemoryStoreError(ERR.items);
			let size = delta;
			for (const [k, it] of items) size += itemBytes(k, it);
			if (delta > 0 && size > SORTED_MAP_MAX_BYTES) throw new MemoryStoreError(ERR.structureMemory);
		}
		items.set(key, item);
	}

	private range(
		id: string,
		exp: Experience,
		request: Request,
		items: Map<string, Item>,
		now: number,
	): Record<string, unknown> {
		this.spend(id, exp, now, 1);
		let list = [...items.entries()]
			.filter(([key, item]) => {
				if (request.lower && compareToBound(key, item.sortKey, request.lower) <= 0) return false;
				if (request.upper && compareToBound(key, item.sortKey, request.upper) >= 0) return false;
				return true;
			})
			.sort(([ka, a], [kb, b]) => comparePosition(ka, a.sortKey, kb, b.sortKey));
		if (request.descending) list.reverse();
		list = list.slice(0, Math.min(request.count ?? MAX_RANGE_COUNT, MAX_RANGE_COUNT));
		// "Memory stores": GetRangeAsync consumes one unit per returned item (one if none).
		this.charge(exp, now, Math.max(list.length, 1) - 1);
		return { items: list.map(([key, item]) => ({ key, json: item.json, sortKey: item.sortKey })) };
	}

	private list(
		id: string,
		exp: Experience,
		request: Request,
		items: Map<string, Item>,
		now: number,
	): Record<string, unknown> {
		this.spend(id, exp, now, 1);
		const keys = [...items.keys()]
			.sort(compareStrings)
			.filter((k) => request.after === undefined || k > request.after);
		const page = keys.slice(0, request.count ?? MAX_RANGE_COUNT);
		// "Memory stores": ListItemsAsync consumes [partitions scanned] + [items returned] units;
		// the runtime has one partition.
		this.charge(exp, now, page.length);
		return {
			items: page.map((key) => ({ key, json: items.get(key)!.json })),
			finished: page.length === keys.length,
		};
	}

	// "MemoryStoreQueue": higher priority first, equal priorities in order of addition; read items
	// stay invisible to other reads for the invisibility timeout unless removed with their read id.
	private queueOp(id: string, exp: Experience, request: Request, now: number): Record<string, unknown> {
		let queue = exp.queues.get(request.name);
		if (!queue) {
			queue = [];
			exp.queues.set(request.name, queue);
		}
		switch (request.op) {
			case "qadd": {
				this.spend(id, exp, now, 1);
				const json = request.json ?? "null";
				const expiration = request.expiration ?? 0;
				if (!(expiration > 0 && expiration <= MAX_EXPIRATION)) {
					throw new MemoryStoreError(
						"InvalidExpirationTime: The field 'expiration' time must be between 0 and 3,888,000.",
					);
				}
				if (byteLength(json) > MAX_VALUE_BYTES) throw new MemoryStoreError(ERR.valueSize);
				const size = byteLength(json);
				if (this.memoryBytes(exp) + size > this.quotaFor(id, now).memoryBytes) {
					throw new MemoryStoreError(ERR.memory);
				}
				if (queue.length >= SORTED_MAP_MAX_ITEMS) throw new MemoryStoreError(ERR.items);
				if (queue.reduce((sum, q) => sum + byteLength(q.json), size) > SORTED_MAP_MAX_BYTES) {
					throw new MemoryStoreError(ERR.structureMemory);
				}
				queue.push({
					json,
					priority: request.priority ?? 0,
					seq: ++this.nextVersion,
					expiresAt: now + expiration,
					invisibleUntil: -Infinity,
				});
				queue.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
				return { ok: true };
			}
			case "qread": {
				const visible = queue.filter((q) => q.invisibleUntil <= now);
				const count = request.count ?? 1;
				const take = request.allOrNothing && visible.length < count ? [] : visible.slice(0, count);
				// "Consumes units based on the number of returned items … but consumes an additional
				// unit every two seconds while reading": a poll that waited costs one more.
				this.spend(id, exp, now, Math.max(take.length, 1) + (request.poll ? 1 : 0));
				if (take.length === 0) return { items: [] };
				const readId = `read-${++this.nextVersion}`;
				for (const q of take) {
					q.invisibleUntil = now + (request.invisibility ?? 30);
					q.readId = readId;
				}
				return { items: take.map((q) => q.json), id: readId };
			}
			case "qremove":
				this.spend(id, exp, now, 1);
				// "If called after the invisibility timeout has expired, the call has no effect."
				exp.queues.set(
					request.name,
					queue.filter((q) => !(q.readId === request.id && q.invisibleUntil > now)),
				);
				return { ok: true };
			default: {
				this.spend(id, exp, now, 1);
				const n = request.excludeInvisible ? queue.filter((q) => q.invisibleUntil <= now).length : queue.length;
				return { size: n };
			}
		}
	}

	private injectFailure(request: Request, now: number): void {
		const rule = this.failures.take(
			now,
			(r) =>
				(r.api === undefined || (Array.isArray(r.api) ? r.api : [r.api]).includes(request.api)) &&
				(r.name === undefined || r.name === request.name) &&
				(r.key === undefined || r.key === request.key),
		);
		if (rule) throw new MemoryStoreError(rule.error ?? ERR.internal);
	}

	// ---- quotas -----------------------------------------------------------------------------------

	private experienceKey(gameId: number, studio: boolean): string {
		return `${gameId}:${studio ? "studio" : "live"}`;
	}

	private experience(id: string): Experience {
		let exp = this.experiences.get(id);
		if (!exp) {
			exp = { structures: new Map(), queues: new Map(), requests: [], users: [] };
			this.experiences.set(id, exp);
		}
		return exp;
	}

	private structure(exp: Experience, kind: Kind, name: string): Map<string, Item> {
		const structureId = `${kind}\u0000${name}`;
		let items = exp.structures.get(structureId);
		if (!items) {
			items = new Map();
			exp.structures.set(structureId, items);
		}
		return items;
	}

	/** Concurrent users of an experience: players in its live servers. */
	private concurrentUsers(id: string): number {
		let users = 0;
		for (const server of this.world.servers) {
			if (!server.alive) continue;
			if (this.experienceKey(server.options.gameId ?? 0, server.options.studio ?? false) !== id) continue;
			users += server.players.list().length;
		}
		return users;
	}

	private sampleUsers(id: string, exp: Experience, now: number): void {
		exp.users.push({ time: now, users: this.concurrentUsers(id) });
		while (exp.users.length > 1 && exp.users[0].time < now - QUOTA_TRACEBACK) exp.users.shift();
		// Keep the list short: a sample no larger than a later one never decides the peak.
		if (exp.users.length > 64) {
			exp.users = exp.users.filter((s, i) => !exp.users.slice(i + 1).some((later) => later.users >= s.users));
		}
	}

	private quotaFor(id: string, now: number): { memoryBytes: number; requestUnitsPerMinute: number } {
		const exp = this.experience(id);
		const current = this.concurrentUsers(id);
		// "When users leave the experience, the quota doesn't reduce immediately. There's a
		// traceback period of eight days before the quota reevaluates to a lower value."
		let peak = current;
		for (const s of exp.users) if (s.time >= now - QUOTA_TRACEBACK && s.users > peak) peak = s.users;
		return {
			memoryBytes: this.quotaOverride.memoryBytes ?? 64 * KB + 1.2 * KB * peak,
			requestUnitsPerMinute: this.quotaOverride.requestUnitsPerMinute ?? 1000 + 120 * current,
		};
	}

	private unitsInWindow(exp: Experience, now: number): number {
		while (exp.requests.length > 0 && exp.requests[0].time <= now - 60) exp.requests.shift();
		return exp.requests.reduce((sum, r) => sum + r.units, 0);
	}

	/** Spends request units, or throws RequestThrottled when the minute's quota has no room. */
	private spend(id: string, exp: Experience, now: number, units: number): void {
		if (this.unitsInWindow(exp, now) + units > this.quotaFor(id, now).requestUnitsPerMinute) {
			throw new MemoryStoreError(ERR.throttled);
		}
		this.charge(exp, now, units);
	}

	private charge(exp: Experience, now: number, units: number): void {
		if (units > 0) exp.requests.push({ time: now, units });
	}

	private memoryBytes(exp: Experience): number {
		let total = 0;
		for (const items of exp.structures.values()) for (const [key, item] of items) total += itemBytes(key, item);
		for (const queue of exp.queues.values()) for (const q of queue) total += byteLength(q.json);
		return total;
	}

	private prune(exp: Experience, now: number): void {
		for (const items of exp.structures.values()) {
			for (const [key, item] of items) if (item.expiresAt <= now) items.delete(key);
		}
		for (const [name, queue] of exp.queues) {
			if (queue.some((q) => q.expiresAt <= now))
				exp.queues.set(
					name,
					queue.filter((q) => q.expiresAt > now),
				);
		}
	}
}

function splitStructureId(id: string): [Kind, string] {
	const i = id.indexOf("\u0000");
	return [id.slice(0, i) as Kind, id.slice(i + 1)];
}

function toDump(item: Item): MemoryStoreItemDump {
	return {
		value: parseEngineJson(item.json),
		...(item.sortKey !== undefined ? { sortKey: item.sortKey } : {}),
		expiresAt: item.expiresAt,
	};
}

/** Engine JSON may hold inf/nan, which JSON.parse rejects; those are shown as text. */
function parseEngineJson(json: string): unknown {
	try {
		return JSON.parse(json);
	} catch {
		return json;
	}
}
