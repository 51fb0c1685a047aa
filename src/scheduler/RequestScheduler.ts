import { Cancel, Clock, RandomSource } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";
import { BudgetWindow, WINDOW_SEC } from "./BudgetWindow";
import { ClientBackoff, Trouble } from "./ClientBackoff";
import {
	DEFAULT_SCHEDULER_CONFIG,
	RequestPriority,
	SchedulerConfig,
	SchedulerStats,
	Withdraw,
} from "./SchedulerConfig";
import { retryAfterOf } from "../transport/retryAfter";

const RANK: Readonly<Record<RequestPriority, number>> = { verify: 0, end: 1, heartbeat: 2 };

/** The engine allows 500 a minute per server; at shutdown the SDK may take nearly all of it. */
const SHUTDOWN_REQUESTS_PER_MINUTE = 490;
const NOT_SENT_CLOSING: TransportResult = {
	kind: "failure",
	failure: { kind: "BudgetExceeded", detail: "not sent: the server is closing" },
};

interface Job {
	readonly request: ApiRequest;
	readonly priority: RequestPriority;
	/** Absolute time after which sending is pointless; the job then fails as BudgetExceeded unsent. */
	readonly deadline: number;
	sequence: number;
	done?: (result: TransportResult, sentAt?: number) => void;
	detach?: Cancel;
	/** When it went out (undefined while queued, or if it never did). */
	sentAt?: number;
}

/**
 * The one gate every SDK request passes through. It keeps the SDK inside its share of the server's
 * HttpService budget (a sliding minute, as the engine counts) and inside what the engine's refusals say
 * is really left, lets verifies and ends borrow up to an urgent ceiling, orders work by urgency then
 * deadline (the session nearest its TTL first), paces heartbeats evenly, and pauses the whole client on
 * trouble (429, the API looking down, a refused key or request) with one probe at a time instead of
 * letting every session retry on its own. A request the engine refused for budget was never sent: it is
 * kept and tried again shortly (the engine's window frees slots continuously). A sent request is never
 * abandoned; its reply is delivered whenever it comes.
 */
