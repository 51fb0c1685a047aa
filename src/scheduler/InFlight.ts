import { Job } from "./JobQueue";

/**
 * The requests sent and not yet answered. One unanswered for `slowRequestSec` is slow: it no longer
 * holds an in-flight slot, but it is never abandoned (its reply still counts whenever it comes).
 */
export class InFlight {
	private readonly jobs = new Set<Job>();
	private lastReplyAt = -math.huge;

	constructor(private readonly slowRequestSec: number) {}

	add(job: Job) {
		this.jobs.add(job);
	}

	/** Takes an answered job out; false when it was no longer tracked (torn down meanwhile). */
	delete(job: Job): boolean {
		return this.jobs.delete(job);
	}

	/** A reply of any kind came from the API at `now`. */
	replied(now: number) {
		this.lastReplyAt = now;
	}

	size() {
		return this.jobs.size();
	}

	/** In flight and not yet slow: these hold the in-flight slots. */
	fresh(now: number) {
		let fresh = 0;
		for (const job of this.jobs) if (now - job.sentAt! < this.slowRequestSec) fresh += 1;
		return fresh;
	}

	/** In flight longer than the slow threshold. */
	slow(now: number) {
		return this.jobs.size() - this.fresh(now);
	}

	/** Seconds since the last reply of any kind, while requests are in flight (0 when none are). */
	silentForSec(now: number) {
		if (this.jobs.isEmpty()) return 0;
		let oldest = math.huge;
		for (const job of this.jobs) oldest = math.min(oldest, job.sentAt!);
		return now - math.max(this.lastReplyAt, oldest);
	}

	/** When the next of them turns slow after `now` and frees its slot (infinite when none will). */
	nextSlowAt(now: number) {
		let earliest = math.huge;
		for (const job of this.jobs) {
			const slowAt = job.sentAt! + this.slowRequestSec;
			if (slowAt > now) earliest = math.min(earliest, slowAt);
		}
		return earliest;
	}

	/** Forgets every request in flight: their replies, whenever they come, call nobody. */
	detachAll() {
		for (const job of this.jobs) {
			job.done = undefined;
			job.detach?.();
		}
		this.jobs.clear();
	}
}
