import { Clock, RandomSource } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";
import { BudgetWindow } from "./BudgetWindow";
import { ClientBackoff, Trouble } from "./ClientBackoff";
import { HeartbeatPacing } from "./HeartbeatPacing";
import { InFlight } from "./InFlight";
import { Pump } from "./Pump";
import { deliver, Job, JobQueue, notSent } from "./JobQueue";
import {
	backoffPolicies,
	RequestPriority,
	resolveSchedulerConfig,
	SchedulerConfig,
	SchedulerStats,
	Withdraw,
} from "./SchedulerConfig";

/** The engine allows 500 a minute per server; at shutdown the SDK may take nearly all of it. */
const SHUTDOWN_REQUESTS_PER_MINUTE = 490;
const NOT_SENT_CLOSING = notSent("not sent: the server is closing");

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
	private readonly queue = new JobQueue();
	private readonly inFlight: InFlight;
	private readonly window: BudgetWindow;
	private readonly backoff: ClientBackoff;
	private readonly pacing: HeartbeatPacing;
	private readonly pump: Pump;
	private destroyed = false;
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
		this.config = resolveSchedulerConfig(config);
		this.urgentLimit = this.config.urgentRequestsPerMinute;
		this.window = new BudgetWindow(this.config.requestsPerMinute, {
			minSec: this.config.budgetRetryMinSec,
			maxSec: this.config.budgetRetryMaxSec,
		});
		this.inFlight = new InFlight(this.config.slowRequestSec);
		this.pacing = new HeartbeatPacing(this.config.heartbeatSpacingSec);
		this.backoff = new ClientBackoff(random, backoffPolicies(this.config));
		this.pump = new Pump(
			clock,
			() => this.pass(),
			(now) => this.nextWake(now),
		);
	}

	/**
	 * The server is shutting down: ends may use the engine's whole budget (less a small margin for the
	 * game's own last calls), since nothing after BindToClose will need it.
	 */
	enterShutdown() {
		this.urgentLimit = math.max(this.urgentLimit, SHUTDOWN_REQUESTS_PER_MINUTE);
		this.pump.run();
	}

	/**
	 * From now on requests of this priority are never sent: queued ones fail at once, unsent (a
	 * `BudgetExceeded` failure, so nobody takes them for acted on), and so do later ones. At close the
	 * verifies not yet sent are dropped this way: billing must not start for players being disconnected.
	 * Requests already in flight are not touched; their replies are processed as usual.
	 */
	stopSending(priority: RequestPriority) {
		this.stopped.add(priority);
		this.queue.failEach(
			(job) => job.priority === priority,
			() => NOT_SENT_CLOSING,
		);
		this.pump.run();
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
		const job = this.queue.create(request, priority, deadline, done);
		if (this.stopped.has(priority)) {
			deliver(job, NOT_SENT_CLOSING);
			return () => true;
		}
		this.queue.insert(job);
		this.pump.run();
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

	/** Whether the whole client was in trouble at any time since `from` (or is now). */
	troubledSince(from: number): boolean {
		return this.backoff.troubledSince(from);
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
			slowInFlight: this.inFlight.slow(now),
			silentForSec: this.inFlight.silentForSec(now),
		};
	}

	/** Tears the connection down: drops every queued request and detaches every reply, calling nobody back. */
	destroy() {
		this.destroyed = true;
		this.pump.stop();
		this.queue.clear((job) => (job.done = undefined));
		this.inFlight.detachAll();
	}

	private withdraw(job: Job) {
		if (!this.queue.remove(job)) return job.sentAt === undefined;
		job.done = undefined;
		this.pump.run();
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
		this.queue.failEach(
			(job) => job.deadline <= now,
			() => {
				this.expiredUnsent += 1;
				const why =
					this.backoff.trouble() === "refused"
						? "client paused: PlayWave refused the key or request"
						: "SDK request budget";
				return notSent(`not sent before its deadline (${why})`);
			},
		);
	}

	private inFlightLimit() {
		return this.backoff.trouble() !== undefined ? 1 : this.config.maxInFlight;
	}

	/** When the first queued job may go (the queue is in urgency order, so only the head matters). */
	private readyAt(job: Job, now: number) {
		const limit = this.limitFor(job.priority, now);
		const paused = math.max(this.backoff.pausedUntil(), this.window.blockedUntil());
		const ready = math.max(now, paused, this.window.roomAt(limit, now));
		return job.priority === "heartbeat" ? math.max(ready, this.pacing.readyAt(limit)) : ready;
	}

	/** Fails what can no longer go in time, then sends what may go now, in queue order. */
	private pass() {
		const now = this.clock.now();
		this.expire(now);
		for (let job = this.queue.head(); job !== undefined; job = this.queue.head()) {
			if (this.inFlight.fresh(now) >= this.inFlightLimit()) break;
			// Float error in the window or spacing arithmetic must not keep a due job waiting.
			if (this.readyAt(job, now) > now + 1e-9) break;
			this.queue.shift();
			this.dispatch(job, now);
		}
	}

	private dispatch(job: Job, now: number) {
		this.sent += 1;
		job.sentAt = now;
		this.window.record(now);
		if (job.priority === "heartbeat") this.pacing.sent(now);
		this.inFlight.add(job);
		job.detach = this.transport.send(job.request, (result) => {
			if (!this.inFlight.delete(job)) return;
			if (result.kind === "failure" && result.failure.kind === "BudgetExceeded") return this.refused(job);
			this.inFlight.replied(this.clock.now());
			// Whole-client back-off: trouble pauses the client, then one request at a time probes the API.
			const started = this.backoff.observe(result, this.clock.now());
			if (started !== undefined) this.troubleStarted?.(started, job.request, result);
			deliver(job, result);
			this.pump.run();
		});
	}

	/**
	 * The engine refused the request for budget: it never left the server, so it is not a failure of
	 * its owner. The window learns what is really left; the job goes back in its place and is tried again
	 * shortly.
	 */
	private refused(job: Job) {
		this.budgetRefusals += 1;
		this.window.refused(job.sentAt!, this.clock.now(), this.random);
		if (job.priority === "heartbeat") this.pacing.refused();
		job.sentAt = undefined;
		this.queue.insert(job);
		this.pump.run();
	}

	/** When the queue must be looked at again: a deadline, the head's turn, or a slot freed by a slow request. */
	private nextWake(now: number) {
		if (this.queue.isEmpty()) return math.huge;
		let wake = this.queue.earliestDeadline();
		if (this.inFlight.fresh(now) < this.inFlightLimit()) {
			wake = math.min(wake, this.readyAt(this.queue.head()!, now));
		} else {
			// Blocked by requests in flight: wake when the oldest of them turns slow and frees its slot.
			wake = math.min(wake, this.inFlight.nextSlowAt(now));
		}
		// Whatever is still queued could not go now: never wake sooner than a millisecond ahead, so float
		// error in the window or spacing arithmetic cannot turn into a loop that does not advance time.
		return math.max(wake, now + 0.001);
	}
}
