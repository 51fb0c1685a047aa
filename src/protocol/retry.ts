/** Exponential back-off with jitter: the one retry policy for verify, heartbeat and end. */
export interface RetryPolicy {
	/** Delay before the first retry, in seconds. */
	readonly baseSec: number;
	/** Delays never exceed this. */
	readonly maxSec: number;
	/** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
	readonly jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseSec: 2, maxSec: 30, jitter: 0.25 };

/** The delay before retry number `attempt` (1 for the first retry). */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
	const nominal = math.min(policy.maxSec, policy.baseSec * 2 ** math.max(0, attempt - 1));
	return nominal * (1 - policy.jitter + 2 * policy.jitter * random());
}
