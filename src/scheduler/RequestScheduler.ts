import { Cancel, Clock, RandomSource } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";

/**
 * How urgent a request is. Verify first (its token dies 60 s after issuance), then end (billing runs
 * until it lands), then heartbeats (minutes of slack before the session TTL).
 */
export type RequestPriority = "verify" | "end" | "heartbeat";
const RANK: Readonly<Record<RequestPriority, number>> = { verify: 0, end: 1, heartbeat: 2 };

export interface SchedulerConfig {
	/** The SDK's share of the server's HttpService budget (500/min shared with the whole game). */
	readonly requestsPerMinute: number;
	/** At most this many requests in flight at once. */
	readonly maxInFlight: number;
	/** Requests that may go out back to back (a join burst); the rest are paced evenly. */
	readonly burst: number;
	/** Least time between two heartbeats, so players who joined together do not beat in one frame. */
	readonly heartbeatSpacingSec: number;
	/** First pause of the whole client after a 429 or an engine budget error; doubles per repeat. */
	readonly backoffBaseSec: number;
	readonly backoffMaxSec: number;
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
	requestsPerMinute: 200,
	maxInFlight: 10,
	burst: 20,
	heartbeatSpacingSec: 0.1,
	backoffBaseSec: 5,
	backoffMaxSec: 60,
};

interface Job {
	readonly request: ApiRequest;
	readonly priority: RequestPriority;
	/** Absolute time after which sending is pointless; the job then fails as BudgetExceeded unsent. */
	readonly deadline: number;
	readonly sequence: number;
	done?: (result: TransportResult) => void;
	cancelSend?: Cancel;
}

export interface SchedulerStats {
	sent: number;
	queued: number;
	inFlight: number;
	expiredUnsent: number;
	pausedUntil: number;
}

/**
 * The one gate every SDK request passes through: keeps the SDK inside its share of the HttpService
 * budget (token bucket: `burst` + steady refill, never more than `requestsPerMinute` in any minute),
 * limits requests in flight, orders work by urgency then deadline, spaces heartbeats apart, and pauses
 * the whole client when the API (429) or the engine (budget exceeded) says to slow down.
 */
