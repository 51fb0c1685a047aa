import { Cancel } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { TransportResult } from "../transport/HttpTransport";
import { RequestPriority } from "./SchedulerConfig";

/** Urgency of each priority: a lower rank goes first. */
const RANK: Readonly<Record<RequestPriority, number>> = { verify: 0, end: 1, heartbeat: 2 };

/** One request on its way through the scheduler: queued, then in flight, then answered. */
export interface Job {
	readonly request: ApiRequest;
	readonly priority: RequestPriority;
	/** Absolute time after which sending is pointless; the job then fails as BudgetExceeded unsent. */
	readonly deadline: number;
	/** Order of submission, the last tie-break. */
	readonly sequence: number;
	/** Its owner's callback; cleared once called, withdrawn or torn down, so it runs at most once. */
	done?: (result: TransportResult, sentAt?: number) => void;
	detach?: Cancel;
	/** When it went out (undefined while queued, or if it never did). */
	sentAt?: number;
}

/**
 * The requests waiting to go, in the order they should: by urgency (verify, end, heartbeat), then by
 * deadline (the session nearest its TTL first), then in the order they came.
 */
export class JobQueue {
	private readonly jobs = new Array<Job>();
	private sequence = 0;

	/** A job for a new request, numbered after every earlier one (not yet queued). */
	create(
		request: ApiRequest,
		priority: RequestPriority,
		deadline: number,
		done: (result: TransportResult, sentAt?: number) => void,
	): Job {
		return { request, priority, deadline, sequence: this.sequence++, done };
	}

	/** Queues a job in its place (a job the engine refused goes back in its place, too). */
	insert(job: Job) {
		let index = this.jobs.size();
		while (index > 0 && before(job, this.jobs[index - 1])) index -= 1;
		this.jobs.insert(index, job);
	}

	/** The job that goes next, if any. */
	head(): Job | undefined {
		return this.jobs[0];
	}

	/** Takes the head out. */
	shift(): Job | undefined {
		return this.jobs.remove(0);
	}

	/** Takes a job out; false when it is not queued (sent, or already taken out). */
	remove(job: Job): boolean {
		const index = this.jobs.indexOf(job);
		if (index === -1) return false;
		this.jobs.remove(index);
		return true;
	}

	/**
	 * Fails, unsent, every queued job that `matches`: from the back, each taken out and then handed the
	 * `failure` made for it (so whatever its owner calls back sees the queue without it).
	 */
	failEach(matches: (job: Job) => boolean, failure: (job: Job) => TransportResult) {
		for (let index = this.jobs.size() - 1; index >= 0; index--) {
			const job = this.jobs[index];
			if (!matches(job)) continue;
			this.jobs.remove(index);
			deliver(job, failure(job));
		}
	}

	/** The earliest deadline queued (infinite when the queue is empty). */
	earliestDeadline(): number {
		return this.jobs.reduce((earliest, job) => math.min(earliest, job.deadline), math.huge);
	}

	size() {
		return this.jobs.size();
	}

	isEmpty() {
		return this.jobs.isEmpty();
	}

	/** Empties the queue, handing each job to `each` first. */
	clear(each: (job: Job) => void) {
		for (const job of this.jobs) each(job);
		this.jobs.clear();
	}
}

/** The result of a job that never went out: a `BudgetExceeded` failure, so nobody takes it for acted on. */
export function notSent(detail: string): TransportResult {
	return { kind: "failure", failure: { kind: "BudgetExceeded", detail } };
}

/**
 * Hands a result to the job's owner, once (a job already delivered, withdrawn or torn down calls nobody).
 * An error in the owner's code is reported on its own thread and never unwinds the scheduler (which
 * would leave every other session's requests stuck).
 */
export function deliver(job: Job, result: TransportResult) {
	const done = job.done;
	job.done = undefined;
	if (done === undefined) return;
	const [ok, problem] = pcall(done, result, job.sentAt);
	if (!ok) task.spawn(error, `[Playwave] request owner errored: ${tostring(problem)}`, 0);
}

function before(a: Job, b: Job) {
	if (RANK[a.priority] !== RANK[b.priority]) return RANK[a.priority] < RANK[b.priority];
	if (a.deadline !== b.deadline) return a.deadline < b.deadline;
	return a.sequence < b.sequence;
}
