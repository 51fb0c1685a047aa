import { describeFailure, HeartbeatOutcome, mayHaveActed, VerifyOutcome } from "../protocol/outcomes";
import { SessionCore, Sent } from "./core";
import { HeartbeatFlow } from "./heartbeatFlow";
import { retryOrGiveUp } from "./retryRule";
import { Billing, newVerify, VerifyData } from "./stateData";

/**
 * How a session starts billing: verifying a launch token (retried while the token can still be valid),
 * or resuming a session handed over by a teleport (retried until the session's TTL). Either ends
 * ACTIVE, with the heartbeat loop started (or the ending, if the player already left), or REJECTED.
 */
export class VerifyFlow {
	constructor(
		private readonly core: SessionCore,
		private readonly heartbeats: HeartbeatFlow,
	) {}

	/** Verifies a launch token; the session must be NONE. */
	start(ott: string) {
		const now = this.core.deps.clock.now();
		this.core.transition({ status: "VERIFYING", mode: "ott", verify: newVerify(now, now) });
		this.sendVerify(ott);
	}

	/** Resumes a handed-over session with a heartbeat; the session must be NONE. */
	resume(gameSessionId: string, isPcCafe: boolean) {
		// The origin's last accepted heartbeat came before the join: the session lives at most a TTL from now.
		const now = this.core.deps.clock.now();
		this.core.transition({ status: "VERIFYING", mode: "resume", verify: newVerify(now, now) });
		this.sendResume(gameSessionId, isPcCafe);
	}

	/** The verify's own data; only called while verifying. */
	private verifyData(): VerifyData {
		const state = this.core.state();
		if (state.status !== "VERIFYING") error(`PlaywaveSession: no verify while ${state.status}`, 2);
		return state.verify;
	}

	private verifyDeadline() {
		return this.verifyData().startedAt + this.core.timing.verifyWindowSec;
	}

	private sendVerify(ott: string) {
		this.verifyData().attempts += 1;
		const { deps, userId } = this.core;
		this.core.pending.request<Sent<VerifyOutcome>>(
			(done) => deps.api.verify(ott, userId, this.verifyDeadline(), (outcome, at) => done({ outcome, at })),
			({ outcome, at }) => this.onVerify(ott, outcome, at ?? deps.clock.now()),
		);
	}

	private onVerify(ott: string, outcome: VerifyOutcome, sentAt: number) {
		const core = this.core;
		if (outcome.kind === "Verified") {
			this.activate(outcome.gameSessionId, outcome.isPcCafe, sentAt);
			core.signals.verified.Fire(outcome.gameSessionId, outcome.isPcCafe);
			return this.afterActivation();
		}
		if (outcome.kind === "Rejected") {
			// Our own lost attempt most likely consumed the token: not a duplicate connection.
			if (outcome.reason === "OTT_ALREADY_USED" && this.verifyData().outcomeUnknown) {
				return core.reject("VERIFY_OUTCOME_UNKNOWN", "OTT_ALREADY_USED after an attempt whose reply was lost");
			}
			return core.reject(outcome.reason);
		}
		if (mayHaveActed(outcome)) this.verifyData().outcomeUnknown = true;
		// The player left (or the server is closing) and this attempt surely did not start billing: stop here.
		if (core.endRequested() && !mayHaveActed(outcome)) {
			return core.reject("REQUEST_FAILED", describeFailure(outcome), outcome);
		}
		retryOrGiveUp(core, outcome, {
			attempt: this.verifyData().attempts,
			lastUsefulTime: this.verifyDeadline(),
			retry: () => this.sendVerify(ott),
			giveUp: () => core.reject("REQUEST_FAILED", describeFailure(outcome), outcome),
		});
	}

	private sendResume(gameSessionId: string, isPcCafe: boolean) {
		this.verifyData().attempts += 1;
		const { deps, userId } = this.core;
		// A resume retries like any heartbeat: until no request could still reach the server before the TTL.
		const deadline = this.heartbeats.lastChance();
		this.core.pending.request<Sent<HeartbeatOutcome>>(
			(done) => deps.api.heartbeat(gameSessionId, userId, deadline, (outcome, at) => done({ outcome, at })),
			({ outcome, at }) => this.onResume(gameSessionId, isPcCafe, at ?? deps.clock.now(), outcome),
		);
	}

	private onResume(gameSessionId: string, isPcCafe: boolean, sentAt: number, outcome: HeartbeatOutcome) {
		const core = this.core;
		if (outcome.kind === "Ok" || outcome.kind === "ChargeExhausted") {
			this.activate(gameSessionId, isPcCafe, sentAt);
			core.signals.resumed.Fire(gameSessionId);
			this.heartbeats.afterAccepted(outcome);
			return this.afterActivation();
		}
		if (outcome.kind === "SessionReplaced" || outcome.kind === "SessionLost") {
			return core.reject("RESUME_REJECTED", outcome.kind === "SessionLost" ? outcome.code : "SESSION_REPLACED");
		}
		retryOrGiveUp(core, outcome, {
			attempt: this.verifyData().attempts,
			lastUsefulTime: this.heartbeats.lastChance(),
			retry: () => this.sendResume(gameSessionId, isPcCafe),
			giveUp: () => core.reject("REQUEST_FAILED", describeFailure(outcome), outcome),
			keepsSession: true,
		});
	}

	private activate(gameSessionId: string, isPcCafe: boolean, acceptedAt: number) {
		const billing: Billing = { billedSince: this.core.deps.clock.now(), lastAccepted: acceptedAt, failures: 0 };
		this.core.transition({ status: "ACTIVE", gameSessionId, isPcCafe, chargeExhausted: false, billing });
	}

	/** After verify/resume: end at once if the player already left, else start beating. */
	private afterActivation() {
		const core = this.core;
		const state = core.state();
		if (state.status !== "ACTIVE") return;
		if (core.endRequested()) return core.beginEnding(state.gameSessionId);
		if (!core.pending.hasTimer() && !core.pending.hasRequest()) {
			this.heartbeats.schedule(core.timing.protocol.defaultHeartbeatIntervalSec, true);
		}
	}
}
