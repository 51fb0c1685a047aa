/** The protocol's clock rules, in seconds, as one value that can be passed around. */
export interface ProtocolTiming {
	/** A one-time token is valid this long from issuance (by the launcher, before the join). */
	readonly ottLifetimeSec: number;
	/** Heartbeat interval when the server does not say otherwise. */
	readonly defaultHeartbeatIntervalSec: number;
	/** The server deletes a session this long after its last heartbeat. */
	readonly sessionTtlSec: number;
	/** After CHARGE_EXHAUSTED the server ends the session after this grace period. */
	readonly chargeExhaustedGraceSec: number;
	/** Shortest interval we accept from `next_heartbeat_in`; shorter values are raised to it. */
	readonly minHeartbeatIntervalSec: number;
	/** Longest interval we accept; longer (but plausible) values are lowered to it. */
	readonly maxHeartbeatIntervalSec: number;
	/** Beyond this a `next_heartbeat_in` is nonsense, not a long interval: we use the default. */
	readonly absurdHeartbeatIntervalSec: number;
}

/**
 * The protocol's real clock rules, in seconds. Every timing decision in the SDK derives from a
 * `ProtocolTiming`, and this is the one used unless a play-test scales time.
 */
export const PROTOCOL_TIMING = {
	/** A one-time token is valid for one minute from issuance (by the launcher, before the join). */
	ottLifetimeSec: 60,
	/** Heartbeat interval when the server does not say otherwise. */
	defaultHeartbeatIntervalSec: 120,
	/** The server deletes a session this long after its last heartbeat. */
	sessionTtlSec: 240,
	/** After CHARGE_EXHAUSTED the server ends the session after this grace period. */
	chargeExhaustedGraceSec: 120,
	/** Shortest interval we accept from `next_heartbeat_in`; shorter values are raised to it. */
	minHeartbeatIntervalSec: 10,
	/**
	 * Longest interval we accept: leaves 90 s of the TTL for retries if the next heartbeat fails.
	 * Longer (but plausible) values are lowered to it.
	 */
	maxHeartbeatIntervalSec: 150,
	/** Beyond this a `next_heartbeat_in` is nonsense, not a long interval: we use the default. */
	absurdHeartbeatIntervalSec: 3600,
} as const satisfies ProtocolTiming;

/**
 * The same rules on a clock running `timeScale` times faster (a play-test: with 60, the 2-minute
 * grace takes 2 s). Every duration is divided by the scale; 1 gives the real rules.
 */
export function scaledProtocolTiming(timeScale: number, base: ProtocolTiming = PROTOCOL_TIMING): ProtocolTiming {
	return {
		ottLifetimeSec: base.ottLifetimeSec / timeScale,
		defaultHeartbeatIntervalSec: base.defaultHeartbeatIntervalSec / timeScale,
		sessionTtlSec: base.sessionTtlSec / timeScale,
		chargeExhaustedGraceSec: base.chargeExhaustedGraceSec / timeScale,
		minHeartbeatIntervalSec: base.minHeartbeatIntervalSec / timeScale,
		maxHeartbeatIntervalSec: base.maxHeartbeatIntervalSec / timeScale,
		absurdHeartbeatIntervalSec: base.absurdHeartbeatIntervalSec / timeScale,
	};
}

/**
 * Interprets the server's `next_heartbeat_in`. The server is honoured inside the bounds that keep the
 * session alive; a missing, non-numeric, non-positive, NaN or absurd value falls back to the default.
 */
export function heartbeatIntervalFrom(nextHeartbeatInSec: unknown, timing: ProtocolTiming = PROTOCOL_TIMING): number {
	if (!typeIs(nextHeartbeatInSec, "number")) return timing.defaultHeartbeatIntervalSec;
	if (nextHeartbeatInSec !== nextHeartbeatInSec) return timing.defaultHeartbeatIntervalSec; // NaN
	if (nextHeartbeatInSec <= 0 || nextHeartbeatInSec > timing.absurdHeartbeatIntervalSec) {
		return timing.defaultHeartbeatIntervalSec;
	}
	return math.clamp(nextHeartbeatInSec, timing.minHeartbeatIntervalSec, timing.maxHeartbeatIntervalSec);
}
