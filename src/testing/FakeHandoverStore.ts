import { Clock } from "../clock/Clock";
import { HandoverStore, StoreResult } from "../ports/HandoverStore";

interface Item {
	value: unknown;
	expiresAt: number;
}

/**
 * A MemoryStore hash map on the test's clock: items expire, `update` is atomic (the fake never yields),
 * and calls can be made to fail (an outage, a quota error) to test the degraded paths. Values are kept as
 * deep copies, as the real store serialises them.
 */
export class FakeHandoverStore implements HandoverStore {
	/** Every call, as "set u1" / "get u1" / "update u1", in order. */
	readonly calls = new Array<string>();
	/** While true every call fails as an outage would. */
	down = false;
	/** The next this-many calls fail as over quota. */
	failNext = 0;
	private readonly items = new Map<string, Item>();

	constructor(private readonly clock: Clock) {}

	readonly set = (key: string, value: unknown, expirationSec: number): StoreResult<undefined> => {
		const problem = this.problem("set", key);
		if (problem !== undefined) return { ok: false, problem };
		this.items.set(key, { value: copy(value), expiresAt: this.clock.now() + expirationSec });
		return { ok: true, value: undefined };
	};

	readonly get = (key: string): StoreResult<unknown> => {
		const problem = this.problem("get", key);
		if (problem !== undefined) return { ok: false, problem };
		return { ok: true, value: copy(this.live(key)?.value) };
	};

	readonly update = (
		key: string,
		transform: (current: unknown) => unknown,
		expirationSec: number,
	): StoreResult<unknown> => {
		const problem = this.problem("update", key);
		if (problem !== undefined) return { ok: false, problem };
		const updated = transform(copy(this.live(key)?.value));
		if (updated !== undefined) {
			this.items.set(key, { value: copy(updated), expiresAt: this.clock.now() + expirationSec });
		}
		return { ok: true, value: copy(updated) };
	};

	/** The stored value of a key (undefined once expired), for assertions and for forging tests. */
	peek(key: string): unknown {
		return copy(this.live(key)?.value);
	}

	poke(key: string, value: unknown, expirationSec = 300) {
		this.items.set(key, { value: copy(value), expiresAt: this.clock.now() + expirationSec });
	}

	private live(key: string): Item | undefined {
		const item = this.items.get(key);
		if (item === undefined) return undefined;
		if (item.expiresAt <= this.clock.now()) {
			this.items.delete(key);
			return undefined;
		}
		return item;
	}

	private problem(operation: string, key: string): string | undefined {
		this.calls.push(`${operation} ${key}`);
		if (this.down) return "MemoryStoreService: service unavailable (fake outage)";
		if (this.failNext > 0) {
			this.failNext -= 1;
			return "MemoryStoreService: request quota exceeded (fake)";
		}
		return undefined;
	}
}

function copy<T>(value: T): T {
	if (!typeIs(value, "table")) return value;
	const result: Record<string, unknown> = {};
	for (const [key, inner] of pairs(value as Record<string, unknown>)) result[key as string] = copy(inner);
	return result as T;
}
