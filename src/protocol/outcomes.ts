/** Why the server turned a one-time token down (`data.is_valid = false`). */
export type VerifyRejectReason = "OTT_EXPIRED" | "OTT_ALREADY_USED" | "GAME_MISMATCH" | "NOT_CHARGEABLE";
export const VERIFY_REJECT_REASONS: ReadonlyArray<VerifyRejectReason> = [
	"OTT_EXPIRED",
	"OTT_ALREADY_USED",
	"GAME_MISMATCH",
	"NOT_CHARGEABLE",
];

/** Error codes with which the server says a session is gone (404 / 410 on heartbeat). */
export type SessionLostCode = "SESSION_NOT_FOUND" | "SESSION_ENDED" | "SESSION_ENDING";

/** Error codes with which the server says an end was not needed (404 / 409 on end). */
export type AlreadyGoneCode = "SESSION_NOT_FOUND" | "ALREADY_ENDED";

/**
 * Every way a call can fail, whatever the endpoint. `detail` texts are for logs: they never contain
 * the API key.
 */
export type ApiFailure =
	/** 401 (403 alike): wrong key, a key of another environment, or the game is inactive. */
	| { kind: "InvalidApiKey"; status: 401 | 403; message: string }
	/** 400: the request was refused as invalid. */
	| { kind: "BadRequest"; status: 400; message: string }
	/** 429: the PlayWave API asks us to slow down. */
	| { kind: "RateLimited"; status: 429 }
	/** 5xx, with the error code when the body had one. */
	| { kind: "ServerError"; status: number; code?: string }
	/** The request did not complete (connection failed, DNS, reset). */
	| { kind: "NetworkError"; detail: string }
	/** The engine gave up on the request (`HttpError: Timedout`); the SDK itself never abandons one. */
	| { kind: "Timeout"; detail: string }
	/** HttpService.HttpEnabled is off ("Allow HTTP Requests" in Game Settings). */
	| { kind: "HttpDisabled" }
	/** The server's HttpService budget is spent, or the SDK's own share could not send it in time. */
	| { kind: "BudgetExceeded"; detail: string }
	/** A body that is not JSON or does not match the documented shape (missing field, wrong type, unknown enum). */
	| { kind: "Malformed"; status: number; detail: string }
	/** A status the documentation does not give for this endpoint. */
	| { kind: "UnexpectedStatus"; status: number; code?: string; detail: string };

export type VerifyOutcome =
	| { kind: "Verified"; gameSessionId: string; isPcCafe: boolean }
	| { kind: "Rejected"; reason: VerifyRejectReason }
	| ApiFailure;

export type HeartbeatOutcome =
	| { kind: "Ok"; nextHeartbeatIn: number; playDurationSec?: number }
	| { kind: "ChargeExhausted"; nextHeartbeatIn: number; playDurationSec?: number }
	| { kind: "SessionReplaced"; playDurationSec?: number }
	| { kind: "SessionLost"; code: SessionLostCode }
	| ApiFailure;

export type EndOutcome =
	| { kind: "Ended"; playDurationSec?: number; clientPlayDurationSec?: number }
	| { kind: "AlreadyGone"; code: AlreadyGoneCode }
	| ApiFailure;

const TRANSIENT: ReadonlySet<ApiFailure["kind"]> = new Set([
	"RateLimited",
	"ServerError",
	"NetworkError",
	"Timeout",
	"BudgetExceeded",
	"Malformed",
]);

/** A failure that may go away if the same request is sent again later. */
export function isTransient(failure: ApiFailure): boolean {
	return TRANSIENT.has(failure.kind);
}

const NOT_ACTED: ReadonlySet<ApiFailure["kind"]> = new Set([
	"InvalidApiKey",
	"BadRequest",
	"RateLimited",
	"HttpDisabled",
	"BudgetExceeded",
]);

/**
 * Whether the server may have acted on a request that failed: the reply was lost, garbled, or an
 * error after processing. Matters for verify, whose retry is not idempotent.
 */
export function mayHaveActed(failure: ApiFailure): boolean {
	return !NOT_ACTED.has(failure.kind);
}

const FAILURE_KINDS: ReadonlySet<string> = new Set([
	"InvalidApiKey",
	"BadRequest",
	"RateLimited",
	"ServerError",
	"NetworkError",
	"Timeout",
	"HttpDisabled",
	"BudgetExceeded",
	"Malformed",
	"UnexpectedStatus",
]);

export function isFailure<T extends { kind: string }>(outcome: T | ApiFailure): outcome is ApiFailure {
	return FAILURE_KINDS.has(outcome.kind);
}

/** One line for logs and error events. */
export function describeFailure(failure: ApiFailure): string {
	switch (failure.kind) {
		case "InvalidApiKey":
			// Only lengths: the server's text might echo the key.
			return `${failure.status} INVALID_API_KEY (a ${failure.message.size()}-character message)`;
		case "BadRequest":
			return `400 BAD_REQUEST (a ${failure.message.size()}-character message)`;
		case "RateLimited":
			return "429 RATE_LIMITED";
		case "ServerError":
			return `${failure.status} ${failure.code ?? "server error"}`;
		case "NetworkError":
			return `network error: ${failure.detail}`;
		case "Timeout":
			return `the engine timed the request out: ${failure.detail}`;
		case "HttpDisabled":
			return "HTTP requests are not enabled (Game Settings > Security > Allow HTTP Requests)";
		case "BudgetExceeded":
			return `HTTP budget exceeded: ${failure.detail}`;
		case "Malformed":
			return `malformed response (HTTP ${failure.status}): ${failure.detail}`;
		case "UnexpectedStatus":
			return `unexpected HTTP ${failure.status}${failure.code !== undefined ? ` ${failure.code}` : ""}: ${failure.detail}`;
	}
}
