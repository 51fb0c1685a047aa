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
import { PlaywaveApi } from "../protocol/PlaywaveApi";
import { Timing, TimingProfile } from "../protocol/timing";
import { HeartbeatLoad } from "../scheduler/HeartbeatLoad";
import { Withdraw } from "../scheduler/RequestScheduler";
import { DEFAULT_RETRY, RetryPolicy, retryDelay } from "../scheduler/RetryPolicy";
import { EndResult, LostCode, RejectReason, SessionState, SessionStatus, TRANSITIONS } from "./SessionState";

/** When the TTL timer fired before the TTL had passed (a timer resumed early), it looks again this much later. */
const TTL_RECHECK_SEC = 0.05;

export interface SessionTiming {
	/**
	 * How long after the join a verify may still be (re)tried. The token lives 60 s from issuance, which
	 * was before the join, so this stays below 60. (A verify already sent is never abandoned: its reply
	 * counts whenever it comes.) A resume after a teleport retries until the session's TTL instead.
	 */
	readonly verifyWindowSec: number;
	/**
	 * A heartbeat is never planned later than the TTL less this after the last accepted one (180 s with
	 * the real 240 s TTL), however far the budget share makes intervals stretch: room for retries.
	 */
	readonly stretchMarginSec: number;
	/** How long `endSession()` keeps trying before it gives up and lets the TTL end billing. */
	readonly endTimeoutSec: number;
	/** Heartbeats go early by up to this share of the interval, never late, to spread players apart. */
	readonly heartbeatJitter: number;
	readonly retry: RetryPolicy;
	/**
	 * The last heartbeat retry goes out this long before the TTL: a request sent then still reaches the
	 * server in time, and if it does not, nothing later could.
	 */
	readonly lastRetryMarginSec: number;
	/** A retry that could only be sent sooner than this before its deadline is not sent: give up instead. */
	readonly minRetryDelaySec: number;
	/** The protocol's clock rules (TTL, default interval, `next_heartbeat_in` bounds); real unless a play-test scales them. */
	readonly protocol: TimingProfile;
}

export const DEFAULT_SESSION_TIMING: SessionTiming = {
	verifyWindowSec: 45,
	stretchMarginSec: 60,
	endTimeoutSec: 10,
	heartbeatJitter: 0.1,
	retry: DEFAULT_RETRY,
	lastRetryMarginSec: 3,
	minRetryDelaySec: 1,
	protocol: Timing,
};

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
	readonly load?: HeartbeatLoad;
}

