import { ApiFailure, isTransient } from "../protocol/outcomes";
import { retryDelay } from "../protocol/retry";
import { SessionCore } from "./core";

/** A failed attempt and what to do about it. */
export interface RetryCase {
	/** How many attempts have failed, this one included: the back-off grows with it. */
	readonly attempt: number;
	/** After this a retry cannot help any more (the token or the session would be gone). */
	readonly lastUsefulTime: number;
	readonly retry: () => void;
	readonly giveUp: () => void;
	/** A resume: keeps trying whatever the failure, like a live session. */
	readonly keepsSession?: boolean;
}

/**
 * The one retry rule of a session: transient failures are retried with back-off while a retry can
 * still help (before `lastUsefulTime`); anything else, or no time left, gives up. Reports the failure.
 */
export function retryOrGiveUp(core: SessionCore, failure: ApiFailure, attempt: RetryCase) {
	core.report(failure);
	// A live session (or one resuming) keeps trying whatever the failure: only the TTL decides when it
	// is lost. A key or request problem pauses the whole client meanwhile, so this is no retry storm.
	if (!isTransient(failure) && !attempt.keepsSession && core.state().status !== "ACTIVE") return attempt.giveUp();
	const now = core.deps.clock.now();
	const at = math.min(now + retryDelay(core.timing.retry, attempt.attempt, core.deps.random), attempt.lastUsefulTime);
	if (at - now < core.timing.minRetryDelaySec) return attempt.giveUp();
	core.pending.after(at - now, attempt.retry);
}
