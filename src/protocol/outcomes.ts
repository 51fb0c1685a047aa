import { maskKeyLike } from "./redact";

/** Why the server turned a one-time token down (`data.is_valid = false`). */
export type TokenRejectReason = "OTT_EXPIRED" | "OTT_ALREADY_USED" | "GAME_MISMATCH" | "NOT_CHARGEABLE";
export const TOKEN_REJECT_REASONS: ReadonlyArray<TokenRejectReason> = [
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
 * Every way a call can fail, whatever the endpoint. `detail` is the SDK's own description. Text that came
 * from the server or the engine (`message`, `excerpt`, a `NetworkError`'s `detail`) may echo the API key
 * (a `Secret` cannot be redacted), so `describeFailure` prints only its length unless asked to show it
 * masked (`debug`).
 */
export type ApiFailure =
	/** 401 (403 alike): wrong key, a key of another environment, or the game is inactive. */
	| {
			/** PlayWave refused the API key. */
			kind: "InvalidApiKey";
			/** The HTTP status. */
			status: 401 | 403;
			/** The server's error message (may echo the key: printed masked only with `debug`). */
			message: string;
	  }
	/** 400: the request was refused as invalid. */
	| {
			/** PlayWave refused the request as invalid. */
			kind: "BadRequest";
			/** The HTTP status. */
			status: 400;
			/** The server's error message (may echo the key: printed masked only with `debug`). */
			message: string;
	  }
	/** 429: the PlayWave API asks us to slow down. */
	| {
			/** PlayWave asked the SDK to slow down. */
			kind: "RateLimited";
			/** The HTTP status. */
			status: 429;
	  }
	/** 5xx, with the error code when the body had one. */
	| {
			/** PlayWave failed (5xx). */
			kind: "ServerError";
			/** The HTTP status. */
			status: number;
			/** The error code of the body, when it had one. */
			code?: string;
	  }
	/** The request did not complete (connection failed, DNS, reset). */
	| {
			/** The request did not complete. */
			kind: "NetworkError";
			/** The engine's error (may echo the key: printed masked only with `debug`). */
			detail: string;
	  }
	/** The engine gave up on the request (`HttpError: Timedout`); the SDK itself never abandons one. */
	| {
			/** The engine gave up waiting for the reply. */
			kind: "Timeout";
			/** The engine's error. */
			detail: string;
	  }
	/** HttpService.HttpEnabled is off ("Allow HTTP Requests" in Game Settings). */
	| {
			/** HTTP requests are not enabled for the experience. */
			kind: "HttpDisabled";
	  }
	/** The server's HttpService budget is spent, or the SDK's own share could not send it in time. */
	| {
			/** No HTTP budget was left to send the request in time. */
			kind: "BudgetExceeded";
			/** The SDK's description of which budget. */
			detail: string;
	  }
	/** A body that is not JSON or does not match the documented shape (missing field, wrong type, unknown enum). */
	| {
			/** The reply did not match the documented shape. */
			kind: "Malformed";
			/** The HTTP status. */
			status: number;
			/** The SDK's description of what did not match. */
			detail: string;
			/** The server's text: its error message or a short excerpt of the body (printed masked only with `debug`). */
			excerpt?: string;
	  }
	/** A status the documentation does not give for this endpoint. */
	| {
			/** An HTTP status the documentation does not give for this call. */
			kind: "UnexpectedStatus";
			/** The HTTP status. */
			status: number;
			/** The error code of the body, when it had one. */
			code?: string;
			/** The SDK's description. */
			detail: string;
			/** The server's text: its error message or a short excerpt of the body (printed masked only with `debug`). */
			excerpt?: string;
	  };

export type VerifyOutcome =
	| { kind: "Verified"; gameSessionId: string; isPcCafe: boolean }
	| { kind: "Rejected"; reason: TokenRejectReason }
	| ApiFailure;

export type HeartbeatOutcome =
	| { kind: "Ok"; nextHeartbeatInSec: number; playDurationSec?: number }
	| { kind: "ChargeExhausted"; nextHeartbeatInSec: number; playDurationSec?: number }
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

/** An error code as printed: only when it looks like one (`SESSION_NOT_FOUND`), else its length. */
function codeText(code: string | undefined): string {
	if (code === undefined) return "";
	if (code.match("^[%u_]+$")[0] !== undefined && code.size() <= 40) return ` ${code}`;
	return ` (a ${code.size()}-character code)`;
}

/** Server or engine text: masked with `verbose` (`debug`), else only its length. */
function serverText(text: string | undefined, verbose: boolean): string {
	if (text === undefined || text === "") return "";
	return verbose ? `: ${maskKeyLike(text)}` : ` (server text of ${text.size()} characters, shown masked with debug)`;
}

/**
 * One line for logs and error events. Server- and engine-supplied text is never printed verbatim: by
 * default only its length; with `verbose` (the config's `debug`) masked, anything shaped like a key
 * hidden.
 */
export function describeFailure(failure: ApiFailure, verbose = false): string {
	switch (failure.kind) {
		case "InvalidApiKey":
			return `${failure.status} INVALID_API_KEY${serverText(failure.message, verbose)}`;
		case "BadRequest":
			return `400 BAD_REQUEST${serverText(failure.message, verbose)}`;
		case "RateLimited":
			return "429 RATE_LIMITED";
		case "ServerError":
			return `${failure.status}${failure.code !== undefined ? codeText(failure.code) : " server error"}`;
		case "NetworkError": {
			// The engine's HttpError names (ConnectFail, DnsResolve, …) are safe; anything else is text.
			const [name] = failure.detail.match("^HttpError: (%a+)$");
			return name !== undefined
				? `network error: HttpError ${name}`
				: `network error${serverText(failure.detail, verbose)}`;
		}
		case "Timeout":
			return `the engine timed the request out: ${failure.detail}`;
		case "HttpDisabled":
			return "HTTP requests are not enabled (Game Settings > Security > Allow HTTP Requests)";
		case "BudgetExceeded":
			return `HTTP budget exceeded: ${failure.detail}`;
		case "Malformed":
			return `malformed response (HTTP ${failure.status}): ${failure.detail}${serverText(failure.excerpt, verbose)}`;
		case "UnexpectedStatus":
			return `unexpected HTTP ${failure.status}${codeText(failure.code)}: ${failure.detail}${serverText(failure.excerpt, verbose)}`;
	}
}
