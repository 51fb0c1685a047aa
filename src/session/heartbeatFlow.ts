import { HeartbeatOutcome } from "../protocol/outcomes";
import { SessionCore, Sent } from "./core";
import { retryOrGiveUp } from "./retryRule";
import { LostCode } from "./SessionState";
import { lastAccepted } from "./stateData";

/** When the TTL timer fired before the TTL had passed (a timer resumed early), it looks again this much later. */
const TTL_RECHECK_SEC = 0.05;

/** An accepted heartbeat's outcome. */
export type AcceptedHeartbeat = Extract<HeartbeatOutcome, { kind: "Ok" | "ChargeExhausted" }>;

/**
 * A live session's heartbeat loop: plans each beat from the last accepted send, sends it, acts on the
 * reply (the next interval, charge exhausted, replaced, lost), retries failures until no retry could
 * reach the server before the TTL, and declares the session lost once the TTL has really passed.
 */
export class HeartbeatFlow {
	constructor(private readonly core: SessionCore) {}

	/** After this, no heartbeat can reach the server before it deletes the session. */
	lastChance() {
		const timing = this.core.timing;
		return lastAccepted(this.core.state()) + timing.protocol.sessionTtlSec - timing.lastRetryMarginSec;
	}

	/** The latest a heartbeat may be planned after the last accepted one: the TTL less the margin. */
	private longestGap() {
		return this.core.timing.protocol.sessionTtlSec - this.core.timing.stretchMarginSec;
	}

	/**
	 * Plans the next heartbeat, counted from when the last accepted one went out (not from its reply, so a
	 * slow reply does not push the next beat later). Honours the server's interval unless the budget
	 * really available cannot carry every session at that rate; then stretches, never beyond the TTL less
	 * the margin.
	 */
	schedule(serverIntervalSec: number, first = false) {
		const { deps, timing, pending } = this.core;
		const load = deps.load;
		const longest = this.longestGap();
		const intervalSec = math.min(longest, math.max(serverIntervalSec, load?.sustainableInterval(longest) ?? 0));
		// Early, never late: by the jitter, or for a first beat after a join burst, by the burst's spread.
		const spread = first ? (load?.firstHeartbeatSpread(intervalSec) ?? 0) : 0;
		const early = intervalSec * math.max(timing.heartbeatJitter, spread) * deps.random();
		const state = this.core.state();
		const since = lastAccepted(state);
		const at = math.min(since + intervalSec - early, since + longest - timing.planSlackSec);
		// A reply later than the plan (a very slow API) makes the beat late by itself, not the budget.
		const now = deps.clock.now();
		if (state.status === "ACTIVE") state.nextBeatAt = math.max(at, now);
		pending.after(math.max(0, at - now), () => this.send(at >= now));
	}

	/** `planned`: the heartbeat `schedule` planned (not a retry, not a beat after a failed teleport). */
	private send(planned = false) {
		const state = this.core.state();
		if (state.status !== "ACTIVE") return;
		state.nextBeatAt = undefined;
		const { deps, userId } = this.core;
		const deadline = this.lastChance();
		this.core.pending.request<Sent<HeartbeatOutcome>>(
			(done) => deps.api.heartbeat(state.gameSessionId, userId, deadline, (outcome, at) => done({ outcome, at })),
			({ outcome, at }) => this.onReply(at ?? deps.clock.now(), outcome, planned),
		);
	}

	private onReply(sentAt: number, outcome: HeartbeatOutcome, planned: boolean) {
		const core = this.core;
		const state = core.state();
		// A planned heartbeat was due within the TTL less the margin: later means it queued for budget.
		if (planned && state.status === "ACTIVE") {
			core.deps.load?.heartbeatSent(lastAccepted(state), sentAt, this.longestGap());
		}
		const accepted = outcome.kind === "Ok" || outcome.kind === "ChargeExhausted";
		if (accepted && (state.status === "ACTIVE" || state.status === "ENDING")) {
			state.billing.lastAccepted = math.max(state.billing.lastAccepted, sentAt);
		}
		if (state.status === "ENDING") return core.heardWhileEnding(outcome);
		// Handed off (or over) meanwhile: the reply counted for the TTL above and changes nothing else.
		if (state.status !== "ACTIVE") return;
		switch (outcome.kind) {
			case "Ok":
			case "ChargeExhausted":
				state.billing.failures = 0;
				this.afterAccepted(outcome);
				return this.schedule(outcome.nextHeartbeatInSec);
			case "SessionReplaced":
				core.transition({ status: "REPLACED", gameSessionId: state.gameSessionId });
				core.signals.replaced.Fire();
				return core.settleEnd({ kind: "NotNeeded" });
			case "SessionLost":
				return this.lose(state.gameSessionId, outcome.code);
		}
		state.billing.failures += 1;
		retryOrGiveUp(core, outcome, {
			attempt: state.billing.failures,
			lastUsefulTime: this.lastChance(),
			retry: () => this.send(),
			giveUp: () => this.expireAtTtl(state.gameSessionId),
		});
	}

	/**
	 * No retry can reach the server in time any more. The session is declared lost only once the TTL has
	 * really passed since the last accepted send, with no request of ours outstanding that could still
	 * have refreshed it (here there is none: this runs when the last one settled).
	 */
	private expireAtTtl(gameSessionId: string, minWaitSec = 0) {
		const { deps, pending } = this.core;
		const ttlEnd = () => lastAccepted(this.core.state()) + this.core.timing.protocol.sessionTtlSec;
		pending.after(math.max(minWaitSec, ttlEnd() - deps.clock.now()), () => {
			const state = this.core.state();
			if (state.status !== "ACTIVE" || pending.hasRequest()) return;
			// A timer may fire a hair before the time asked for (the engine resumes on frame steps): look
			// again a little later rather than stop watching, or the session would never be declared lost.
			if (deps.clock.now() < ttlEnd()) return this.expireAtTtl(gameSessionId, TTL_RECHECK_SEC);
			this.lose(gameSessionId, "TTL_EXPIRED");
		});
	}

	/** An accepted heartbeat (or resume): the event, and the charge running out (said once). */
	afterAccepted(outcome: AcceptedHeartbeat) {
		const core = this.core;
		const state = core.state();
		if (state.status !== "ACTIVE") return;
		core.signals.heartbeat.Fire(outcome.playDurationSec, outcome.nextHeartbeatInSec);
		if (outcome.kind === "ChargeExhausted" && !state.chargeExhausted) {
			core.transition({ ...state, chargeExhausted: true });
			core.signals.chargeExhausted.Fire(outcome.playDurationSec);
		}
	}

	private lose(gameSessionId: string, code: LostCode) {
		this.core.transition({ status: "LOST", gameSessionId, code });
		this.core.signals.lost.Fire(code);
		this.core.settleEnd({ kind: "NotNeeded" });
	}
}
