import { ApiFailure, SessionLostCode, VerifyRejectReason } from "../protocol/outcomes";

/**
 * Why a player has no PlayWave session. The server's reasons, plus the ones the SDK decides locally:
 * - `NO_OTT`: no LaunchData, a normal player (no request was made);
 * - `INVALID_LAUNCH_DATA`: LaunchData that is not a PlayWave token (no request was made);
 * - `REQUEST_FAILED`: verify could not complete while the token could still be valid;
 * - `VERIFY_OUTCOME_UNKNOWN`: OTT_ALREADY_USED after an attempt whose reply was lost, so the token was
 *   most likely consumed by our own earlier attempt: not a duplicate connection, never a kick;
 * - `RESUME_REJECTED`: a session handed over by a teleport is no longer alive.
 */
export type RejectReason =
	| VerifyRejectReason
	| "NO_OTT"
	| "INVALID_LAUNCH_DATA"
	| "REQUEST_FAILED"
	| "VERIFY_OUTCOME_UNKNOWN"
	| "RESUME_REJECTED";

/** Why an active session was lost: the server's codes, or the TTL running out while the API was unreachable. */
export type LostCode = SessionLostCode | "TTL_EXPIRED";

/** How an ending finished. */
export type EndResult =
	/** The server confirmed the end (`SUCCESS`); its play time is authoritative for settlement. */
	| { kind: "Ended"; gameSessionId: string; serverPlayDurationSec?: number; clientPlayDurationSec: number }
	/** 404 / 409: the server had already cleaned it up. */
	| { kind: "AlreadyGone"; gameSessionId: string; clientPlayDurationSec: number }
	/** No confirmation before the deadline; the server's 4-minute TTL ends billing. */
	| { kind: "Unconfirmed"; gameSessionId: string; clientPlayDurationSec: number; failure?: ApiFailure }
	/** There was nothing to end: no session, or it was replaced, lost, or handed over. */
	| { kind: "NotNeeded" };

export type SessionState =
	/** Joined; LaunchData not examined yet. */
	| { status: "NONE" }
	/** Verifying a token (or resuming a handed-over session). */
	| { status: "VERIFYING"; mode: "ott" | "resume" }
	/** Billing: the heartbeat loop runs. */
	| { status: "ACTIVE"; gameSessionId: string; isPcCafe: boolean; chargeExhausted: boolean }
	/** The end call is in progress. */
	| { status: "ENDING"; gameSessionId: string }
	| { status: "ENDED"; result: EndResult }
	| { status: "REJECTED"; reason: RejectReason; failure?: ApiFailure }
	/** Another session started on the same PC. Never ended by us. */
	| { status: "REPLACED"; gameSessionId: string }
	| { status: "LOST"; gameSessionId: string; code: LostCode }
	/** Handed to another server by a teleport: this server neither beats nor ends it. */
	| { status: "HANDED_OFF"; gameSessionId: string; isPcCafe: boolean };

export type SessionStatus = SessionState["status"];

/**
 * Every legal move. `PlaywaveSession` changes state only through one method that consults this table,
 * so an illegal transition cannot happen silently anywhere else.
 */
export const TRANSITIONS: Readonly<Record<SessionStatus, ReadonlyArray<SessionStatus>>> = {
	NONE: ["VERIFYING", "REJECTED", "ENDED"],
	VERIFYING: ["ACTIVE", "REJECTED"],
	ACTIVE: ["ACTIVE", "ENDING", "REPLACED", "LOST", "HANDED_OFF"],
	ENDING: ["ENDED"],
	HANDED_OFF: ["ACTIVE"],
	ENDED: [],
	REJECTED: [],
	REPLACED: [],
	LOST: [],
};

export function isTerminal(status: SessionStatus) {
	return TRANSITIONS[status].isEmpty();
}
