import { RandomSource } from "../clock/Clock";
import { RetryPolicy, retryDelay } from "../protocol/retry";
import { TransportResult } from "../transport/HttpTransport";
import { retryAfterOf } from "../transport/retryAfter";

/**
 * Trouble of the whole connection, not of one session:
 * - `slowDown`: the PlayWave API answered 429;
 * - `unreachable`: 5xx, network errors, the engine timing requests out, or requests left unanswered;
 * - `refused`: 401/403 (the key) or 400 (the request shape): a configuration or protocol problem that
 *   no retry of one session fixes.
 */
export type Trouble = "slowDown" | "unreachable" | "refused";

/**
 * What a result says about the whole client: a 429 means "everyone slow down" (with the pause its
 * Retry-After asks for, if any); a 5xx, a network error or an engine timeout means the API looks down;
 * 401/403/400 mean the key or the request shape is refused. Undefined for anything else.
 */
function troubleOf(result: TransportResult): { trouble: Trouble; pauseSec?: number } | undefined {
	if (result.kind === "response") {
		const status = result.status;
		if (status === 429) return { trouble: "slowDown", pauseSec: retryAfterOf(result.headers) };
		if (status >= 500) return { trouble: "unreachable" };
		if (status === 400 || status === 401 || status === 403) return { trouble: "refused" };
		return undefined;
	}
	if (result.failure.kind === "NetworkError" || result.failure.kind === "Timeout") return { trouble: "unreachable" };
	return undefined;
}

/**
 * The client-wide pause after trouble. Every kind pauses the whole client and then lets one request
 * probe at a time; pauses grow on repeats along the one retry policy, with the kind's own bounds.
 */
export class ClientBackoff {
	private current?: Trouble;
	private repeats = 0;
	private pausedUntilValue = -math.huge;
	/** When the last trouble ended (a request worked again). */
	private endedAt = -math.huge;

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

	/**
	 * Learns from a reply at `now`: trouble pauses the client (longer on repeats), and any other answer
	 * from the API ends the trouble. Returns the trouble when it has just started (a new kind).
	 */
	observe(result: TransportResult, now: number): Trouble | undefined {
		const seen = troubleOf(result);
		if (seen === undefined) {
			if (result.kind === "response") this.recover(now);
			return undefined;
		}
		const before = this.current;
		this.fail(seen.trouble, now, seen.pauseSec);
		return before !== seen.trouble ? seen.trouble : undefined;
	}

	/** Whether the client was in trouble at any time since `from` (or is now). */
	troubledSince(from: number): boolean {
		return this.current !== undefined || this.endedAt >= from;
	}

	/** A request worked at `now`: the trouble, if any, is over. */
	recover(now: number) {
		if (this.current !== undefined) this.endedAt = now;
		this.current = undefined;
		this.repeats = 0;
	}
}
