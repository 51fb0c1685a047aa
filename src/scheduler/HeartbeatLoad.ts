/**
 * How many sessions heart-beat through one scheduler, and so the shortest interval at which all of them
 * fit in the SDK's share of the budget. With 700 players and a share of 240 a minute, beating every 120 s
 * would need 350 a minute; every session then beats a little less often instead of some losing their
 * session to the TTL while the queue grows.
 */
export class HeartbeatLoad {
	private active = 0;

	constructor(
		private readonly requestsPerMinute: number,
		/** Part of the share heartbeats may plan on; the rest absorbs retries and bursts. */
		private readonly headroom = 0.75,
	) {}

	join() {
		this.active += 1;
	}

	leave() {
		this.active = math.max(0, this.active - 1);
	}

	activeSessions() {
		return this.active;
	}

	/**
	 * How far ahead of the interval a session's first heartbeat may go (a share of the interval), so that
	 * players who joined together spread over the time the share needs to serve them all, instead of all
	 * falling due at once and queueing past their TTL. Negligible for a few players; at most 75 %.
	 */
	firstHeartbeatSpread(intervalSec: number): number {
		return math.min(0.75, (this.active * 60) / (this.requestsPerMinute * intervalSec));
	}

	/** Seconds between two heartbeats of one session so that all of them fit in the share. */
	sustainableInterval(): number {
		return (this.active * 60) / (this.requestsPerMinute * this.headroom);
	}
}
