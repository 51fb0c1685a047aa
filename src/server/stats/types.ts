import { LostCode, RejectReason, SessionStatus } from "../../session/SessionState";

/**
 * The connection's condition, since when, and the last failure seen:
 * - `healthy`: requests work;
 * - `paused`: PlayWave looks down (`outage`: 5xx, network errors, engine time-outs) or asked the SDK to
 *   slow down (`rateLimited`: 429); the whole client waits and probes with one request at a time, and
 *   carries on by itself once a request works;
 * - `misconfigured`: something only the studio can fix: the key refused (`keyRefused`: 401/403), the
 *   request shape refused (`requestRefused`: 400), or HTTP requests not enabled (`httpDisabled`).
 */
export interface ConnectionStatus {
	/** `healthy`, `paused` or `misconfigured`. */
	readonly condition: "healthy" | "paused" | "misconfigured";
	/** Why, unless `healthy`. */
	readonly cause?: "outage" | "rateLimited" | "keyRefused" | "requestRefused" | "httpDisabled";
	/** When the connection entered this condition, on the server's clock (`os.clock()` seconds). */
	readonly since: number;
	/** The last failure seen on the wire (it may be older than the condition). */
	readonly lastFailure?: {
		/** What it was, as the `ApiFailure` kind it maps to. */
		readonly failureClass:
			| "InvalidApiKey"
			| "BadRequest"
			| "RateLimited"
			| "ServerError"
			| "NetworkError"
			| "Timeout"
			| "HttpDisabled";
		/** The HTTP status, for failures that had one. */
		readonly status?: number;
		/** The request it happened to. */
		readonly kind: "verify" | "heartbeat" | "end";
		/** When, on the server's clock. */
		readonly at: number;
	};
	/** While paused or misconfigured: nothing is sent before this (server clock), then one probe. */
	readonly pausedUntil?: number;
}

/**
 * A snapshot of what the SDK is doing on this server (`getStats()`). Cheap enough to read every frame:
 * nothing is scanned per session, and request counts come from per-second buckets.
 */
export interface PlaywaveStats {
	/** When it was taken, on the server's clock (`os.clock()` seconds). */
	at: number;
	/** Sessions by state: players in the server, and sessions still ending or departing after they left. */
	sessions: Record<SessionStatus, number>;
	/** Requests over the last minute, against the SDK's share and the engine's limit. */
	requests: {
		/** By kind: sent and refused by the engine for budget. */
		lastMinute: {
			/** Verifies: `sent` left the server (the engine's limit counts these), `refused` by the engine for budget (kept and retried). */
			verify: {
				/** Left the server. */
				sent: number;
				/** Refused by the engine. */
				refused: number;
			};
			/** Heartbeats, the same way. */
			heartbeat: {
				/** Left the server. */
				sent: number;
				/** Refused by the engine. */
				refused: number;
			};
			/** Ends, the same way. */
			end: {
				/** Left the server. */
				sent: number;
				/** Refused by the engine. */
				refused: number;
			};
		};
		/** Sent, all kinds together. */
		sentLastMinute: number;
		/** Refused by the engine, all kinds together. */
		refusedLastMinute: number;
		/** The SDK's steady share of the budget (`requestsPerMinute`); heartbeats never take more. */
		share: number;
		/** What verifies and ends may use in a minute (`urgentRequestsPerMinute`). */
		urgentLimit: number;
		/** What the SDK can count on now: its share, or less after the engine refused requests. */
		available: number;
		/** The engine's limit for the whole server (500 a minute). */
		engineLimit: number;
		/** Waiting to be sent. */
		queued: number;
		/** Sent and unanswered. */
		inFlight: number;
		/** Unanswered longer than the slow threshold (15 s). */
		slowInFlight: number;
		/** Since start: requests whose deadline passed before they could be sent. */
		expiredUnsent: number;
	};
	/** The connection's condition. */
	connection: ConnectionStatus;
	/** Counts since the server started. */
	totals: {
		/** Tokens the server accepted (PC-cafe or not). */
		verified: number;
		/** Of those, PC-cafe sessions. */
		verifiedPcCafe: number;
		/** Players without a session, by reason (`NO_OTT`: normal players, who made no request). */
		rejected: Record<RejectReason, number>;
		/** Active sessions the server no longer had, by code. */
		lost: Record<LostCode, number>;
		/** Sessions whose G-coin ran out (each counted once). */
		chargeExhausted: number;
		/** Sessions replaced by a newer one on the same PC. */
		replaced: number;
		/** Ends, by how they finished. */
		ended: {
			/** Confirmed by PlayWave. */
			Ended: number;
			/** PlayWave had already cleaned the session up. */
			AlreadyGone: number;
			/** No confirmation in time (PlayWave's TTL stops billing). */
			Unconfirmed: number;
		};
		/** Sessions this server handed to another by a teleport. */
		handedOver: number;
		/** Sessions handed to this server by a teleport and resumed here. */
		resumed: number;
	};
	/** Creator Analytics custom events logged and dropped since start, when `config.analytics` is on. */
	analytics?: {
		/** Sent to AnalyticsService. */
		logged: number;
		/** Held back to stay within the service's rate limit, or refused by it. */
		dropped: number;
	};
}
