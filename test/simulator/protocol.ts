/**
 * The PlayWave Game Server API as documented in the project's protocol reference (shared/playwave-protocol.md):
 * routes, codes, reasons and the timings the simulator defaults to.
 */

export const DEFAULT_BASE_PATH = "/v1";

export type Endpoint = "verify" | "heartbeat" | "end";

export const ROUTES: Readonly<Record<Endpoint, { method: string; path: string }>> = {
	verify: { method: "POST", path: "/game/session/verify" },
	heartbeat: { method: "PATCH", path: "/game/session/heartbeat" },
	end: { method: "DELETE", path: "/game/session/end" },
};

export type Environment = "dev" | "qa" | "live";

export type ErrorCode =
	| "BAD_REQUEST"
	| "INVALID_API_KEY"
	| "RATE_LIMITED"
	| "INTERNAL_ERROR"
	| "SESSION_NOT_FOUND"
	| "SESSION_ENDED"
	| "SESSION_ENDING"
	| "ALREADY_ENDED"
	// Not in the protocol page: the simulator's answer to a path or method the API does not have.
	| "NOT_FOUND"
	| "METHOD_NOT_ALLOWED";

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
	BAD_REQUEST: 400,
	INVALID_API_KEY: 401,
	RATE_LIMITED: 429,
	INTERNAL_ERROR: 500,
	SESSION_NOT_FOUND: 404,
	SESSION_ENDED: 410,
	SESSION_ENDING: 410,
	ALREADY_ENDED: 409,
	NOT_FOUND: 404,
	METHOD_NOT_ALLOWED: 405,
};

export type VerifyRejection = "OTT_EXPIRED" | "OTT_ALREADY_USED" | "GAME_MISMATCH" | "NOT_CHARGEABLE";

export type HeartbeatResult = "OK" | "CHARGE_EXHAUSTED" | "SESSION_REPLACED";

/** Why a session stopped, as recorded in the ledger. */
export type EndReason = "ended_by_game" | "ttl_expired" | "charge_exhausted" | "replaced" | "launcher_dead";

/** Every duration the protocol fixes, in seconds. All deadlines are half-open: at exactly the limit it has passed. */
export interface Timing {
	/** OTT lifetime from issuance ("older than 1 minute" is expired). */
	ottTtlSec: number;
	/** A session lives this long after its last accepted heartbeat. */
	sessionTtlSec: number;
	/** The interval the server asks for in `next_heartbeat_in`. */
	heartbeatIntervalSec: number;
	/** After CHARGE_EXHAUSTED the server ends the session after this grace. */
	graceSec: number;
	/** Termination in progress after the grace (410 SESSION_ENDING); undocumented length. */
	endingSec: number;
	/** A launcher silent this long counts as crashed or force-closed. */
	launcherSilenceSec: number;
}

export const DEFAULT_TIMING: Readonly<Timing> = {
	ottTtlSec: 60,
	sessionTtlSec: 240,
	heartbeatIntervalSec: 120,
	graceSec: 120,
	endingSec: 30,
	launcherSilenceSec: 240,
};
