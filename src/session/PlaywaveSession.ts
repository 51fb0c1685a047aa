import { Signal } from "@rbxts/beacon";
import { Cancel, Clock, RandomSource } from "../clock/Clock";
import { parseLaunchData } from "../protocol/launchData";
import {
	ApiFailure,
	describeFailure,
	EndOutcome,
	HeartbeatOutcome,
	isTransient,
	mayHaveActed,
	VerifyOutcome,
} from "../protocol/outcomes";
import { PlaywaveApi } from "../api/PlaywaveApi";
import { ApiClient } from "../api/ApiClient";
import { retryDelay } from "../protocol/retry";
import { EndRequest } from "./EndRequest";
import { Pending } from "./Pending";
import { Billing, InternalState, newVerify, VerifyData } from "./stateData";
import { DEFAULT_SESSION_TIMING, SessionTiming } from "./timing";
import { EndResult, LostCode, RejectReason, SessionState, SessionStatus, TRANSITIONS } from "./SessionState";

/** When the TTL timer fired before the TTL had passed (a timer resumed early), it looks again this much later. */
const TTL_RECHECK_SEC = 0.05;

/** An outcome and when its request actually went out (undefined: it never did). */
interface Sent<O> {
	outcome: O;
	at?: number;
}

export interface SessionDependencies {
	readonly api: PlaywaveApi;
	readonly clock: Clock;
	readonly random: RandomSource;
	readonly timing?: Partial<SessionTiming>;
	/** Shared by the sessions of one connection: stretches intervals when the share cannot carry them all. */
	readonly load?: ApiClient["load"];
}

/**
 * One player's PlayWave session: verify (billing starts), the heartbeat loop, end (billing stops).
 * `Playwave.start` runs one per player; a game that wires sessions itself gets them from
 * `PlaywaveConnection.createSession`.
 *
 * @example
 * ```ts
 * const session = connection.createSession(player.UserId);
 * session.rejected.Connect((reason) => print(`not a PlayWave session: ${reason}`));
 * session.chargeExhausted.Connect(() => notify(player, "Your play time is running out"));
 * session.start(player.GetJoinData().LaunchData);
 * // later, when the player leaves:
 * session.endSession().await();
 * ```
 */
export class PlaywaveSession {
	/** The server accepted the token: billing has started. */
	readonly verified = new Signal<[gameSessionId: string, isPcCafe: boolean]>();
	/** No session for this player, and why (including normal players: `NO_OTT`). */
	readonly rejected = new Signal<[reason: RejectReason, detail?: string]>();
	/** A handed-over session was resumed on this server. */
	readonly resumed = new Signal<[gameSessionId: string]>();
	/** A heartbeat was accepted; `playDurationSec` is the server's cumulative play time. */
	readonly heartbeat = new Signal<[playDurationSec: number | undefined, nextHeartbeatInSec: number]>();
	/** The player's G-coin ran out; the server ends the session after a 2-minute grace. Fired once. */
	readonly chargeExhausted = new Signal<[playDurationSec: number | undefined]>();
	/** Another session started on the same PC; this one is over and must not be ended. */
	readonly replaced = new Signal<[]>();
	/** The server no longer has the session (404/410), or the TTL ran out while the API was unreachable. */
	readonly lost = new Signal<[code: LostCode]>();
	/** The session ended (or there was nothing to end); the result says how. */
	readonly ended = new Signal<[result: EndResult]>();
	/** Every move of the state machine, with the state it left. */
	readonly stateChanged = new Signal<[state: SessionState, previous: SessionState]>();
	/** A failed request or other trouble that the session is handling (retrying) or gave up on. */
	readonly errored = new Signal<[message: string, failure?: ApiFailure]>();

	private stateValue: InternalState = { status: "NONE" };
	private readonly timing: SessionTiming;
	/** The session's one timer and one request. */
	private readonly pending: Pending;
	private destroyed = false;

	/** The ending, from the first `endSession` call (or from settling without one). */
	private ending?: EndRequest;

	/** @internal Sessions come from `PlaywaveConnection.createSession`. */
	constructor(
		/** The Roblox UserId; sent as `provider_user_id` (a string). */
		readonly userId: number,
		private readonly deps: SessionDependencies,
	) {
		this.timing = { ...DEFAULT_SESSION_TIMING, ...deps.timing };
		this.pending = new Pending(deps.clock);
	}

	/** Where the session is now, with the data of that state (its id, why it was rejected, how it ended). */
	getState(): SessionState {
		return this.stateValue;
	}