/**
 * One player's PlayWave session: verify (billing starts), the heartbeat loop, end (billing stops).
 *
 * ```ts
 * const session = new PlaywaveSession(player.UserId, deps);
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
	readonly stateChanged = new Signal<[state: SessionState, previous: SessionState]>();
	/** A failed request or other trouble that the session is handling (retrying) or gave up on. */
	readonly errored = new Signal<[message: string, failure?: ApiFailure]>();

	private stateValue: SessionState = { status: "NONE" };
	private readonly timing: SessionTiming;
	/** The pending timer (the next heartbeat or retry), if any. */
	private timer?: Cancel;
	/**
	 * The session's one request, from when it is queued until its reply (or its engine failure) has been
	 * handled. A sent request is never abandoned: a new one waits until this one is settled.
	 */
	private outstanding?: { withdraw?: Withdraw };
	/** Runs once the outstanding request has settled (the ending waits for it). */
	private whenSettled?: () => void;
	private destroyed = false;
	/** When the planned heartbeat goes (for the Studio overlay). */
	private nextBeatAt?: number;

	private verifyStartedAt = 0;
	private verifyAttempts = 0;
	/** A verify attempt failed in a way that may have consumed the token. */
	private verifyOutcomeUnknown = false;
	/** `endSession()` was called while verifying: end as soon as there is something to end. */
	private endRequested = false;

	private billedSince = 0;
	/** Send time of the last heartbeat (or verify) the server accepted; the TTL counts from here. */
	private lastAccepted = 0;
	private heartbeatFailures = 0;
	/** A heartbeat answered while ending said the end is not needed. */
	private endNotNeeded?: EndResult;

	private endPromise?: Promise<EndResult>;
	/** How long the ending may keep trying: the timing's default, or what `endSession` was given. */
	private endTimeoutSec: number;
	/** `endSession` was given a timeout (shutdown): a hard deadline from the call, in flight or not. */
	private endDeadlineFixed = false;
	private resolveEnd?: (result: EndResult) => void;

	constructor(
		/** The Roblox UserId; sent as `provider_user_id` (a string). */
		readonly userId: number,
		private readonly deps: SessionDependencies,
	) {
		this.timing = { ...DEFAULT_SESSION_TIMING, ...deps.timing };
		this.endTimeoutSec = this.timing.endTimeoutSec;
	}

	getState(): SessionState {
		return this.stateValue;
	}

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
		return this.stateValue.status === "ACTIVE" ? this.nextBeatAt : undefined;
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
		this.transition({ status: "VERIFYING", mode: "ott" });
		this.verifyStartedAt = this.deps.clock.now();
		this.sendVerify(token.ott);
	}

	/**
	 * Resumes a session handed over by a teleport: a heartbeat for that session id with this player's
	 * real UserId. OK resumes; 404/410 (or a replaced session) reject it.
	 */
	resume(gameSessionId: string, isPcCafe: boolean) {
		if (this.destroyed || this.stateValue.status !== "NONE") return;
		// The origin's last accepted heartbeat came before the join: the session lives at most a TTL from now.
		this.lastAccepted = this.deps.clock.now();
		this.transition({ status: "VERIFYING", mode: "resume" });
		this.verifyStartedAt = this.deps.clock.now();
		this.sendResume(gameSessionId, isPcCafe);
	}

	/**
	 * Stops heart-beating without ending: the session continues on the teleport's destination.
	 * `resumeHere()` undoes it if the teleport fails.
	 */
	handOff(): string | undefined {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return undefined;
		// A heartbeat already sent is not abandoned; its reply is simply not acted on while handed off.
		this.cancelTimer();
		this.withdrawQueued();
		this.transition({ status: "HANDED_OFF", gameSessionId: state.gameSessionId, isPcCafe: state.isPcCafe });
		return state.gameSessionId;
	}

	/** The teleport failed: heartbeats resume on this server, at once if the last one is old. */
	resumeHere() {
		const state = this.stateValue;
		if (state.status !== "HANDED_OFF") return;
		this.transition({
			status: "ACTIVE",
			gameSessionId: state.gameSessionId,
			isPcCafe: true,
			chargeExhausted: false,
		});
		// A heartbeat still in flight carries on for the session; otherwise beat now.
		if (!this.outstanding) this.sendHeartbeat();
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
		if (this.endPromise) return this.endPromise;
		if (timeoutSec !== undefined) {
			this.endTimeoutSec = timeoutSec;
			this.endDeadlineFixed = true;
		}
		this.endPromise = new Promise<EndResult>((resolve) => {
			this.resolveEnd = resolve;
		});
		const state = this.stateValue;
		if (state.status === "VERIFYING") {
			this.endRequested = true;
		} else if (state.status === "ACTIVE") {
			this.beginEnding(state.gameSessionId);
		} else if (state.status === "NONE") {
			this.transition({ status: "ENDED", result: { kind: "NotNeeded" } });
		} else {
			this.settleEnd({ kind: "NotNeeded" });
		}
		return this.endPromise;
	}

	/** Cancels every timer and request; no event fires afterwards. Does not end the session. */
	destroy() {
		if (this.destroyed) return;
		this.destroyed = true;
		if (this.stateValue.status === "ACTIVE") this.deps.load?.leave();
		this.cancelTimer();
		this.withdrawQueued();
		this.whenSettled = undefined;
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

	private verifyDeadline() {
		return this.verifyStartedAt + this.timing.verifyWindowSec;
	}

	private sendVerify(ott: string) {
		this.verifyAttempts += 1;
		this.request<Sent<VerifyOutcome>>(
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
			if (outcome.reason === "OTT_ALREADY_USED" && this.verifyOutcomeUnknown) {
				return this.reject("VERIFY_OUTCOME_UNKNOWN", "OTT_ALREADY_USED after an attempt whose reply was lost");
			}
			return this.reject(outcome.reason);
		}
		if (mayHaveActed(outcome)) this.verifyOutcomeUnknown = true;
		this.retryOrGiveUp(
			outcome,
			this.verifyAttempts,
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
		this.verifyAttempts += 1;
		this.request<Sent<HeartbeatOutcome>>(
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
			this.verifyAttempts,
			this.resumeDeadline(),
			() => this.sendResume(gameSessionId, isPcCafe),
			() => this.reject("REQUEST_FAILED", describeFailure(outcome), outcome),
			true,
		);
	}

	private activate(gameSessionId: string, isPcCafe: boolean, acceptedAt: number) {
		this.billedSince = this.deps.clock.now();
		this.lastAccepted = acceptedAt;
		this.heartbeatFailures = 0;
		this.transition({ status: "ACTIVE", gameSessionId, isPcCafe, chargeExhausted: false });
	}

	/** After verify/resume: end at once if the player already left, else start beating. */
	private afterActivation() {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		if (this.endRequested) return this.beginEnding(state.gameSessionId);
		if (!this.timer && !this.outstanding) {
			this.scheduleHeartbeat(this.timing.protocol.defaultHeartbeatInterval, true);
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
		return this.lastAccepted + this.timing.protocol.sessionTtl - this.timing.lastRetryMarginSec;
	}

	/** The latest a heartbeat may be planned after the last accepted one: the TTL less the margin. */
	private longestGap() {
		return this.timing.protocol.sessionTtl - this.timing.stretchMarginSec;
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
		const at = this.lastAccepted + intervalSec - early;
		this.nextBeatAt = math.max(at, this.deps.clock.now());
		this.after(math.max(0, at - this.deps.clock.now()), () => this.sendHeartbeat());
	}

	private sendHeartbeat() {
		this.nextBeatAt = undefined;
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		const deadline = this.lastChance();
		this.request<Sent<HeartbeatOutcome>>(
			(done) =>
				this.deps.api.heartbeat(state.gameSessionId, this.userId, deadline, (outcome, at) =>
					done({ outcome, at }),
				),
			({ outcome, at }) => this.onHeartbeat(at ?? this.deps.clock.now(), outcome),
		);
	}

	private onHeartbeat(sentAt: number, outcome: HeartbeatOutcome) {
		const state = this.stateValue;
		const accepted = outcome.kind === "Ok" || outcome.kind === "ChargeExhausted";
		if (accepted) this.lastAccepted = math.max(this.lastAccepted, sentAt);
		if (state.status === "ENDING") return this.onHeartbeatWhileEnding(outcome);
		// Handed off (or over) meanwhile: the reply counted for the TTL above and changes nothing else.
		if (state.status !== "ACTIVE") return;
		switch (outcome.kind) {
			case "Ok":
			case "ChargeExhausted":
				this.heartbeatFailures = 0;
				this.afterAcceptedHeartbeat(outcome);
				return this.scheduleHeartbeat(outcome.nextHeartbeatIn);
			case "SessionReplaced":
				this.transition({ status: "REPLACED", gameSessionId: state.gameSessionId });
				this.replaced.Fire();
				return this.settleEnd({ kind: "NotNeeded" });
			case "SessionLost":
				return this.lose(state.gameSessionId, outcome.code);
		}
		this.heartbeatFailures += 1;
		this.retryOrGiveUp(
			outcome,
			this.heartbeatFailures,
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
		const at = this.lastAccepted + this.timing.protocol.sessionTtl;
		this.after(math.max(minWaitSec, at - this.deps.clock.now()), () => {
			const state = this.stateValue;
			if (state.status !== "ACTIVE" || this.outstanding) return;
			// A timer may fire a hair before the time asked for (the engine resumes on frame steps): look
			// again a little later rather than stop watching, or the session would never be declared lost.
			if (this.deps.clock.now() < this.lastAccepted + this.timing.protocol.sessionTtl) {
				return this.expireAtTtl(gameSessionId, TTL_RECHECK_SEC);
			}
			this.lose(gameSessionId, "TTL_EXPIRED");
		});
	}

	private afterAcceptedHeartbeat(outcome: Extract<HeartbeatOutcome, { kind: "Ok" | "ChargeExhausted" }>) {
		const state = this.stateValue;
		if (state.status !== "ACTIVE") return;
		this.heartbeat.Fire(outcome.playDurationSec, outcome.nextHeartbeatIn);
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
		if (outcome.kind === "SessionReplaced") this.endNotNeeded = { kind: "NotNeeded" };
		if (outcome.kind === "SessionLost") {
			this.endNotNeeded = { kind: "AlreadyGone", gameSessionId: state.gameSessionId, clientPlayDurationSec: 0 };
		}
	}

	private beginEnding(gameSessionId: string) {
		this.cancelTimer();
		// A heartbeat still queued is dropped; one already sent is waited for (one request per session).
		this.withdrawQueued();
		this.transition({ status: "ENDING", gameSessionId });
		const clock = this.deps.clock;
		const playDuration = clock.now() - this.billedSince;
		let attemptsFailed = 0;
		let deadline = math.huge;
		let cancelDeadline: Cancel | undefined;
		const finish = (result: EndResult) => {
			if (this.stateValue.status !== "ENDING") return;
			this.cancelTimer();
			this.whenSettled = undefined;
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
		if (this.endDeadlineFixed || !this.outstanding) {
			// Shutdown gives a hard deadline from now; with nothing in flight the usual one starts now too.
			startDeadline(this.endTimeoutSec);
		} else {
			// A heartbeat is in flight: the end goes once it has answered (and the usual deadline starts
			// then). Waiting is pointless once the TTL has ended billing anyway.
			startDeadline(math.max(0, this.lastAccepted + this.timing.protocol.sessionTtl - clock.now()));
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
			this.request<EndOutcome>((done) => this.deps.api.end(gameSessionId, playDuration, deadline, done), onEnd);
		};
		this.whenIdle(() => {
			const notNeeded = this.endNotNeeded;
			if (notNeeded === undefined) {
				if (!this.endDeadlineFixed && deadline - clock.now() > this.endTimeoutSec) {
					startDeadline(this.endTimeoutSec);
				}
				return send();
			}
			finish(
				notNeeded.kind === "AlreadyGone" ? { ...notNeeded, clientPlayDurationSec: playDuration } : notNeeded,
			);
		});
	}

	private settleEnd(result: EndResult) {
		const resolve = this.resolveEnd;
		this.resolveEnd = undefined;
		if (this.endPromise === undefined) this.endPromise = Promise.resolve(result);
		if (!resolve) return;
		// The event first: a promise handler may destroy the session, which silences its events.
		if (!this.destroyed) this.ended.Fire(result);
		resolve(result);
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
		this.after(at - now, retry);
	}

	private report(failure: ApiFailure) {
		if (!this.destroyed) this.errored.Fire(describeFailure(failure), failure);
	}

	/**
	 * Starts the session's one request and routes its reply to `onDone`, whenever it comes. There is
	 * never a second: callers only send when nothing is outstanding. Safe when the reply comes
	 * synchronously (a request that expired unsent).
	 */
	private request<T>(start: (done: (value: T) => void) => Withdraw, onDone: (value: T) => void) {
		if (this.outstanding) error("PlaywaveSession: a second request while one is outstanding", 2);
		const slot: { withdraw?: Withdraw } = {};
		this.outstanding = slot;
		let settled = false;
		const withdraw = start((value) => {
			settled = true;
			if (this.outstanding === slot) this.outstanding = undefined;
			if (this.destroyed) return;
			onDone(value);
			if (!this.outstanding) {
				const afterwards = this.whenSettled;
				this.whenSettled = undefined;
				afterwards?.();
			}
		});
		if (!settled) slot.withdraw = withdraw;
	}

	/** Runs `callback` now if no request is outstanding, else once it has settled. */
	private whenIdle(callback: () => void) {
		if (!this.outstanding) return callback();
		this.whenSettled = callback;
	}

	/** Drops the outstanding request if it has not been sent yet; a sent one carries on. */
	private withdrawQueued() {
		const slot = this.outstanding;
		if (slot?.withdraw?.()) this.outstanding = undefined;
	}

	/** The session's one timer: the next heartbeat, a retry, or the TTL check. */
	private after(seconds: number, callback: () => void) {
		this.cancelTimer();
		this.timer = this.deps.clock.delay(seconds, () => {
			this.timer = undefined;
			if (!this.destroyed) callback();
		});
	}

	private cancelTimer() {
		const cancel = this.timer;
		this.timer = undefined;
		cancel?.();
	}

	/** The only place the state changes. */
	private transition(target: SessionState) {
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
