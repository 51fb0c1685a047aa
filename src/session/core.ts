import { Signal } from "@rbxts/beacon";
import { ApiClient } from "../api/ApiClient";
import { PlaywaveApi } from "../api/PlaywaveApi";
import { Clock, RandomSource } from "../clock/Clock";
import { ApiFailure, HeartbeatOutcome } from "../protocol/outcomes";
import { Pending } from "./Pending";
import { EndResult, LostCode, RejectReason, SessionState } from "./SessionState";
import { InternalState } from "./stateData";
import { SessionTiming } from "./timing";

/** What a session is built from: the API client's parts it uses. */
export interface SessionDependencies {
	readonly api: PlaywaveApi;
	readonly clock: Clock;
	readonly random: RandomSource;
	readonly timing?: Partial<SessionTiming>;
	/** Shared by the sessions of one connection: stretches intervals when the share cannot carry them all. */
	readonly load?: ApiClient["load"];
}

/** An outcome and when its request actually went out (undefined: it never did). */
export interface Sent<O> {
	outcome: O;
	at?: number;
}

/** The session's events (the session's own signals): the core and the flows fire them. */
export interface SessionSignals {
	readonly verified: Signal<[gameSessionId: string, isPcCafe: boolean]>;
	readonly rejected: Signal<[reason: RejectReason, detail?: string]>;
	readonly resumed: Signal<[gameSessionId: string]>;
	readonly heartbeat: Signal<[playDurationSec: number | undefined, nextHeartbeatInSec: number]>;
	readonly chargeExhausted: Signal<[playDurationSec: number | undefined]>;
	readonly replaced: Signal<[]>;
	readonly lost: Signal<[code: LostCode]>;
	readonly ended: Signal<[result: EndResult]>;
	readonly stateChanged: Signal<[state: SessionState, previous: SessionState]>;
	readonly errored: Signal<[message: string, failure?: ApiFailure]>;
}

/**
 * What the flows of one session (verify and resume, heartbeats, the ending, the retry rule) share:
 * the state and the one method that changes it, the one timer and request, the dependencies and the
 * signals they fire. `SessionMachine` implements it; `PlaywaveSession` keeps the public surface.
 */
export interface SessionCore {
	/** The Roblox UserId; sent as `provider_user_id`. */
	readonly userId: number;
	readonly deps: SessionDependencies;
	/** The defaults with the connection's overrides. */
	readonly timing: SessionTiming;
	/** The session's one timer and one request. */
	readonly pending: Pending;
	readonly signals: SessionSignals;
	/** The current state, with its data. */
	state(): InternalState;
	/** The only way the state changes: consults the transition table. */
	transition(target: InternalState): void;
	/** Fires `errored` for a failure being handled (unless the session is destroyed). */
	report(failure: ApiFailure): void;
	/** No session for this player: REJECTED, the event, and the ending settled as not needed. */
	reject(reason: RejectReason, detail?: string, failure?: ApiFailure): void;
	/** Settles the ending (every `endSession` promise) with `result`, firing `ended` first. */
	settleEnd(result: EndResult): void;
	/** `endSession()` was called: end as soon as there is something to end. */
	endRequested(): boolean;
	/** Starts the end of the ACTIVE session that `endSession()` asked for. */
	beginEnding(gameSessionId: string): void;
	/** A heartbeat sent before the ending answered while ENDING. */
	heardWhileEnding(outcome: HeartbeatOutcome): void;
}