	/** The name of the current state: `NONE`, `VERIFYING`, `ACTIVE`, `ENDING`, or a final one. */
	getStatus(): SessionStatus {
		return this.stateValue.status;
	}

	/** The live session id, while there is one. */
	getGameSessionId(): string | undefined {
		const state = this.stateValue;
		return state.status === "ACTIVE" || state.status === "ENDING" ? state.gameSessionId : undefined;
	}

	/** When the next heartbeat is planned (on the session's clock), while one is. */
	nextHeartbeatAt(): number | undefined {
		const state = this.stateValue;
		return state.status === "ACTIVE" ? state.nextBeatAt : undefined;
	}

	/** A verified PC-cafe session that is still billing: the player gets PC-cafe benefits. */
	isPcCafe(): boolean {
		const state = this.stateValue;
		return state.status === "ACTIVE" && state.isPcCafe;
	}

	/** Examines LaunchData and verifies the token at once (it dies 60 s after issuance). */
	start(launchData: unknown) {
		if (this.destroyed || this.stateValue.status !== "NONE") return;
		const token = parseLaunchData(launchData);
		if (token.kind === "none") return this.reject("NO_OTT");
		if (token.kind === "invalid") return this.reject("INVALID_LAUNCH_DATA");
		const now = this.deps.clock.now();
		this.transition({ status: "VERIFYING", mode: "ott", verify: newVerify(now, now) });
		this.sendVerify(token.ott);
	}

	/**
	 * Resumes a session handed over by a teleport: a heartbeat for that session id with this player's
	 * real UserId. OK resumes; 404/410 (or a replaced session) reject it.
	 */
	resume(gameSessionId: string, isPcCafe: boolean) {
		if (this.destroyed || this.stateValue.status !== "NONE") return;
		// The origin's last accepted heartbeat came before the join: the session lives at most a TTL from now.
		const now = this.deps.clock.now();
		this.transition({ status: "VERIFYING", mode: "resume", verify: newVerify(now, now) });
		this.sendResume(gameSessionId, isPcCafe);
	}

	/** A hand-over that is not this server's to resume (claimed elsewhere, abandoned): `RESUME_REJECTED`, no request. */
	rejectResume(detail?: string) {
		if (this.destroyed || this.stateValue.status !== "NONE") return;
		this.reject("RESUME_REJECTED", detail);
	}

	/**
	 * Stops heart-beating without ending: the session continues on the teleport's destination, which
	 * has claimed it. Returns the session id, or undefined when there is no live session to hand off.
	 */
	handOff(): string | undefined {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return undefined;
		// A heartbeat already sent is not abandoned; its reply is simply not acted on while handed off.
		this.pending.cancelTimer();
		this.pending.withdrawQueued();
		this.transition({ status: "HANDED_OFF", gameSessionId: state.gameSessionId, isPcCafe: state.isPcCafe });
		return state.gameSessionId;
	}

	/**
	 * Changes the PC-cafe status of a live session: a hand-over resumed without perks (the store was
	 * unreachable) gets them once the record is read. Returns whether anything changed.
	 */
	setPcCafe(isPcCafe: boolean): boolean {
		const state = this.stateValue;
		if (state.status !== "ACTIVE" || state.isPcCafe === isPcCafe) return false;
		this.transition({ ...state, isPcCafe });
		return true;
	}

	/**
	 * Ends billing. Idempotent: every call returns the same promise. Sends the SDK's own measure of play
	 * time; the server's figure (in the result) is authoritative. Never sends anything for a session
	 * that was replaced, lost or handed over. One request per session: if a heartbeat is in flight, the
	 * end goes once it has answered (if it says the session is gone or replaced, no end is needed).
	 * With `timeoutSec` (shutdown) it resolves within that many seconds from now at the latest; without,
	 * within the timing's `endTimeoutSec` of the end going out (and no later than the TTL would have
	 * ended billing anyway).
	 */
	endSession(timeoutSec?: number): Promise<EndResult> {
		if (this.ending) return this.ending.promise;
		const ending = new EndRequest(timeoutSec ?? this.timing.endTimeoutSec, timeoutSec !== undefined);
		this.ending = ending;
		const state = this.stateValue;
		// While verifying, the ending waits until there is something to end (see afterActivation).
		if (state.status === "ACTIVE") {
			this.beginEnding(state.gameSessionId);
		} else if (state.status === "NONE") {
			this.transition({ status: "ENDED", result: { kind: "NotNeeded" } });
		} else if (state.status !== "VERIFYING") {
			this.settleEnd({ kind: "NotNeeded" });
		}
		return ending.promise;
	}

