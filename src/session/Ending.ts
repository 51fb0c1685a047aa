import { Cancel } from "../clock/Clock";
import { ApiFailure, EndOutcome, HeartbeatOutcome } from "../protocol/outcomes";
import { SessionCore } from "./core";
import { retryOrGiveUp } from "./retryRule";
import { EndResult } from "./SessionState";
import { lastAccepted } from "./stateData";

/** What is being ended, from when the ending begins. */
interface Target {
	readonly gameSessionId: string;
	/** The SDK's measure of the play time, sent with the end call. */
	readonly playDurationSec: number;
}

/**
 * A session's ending as `endSession` asked for it: the one promise every call returns, and once there
 * is something to end, the end call itself (its deadline, its attempts, what a heartbeat answered
 * meanwhile). Settled once, through the session (which fires `ended` first).
 */
export class Ending {
	readonly promise: Promise<EndResult>;
	private resolve?: (result: EndResult) => void;
	/** A heartbeat answered while ending said no end is needed (the session is gone or replaced). */
	private notNeeded?: EndResult;
	private target?: Target;
	private attemptsFailed = 0;
	/** When the ending gives up and resolves unconfirmed (the TTL ends billing then). */
	private deadline = math.huge;
	private cancelDeadline?: Cancel;

	/**
	 * @param timeoutSec How long the ending may keep trying.
	 * @param deadlineFixed Shutdown's hard deadline: counted from the call, in flight or not.
	 * @param requested False for the stand-in of a session that settled before anyone asked.
	 */
	constructor(
		private readonly core: SessionCore,
		private readonly timeoutSec: number,
		private readonly deadlineFixed: boolean,
		readonly requested = true,
		settledWith?: EndResult,
	) {
		if (settledWith !== undefined) {
			this.promise = Promise.resolve(settledWith);
		} else {
			this.promise = new Promise<EndResult>((resolve) => {
				this.resolve = resolve;
			});
		}
	}

	/** A session that settled (rejected, lost, replaced) before `endSession` was called. */
	static settled(core: SessionCore, result: EndResult): Ending {
		return new Ending(core, 0, false, false, result);
	}

	/** Resolves the promise once; `announce` runs first (the event), later calls do nothing. */
	settle(result: EndResult, announce: () => void) {
		const resolve = this.resolve;
		this.resolve = undefined;
		if (!resolve) return;
		announce();
		resolve(result);
	}

	/** Ends the ACTIVE session: ENDING, then the end call once no request of the session is out. */
	begin(gameSessionId: string) {
		const core = this.core;
		const active = core.state();
		if (active.status !== "ACTIVE") error(`PlaywaveSession: cannot end while ${active.status}`, 2);
		core.pending.cancelTimer();
		// A heartbeat still queued is dropped; one already sent is waited for (one request per session).
		core.pending.withdrawQueued();
		core.transition({ status: "ENDING", gameSessionId, billing: active.billing });
		const clock = core.deps.clock;
		const target: Target = { gameSessionId, playDurationSec: clock.now() - active.billing.billedSince };
		this.target = target;
		if (this.deadlineFixed || !core.pending.hasRequest()) {
			// Shutdown gives a hard deadline from now; with nothing in flight the usual one starts now too.
			this.startDeadline(this.timeoutSec);
		} else {
			// A heartbeat is in flight: the end goes once it has answered (and the usual deadline starts
			// then). Waiting is pointless once the TTL has ended billing anyway.
			const ttlEnd = lastAccepted(core.state()) + core.timing.protocol.sessionTtlSec;
			this.startDeadline(math.max(0, ttlEnd - clock.now()));
		}
		core.pending.whenIdle(() => {
			const notNeeded = this.notNeeded;
			if (notNeeded === undefined) {
				if (!this.deadlineFixed && this.deadline - clock.now() > this.timeoutSec) {
					this.startDeadline(this.timeoutSec);
				}
				return this.send(target);
			}
			this.finish(
				notNeeded.kind === "AlreadyGone"
					? { ...notNeeded, clientPlayDurationSec: target.playDurationSec }
					: notNeeded,
			);
		});
	}

	/**
	 * While ending, a heartbeat sent before the player left may still answer. If it says the session is
	 * gone or replaced, no end is needed (and after SESSION_REPLACED none may be sent).
	 */
	heard(outcome: HeartbeatOutcome) {
		const state = this.core.state();
		if (state.status !== "ENDING") return;
		if (outcome.kind === "SessionReplaced") this.notNeeded = { kind: "NotNeeded" };
		if (outcome.kind === "SessionLost") {
			this.notNeeded = { kind: "AlreadyGone", gameSessionId: state.gameSessionId, clientPlayDurationSec: 0 };
		}
	}

	private startDeadline(seconds: number) {
		const clock = this.core.deps.clock;
		this.cancelDeadline?.();
		this.deadline = clock.now() + seconds;
		this.cancelDeadline = clock.delay(seconds, () => this.finish(this.unconfirmed()));
	}

	private unconfirmed(failure?: ApiFailure): EndResult {
		const target = this.target!;
		return {
			kind: "Unconfirmed",
			gameSessionId: target.gameSessionId,
			clientPlayDurationSec: target.playDurationSec,
			failure,
		};
	}

	private send(target: Target) {
		this.core.pending.request<EndOutcome>(
			(done) => this.core.deps.api.end(target.gameSessionId, target.playDurationSec, this.deadline, done),
			(outcome) => this.onEnd(target, outcome),
		);
	}

	private onEnd(target: Target, outcome: EndOutcome) {
		// A reply after the deadline changes nothing: the ending has already been settled.
		if (this.core.state().status !== "ENDING") return;
		const { gameSessionId, playDurationSec } = target;
		if (outcome.kind === "Ended") {
			return this.finish({
				kind: "Ended",
				gameSessionId,
				serverPlayDurationSec: outcome.playDurationSec,
				clientPlayDurationSec: playDurationSec,
			});
		}
		if (outcome.kind === "AlreadyGone") {
			return this.finish({ kind: "AlreadyGone", gameSessionId, clientPlayDurationSec: playDurationSec });
		}
		this.attemptsFailed += 1;
		retryOrGiveUp(this.core, outcome, {
			attempt: this.attemptsFailed,
			lastUsefulTime: this.deadline - this.core.timing.minRetryDelaySec,
			retry: () => this.send(target),
			giveUp: () => this.finish(this.unconfirmed(outcome)),
		});
	}

	private finish(result: EndResult) {
		const core = this.core;
		if (core.state().status !== "ENDING") return;
		core.pending.cancelTimer();
		core.pending.forgetWhenIdle();
		this.cancelDeadline?.();
		core.transition({ status: "ENDED", result });
		core.settleEnd(result);
	}
}
