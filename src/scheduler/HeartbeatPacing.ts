import { WINDOW_SEC } from "./BudgetWindow";

/**
 * Heartbeats go evenly at the rate really available, never in bursts: a burst fills the sliding minute
 * and starves whoever falls due next. Players who joined together do not beat in one frame either.
 */
export class HeartbeatPacing {
	private lastSent = -math.huge;

	constructor(
		/** Least time between two heartbeats. */
		private readonly spacingSec: number,
	) {}

	/** The earliest the next heartbeat may go when `limit` requests a minute are available for them. */
	readyAt(limit: number) {
		// A little under the period: timers land on frames, so an exact period would lose rate; the sliding
		// minute still caps heartbeats at the limit.
		const pace = math.max(this.spacingSec, (0.9 * WINDOW_SEC) / limit);
		return this.lastSent + pace;
	}

	sent(at: number) {
		this.lastSent = at;
	}

	/** The last heartbeat never left (the engine refused it for budget): the next need not wait for it. */
	refused() {
		this.lastSent = -math.huge;
	}
}