	/** Cancels every timer and request; no event fires afterwards. Does not end the session. */
	destroy() {
		if (this.destroyed) return;
		this.destroyed = true;
		if (this.stateValue.status === "ACTIVE") this.deps.load?.leave();
		this.pending.stop();
		this.settleEnd({ kind: "NotNeeded" });
		for (const signal of [
			this.verified,
			this.rejected,
			this.resumed,
			this.heartbeat,
			this.chargeExhausted,
			this.replaced,
			this.lost,
			this.ended,
			this.stateChanged,
			this.errored,
		] as Array<Signal<never>>) {
			signal.Destroy();
		}
	}

	// --- verify -------------------------------------------------------------------------------------

	/** The verify's own data; only called while verifying. */
	private verifyData(): VerifyData {
		const state = this.stateValue;
		if (state.status !== "VERIFYING") error(`PlaywaveSession: no verify while ${state.status}`, 2);
		return state.verify;
	}

	private verifyDeadline() {
		return this.verifyData().startedAt + this.timing.verifyWindowSec;
	}

	private sendVerify(ott: string) {
		this.verifyData().attempts += 1;
		this.pending.request<Sent<VerifyOutcome>>(
			(done) =>
				this.deps.api.verify(ott, this.userId, this.verifyDeadline(), (outcome, at) => done({ outcome, at })),
			({ outcome, at }) => this.onVerify(ott, outcome, at ?? this.deps.clock.now()),
		);
	}

	private onVerify(ott: string, outcome: VerifyOutcome, sentAt: number) {
		if (outcome.kind === "Verified") {
			this.activate(outcome.gameSessionId, outcome.isPcCafe, sentAt);
			this.verified.Fire(outcome.gameSessionId, outcome.isPcCafe);
			return this.afterActivation();
		}
		if (outcome.kind === "Rejected") {
			// Our own lost attempt most likely consumed the token: not a duplicate connection.
			if (outcome.reason === "OTT_ALREADY_USED" && this.verifyData().outcomeUnknown) {
				return this.reject("VERIFY_OUTCOME_UNKNOWN", "OTT_ALREADY_USED after an attempt whose reply was lost");
			}
			return this.reject(outcome.reason);
		}
		if (mayHaveActed(outcome)) this.verifyData().outcomeUnknown = true;
		// The player left (or the server is closing) and this attempt surely did not start billing: stop here.
		if (this.endRequested() && !mayHaveActed(outcome)) {
			return this.reject("REQUEST_FAILED", describeFailure(outcome), outcome);
		}
		this.retryOrGiveUp(
			outcome,
			this.verifyData().attempts,
			this.verifyDeadline(),
			() => this.sendVerify(ott),
			() => this.reject("REQUEST_FAILED", describeFailure(outcome), outcome),
		);
	}

	/** A resume retries like any heartbeat: until no request could still reach the server before the TTL. */
	private resumeDeadline() {
		return this.lastChance();
	}

	private sendResume(gameSessionId: string, isPcCafe: boolean) {
		this.verifyData().attempts += 1;
		this.pending.request<Sent<HeartbeatOutcome>>(
			(done) =>
				this.deps.api.heartbeat(gameSessionId, this.userId, this.resumeDeadline(), (outcome, at) =>
					done({ outcome, at }),
				),
			({ outcome, at }) => this.onResume(gameSessionId, isPcCafe, at ?? this.deps.clock.now(), outcome),
		);
	}

	private onResume(gameSessionId: string, isPcCafe: boolean, sentAt: number, outcome: HeartbeatOutcome) {
		if (outcome.kind === "Ok" || outcome.kind === "ChargeExhausted") {
			this.activate(gameSessionId, isPcCafe, sentAt);
			this.resumed.Fire(gameSessionId);
			this.afterAcceptedHeartbeat(outcome);
			return this.afterActivation();
		}
		if (outcome.kind === "SessionReplaced" || outcome.kind === "SessionLost") {
			return this.reject("RESUME_REJECTED", outcome.kind === "SessionLost" ? outcome.code : "SESSION_REPLACED");
		}
		this.retryOrGiveUp(
			outcome,
			this.verifyData().attempts,
			this.resumeDeadline(),
			() => this.sendResume(gameSessionId, isPcCafe),
			() => this.reject("REQUEST_FAILED", describeFailure(outcome), outcome),
			true,
		);
	}

