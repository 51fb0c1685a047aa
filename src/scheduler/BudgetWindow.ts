import { RandomSource } from "../clock/Clock";

/** The engine counts HttpService requests over a sliding minute; so does the scheduler. */
export const WINDOW_SEC = 60;

/**
 * The SDK's own sends over the last minute, and what the engine's refusals say is really left.
 *
 * HttpService allows about 500 requests a minute per server, shared with every script of the game.
 * When the game's own scripts use most of it, the engine refuses requests ("Number of requests
 * exceeded limit") long before the SDK reaches its configured share. At a refusal the window was
 * full, so what the SDK itself had sent in that minute is what it can count on; the estimate then
 * climbs back slowly (`recoverySharePerMinute` of the share a minute) in case the game calms down, and
 * the next refusal sets it again. Right after a refusal nothing is sent for a few seconds.
 */
export class BudgetWindow {
	/** Send times of the last minute, oldest first; `head` is the index of the oldest kept. */
	private readonly times = new Array<number>();
	private head = 0;
	private learned = math.huge;
	private learnedAt = 0;
	private blockedUntilValue = -math.huge;

	constructor(
		/** The configured share: the estimate never exceeds it. */
		private readonly share: number,
		/** Bounds of the wait after a refusal before anything is sent again. */
		private readonly retry: { readonly minSec: number; readonly maxSec: number },
		private readonly recoverySharePerMinute = 0.1,
	) {}

	record(at: number) {
		this.times.push(at);
	}

	/**
	 * The engine refused the send made at `sentAt` ("Number of requests exceeded limit"): it did not use
	 * the budget, and the server's whole budget is spent, so ours is what we sent. Nothing is sent for
	 * about one request's share of the minute at what is left (within the retry bounds, jittered), since
	 * the engine's window frees slots continuously.
	 */
	refused(sentAt: number, now: number, random: RandomSource) {
		this.unrecord(sentAt);
		this.learned = math.max(1, this.count(now));
		this.learnedAt = now;
		const wait = math.clamp(WINDOW_SEC / this.available(now), this.retry.minSec, this.retry.maxSec);
		this.blockedUntilValue = math.max(this.blockedUntilValue, now + wait * (0.75 + 0.5 * random()));
	}

	/** After an engine refusal nothing is sent before this. */
	blockedUntil() {
		return this.blockedUntilValue;
	}

	/** A send the engine refused did not use the budget: forget it. */
	private unrecord(at: number) {
		for (let index = this.times.size() - 1; index >= this.head; index--) {
			if (this.times[index] === at) {
				this.times.remove(index);
				return;
			}
		}
	}

	/** Sends in the sliding minute ending now (drops older entries as it goes). */
	count(now: number) {
		while (this.head < this.times.size() && this.times[this.head] <= now - WINDOW_SEC) this.head += 1;
		if (this.head > 64 && this.head * 2 > this.times.size()) {
			// Compact now and then so the log stays about one minute long.
			const kept = new Array<number>();
			for (let index = this.head; index < this.times.size(); index++) kept.push(this.times[index]);
			this.times.clear();
			for (const time of kept) this.times.push(time);
			this.head = 0;
		}
		return this.times.size() - this.head;
	}

	/** When the window will have room for one more send under `limit` (a whole number ≥ 1). */
	roomAt(limit: number, now: number) {
		const inWindow = this.count(now);
		const whole = math.max(1, math.floor(limit));
		if (inWindow < whole) return now;
		// A hair after the oldest send leaves the minute, so rounding never sends while it still counts.
		return this.times[this.head + (inWindow - whole)] + WINDOW_SEC + 1e-6;
	}

	/** Requests a minute the SDK can count on now: its share, or less after recent refusals. */
	available(now: number) {
		if (this.learned === math.huge) return this.share;
		const recovered =
			this.learned + (this.share * this.recoverySharePerMinute * (now - this.learnedAt)) / WINDOW_SEC;
		if (recovered >= this.share) this.learned = math.huge;
		return math.min(this.share, recovered);
	}
}
