// The data each state of a session keeps, beside what the public SessionState shows: the state union
// PlaywaveSession moves through. Nothing per-state lives outside it.
import { SessionState } from "./SessionState";

/** What the session keeps while verifying a token or resuming a handed-over session. */
export interface VerifyData {
	readonly startedAt: number;
	attempts: number;
	/** A verify attempt failed in a way that may have consumed the token. */
	outcomeUnknown: boolean;
	/** For a resume: the origin's last accepted heartbeat came before the join, so the TTL counts from it. */
	readonly lastAccepted: number;
}

export function newVerify(startedAt: number, lastAccepted: number): VerifyData {
	return { startedAt, attempts: 0, outcomeUnknown: false, lastAccepted };
}

/** What the session keeps while billing (ACTIVE, and ENDING until the end is confirmed). */
export interface Billing {
	/** When billing started here: the SDK's measure of play time counts from it. */
	readonly billedSince: number;
	/** Send time of the last heartbeat (or verify) the server accepted; the TTL counts from here. */
	lastAccepted: number;
	/** Heartbeats failed in a row. */
	failures: number;
}

/** What the session keeps only while ACTIVE: the heartbeat it has planned. */
export interface Beating {
	/**
	 * When the planned heartbeat goes, on the session's clock (the Studio overlay counts down to it).
	 * Undefined once it has gone, while its reply or a retry is awaited.
	 */
	nextBeatAt?: number;
}

/**
 * The state with the data each state keeps: the public `SessionState` plus, while verifying, the
 * verify's attempts, while billing, its times and failures, and while active, the planned heartbeat.
 * Nothing per-state lives outside it.
 */
export type InternalState =
	| (Extract<SessionState, { status: "VERIFYING" }> & { readonly verify: VerifyData })
	| (Extract<SessionState, { status: "ACTIVE" }> & { readonly billing: Billing } & Beating)
	| (Extract<SessionState, { status: "ENDING" }> & { readonly billing: Billing })
	| Exclude<SessionState, { status: "VERIFYING" | "ACTIVE" | "ENDING" }>;

/** Send time of the last heartbeat (or verify) the server accepted; the TTL counts from here. */
export function lastAccepted(state: InternalState): number {
	if (state.status === "VERIFYING") return state.verify.lastAccepted;
	if (state.status === "ACTIVE" || state.status === "ENDING") return state.billing.lastAccepted;
	return 0;
}