	private activate(gameSessionId: string, isPcCafe: boolean, acceptedAt: number) {
		const billing: Billing = { billedSince: this.deps.clock.now(), lastAccepted: acceptedAt, failures: 0 };
		this.transition({ status: "ACTIVE", gameSessionId, isPcCafe, chargeExhausted: false, billing });
	}

	/** After verify/resume: end at once if the player already left, else start beating. */
	private afterActivation() {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		if (this.endRequested()) return this.beginEnding(state.gameSessionId);
		if (!this.pending.hasTimer() && !this.pending.hasRequest()) {
			this.scheduleHeartbeat(this.timing.protocol.defaultHeartbeatIntervalSec, true);
		}
	}

	private reject(reason: RejectReason, detail?: string, failure?: ApiFailure) {
		this.transition({ status: "REJECTED", reason, failure });
		this.rejected.Fire(reason, detail);
		this.settleEnd({ kind: "NotNeeded" });
	}

	// --- heartbeat ----------------------------------------------------------------------------------

	/** After this, no heartbeat can reach the server before it deletes the session. */
	private lastChance() {
		return this.lastAccepted() + this.timing.protocol.sessionTtlSec - this.timing.lastRetryMarginSec;
	}

	/** Send time of the last heartbeat (or verify) the server accepted; the TTL counts from here. */
	private lastAccepted(): number {
		const state = this.stateValue;
		if (state.status === "VERIFYING") return state.verify.lastAccepted;
		if (state.status === "ACTIVE" || state.status === "ENDING") return state.billing.lastAccepted;
		return 0;
	}

	/** The latest a heartbeat may be planned after the last accepted one: the TTL less the margin. */
	private longestGap() {
		return this.timing.protocol.sessionTtlSec - this.timing.stretchMarginSec;
	}

	/**
	 * Plans the next heartbeat, counted from when the last accepted one went out (not from its reply, so a
	 * slow reply does not push the next beat later). Honours the server's interval unless the budget
	 * really available cannot carry every session at that rate; then stretches, never beyond the TTL less
	 * the margin.
	 */
	private scheduleHeartbeat(serverIntervalSec: number, first = false) {
		const load = this.deps.load;
		const longest = this.longestGap();
		const intervalSec = math.min(longest, math.max(serverIntervalSec, load?.sustainableInterval(longest) ?? 0));
		// Early, never late: by the jitter, or for a first beat after a join burst, by the burst's spread.
		const spread = first ? (load?.firstHeartbeatSpread(intervalSec) ?? 0) : 0;
		const early = intervalSec * math.max(this.timing.heartbeatJitter, spread) * this.deps.random();
		const at = math.min(
			this.lastAccepted() + intervalSec - early,
			this.lastAccepted() + longest - this.timing.planSlackSec,
		);
		// A reply later than the plan (a very slow API) makes the beat late by itself, not the budget.
		const now = this.deps.clock.now();
		const state = this.stateValue;
		if (state.status === "ACTIVE") state.nextBeatAt = math.max(at, now);
		this.pending.after(math.max(0, at - now), () => this.sendHeartbeat(at >= now));
	}

	/** `planned`: the heartbeat `scheduleHeartbeat` planned (not a retry, not a beat after a failed teleport). */
	private sendHeartbeat(planned = false) {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		state.nextBeatAt = undefined;
		const deadline = this.lastChance();
		this.pending.request<Sent<HeartbeatOutcome>>(
			(done) =>
				this.deps.api.heartbeat(state.gameSessionId, this.userId, deadline, (outcome, at) =>
					done({ outcome, at }),
				),
			({ outcome, at }) => this.onHeartbeat(at ?? this.deps.clock.now(), outcome, planned),
		);
	}

