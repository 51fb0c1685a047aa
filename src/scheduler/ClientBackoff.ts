import { RandomSource } from "../clock/Clock";
import { RetryPolicy, retryDelay } from "../protocol/retry";

/**
 * Trouble of the whole connection, not of one session:
 * - `slowDown`: the PlayWave API answered 429;
 * - `unreachable`: 5xx, network errors, the engine timing requests out, or requests left unanswered;
 * - `refused`: 401/403 (the key) or 400 (the request shape): a configuration or protocol problem that
 *   no retry of one session fixes.
 */
export type Trouble = "slowDown" | "unreachable" | "refused";

/**
 * The client-wide pause after trouble. Every kind pauses the whole client and then lets one request
 * probe at a time; pauses grow on repeats along the one retry policy, with the kind's own bounds.
 */
export class ClientBackoff {
	private current?: Trouble;
	private repeats = 0;
	private pausedUntilValue = -math.huge;

	constructor(
		private readonly random: RandomSource,
		private readonly policies: Readonly<Record<Trouble, RetryPolicy>>,
	) {}

	trouble(): Trouble | undefined {
		return this.current;
	}

	pausedUntil() {
		return this.pausedUntilValue;
	}

	/**
	 * Records trouble at `now` and pauses. `pauseSec`, when given (a 429's Retry-After), replaces the
	 * policy's delay, bounded by the policy's maximum.
	 */
	fail(trouble: Trouble, now: number, pauseSec?: number) {
		this.repeats = this.current === trouble ? this.repeats + 1 : 1;
		this.current = trouble;
		const policy = this.policies[trouble];
		const pause =
			pauseSec !== undefined
				? math.clamp(pauseSec, 0, policy.maxSec)
				: retryDelay(policy, this.repeats, this.random);
		this.pausedUntilValue = math.max(this.pausedUntilValue, now + pause);
	}

	/** A request worked: the trouble is over. */
	recover() {
		this.current = undefined;
		this.repeats = 0;
	}
}
