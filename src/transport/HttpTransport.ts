import { Cancel } from "../clock/Clock";
import { ApiFailure } from "../protocol/outcomes";
import { ApiRequest } from "../protocol/requests";
import { RawResponse } from "../protocol/responses";

/** Failures that happen before any HTTP status exists. */
export type TransportFailure = Extract<
	ApiFailure,
	{ kind: "NetworkError" | "Timeout" | "HttpDisabled" | "BudgetExceeded" }
>;

export type TransportResult = ({ kind: "response" } & RawResponse) | { kind: "failure"; failure: TransportFailure };

/**
 * Sends one request and reports once through `done` (never synchronously re-entrant with the caller's
 * state, never twice). The returned cancel stops `done` from being called.
 */
export interface HttpTransport {
	send(request: ApiRequest, done: (result: TransportResult) => void): Cancel;
}

/**
 * Maps the message RequestAsync raises to a typed failure. The engine says "Http requests are not
 * enabled" when HttpEnabled is off and "Number of requests exceeded limit" when the server's budget is
 * spent; anything else means the request did not complete.
 */
export function classifyRequestError(message: string): TransportFailure {
	const lower = message.lower();
	if (lower.find("http requests are not enabled", 1, true)[0] !== undefined) return { kind: "HttpDisabled" };
	if (lower.find("number of requests exceeded limit", 1, true)[0] !== undefined) {
		return { kind: "BudgetExceeded", detail: "HttpService: Number of requests exceeded limit" };
	}
	if (lower.find("timedout", 1, true)[0] !== undefined || lower.find("timed out", 1, true)[0] !== undefined) {
		return { kind: "Timeout", afterSec: 0 };
	}
	return { kind: "NetworkError", detail: message };
}
