import { ApiFailure, describeFailure, HeartbeatOutcome } from "../protocol/outcomes";
import { SessionCore, SessionDependencies, SessionSignals } from "./core";
import { Ending } from "./Ending";
import { Pending } from "./Pending";
import { EndResult, RejectReason, TRANSITIONS } from "./SessionState";
import { InternalState } from "./stateData";
import { DEFAULT_SESSION_TIMING, SessionTiming } from "./timing";

/**
 * The session's state machine: the state and the one method that changes it, the one timer and
 * request, the ending, and the events that go with each move. `PlaywaveSession` builds one and keeps
 * the public surface; the flows receive it as their `SessionCore`. A class, so its methods are shared
 * by every session (no closures per session).
 */
export class SessionMachine implements SessionCore {
	/** The defaults with the connection's overrides. */
	readonly timing: SessionTiming;
	/** The session's one timer and one request. */
	readonly pending: Pending;
	/** `destroy()` was called: no event fires any more. */
	destroyed = false;
	/** The ending, from the first `endSession` call (or from settling without one). */
	ending?: Ending;
	private stateValue: InternalState = { status: "NONE" };

	constructor(
		/** The Roblox UserId; sent as `provider_user_id`. */
		readonly userId: number,
		readonly deps: SessionDependencies,
		readonly signals: SessionSignals,
	) {
		this.timing = { ...DEFAULT_SESSION_TIMING, ...deps.timing };
		this.pending = new Pending(deps.clock);
	}

	/** The current state, with its data. */
	state(): InternalState {
		return this.stateValue;
	}

	/** The only place the state changes: consults the transition table. */
	transition(target: InternalState) {
		const previous = this.stateValue;
		if (!TRANSITIONS[previous.status].includes(target.status)) {
			error(`PlaywaveSession: illegal transition ${previous.status} -> ${target.status}`, 2);
		}
		this.stateValue = target;
		if (previous.status !== "ACTIVE" && target.status === "ACTIVE") this.deps.load?.join();
		if (previous.status === "ACTIVE" && target.status !== "ACTIVE") this.deps.load?.leave();
		if (!this.destroyed) this.signals.stateChanged.Fire(target, previous);
	}

	/** Fires `errored` for a failure being handled (unless the session is destroyed). */
	report(failure: ApiFailure) {
		if (!this.destroyed) this.signals.errored.Fire(describeFailure(failure), failure);
	}

	/** No session for this player: REJECTED, the event, and the ending settled as not needed. */
	reject(reason: RejectReason, detail?: string, failure?: ApiFailure) {
		this.transition({ status: "REJECTED", reason, failure });
		this.signals.rejected.Fire(reason, detail);
		this.settleEnd({ kind: "NotNeeded" });
	}

	/** Settles the ending (every `endSession` promise) with `result`, firing `ended` first. */
	settleEnd(result: EndResult) {
		if (!this.ending) {
			this.ending = Ending.settled(this, result);
			return;
		}
		// The event first: a promise handler may destroy the session, which silences its events.
		this.ending.settle(result, () => {
			if (!this.destroyed) this.signals.ended.Fire(result);
		});
	}

	/** `endSession()` was called: end as soon as there is something to end. */
	endRequested(): boolean {
		return this.ending?.requested ?? false;
	}

	/** Starts the end of the ACTIVE session that `endSession()` asked for. */
	beginEnding(gameSessionId: string) {
		this.ending!.begin(gameSessionId);
	}

	/** A heartbeat sent before the ending answered while ENDING. */
	heardWhileEnding(outcome: HeartbeatOutcome) {
		this.ending?.heard(outcome);
	}
}
