/**
 * How many sessions heart-beat through one scheduler, and so the shortest interval at which all of them
 * fit in what the budget really leaves the SDK (its share, or less when the game's own requests fill the
 * server's 500 a minute). With 700 players and a share of 240 a minute, beating every 120 s would need
 * 350 a minute; every session then beats a little less often instead of some losing their session to the
 * TTL while the queue grows, but never later than the TTL less a margin; when even that does not fit,
 * the developer is told once, with the numbers.
 */
export class HeartbeatLoad {
	private active = 0;

	constructor(
		/** Requests a minute heartbeats can count on now. */
		private readonly capacity: () => number,
		/** The configured share, for the warning. */
		private readonly share: number,
		/** Says a warning once per key. */
		private readonly warn: (key: string, message: string) => void = () => {},
		/** Part of the capacity heartbeats may plan on; the rest absorbs retries and bursts. */
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
		return math.min(0.75, (this.active * 60) / (this.capacity() * intervalSec));
	}

	/**
	 * Seconds between two heartbeats of one session so that all of them fit in what is available. When
	 * that is longer than `longestSec` (the TTL less the margin), warns once: sessions, the share, and the
	 * share needed.
	 */
	sustainableInterval(longestSec = math.huge): number {
		const capacity = this.capacity();
		const interval = (this.active * 60) / (capacity * this.headroom);
		if (interval > longestSec) {
			const needed = math.ceil((this.active * 60) / (longestSec * this.headroom));
			const left =
				capacity < this.share ? ` (the game's own requests leave it about ${math.floor(capacity)})` : "";
			this.warn(
				"load",
				`${this.active} PlayWave sessions (and counting) need about ${needed} requests/minute to keep every heartbeat within ` +
					`${longestSec} s of the last one, but the SDK's share is ${this.share}/minute${left}: ` +
					`raise requestsPerMinute to ${needed} or more (or lower the game's own HttpService use), ` +
					`or some sessions may be lost.`,
			);
		}
		return interval;
	}
}
