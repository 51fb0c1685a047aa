/**
 * How many sessions heart-beat through one scheduler, and so the shortest interval at which all of them
 * fit in what the budget really leaves the SDK (its share, or less when the game's own requests fill the
 * server's 500 a minute). With 700 players and a share of 240 a minute, beating every 120 s would need
 * 350 a minute; every session then beats a little less often instead of some losing their session to the
 * TTL while the queue grows, but never later than the TTL less a margin. When even that does not fit,
 * or when heartbeats queued behind a busy budget go out later than that margin all the same, the
 * developer is told once, with the numbers.
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
		/**
		 * Whether the whole client was in trouble (429, API down, key refused) at any time since `from`:
		 * a heartbeat held by that is late because of the API, not the budget.
		 */
		private readonly troubledSince: (from: number) => boolean = () => false,
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
	 * Requests a minute that carry every session with each heartbeat `longestSec` after the last: one
	 * per session per `longestSec`, rounded up (the headroom is the SDK's own comfort, not a need).
	 */
	requestsNeeded(longestSec: number): number {
		return math.ceil((this.active * 60) / longestSec - 1e-9);
	}

	/**
	 * Seconds between two heartbeats of one session so that all of them fit in what is available (with
	 * headroom for retries). When what is available cannot carry every session within `longestSec` (the
	 * TTL less the margin) even without that headroom, warns once: sessions, the share, and the share
	 * needed.
	 */
	sustainableInterval(longestSec = math.huge): number {
		const capacity = this.capacity();
		if ((this.active * 60) / capacity > longestSec) {
			this.warnShort(
				capacity,
				longestSec,
				`${this.active} PlayWave sessions (and counting) need about ${this.requestsNeeded(longestSec)} ` +
					`requests/minute to keep every heartbeat within ${longestSec} s of the last one`,
			);
		}
		return (this.active * 60) / (capacity * this.headroom);
	}

	/**
	 * A session's heartbeat went out on its first attempt at `sentAt`, its last accepted send (or the
	 * verify) having gone out at `lastAcceptedAt`. Planned within `longestSec`, it can only be later
	 * because it queued behind a busy budget (a join burst, the game's own requests growing): unless the
	 * client was in trouble meanwhile, warns once with the numbers.
	 */
	heartbeatSent(lastAcceptedAt: number, sentAt: number, longestSec: number) {
		const gap = sentAt - lastAcceptedAt;
		if (gap <= longestSec + 1e-6 || this.troubledSince(lastAcceptedAt)) return;
		// Rounded up, so a beat a hair past the limit never reads as exactly on it.
		this.warnShort(
			this.capacity(),
			longestSec,
			`heartbeats queue behind the HttpService budget: one went out ${string.format("%.1f", math.ceil(gap * 10) / 10)} s after ` +
				`the last accepted send (the plan is at most ${longestSec} s). ${this.active} PlayWave sessions ` +
				`(and counting) need about ${this.requestsNeeded(longestSec)} requests/minute at that margin, ` +
				`with room left for bursts and retries`,
		);
	}

	private warnShort(capacity: number, longestSec: number, need: string) {
		const left = capacity < this.share ? ` (the game's own requests leave it about ${math.floor(capacity)})` : "";
		this.warn(
			"load",
			`${need}, but the SDK's share is ${this.share}/minute${left}: raise requestsPerMinute ` +
				`(or lower the game's own HttpService use), or heartbeats may come more than ${longestSec} s apart ` +
				`and some sessions may be lost.`,
		);
	}
}
