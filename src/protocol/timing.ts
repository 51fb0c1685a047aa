/** The protocol's clock rules, in seconds, as one value that can be passed around. */
export interface TimingProfile {
	/** A one-time token is valid this long from issuance (by the launcher, before the join). */
	readonly ottLifetime: number;
	/** Heartbeat interval when the server does not say otherwise. */
	readonly defaultHeartbeatInterval: number;
	/** The server deletes a session this long after its last heartbeat. */
	readonly sessionTtl: number;
	/** After CHARGE_EXHAUSTED the server ends the session after this grace period. */
	readonly chargeExhaustedGrace: number;
	/** Shortest interval we accept from `next_heartbeat_in`; shorter values are raised to it. */
	readonly minHeartbeatInterval: number;
	/** Longest interval we accept; longer (but plausible) values are lowered to it. */
	readonly maxHeartbeatInterval: number;
	/** Beyond this a `next_heartbeat_in` is nonsense, not a long interval: we use the default. */
	readonly absurdHeartbeatInterval: number;
}

/**
 * The protocol's real clock rules, in seconds. Every timing decision in the SDK derives from a
 * `TimingProfile`, and this is the one used unless a play-test scales time.
 */
export const Timing = {
	/** A one-time token is valid for one minute from issuance (by the launcher, before the join). */
	ottLifetime: 60,
	/** Heartbeat interval when the server does not say otherwise. */
	defaultHeartbeatInterval: 120,
	/** The server deletes a session this long after its last heartbeat. */
	sessionTtl: 240,
	/** After CHARGE_EXHAUSTED the server ends the session after this grace period. */
	chargeExhaustedGrace: 120,
	/** Shortest interval we accept from `next_heartbeat_in`; shorter values are raised to it. */
	minHeartbeatInterval: 10,
	/**
	 * Longest interval we accept: leaves 90 s of the TTL for retries if the next heartbeat fails.
	 * Longer (but plausible) values are lowered to it.
	 */
	maxHeartbeatInterval: 150,
	/** Beyond this a `next_heartbeat_in` is nonsense, not a long interval: we use the default. */
	absurdHeartbeatInterval: 3600,
} as const satisfies TimingProfile;

/**
 * The same rules on a clock running `timeScale` times faster (a play-test: with 60, the 2-minute
 * grace takes 2 s). Every duration is divided by the scale; 1 gives the real rules.
 */
export function scaledTiming(timeScale: number, base: TimingProfile = Timing): TimingProfile {
	return {
		ottLifetime: base.ottLifetime / timeScale,
		defaultHeartbeatInterval: base.defaultHeartbeatInterval / timeScale,
		sessionTtl: base.sessionTtl / timeScale,
		chargeExhaustedGrace: base.chargeExhaustedGrace / timeScale,
		minHeartbeatInterval: base.minHeartbeatInterval / timeScale,
		maxHeartbeatInterval: base.maxHeartbeatInterval / timeScale,
		absurdHeartbeatInterval: base.absurdHeartbeatInterval / timeScale,
	};
}

/**
 * Interprets the server's `next_heartbeat_in`. The server is honoured inside the bounds that keep the
 * session alive; a missing, non-numeric, non-positive, NaN or absurd value falls back to the default.
 */
export function heartbeatIntervalFrom(nextHeartbeatIn: unknown, timing: TimingProfile = Timing): number {
	if (!typeIs(nextHeartbeatIn, "number")) return timing.defaultHeartbeatInterval;
	if (nextHeartbeatIn !== nextHeartbeatIn) return timing.defaultHeartbeatInterval; // NaN
	if (nextHeartbeatIn <= 0 || nextHeartbeatIn > timing.absurdHeartbeatInterval) {
		return timing.defaultHeartbeatInterval;
	}
	return math.clamp(nextHeartbeatIn, timing.minHeartbeatInterval, timing.maxHeartbeatInterval);
}
