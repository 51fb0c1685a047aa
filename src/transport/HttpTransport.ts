import { Cancel } from "../clock/Clock";
import { ApiFailure } from "../protocol/outcomes";
import { ApiRequest } from "../protocol/requests";
import { RawResponse } from "../protocol/responses";

/** Failures that happen before any HTTP status exists. */
export type TransportFailure = Extract<
	ApiFailure,
	{ kind: "NetworkError" | "Timeout" | "HttpDisabled" | "BudgetExceeded" }
>;

export type TransportResult =
	| ({ kind: "response"; headers?: Readonly<Record<string, string>> } & RawResponse)
	| { kind: "failure"; failure: TransportFailure };

/**
 * Sends one request and reports once through `done`, whenever the reply arrives (there is no
 * give-up timer: an HttpService request cannot be cancelled, so a late reply still counts). `done`
 * may run before `send` returns (the engine refuses an over-budget request at once), never twice.
 * The returned cancel only detaches `done`, for tearing a connection down.
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
		return { kind: "Timeout", detail: message };
	}
	return { kind: "NetworkError", detail: message };
}