	private onHeartbeat(sentAt: number, outcome: HeartbeatOutcome, planned = false) {
		const state = this.stateValue;
		// A planned heartbeat was due within the TTL less the margin: later means it queued for budget.
		if (planned && state.status === "ACTIVE") {
			this.deps.load?.heartbeatSent(this.lastAccepted(), sentAt, this.longestGap());
		}
		const accepted = outcome.kind === "Ok" || outcome.kind === "ChargeExhausted";
		if (accepted && (state.status === "ACTIVE" || state.status === "ENDING")) {
			state.billing.lastAccepted = math.max(state.billing.lastAccepted, sentAt);
		}
		if (state.status === "ENDING") return this.onHeartbeatWhileEnding(outcome);
		// Handed off (or over) meanwhile: the reply counted for the TTL above and changes nothing else.
		if (state.status !== "ACTIVE") return;
		switch (outcome.kind) {
			case "Ok":
			case "ChargeExhausted":
				state.billing.failures = 0;
				this.afterAcceptedHeartbeat(outcome);
				return this.scheduleHeartbeat(outcome.nextHeartbeatInSec);
			case "SessionReplaced":
				this.transition({ status: "REPLACED", gameSessionId: state.gameSessionId });
				this.replaced.Fire();
				return this.settleEnd({ kind: "NotNeeded" });
			case "SessionLost":
				return this.lose(state.gameSessionId, outcome.code);
		}
		state.billing.failures += 1;
		this.retryOrGiveUp(
			outcome,
			state.billing.failures,
			this.lastChance(),
			() => this.sendHeartbeat(),
			() => this.expireAtTtl(state.gameSessionId),
		);
	}

	/**
	 * No retry can reach the server in time any more. The session is declared lost only once the TTL has
	 * really passed since the last accepted send, with no request of ours outstanding that could still
	 * have refreshed it (here there is none: this runs when the last one settled).
	 */
	private expireAtTtl(gameSessionId: string, minWaitSec = 0) {
		const at = this.lastAccepted() + this.timing.protocol.sessionTtlSec;
		this.pending.after(math.max(minWaitSec, at - this.deps.clock.now()), () => {
			const state = this.stateValue;
			if (state.status !== "ACTIVE" || this.pending.hasRequest()) return;
			// A timer may fire a hair before the time asked for (the engine resumes on frame steps): look
			// again a little later rather than stop watching, or the session would never be declared lost.
			if (this.deps.clock.now() < this.lastAccepted() + this.timing.protocol.sessionTtlSec) {
				return this.expireAtTtl(gameSessionId, TTL_RECHECK_SEC);
			}
			this.lose(gameSessionId, "TTL_EXPIRED");
		});
	}

	private afterAcceptedHeartbeat(outcome: Extract<HeartbeatOutcome, { kind: "Ok" | "ChargeExhausted" }>) {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		this.heartbeat.Fire(outcome.playDurationSec, outcome.nextHeartbeatInSec);
		if (outcome.kind === "ChargeExhausted" && !state.chargeExhausted) {
			this.transition({ ...state, chargeExhausted: true });
			this.chargeExhausted.Fire(outcome.playDurationSec);
		}
	}

	private lose(gameSessionId: string, code: LostCode) {
		this.transition({ status: "LOST", gameSessionId, code });
		this.lost.Fire(code);
		this.settleEnd({ kind: "NotNeeded" });
	}

	// --- end ----------------------------------------------------------------------------------------

	/**
	 * While ending, a heartbeat sent before the player left may still answer. If it says the session is
	 * gone or replaced, no end is needed (and after SESSION_REPLACED none may be sent).
	 */
	private onHeartbeatWhileEnding(outcome: HeartbeatOutcome) {
		const state = this.stateValue;
		if (state.status !== "ENDING") return;
		const ending = this.ending!;
		if (outcome.kind === "SessionReplaced") ending.notNeeded = { kind: "NotNeeded" };
		if (outcome.kind === "SessionLost") {
			ending.notNeeded = { kind: "AlreadyGone", gameSessionId: state.gameSessionId, clientPlayDurationSec: 0 };
		}
	}

