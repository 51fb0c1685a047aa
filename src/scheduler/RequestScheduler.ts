import { Cancel, Clock, RandomSource } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";

/**
 * How urgent a request is. Verify first (its token dies 60 s after issuance), then end (billing runs
 * until it lands), then heartbeats (minutes of slack before the session TTL).
 */
export type RequestPriority = "verify" | "end" | "heartbeat";
const RANK: Readonly<Record<RequestPriority, number>> = { verify: 0, end: 1, heartbeat: 2 };

/** The engine counts requests over a sliding minute; so does the scheduler. */
const WINDOW_SEC = 60;
/** The engine allows 500 a minute per server; at shutdown the SDK may take nearly all of it. */
const SHUTDOWN_REQUESTS_PER_MINUTE = 490;
const NOT_SENT_CLOSING: TransportResult = {
	kind: "failure",
	failure: { kind: "BudgetExceeded", detail: "not sent: the server is closing" },
};

export interface SchedulerConfig {
	/**
	 * The SDK's steady share of the server's HttpService budget (500 requests a minute, shared with the
	 * whole game). Heartbeats never take more.
	 */
	readonly requestsPerMinute: number;
	/**
	 * The ceiling for urgent work: verifies (a token dies 60 s after issuance) and ends (billing runs until
	 * they land, and shutdown leaves 30 s). They may borrow above the share up to this, in any minute.
	 */
	readonly urgentRequestsPerMinute: number;
	/** At most this many requests in flight at once. */
	readonly maxInFlight: number;
	/** Least time between two heartbeats, so players who joined together do not beat in one frame. */
	readonly heartbeatSpacingSec: number;
	/** Pause of the whole client after a 429 or an engine budget error; doubles per repeat up to the max. */
	readonly slowDownBaseSec: number;
	readonly slowDownMaxSec: number;
	/** Pause after a 5xx, a network error or a timeout (the API looks down); doubles up to the max. */
	readonly unreachableBaseSec: number;
	readonly unreachableMaxSec: number;
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
	requestsPerMinute: 240,
	urgentRequestsPerMinute: 450,
	maxInFlight: 10,
	heartbeatSpacingSec: 0.1,
	slowDownBaseSec: 5,
	slowDownMaxSec: 60,
	unreachableBaseSec: 2,
	unreachableMaxSec: 8,
};

interface Job {
	readonly request: ApiRequest;
	readonly priority: RequestPriority;
	/** Absolute time after which sending is pointless; the job then fails as BudgetExceeded unsent. */
	readonly deadline: number;
	readonly sequence: number;
	done?: (result: TransportResult, sentAt?: number) => void;
	cancelSend?: Cancel;
	/** When it went out (undefined while queued, or if it never did). */
	sentAt?: number;
}

export interface SchedulerStats {
	sent: number;
	queued: number;
	inFlight: number;
	/** Requests sent in the last minute (the figure the engine's limit counts). */
	sentLastMinute: number;
	expiredUnsent: number;
	pausedUntil: number;
	/** While true, one request at a time probes the API after a slow-down or an outage. */
	probing: boolean;
}

type Trouble = "slowDown" | "unreachable";

/**
 * The one gate every SDK request passes through. It keeps the SDK inside its share of the server's
 * HttpService budget (a sliding minute, as the engine counts), lets verifies and ends borrow up to an
 * urgent ceiling, limits requests in flight, orders work by urgency then deadline, spaces heartbeats
 * apart, and when the API says to slow down (429), the engine's budget is spent, or the API looks down
 * (5xx, network errors, timeouts), pauses the whole client and probes with one request at a time
 * instead of letting every session retry on its own.
 */
