import { Clock } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportFailure, TransportResult } from "../transport/HttpTransport";

/** What the fake server answers: a response, a transport failure, or nothing (the request hangs). */
export type FakeReply =
	| { status: number; body: string; latency?: number; headers?: Record<string, string> }
	| { failure: TransportFailure; latency?: number }
	| "hang";

export interface SentRequest {
	readonly request: ApiRequest;
	readonly at: number;
	/** Whether its reply was delivered (false while in flight, or when cancelled). */
	delivered: boolean;
	/** When its reply (or failure) was delivered. */
	repliedAt?: number;
}

/**
 * A transport that records every request and answers from a handler the test supplies, after an
 * optional latency on the test's clock. Replies are never delivered synchronously.
 */
export class FakeTransport implements HttpTransport {
	readonly sent = new Array<SentRequest>();
	handler: (request: ApiRequest, index: number) => FakeReply = () => ({ status: 500, body: "" });

	constructor(private readonly clock: Clock) {}

	send(request: ApiRequest, done: (result: TransportResult) => void) {
		const record: SentRequest = { request, at: this.clock.now(), delivered: false };
		this.sent.push(record);
		const reply = this.handler(request, this.sent.size());
		if (reply === "hang") return () => {};
		const cancel = this.clock.delay(reply.latency ?? 0, () => {
			record.delivered = true;
			record.repliedAt = this.clock.now();
			done(
				"failure" in reply
					? { kind: "failure", failure: reply.failure }
					: { kind: "response", status: reply.status, body: reply.body, headers: reply.headers },
			);
		});
		return cancel;
	}

	/**
	 * The most requests for one game session (or, for verify, one user) that were ever in flight at once:
	 * sent and not yet answered (a hanging request counts until the end of the test).
	 */
	maxInFlightPerSession(): number {
		const events = new Map<string, Array<[number, number]>>();
		for (const entry of this.sent) {
			const body = entry.request.body;
			const key = tostring(body.game_session_id ?? `user:${tostring(body.provider_user_id)}`);
			const list = events.get(key) ?? [];
			list.push([entry.at, 1]);
			list.push([entry.repliedAt ?? math.huge, -1]);
			events.set(key, list);
		}
		let most = 0;
		for (const [, list] of events) {
			// Replies before sends at the same instant: a request sent as the previous reply lands is not overlap.
			list.sort((a, b) => (a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1]));
			let open = 0;
			for (const [, delta] of list) {
				open += delta;
				most = math.max(most, open);
			}
		}
		return most;
	}

	/** Requests sent to one endpoint. */
	to(endpoint: ApiRequest["endpoint"]) {
		return this.sent.filter((entry) => entry.request.endpoint === endpoint);
	}
}

/** Bodies in the documented envelopes. */
export const Envelope = {
	ok(data: object) {
		return { status: 200, body: encode({ success: true, request_id: "req_test", data }) };
	},
	error(status: number, code: string, message = code) {
		return {
			status,
			body: encode({ success: false, error: { code, message, timestamp: "2026-11-28T00:00:00Z" } }),
		};
	},
};

function encode(value: unknown): string {
	return game.GetService("HttpService").JSONEncode(value);
}