	private beginEnding(gameSessionId: string) {
		const active = this.stateValue;
		if (active.status !== "ACTIVE") error(`PlaywaveSession: cannot end while ${active.status}`, 2);
		this.pending.cancelTimer();
		// A heartbeat still queued is dropped; one already sent is waited for (one request per session).
		this.pending.withdrawQueued();
		this.transition({ status: "ENDING", gameSessionId, billing: active.billing });
		const ending = this.ending!;
		const clock = this.deps.clock;
		const playDuration = clock.now() - active.billing.billedSince;
		let attemptsFailed = 0;
		let deadline = math.huge;
		let cancelDeadline: Cancel | undefined;
		const finish = (result: EndResult) => {
			if (this.stateValue.status !== "ENDING") return;
			this.pending.cancelTimer();
			this.pending.forgetWhenIdle();
			cancelDeadline?.();
			this.transition({ status: "ENDED", result });
			this.settleEnd(result);
		};
		const startDeadline = (seconds: number) => {
			cancelDeadline?.();
			deadline = clock.now() + seconds;
			cancelDeadline = clock.delay(seconds, () =>
				finish({ kind: "Unconfirmed", gameSessionId, clientPlayDurationSec: playDuration }),
			);
		};
		if (ending.deadlineFixed || !this.pending.hasRequest()) {
			// Shutdown gives a hard deadline from now; with nothing in flight the usual one starts now too.
			startDeadline(ending.timeoutSec);
		} else {
			// A heartbeat is in flight: the end goes once it has answered (and the usual deadline starts
			// then). Waiting is pointless once the TTL has ended billing anyway.
			startDeadline(math.max(0, this.lastAccepted() + this.timing.protocol.sessionTtlSec - clock.now()));
		}
		const onEnd = (outcome: EndOutcome) => {
			// A reply after the deadline changes nothing: the ending has already been settled.
			if (this.stateValue.status !== "ENDING") return;
			if (outcome.kind === "Ended") {
				return finish({
					kind: "Ended",
					gameSessionId,
					serverPlayDurationSec: outcome.playDurationSec,
					clientPlayDurationSec: playDuration,
				});
			}
			if (outcome.kind === "AlreadyGone") {
				return finish({ kind: "AlreadyGone", gameSessionId, clientPlayDurationSec: playDuration });
			}
			attemptsFailed += 1;
			this.retryOrGiveUp(outcome, attemptsFailed, deadline - this.timing.minRetryDelaySec, send, () =>
				finish({ kind: "Unconfirmed", gameSessionId, clientPlayDurationSec: playDuration, failure: outcome }),
			);
		};
		const send = () => {
			this.pending.request<EndOutcome>(
				(done) => this.deps.api.end(gameSessionId, playDuration, deadline, done),
				onEnd,
			);
		};
		this.pending.whenIdle(() => {
			const notNeeded = ending.notNeeded;
			if (notNeeded === undefined) {
				if (!ending.deadlineFixed && deadline - clock.now() > ending.timeoutSec) {
					startDeadline(ending.timeoutSec);
				}
				return send();
			}
			finish(
				notNeeded.kind === "AlreadyGone" ? { ...notNeeded, clientPlayDurationSec: playDuration } : notNeeded,
			);
		});
	}

	private settleEnd(result: EndResult) {
		if (!this.ending) {
			this.ending = EndRequest.settled(result);
			return;
		}
		// The event first: a promise handler may destroy the session, which silences its events.
		this.ending.settle(result, () => {
			if (!this.destroyed) this.ended.Fire(result);
		});
	}

	/** `endSession()` was called: end as soon as there is something to end. */
	private endRequested(): boolean {
		return this.ending?.requested ?? false;
	}

	// --- shared -------------------------------------------------------------------------------------

	/**
	 * The one retry rule: transient failures are retried with back-off while a retry can still help
	 * (before `lastUsefulTime`); anything else, or no time left, gives up.
	 */
	private retryOrGiveUp(
		failure: ApiFailure,
		attempt: number,
		lastUsefulTime: number,
		retry: () => void,
		giveUp: () => void,
		keepsSession = false,
	) {
		this.report(failure);
		// A live session (or one resuming) keeps trying whatever the failure: only the TTL decides when it
		// is lost. A key or request problem pauses the whole client meanwhile, so this is no retry storm.
		if (!isTransient(failure) && !keepsSession && this.stateValue.status !== "ACTIVE") return giveUp();
		const now = this.deps.clock.now();
		const at = math.min(now + retryDelay(this.timing.retry, attempt, this.deps.random), lastUsefulTime);
		if (at - now < this.timing.minRetryDelaySec) return giveUp();
		this.pending.after(at - now, retry);
	}

	private report(failure: ApiFailure) {
		if (!this.destroyed) this.errored.Fire(describeFailure(failure), failure);
	}

	/** The only place the state changes. */
	private transition(target: InternalState) {
		const previous = this.stateValue;
		if (!TRANSITIONS[previous.status].includes(target.status)) {
			error(`PlaywaveSession: illegal transition ${previous.status} -> ${target.status}`, 2);
		}
		this.stateValue = target;
		if (previous.status !== "ACTIVE" && target.status === "ACTIVE") this.deps.load?.join();
		if (previous.status === "ACTIVE" && target.status !== "ACTIVE") this.deps.load?.leave();
		if (!this.destroyed) this.stateChanged.Fire(target, previous);
	}
}