export class RequestScheduler {
	private readonly queue = new Array<Job>();
	private readonly inFlight = new Set<Job>();
	private tokens: number;
	private readonly refillPerSec: number;
	private readonly burstSize: number;
	private lastRefill: number;
	private lastHeartbeatSent = -math.huge;
	private pausedUntil = -math.huge;
	private consecutiveBackoffs = 0;
	private sequence = 0;
	private cancelWake?: Cancel;
	private wakeAt = math.huge;
	private destroyed = false;
	private sent = 0;
	private expiredUnsent = 0;

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		private readonly random: RandomSource,
		private readonly config: SchedulerConfig = DEFAULT_SCHEDULER_CONFIG,
	) {
		const burst = math.clamp(math.floor(config.burst), 1, math.max(1, math.floor(config.requestsPerMinute / 2)));
		this.tokens = burst;
		this.refillPerSec = math.max(config.requestsPerMinute - burst, 1) / 60;
		this.lastRefill = clock.now();
		this.burstSize = burst;
	}

	/** Queues a request. `done` is called exactly once unless the returned cancel runs first. */
	submit(
		request: ApiRequest,
		priority: RequestPriority,
		deadline: number,
		done: (result: TransportResult) => void,
	): Cancel {
		if (this.destroyed) return () => {};
		const job: Job = { request, priority, deadline, sequence: this.sequence++, done };
		this.insert(job);
		this.pump();
		return () => this.cancel(job);
	}

	stats(): SchedulerStats {
		return {
			sent: this.sent,
			queued: this.queue.size(),
			inFlight: this.inFlight.size(),
			expiredUnsent: this.expiredUnsent,
			pausedUntil: this.pausedUntil,
		};
	}

	/** Drops every queued and in-flight request without calling back. */
	destroy() {
		this.destroyed = true;
		this.cancelWake?.();
		for (const job of this.queue) job.done = undefined;
		this.queue.clear();
		for (const job of this.inFlight) {
			job.done = undefined;
			job.cancelSend?.();
		}
		this.inFlight.clear();
	}

	private insert(job: Job) {
		let index = this.queue.size();
		while (index > 0 && this.before(job, this.queue[index - 1])) index -= 1;
		this.queue.insert(index, job);
	}

	private before(a: Job, b: Job) {
		if (RANK[a.priority] !== RANK[b.priority]) return RANK[a.priority] < RANK[b.priority];
		if (a.deadline !== b.deadline) return a.deadline < b.deadline;
		return a.sequence < b.sequence;
	}

	private cancel(job: Job) {
		job.done = undefined;
		const index = this.queue.indexOf(job);
		if (index !== -1) this.queue.remove(index);
		if (this.inFlight.delete(job)) {
			job.cancelSend?.();
			this.pump();
		}
	}

	/**
	 * After a slow-down signal, one request probes the API; the rest wait for its answer, so the end of a
	 * pause is not itself a burst that earns the next 429.
	 */
	private inFlightLimit() {
		return this.consecutiveBackoffs > 0 ? 1 : this.config.maxInFlight;
	}

	/** Token checks tolerate float error, so a refill that lands a hair short still counts. */
	private hasTokens(count: number) {
		return this.tokens >= count - 1e-9;
	}

	private refill(now: number) {
		this.tokens = math.min(this.burstSize, this.tokens + (now - this.lastRefill) * this.refillPerSec);
		this.lastRefill = now;
	}

	private expire(now: number) {
		for (let index = this.queue.size() - 1; index >= 0; index--) {
			const job = this.queue[index];
			if (job.deadline > now) continue;
			this.queue.remove(index);
			this.expiredUnsent += 1;
			this.complete(job, {
				kind: "failure",
				failure: { kind: "BudgetExceeded", detail: "not sent before its deadline (SDK request budget)" },
			});
		}
	}

	private complete(job: Job, result: TransportResult) {
		const done = job.done;
		job.done = undefined;
		done?.(result);
	}

	/** The first queued job allowed to go now, if any. */
	private nextSendable(now: number): number | undefined {
		const head = this.queue[0];
		if (head === undefined) return undefined;
		if (head.priority !== "heartbeat") return 0;
		// Heartbeats have slack: they never take the last token a join burst may need, and go spaced.
		const spaced = now - this.lastHeartbeatSent >= this.config.heartbeatSpacingSec - 1e-9;
		return spaced && this.hasTokens(2) ? 0 : undefined;
	}

	private pump() {
		if (this.destroyed) return;
		const now = this.clock.now();
		this.refill(now);
		this.expire(now);
		while (now >= this.pausedUntil && this.inFlight.size() < this.inFlightLimit() && this.hasTokens(1)) {
			const index = this.nextSendable(now);
			if (index === undefined) break;
			const job = this.queue.remove(index)!;
			this.dispatch(job, now);
		}
		this.scheduleWake(now);
	}

	private dispatch(job: Job, now: number) {
		this.tokens = math.max(0, this.tokens - 1);
		this.sent += 1;
		if (job.priority === "heartbeat") this.lastHeartbeatSent = now;
		this.inFlight.add(job);
		job.cancelSend = this.transport.send(job.request, (result) => {
			if (!this.inFlight.delete(job)) return;
			this.observe(result);
			this.complete(job, result);
			this.pump();
		});
	}

	/** Whole-client back-off: the API's 429 and the engine's budget error both mean "everyone slow down". */
	private observe(result: TransportResult) {
		const slowDown =
			(result.kind === "response" && result.status === 429) ||
			(result.kind === "failure" && result.failure.kind === "BudgetExceeded");
		if (!slowDown) {
			if (result.kind === "response") this.consecutiveBackoffs = 0;
			return;
		}
		this.consecutiveBackoffs += 1;
		const base = math.min(
			this.config.backoffMaxSec,
			this.config.backoffBaseSec * 2 ** (this.consecutiveBackoffs - 1),
		);
		const pause = base * (0.8 + 0.4 * this.random());
		this.pausedUntil = math.max(this.pausedUntil, this.clock.now() + pause);
	}

	private scheduleWake(now: number) {
		if (this.queue.isEmpty()) return this.setWake(math.huge);
		let wake = this.queue.reduce((earliest, job) => math.min(earliest, job.deadline), math.huge);
		if (this.inFlight.size() < this.inFlightLimit()) {
			let ready = math.max(now, this.pausedUntil);
			const head = this.queue[0];
			const tokensNeeded = head.priority === "heartbeat" ? 2 : 1;
			if (this.tokens < tokensNeeded)
				ready = math.max(ready, now + (tokensNeeded - this.tokens) / this.refillPerSec);
			if (head.priority === "heartbeat") {
				ready = math.max(ready, this.lastHeartbeatSent + this.config.heartbeatSpacingSec);
			}
			wake = math.min(wake, ready);
		}
		// Whatever is still queued could not go now: never wake sooner than a millisecond ahead, so float
		// error in the refill or spacing arithmetic cannot turn into a loop that does not advance time.
		this.setWake(math.max(wake, now + 0.001));
	}

	private setWake(at: number) {
		if (at === this.wakeAt) return;
		this.cancelWake?.();
		this.cancelWake = undefined;
		this.wakeAt = at;
		if (at === math.huge) return;
		this.cancelWake = this.clock.delay(math.max(0, at - this.clock.now()), () => {
			this.wakeAt = math.huge;
			this.cancelWake = undefined;
			this.pump();
		});
	}
}
