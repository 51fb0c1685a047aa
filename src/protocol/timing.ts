/**
 * The protocol's clock rules, in seconds. Every timing decision in the SDK derives from these.
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
} as const;

/**
 * Interprets the server's `next_heartbeat_in`. The server is honoured inside the bounds that keep the
 * session alive; a missing, non-numeric, non-positive, NaN or absurd value falls back to the default.
 */
export function heartbeatIntervalFrom(nextHeartbeatIn: unknown): number {
	if (!typeIs(nextHeartbeatIn, "number")) return Timing.defaultHeartbeatInterval;
	if (nextHeartbeatIn !== nextHeartbeatIn) return Timing.defaultHeartbeatInterval; // NaN
	if (nextHeartbeatIn <= 0 || nextHeartbeatIn > Timing.absurdHeartbeatInterval) {
		return Timing.defaultHeartbeatInterval;
	}
	return math.clamp(nextHeartbeatIn, Timing.minHeartbeatInterval, Timing.maxHeartbeatInterval);
}