export class RequestScheduler {
	private readonly queue = new Array<Job>();
	private readonly inFlight = new Set<Job>();
	/** Send times of the last minute, oldest first; `sentHead` is the index of the oldest kept. */
	private readonly sentTimes = new Array<number>();
	private sentHead = 0;
	private lastHeartbeatSent = -math.huge;
	private pausedUntil = -math.huge;
	private trouble?: Trouble;
	private troubleCount = 0;
	private sequence = 0;
	private cancelWake?: Cancel;
	private wakeAt = math.huge;
	private destroyed = false;
	private sent = 0;
	private expiredUnsent = 0;
	private readonly config: SchedulerConfig;
	private urgentLimit: number;
	/** Priorities that are never sent any more (verifies, once the server closes). */
	private readonly stopped = new Set<RequestPriority>();

	constructor(
		private readonly transport: HttpTransport,
		private readonly clock: Clock,
		private readonly random: RandomSource,
		config: Partial<SchedulerConfig> = {},
	) {
		const merged = { ...DEFAULT_SCHEDULER_CONFIG, ...config };
		this.config = {
			...merged,
			urgentRequestsPerMinute: math.max(merged.urgentRequestsPerMinute, merged.requestsPerMinute),
		};
		this.urgentLimit = this.config.urgentRequestsPerMinute;
	}

	/**
	 * The server is shutting down: ends may use the engine's whole budget (less a small margin for the
	 * game's own last calls), since nothing after BindToClose will need it.
	 */
	enterShutdown() {
		this.urgentLimit = math.max(this.urgentLimit, SHUTDOWN_REQUESTS_PER_MINUTE);
		this.pump();
	}

	/**
	 * From now on requests of this priority are never sent: queued ones fail at once, unsent (a
	 * `BudgetExceeded` failure, so nobody takes them for acted on), and so do later ones. At close the
	 * verifies not yet sent are dropped this way: billing must not start for players being disconnected.
	 * Requests already in flight are not touched; their replies are processed as usual.
	 */
	stopSending(priority: RequestPriority) {
		this.stopped.add(priority);
		for (let index = this.queue.size() - 1; index >= 0; index--) {
			const job = this.queue[index];
			if (job.priority !== priority) continue;
			this.queue.remove(index);
			this.complete(job, NOT_SENT_CLOSING);
		}
		this.pump();
	}

	/**
	 * Queues a request. `done` is called exactly once unless the returned cancel runs first, with the
	 * time the request actually went out (the server's clocks, such as the session TTL, count from then).
	 */
	submit(
		request: ApiRequest,
		priority: RequestPriority,
		deadline: number,
		done: (result: TransportResult, sentAt?: number) => void,
	): Cancel {
		if (this.destroyed) return () => {};
		const job: Job = { request, priority, deadline, sequence: this.sequence++, done };
		if (this.stopped.has(priority)) {
			this.complete(job, NOT_SENT_CLOSING);
			return () => {};
		}
		this.insert(job);
		this.pump();
		return () => this.cancel(job);
	}

