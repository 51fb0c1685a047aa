import { ApiFailure, isTransient } from "../protocol/outcomes";
import { retryDelay } from "../protocol/retry";
import { SessionCore } from "./core";

/** A failed attempt: how many have failed, until when a retry helps, and what retrying or giving up does. */
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
export function retryOrGiveUp(core: SessionCore, failure: ApiFailure, plan: RetryCase) {
	core.report(failure);
	// A live session (or one resuming) keeps trying whatever the failure: only the TTL decides when it
	// is lost. A key or request problem pauses the whole client meanwhile, so this is no retry storm.
	if (!isTransient(failure) && !plan.keepsSession && core.state().status !== "ACTIVE") return plan.giveUp();
	const now = core.deps.clock.now();
	const at = math.min(now + retryDelay(core.timing.retry, plan.attempt, core.deps.random), plan.lastUsefulTime);
	if (at - now < core.timing.minRetryDelaySec) return plan.giveUp();
	core.pending.after(at - now, plan.retry);
}