export class RequestScheduler {
	private readonly queue = new Array<Job>();
	private readonly inFlight = new Set<Job>();
	private readonly window: BudgetWindow;
	private readonly backoff: ClientBackoff;
	private lastHeartbeatSent = -math.huge;
	private lastReplyAt = -math.huge;
	/** After an engine refusal nothing is sent before this. */
	private budgetBlockedUntil = -math.huge;
	private sequence = 0;
	private cancelWake?: Cancel;
	private wakeAt = math.huge;
	private destroyed = false;
	private pumping = false;
	private pumpAgain = false;
	private sent = 0;
	private expiredUnsent = 0;
	private budgetRefusals = 0;
	private readonly config: SchedulerConfig;
	private urgentLimit: number;
	/** Priorities that are never sent any more (verifies, once the server closes). */
	private readonly stopped = new Set<RequestPriority>();
	/** Told about client-wide trouble as it starts (the connection warns once per kind). */
	troubleStarted?: (trouble: Trouble, request: ApiRequest, result: TransportResult) => void;

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
		this.window = new BudgetWindow(this.config.requestsPerMinute);
		const policy = (baseSec: number, maxSec: number) => ({ baseSec, maxSec, jitter: 0.2 });
		this.backoff = new ClientBackoff(random, {
			slowDown: policy(this.config.slowDownBaseSec, this.config.slowDownMaxSec),
			unreachable: policy(this.config.unreachableBaseSec, this.config.unreachableMaxSec),
			refused: policy(this.config.refusedBaseSec, this.config.refusedMaxSec),
		});
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
	 * Queues a request. `done` is called exactly once (unless the request is withdrawn unsent), with the
	 * time the request actually went out (the server's clocks, such as the session TTL, count from then).
	 */
	submit(
		request: ApiRequest,
		priority: RequestPriority,
		deadline: number,
		done: (result: TransportResult, sentAt?: number) => void,
	): Withdraw {
		if (this.destroyed) return () => true;
		const job: Job = { request, priority, deadline, sequence: this.sequence++, done };
		if (this.stopped.has(priority)) {
			this.complete(job, NOT_SENT_CLOSING);
			return () => true;
		}
		this.insert(job);
		this.pump();
		return () => this.withdraw(job);
	}

	/** Heartbeats a minute the SDK can count on now: its share, or what the engine's refusals left of it. */
	heartbeatCapacity(): number {
		return this.window.available(this.clock.now());
	}

	/** The configured share of the server's budget. */
	share(): number {
		return this.config.requestsPerMinute;
	}

	/** Client-wide trouble now (undefined when requests work). */
	trouble(): Trouble | undefined {
		return this.backoff.trouble();
	}

	stats(): SchedulerStats {
		const now = this.clock.now();
		return {
			sent: this.sent,
			queued: this.queue.size(),
			inFlight: this.inFlight.size(),
			sentLastMinute: this.window.count(now),
			expiredUnsent: this.expiredUnsent,
			budgetRefusals: this.budgetRefusals,
			available: this.window.available(now),
			pausedUntil: this.backoff.pausedUntil(),
			trouble: this.backoff.trouble(),
			slowInFlight: this.inFlight.size() - this.freshInFlight(now),
			silentForSec: this.inFlight.isEmpty() ? 0 : now - math.max(this.lastReplyAt, this.oldestSentAt()),
		};
	}

	/** Tears the connection down: drops every queued request and detaches every reply, calling nobody back. */
	destroy() {
		this.destroyed = true;
		this.cancelWake?.();
		for (const job of this.queue) job.done = undefined;
		this.queue.clear();
		for (const job of this.inFlight) {
			job.done = undefined;
			job.detach?.();
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

	private withdraw(job: Job) {
		const index = this.queue.indexOf(job);
		if (index === -1) return job.sentAt === undefined;
		this.queue.remove(index);
		job.done = undefined;
		this.pump();
		return true;
	}

	/**
	 * Heartbeats plan on what the engine's refusals say is left of the share. Verifies and ends do not
	 * wait for that estimate (a token dies in a minute, billing runs until the end lands): they go up to
	 * the urgent ceiling, and a refusal only puts them back in the queue for a few seconds.
	 */
	private limitFor(priority: RequestPriority, now: number) {
		if (priority !== "heartbeat") return this.urgentLimit;
		return this.window.available(now);
	}

	private expire(now: number) {
		for (let index = this.queue.size() - 1; index >= 0; index--) {
			const job = this.queue[index];
			if (job.deadline > now) continue;
			this.queue.remove(index);
			this.expiredUnsent += 1;
			const why =
				this.backoff.trouble() === "refused"
					? "client paused: PlayWave refused the key or request"
					: "SDK request budget";
			this.complete(job, {
				kind: "failure",
				failure: { kind: "BudgetExceeded", detail: `not sent before its deadline (${why})` },
			});
		}
	}

	/**
	 * Hands a result to its owner. An error in the owner's code is reported on its own thread and never
	 * unwinds the scheduler (which would leave every other session's requests stuck).
	 */
	private complete(job: Job, result: TransportResult) {
		const done = job.done;
		job.done = undefined;
		if (done === undefined) return;
		const [ok, problem] = pcall(done, result, job.sentAt);
		if (!ok) task.spawn(error, `[Playwave] request owner errored: ${tostring(problem)}`, 0);
	}

	/** In flight and not yet slow: these hold the in-flight slots. */
	private freshInFlight(now: number) {
		let fresh = 0;
		for (const job of this.inFlight) if (now - job.sentAt! < this.config.slowRequestSec) fresh += 1;
		return fresh;
	}

	private oldestSentAt() {
		let oldest = math.huge;
		for (const job of this.inFlight) oldest = math.min(oldest, job.sentAt!);
		return oldest;
	}

	private inFlightLimit() {
		return this.backoff.trouble() !== undefined ? 1 : this.config.maxInFlight;
	}

	/** When the first queued job may go (the queue is in urgency order, so only the head matters). */
	private readyAt(job: Job, now: number) {
		const limit = this.limitFor(job.priority, now);
		let ready = math.max(now, this.backoff.pausedUntil(), this.budgetBlockedUntil, this.window.roomAt(limit, now));
		if (job.priority === "heartbeat") {
			// Heartbeats go evenly at the rate really available, never in bursts: a burst fills the sliding
			// minute and starves whoever falls due next. A little under the period: timers land on frames,
			// so an exact period would lose rate; the sliding minute still caps heartbeats at the limit.
			const pace = math.max(this.config.heartbeatSpacingSec, (0.9 * WINDOW_SEC) / limit);
			ready = math.max(ready, this.lastHeartbeatSent + pace);
		}
		return ready;
	}

	private pump() {
		if (this.destroyed) return;
		// A reply (or a refusal) can arrive while a dispatch is under way: finish this pass, then run again.
		if (this.pumping) {
			this.pumpAgain = true;
			return;
		}
		this.pumping = true;
		do {
			this.pumpAgain = false;
			const now = this.clock.now();
			this.expire(now);
			while (!this.queue.isEmpty() && this.freshInFlight(now) < this.inFlightLimit()) {
				// Float error in the window or spacing arithmetic must not keep a due job waiting.
				if (this.readyAt(this.queue[0], now) > now + 1e-9) break;
				this.dispatch(this.queue.remove(0)!, now);
			}
		} while (this.pumpAgain && !this.destroyed);
		this.pumping = false;
		if (!this.destroyed) this.scheduleWake(this.clock.now());
	}

	private dispatch(job: Job, now: number) {
		this.sent += 1;
		job.sentAt = now;
		this.window.record(now);
		if (job.priority === "heartbeat") this.lastHeartbeatSent = now;
		this.inFlight.add(job);
		job.detach = this.transport.send(job.request, (result) => {
			if (!this.inFlight.delete(job)) return;
			if (result.kind === "failure" && result.failure.kind === "BudgetExceeded") return this.refused(job);
			this.lastReplyAt = this.clock.now();
			this.observe(job, result);
			this.complete(job, result);
			this.pump();
		});
	}

	/**
	 * The engine refused the request for budget: it never left the server, so it is not a failure of
	 * its owner. Learn what is really left, and try it again shortly, in deadline order.
	 */
	private refused(job: Job) {
		const now = this.clock.now();
		this.budgetRefusals += 1;
		this.window.unrecord(job.sentAt!);
		this.window.refused(now);
		if (job.priority === "heartbeat") this.lastHeartbeatSent = -math.huge;
		job.sentAt = undefined;
		const available = this.window.available(now);
		const wait = math.clamp(WINDOW_SEC / available, this.config.budgetRetryMinSec, this.config.budgetRetryMaxSec);
		this.budgetBlockedUntil = math.max(this.budgetBlockedUntil, now + wait * (0.75 + 0.5 * this.random()));
		this.insert(job);
		this.pump();
	}

	/**
	 * Whole-client back-off: a 429 means "everyone slow down"; a 5xx, a network error or an engine timeout
	 * means the API looks down; 401/403/400 mean the key or the request shape is refused. Each pauses the
	 * client, then probes with one request; any other answer from the API ends the trouble.
	 */
	private observe(job: Job, result: TransportResult) {
		let trouble: Trouble | undefined;
		let pauseSec: number | undefined;
		if (result.kind === "response") {
			const status = result.status;
			if (status === 429) {
				trouble = "slowDown";
				pauseSec = retryAfterOf(result.headers);
			} else if (status >= 500) trouble = "unreachable";
			else if (status === 400 || status === 401 || status === 403) trouble = "refused";
		} else if (result.failure.kind === "NetworkError" || result.failure.kind === "Timeout") {
			trouble = "unreachable";
		}
		if (trouble === undefined) {
			if (result.kind === "response") this.backoff.recover();
			return;
		}
		const before = this.backoff.trouble();
		this.backoff.fail(trouble, this.clock.now(), pauseSec);
		if (before !== trouble) this.troubleStarted?.(trouble, job.request, result);
	}

	private scheduleWake(now: number) {
		if (this.queue.isEmpty()) return this.setWake(math.huge);
		let wake = this.queue.reduce((earliest, job) => math.min(earliest, job.deadline), math.huge);
		if (this.freshInFlight(now) < this.inFlightLimit()) {
			wake = math.min(wake, this.readyAt(this.queue[0], now));
		} else {
			// Blocked by requests in flight: wake when the oldest of them turns slow and frees its slot.
			for (const job of this.inFlight) {
				const slowAt = job.sentAt! + this.config.slowRequestSec;
				if (slowAt > now) wake = math.min(wake, slowAt);
			}
		}
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