	stats(): SchedulerStats {
		return {
			sent: this.sent,
			queued: this.queue.size(),
			inFlight: this.inFlight.size(),
			sentLastMinute: this.sentInWindow(this.clock.now()),
			expiredUnsent: this.expiredUnsent,
			pausedUntil: this.pausedUntil,
			probing: this.trouble !== undefined,
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

	/** Requests sent in the sliding minute ending now (drops older entries as it goes). */
	private sentInWindow(now: number) {
		while (this.sentHead < this.sentTimes.size() && this.sentTimes[this.sentHead] <= now - WINDOW_SEC) {
			this.sentHead += 1;
		}
		if (this.sentHead > 64 && this.sentHead * 2 > this.sentTimes.size()) {
			// Compact now and then so the log stays about one minute long.
			const kept = new Array<number>();
			for (let index = this.sentHead; index < this.sentTimes.size(); index++) kept.push(this.sentTimes[index]);
			this.sentTimes.clear();
			for (const time of kept) this.sentTimes.push(time);
			this.sentHead = 0;
		}
		return this.sentTimes.size() - this.sentHead;
	}

	private limitFor(priority: RequestPriority) {
		return priority === "heartbeat" ? this.config.requestsPerMinute : this.urgentLimit;
	}

	/** When the window will have room for one more request of this priority. */
	private roomAt(priority: RequestPriority, now: number) {
		const inWindow = this.sentInWindow(now);
		const limit = this.limitFor(priority);
		if (inWindow < limit) return now;
		return this.sentTimes[this.sentHead + (inWindow - limit)] + WINDOW_SEC;
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
		done?.(result, job.sentAt);
	}

	private inFlightLimit() {
		return this.trouble !== undefined ? 1 : this.config.maxInFlight;
	}

	/** When the first queued job may go (the queue is in urgency order, so only the head matters). */
	private readyAt(job: Job, now: number) {
		let ready = math.max(now, this.pausedUntil, this.roomAt(job.priority, now));
		if (job.priority === "heartbeat") {
			// Heartbeats go evenly at the share's rate, never in bursts: a burst fills the sliding minute
			// and starves whoever falls due next, while evenly paced ones keep every session inside its TTL.
			// A little under the share's period: timers land on frames, so an exact period would lose rate;
			// the sliding minute still caps heartbeats at the share.
			const pace = math.max(this.config.heartbeatSpacingSec, (0.9 * WINDOW_SEC) / this.config.requestsPerMinute);
			ready = math.max(ready, this.lastHeartbeatSent + pace);
		}
		return ready;
	}

	private pump() {
		if (this.destroyed) return;
		const now = this.clock.now();
		this.expire(now);
		while (!this.queue.isEmpty() && this.inFlight.size() < this.inFlightLimit()) {
			// Float error in the window or spacing arithmetic must not keep a due job waiting.
			if (this.readyAt(this.queue[0], now) > now + 1e-9) break;
			this.dispatch(this.queue.remove(0)!, now);
		}
		this.scheduleWake(now);
	}

	private dispatch(job: Job, now: number) {
		this.sent += 1;
		job.sentAt = now;
		this.sentTimes.push(now);
		if (job.priority === "heartbeat") this.lastHeartbeatSent = now;
		this.inFlight.add(job);
		job.cancelSend = this.transport.send(job.request, (result) => {
			if (!this.inFlight.delete(job)) return;
			this.observe(result);
			this.complete(job, result);
			this.pump();
		});
	}

	/**
	 * Whole-client back-off. A 429 or the engine's budget error means "everyone slow down"; a 5xx, a
	 * network error or a timeout means the API looks down. Either way the client pauses, then probes with
	 * one request; any other answer from the API ends the trouble.
	 */
	private observe(result: TransportResult) {
		let trouble: Trouble | undefined;
		if (result.kind === "response") {
			if (result.status === 429) trouble = "slowDown";
			else if (result.status >= 500) trouble = "unreachable";
		} else if (result.failure.kind === "BudgetExceeded") {
			trouble = "slowDown";
		} else if (result.failure.kind === "NetworkError" || result.failure.kind === "Timeout") {
			trouble = "unreachable";
		}
		if (trouble === undefined) {
			if (result.kind === "response") {
				this.trouble = undefined;
				this.troubleCount = 0;
			}
			return;
		}
		this.troubleCount = this.trouble === trouble ? this.troubleCount + 1 : 1;
		this.trouble = trouble;
		const [base, cap] =
			trouble === "slowDown"
				? [this.config.slowDownBaseSec, this.config.slowDownMaxSec]
				: [this.config.unreachableBaseSec, this.config.unreachableMaxSec];
		const pause = math.min(cap, base * 2 ** (this.troubleCount - 1)) * (0.8 + 0.4 * this.random());
		this.pausedUntil = math.max(this.pausedUntil, this.clock.now() + pause);
	}

	private scheduleWake(now: number) {
		if (this.queue.isEmpty()) return this.setWake(math.huge);
		let wake = this.queue.reduce((earliest, job) => math.min(earliest, job.deadline), math.huge);
		if (this.inFlight.size() < this.inFlightLimit()) wake = math.min(wake, this.readyAt(this.queue[0], now));
		// Whatever is still queued could not go now: never wake sooner than a millisecond ahead, so float
		// error in the window or spacing arithmetic cannot turn into a loop that does not advance time.
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
