import { RetryPolicy } from "../protocol/retry";
import { Trouble } from "./ClientBackoff";

/**
 * How urgent a request is. Verify first (its token dies 60 s after issuance), then end (billing runs
 * until it lands), then heartbeats (minutes of slack before the session TTL).
 */
export type RequestPriority = "verify" | "end" | "heartbeat";

/** Budget, concurrency, pacing and back-off of the request scheduler. */
export interface SchedulerConfig {
	/**
	 * The SDK's steady share of the server's HttpService budget (500 requests a minute, shared with the
	 * whole game). Heartbeats never take more.
	 */
	readonly requestsPerMinute: number;
	/**
	 * The ceiling for urgent work: verifies (a token dies 60 s after issuance) and ends (billing runs until
	 * they land, and shutdown leaves 30 s). They may borrow above the share up to this, in any minute.
	 */
	readonly urgentRequestsPerMinute: number;
	/** At most this many requests in flight at once that are not yet slow. */
	readonly maxInFlight: number;
	/**
	 * A request unanswered this long is slow: it no longer holds an in-flight slot (it is never abandoned,
	 * its reply still counts whenever it comes), and it is counted in `stats().slowInFlight`. Slowness is
	 * not a failure: nothing is retried or paused for it (each session has at most one request out, so a
	 * slow or hung API cannot cause a storm), and the engine's own time-out, if it comes, is.
	 */
	readonly slowRequestSec: number;
	/** Least time between two heartbeats, so players who joined together do not beat in one frame. */
	readonly heartbeatSpacingSec: number;
	/** Pause of the whole client after a 429 (unless Retry-After says otherwise); doubles per repeat up to the max. */
	readonly slowDownBaseSec: number;
	readonly slowDownMaxSec: number;
	/** Pause after a 5xx, a network error or an engine timeout (the API looks down); doubles up to the max. */
	readonly unreachableBaseSec: number;
	readonly unreachableMaxSec: number;
	/** Pause after 401/403/400 (a key or request-shape problem); doubles up to the max. */
	readonly refusedBaseSec: number;
	readonly refusedMaxSec: number;
	/** Bounds of the wait before a request the engine refused for budget is tried again. */
	readonly budgetRetryMinSec: number;
	readonly budgetRetryMaxSec: number;
}

/** The scheduler's defaults; the config's `requestsPerMinute` and `urgentRequestsPerMinute` come from here. */
export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
	requestsPerMinute: 240,
	urgentRequestsPerMinute: 450,
	maxInFlight: 10,
	slowRequestSec: 15,
	heartbeatSpacingSec: 0.1,
	slowDownBaseSec: 5,
	slowDownMaxSec: 60,
	unreachableBaseSec: 2,
	unreachableMaxSec: 8,
	refusedBaseSec: 15,
	refusedMaxSec: 60,
	budgetRetryMinSec: 0.5,
	budgetRetryMaxSec: 3,
};

/** The defaults under `config`; the urgent ceiling is never below the share. */
export function resolveSchedulerConfig(config: Partial<SchedulerConfig>): SchedulerConfig {
	const merged = { ...DEFAULT_SCHEDULER_CONFIG, ...config };
	return {
		...merged,
		urgentRequestsPerMinute: math.max(merged.urgentRequestsPerMinute, merged.requestsPerMinute),
	};
}

/** The client-wide pause of each kind of trouble, on the one retry policy with the configured bounds. */
export function backoffPolicies(config: SchedulerConfig): Readonly<Record<Trouble, RetryPolicy>> {
	const policy = (baseSec: number, maxSec: number) => ({ baseSec, maxSec, jitter: 0.2 });
	return {
		slowDown: policy(config.slowDownBaseSec, config.slowDownMaxSec),
		unreachable: policy(config.unreachableBaseSec, config.unreachableMaxSec),
		refused: policy(config.refusedBaseSec, config.refusedMaxSec),
	};
}

/** Ends a queued request unsent (true), or says it has already gone out (false): a sent one is never abandoned. */
export type Withdraw = () => boolean;

export interface SchedulerStats {
	sent: number;
	queued: number;
	inFlight: number;
	/** Requests sent in the last minute (the figure the engine's limit counts). */
	sentLastMinute: number;
	expiredUnsent: number;
	/** Requests the engine refused for budget (each was kept and sent again later). */
	budgetRefusals: number;
	/** Requests a minute the SDK can count on now: its share, or less after the engine's refusals. */
	available: number;
	pausedUntil: number;
	/** Client-wide trouble, while one request at a time probes the API. */
	trouble?: Trouble;
	/** Requests in flight longer than `slowRequestSec`. */
	slowInFlight: number;
	/** Seconds since the last reply of any kind, while requests are in flight (a slow or silent API). */
	silentForSec: number;
}
