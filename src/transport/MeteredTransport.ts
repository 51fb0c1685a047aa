import { Cancel, Clock } from "../clock/Clock";
import { ApiFailure } from "../protocol/outcomes";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "./HttpTransport";

/** Which PlayWave call a request is. */
export type RequestKind = ApiRequest["endpoint"];

/** The kinds, in the order stats list them. */
export const REQUEST_KINDS: ReadonlyArray<RequestKind> = ["verify", "heartbeat", "end"];

/** Requests of one kind over the last minute. */
export interface RequestCounts {
	/** Requests that left the server (the engine's limit counts these). */
	sent: number;
	/** Requests the engine refused for budget ("Number of requests exceeded limit"); each was kept and retried. */
	refused: number;
}

/**
 * What a failure was, as a class a human can act on: the `ApiFailure` kind it maps to. Replies that are
 * outcomes of the protocol (a session gone, a token rejected) are not failures.
 */
export type FailureClass = Extract<
	ApiFailure["kind"],
	"InvalidApiKey" | "BadRequest" | "RateLimited" | "ServerError" | "NetworkError" | "Timeout" | "HttpDisabled"
>;

/** The most recent failure seen on the wire. */
export interface LastFailure {
	readonly failureClass: FailureClass;
	/** The HTTP status, for failures that had one. */
	readonly status?: number;
	readonly kind: RequestKind;
	/** On the connection's clock. */
	readonly at: number;
}

const WINDOW = 60;

interface Bucket {
	second: number;
	sent: Record<RequestKind, number>;
	refused: Record<RequestKind, number>;
}

/** The failure class of a transport result, or undefined when the request worked as far as the wire goes. */
export function failureClassOf(result: TransportResult): FailureClass | undefined {
	if (result.kind === "failure") {
		const kind = result.failure.kind;
		return kind === "BudgetExceeded" ? undefined : kind;
	}
	const status = result.status;
	if (status === 429) return "RateLimited";
	if (status === 401 || status === 403) return "InvalidApiKey";
	if (status === 400) return "BadRequest";
	if (status >= 500) return "ServerError";
	return undefined;
}

/**
 * A transport that counts what passes through it, for the stats snapshot: requests sent and refused by
 * the engine in the last minute, by kind (per-second buckets, so reading costs the same whatever the
 * traffic), and the last failure. It changes nothing about the requests. `afterReply` runs after each
 * reply has been handled by whoever sent the request (the scheduler has updated its state by then).
 */
export class MeteredTransport implements HttpTransport {
	private readonly buckets = new Array<Bucket>();
	private lastFailureValue?: LastFailure;
	/** True after the engine said HTTP requests are not enabled, until a reply comes. */
	private httpDisabled = false;
	afterReply?: () => void;

	constructor(
		private readonly inner: HttpTransport,
		private readonly clock: Clock,
	) {
		for (let index = 0; index < WINDOW; index++) {
			this.buckets.push({
				second: -math.huge,
				sent: { verify: 0, heartbeat: 0, end: 0 },
				refused: { verify: 0, heartbeat: 0, end: 0 },
			});
		}
	}

	send(request: ApiRequest, done: (result: TransportResult) => void): Cancel {
		const kind = request.endpoint;
		const sentSecond = math.floor(this.clock.now());
		this.bucket(sentSecond).sent[kind] += 1;
		return this.inner.send(request, (result) => {
			this.observe(kind, sentSecond, result);
			done(result);
			this.afterReply?.();
		});
	}

	/** Requests of each kind over the last minute (whole seconds: the current one and the 59 before it). */
	lastMinute(): Record<RequestKind, RequestCounts> {
		const now = math.floor(this.clock.now());
		const counts: Record<RequestKind, RequestCounts> = {
			verify: { sent: 0, refused: 0 },
			heartbeat: { sent: 0, refused: 0 },
			end: { sent: 0, refused: 0 },
		};
		for (const bucket of this.buckets) {
			if (bucket.second <= now - WINDOW || bucket.second > now) continue;
			for (const kind of REQUEST_KINDS) {
				counts[kind].sent += bucket.sent[kind];
				counts[kind].refused += bucket.refused[kind];
			}
		}
		return counts;
	}

	lastFailure(): LastFailure | undefined {
		return this.lastFailureValue;
	}

	/** The engine refuses every request because HTTP requests are not enabled. */
	isHttpDisabled(): boolean {
		return this.httpDisabled;
	}

	private observe(kind: RequestKind, sentSecond: number, result: TransportResult) {
		const now = this.clock.now();
		if (result.kind === "failure" && result.failure.kind === "BudgetExceeded") {
			// Refused by the engine: it never left the server, so it is not a send.
			const sentBucket = this.buckets[sentSecond % WINDOW];
			if (sentBucket.second === sentSecond) sentBucket.sent[kind] -= 1;
			this.bucket(math.floor(now)).refused[kind] += 1;
			return;
		}
		if (result.kind === "response") this.httpDisabled = false;
		if (result.kind === "failure" && result.failure.kind === "HttpDisabled") this.httpDisabled = true;
		const failureClass = failureClassOf(result);
		if (failureClass === undefined) return;
		this.lastFailureValue = {
			failureClass,
			status: result.kind === "response" ? result.status : undefined,
			kind,
			at: now,
		};
	}

	private bucket(second: number): Bucket {
		const bucket = this.buckets[second % WINDOW];
		if (bucket.second !== second) {
			bucket.second = second;
			for (const kind of REQUEST_KINDS) {
				bucket.sent[kind] = 0;
				bucket.refused[kind] = 0;
			}
		}
		return bucket;
	}
}
