import { ApiFailure, SessionLostCode, TokenRejectReason } from "../protocol/outcomes";

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
	| TokenRejectReason
	| "NO_OTT"
	| "INVALID_LAUNCH_DATA"
	| "REQUEST_FAILED"
	| "VERIFY_OUTCOME_UNKNOWN"
	| "RESUME_REJECTED";

/** Why an active session was lost: the server's codes, or the TTL running out while the API was unreachable. */
export type LostCode = SessionLostCode | "TTL_EXPIRED";

/**
 * How an ending finished, as `endSession()` resolves and the `ended` event reports it.
 *
 * @example
 * ```ts
 * playwave.ended.Connect((player, result) => {
 * 	if (result.kind === "Ended") print(`${player.Name} played ${result.serverPlayDurationSec ?? "?"} s`);
 * });
 * ```
 */
export type EndResult =
	/** The server confirmed the end (`SUCCESS`); its play time is authoritative for settlement. */
	| {
			/** The server confirmed the end. */
			kind: "Ended";
			/** The ended session. */
			gameSessionId: string;
			/** The play time PlayWave bills, in seconds, when the server reported it. */
			serverPlayDurationSec?: number;
			/** The SDK's own measure of the play time, in seconds, sent with the end call. */
			clientPlayDurationSec: number;
	  }
	/** 404 / 409: the server had already cleaned it up. */
	| {
			/** The server no longer had the session (404 / 409): nothing is billed further. */
			kind: "AlreadyGone";
			/** The session that was to be ended. */
			gameSessionId: string;
			/** The SDK's own measure of the play time, in seconds. */
			clientPlayDurationSec: number;
	  }
	/** No confirmation before the deadline; the server's 4-minute TTL ends billing. */
	| {
			/** No confirmation before the deadline; PlayWave's session TTL stops the billing. */
			kind: "Unconfirmed";
			/** The session that was to be ended. */
			gameSessionId: string;
			/** The SDK's own measure of the play time, in seconds. */
			clientPlayDurationSec: number;
			/** The last failure, when the end call failed rather than ran out of time. */
			failure?: ApiFailure;
	  }
	/** There was nothing to end: no session, or it was replaced, lost, or handed over. */
	| {
			/** Nothing to end: no session, or it was replaced, lost, or handed over by a teleport. */
			kind: "NotNeeded";
	  };

/**
 * Where one player's session is. `PlaywaveSession.getState()` returns it and `stateChanged` reports
 * each move; the moves allowed are fixed by a transition table.
 */
export type SessionState =
	/** Joined; LaunchData not examined yet. */
	| {
			/** Joined; LaunchData not examined yet. */
			status: "NONE";
	  }
	/** Verifying a token (or resuming a handed-over session). */
	| {
			/** Verifying a launch token, or resuming a handed-over session. */
			status: "VERIFYING";
			/** `ott`: a launch token from LaunchData; `resume`: a session handed over by a teleport. */
			mode: "ott" | "resume";
	  }
	/** Billing: the heartbeat loop runs. */
	| {
			/** Billing: the heartbeat loop runs. */
			status: "ACTIVE";
			/** PlayWave's id of the session. */
			gameSessionId: string;
			/** Whether PlayWave reported a PC-cafe user. */
			isPcCafe: boolean;
			/** The G-coin ran out: the session ends after PlayWave's 2-minute grace. */
			chargeExhausted: boolean;
	  }
	/** The end call is in progress. */
	| {
			/** The end call is in progress. */
			status: "ENDING";
			/** The session being ended. */
			gameSessionId: string;
	  }
	| {
			/** The session was ended (or there was nothing to end). */
			status: "ENDED";
			/** How the ending finished. */
			result: EndResult;
	  }
	| {
			/** No session for this player. */
			status: "REJECTED";
			/** Why there is no session. */
			reason: RejectReason;
			/** The failure behind `REQUEST_FAILED`, when a request failed. */
			failure?: ApiFailure;
	  }
	/** Another session started on the same PC. Never ended by us. */
	| {
			/** Another session started on the same PC; the SDK never ends this one. */
			status: "REPLACED";
			/** The replaced session. */
			gameSessionId: string;
	  }
	| {
			/** The server no longer has the session, or it lapsed while PlayWave was unreachable. */
			status: "LOST";
			/** The lost session. */
			gameSessionId: string;
			/** Why it was lost. */
			code: LostCode;
	  }
	/** Handed to another server by a teleport: this server neither beats nor ends it. */
	| {
			/** Handed to another server by a teleport: this server neither beats nor ends it. */
			status: "HANDED_OFF";
			/** The handed-over session. */
			gameSessionId: string;
			/** Whether PlayWave reported a PC-cafe user. */
			isPcCafe: boolean;
	  };

/** The name of a {@link SessionState}: `NONE`, `VERIFYING`, `ACTIVE`, `ENDING`, or one of the final states. */
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
	HANDED_OFF: [],
	ENDED: [],
	REJECTED: [],
	REPLACED: [],
	LOST: [],
};
