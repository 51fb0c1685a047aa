import { Clock } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportFailure, TransportResult } from "../transport/HttpTransport";

/** What the fake server answers: a response, a transport failure, or nothing (the request hangs). */
export type FakeReply =
	{ status: number; body: string; latency?: number } | { failure: TransportFailure; latency?: number } | "hang";

export interface SentRequest {
	readonly request: ApiRequest;
	readonly at: number;
	/** Whether its reply was delivered (false while in flight, or when cancelled). */
	delivered: boolean;
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
			done(
				"failure" in reply
					? { kind: "failure", failure: reply.failure }
					: { kind: "response", status: reply.status, body: reply.body },
			);
		});
		return cancel;
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
