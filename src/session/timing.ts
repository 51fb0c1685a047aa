import { DEFAULT_RETRY, RetryPolicy } from "../protocol/retry";
import { PROTOCOL_TIMING, ProtocolTiming } from "../protocol/timing";

/**
 * The SDK's own timing for a session: verify window, end timeout, jitter, retry policy, margins. It
 * carries the protocol's clock rules (`protocol`); a play-test scales both (`scaledSessionTiming`).
 */
export interface SessionTiming {
	/**
	 * How long after the join a verify may still be (re)tried. The token lives 60 s from issuance, which
	 * was before the join, so this stays below 60. (A verify already sent is never abandoned: its reply
	 * counts whenever it comes.) A resume after a teleport retries until the session's TTL instead.
	 */
	readonly verifyWindowSec: number;
	/**
	 * A heartbeat is never planned later than the TTL less this after the last accepted one (180 s with
	 * the real 240 s TTL), however far the budget share makes intervals stretch: room for retries.
	 */
	readonly stretchMarginSec: number;
	/**
	 * A stretched heartbeat is planned this much inside the TTL less the margin: the timer lands on the
	 * next frame and heartbeats are paced a fraction of a second apart, so a beat planned exactly at the
	 * limit would go out a hair past it.
	 */
	readonly planSlackSec: number;
	/** How long `endSession()` keeps trying before it gives up and lets the TTL end billing. */
	readonly endTimeoutSec: number;
	/** Heartbeats go early by up to this share of the interval, never late, to spread players apart. */
	readonly heartbeatJitter: number;
	readonly retry: RetryPolicy;
	/**
	 * The last heartbeat retry goes out this long before the TTL: a request sent then still reaches the
	 * server in time, and if it does not, nothing later could.
	 */
	readonly lastRetryMarginSec: number;
	/** A retry that could only be sent sooner than this before its deadline is not sent: give up instead. */
	readonly minRetryDelaySec: number;
	/** The protocol's clock rules (TTL, default interval, `next_heartbeat_in` bounds); real unless a play-test scales them. */
	readonly protocol: ProtocolTiming;
}

export const DEFAULT_SESSION_TIMING: SessionTiming = {
	verifyWindowSec: 45,
	stretchMarginSec: 60,
	planSlackSec: 1,
	endTimeoutSec: 10,
	heartbeatJitter: 0.1,
	retry: DEFAULT_RETRY,
	lastRetryMarginSec: 3,
	minRetryDelaySec: 1,
	protocol: PROTOCOL_TIMING,
};
