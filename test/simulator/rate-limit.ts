/** Requests allowed per API key in each fixed window of clock time. PlayWave documents no numbers. */
export interface RateLimit {
	requests: number;
	windowSec: number;
}

/** Fixed windows aligned to the clock (window n covers [n·w, (n+1)·w)); rejected requests do not count. */
export class FixedWindowLimiter {
	private readonly counts = new Map<string, { window: number; count: number }>();

	/** Admits a request or returns the seconds until the key's window resets. */
	admit(keyId: string, now: number, limit: RateLimit | null): { ok: true } | { ok: false; retryAfterSec: number } {
		if (limit === null) return { ok: true };
		const window = Math.floor(now / limit.windowSec);
		let entry = this.counts.get(keyId);
		if (entry === undefined || entry.window !== window) {
			entry = { window, count: 0 };
			this.counts.set(keyId, entry);
		}
		if (entry.count >= limit.requests) {
			return { ok: false, retryAfterSec: Math.max(1, Math.ceil((window + 1) * limit.windowSec - now)) };
		}
		entry.count += 1;
		return { ok: true };
	}
}
