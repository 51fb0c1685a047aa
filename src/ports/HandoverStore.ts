/** What a store call gives back: the value, or that it failed (outage, quota, throttling). */
export type StoreResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The cross-server store the hand-over lives in, as the SDK sees it: one key-value map shared by every
 * server of the experience, with an expiry on every item. The engine's is a `MemoryStoreService` hash map
 * (`memoryStoreHandover` in `server/engine.ts`); specs use `FakeHandoverStore`. Every call may yield and
 * may fail; none throws.
 */
export interface HandoverStore {
	/** `MemoryStoreHashMap:SetAsync`: writes (or replaces) the item, which expires after `expirationSec`. */
	readonly set: (key: string, value: unknown, expirationSec: number) => StoreResult<undefined>;
	/** `MemoryStoreHashMap:GetAsync`: the item, or undefined when there is none (or it expired). */
	readonly get: (key: string) => StoreResult<unknown>;
	/**
	 * `MemoryStoreHashMap:UpdateAsync`: atomic read-modify-write. `transform` gets the current value and
	 * returns the new one, or undefined to leave the item as it is; it may run more than once. Gives the
	 * last value `transform` returned.
	 */
	readonly update: (
		key: string,
		transform: (current: unknown) => unknown,
		expirationSec: number,
	) => StoreResult<unknown>;
}
