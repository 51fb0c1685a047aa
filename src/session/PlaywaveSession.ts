import { Signal } from "@rbxts/beacon";
import { parseLaunchData } from "../protocol/launchData";
import { ApiFailure } from "../protocol/outcomes";
import { SessionDependencies } from "./core";
import { Ending } from "./Ending";
import { HeartbeatFlow } from "./heartbeatFlow";
import { SessionMachine } from "./SessionMachine";
import { EndResult, LostCode, RejectReason, SessionState, SessionStatus } from "./SessionState";
import { VerifyFlow } from "./verifyFlow";

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

	/** The state machine the flows share: the state, the one timer and request, the ending. */
	private readonly machine: SessionMachine;
	private readonly verify: VerifyFlow;

	/** @internal Sessions come from `PlaywaveConnection.createSession`. */
	constructor(
		/** The Roblox UserId; sent as `provider_user_id` (a string). */
		readonly userId: number,
		deps: SessionDependencies,
	) {
		this.machine = new SessionMachine(userId, deps, this);
		this.verify = new VerifyFlow(this.machine, new HeartbeatFlow(this.machine));
	}

	/** Where the session is now, with the data of that state (its id, why it was rejected, how it ended). */
	getState(): SessionState {
		return this.machine.state();
	}

	/** The name of the current state: `NONE`, `VERIFYING`, `ACTIVE`, `ENDING`, or a final one. */
	getStatus(): SessionStatus {
		return this.machine.state().status;
	}

	/** The live session id, while there is one. */
	getGameSessionId(): string | undefined {
		const state = this.machine.state();
		return state.status === "ACTIVE" || state.status === "ENDING" ? state.gameSessionId : undefined;
	}

	/** When the next heartbeat is planned (on the session's clock), while one is. */
	nextHeartbeatAt(): number | undefined {
		const state = this.machine.state();
		return state.status === "ACTIVE" ? state.nextBeatAt : undefined;
	}

	/** A verified PC-cafe session that is still billing: the player gets PC-cafe benefits. */
	isPcCafe(): boolean {
		const state = this.machine.state();
		return state.status === "ACTIVE" && state.isPcCafe;
	}

	/** Examines LaunchData and verifies the token at once (it dies 60 s after issuance). */
	start(launchData: unknown) {
		if (this.machine.destroyed || this.machine.state().status !== "NONE") return;
		const token = parseLaunchData(launchData);
		if (token.kind === "none") return this.machine.reject("NO_OTT");
		if (token.kind === "invalid") return this.machine.reject("INVALID_LAUNCH_DATA");
		this.verify.start(token.ott);
	}

	/**
	 * Resumes a session handed over by a teleport: a heartbeat for that session id with this player's
	 * real UserId. OK resumes; 404/410 (or a replaced session) reject it.
	 */
	resume(gameSessionId: string, isPcCafe: boolean) {
		if (this.machine.destroyed || this.machine.state().status !== "NONE") return;
		this.verify.resume(gameSessionId, isPcCafe);
	}

	/** A hand-over that is not this server's to resume (claimed elsewhere, abandoned): `RESUME_REJECTED`, no request. */
	rejectResume(detail?: string) {
		if (this.machine.destroyed || this.machine.state().status !== "NONE") return;
		this.machine.reject("RESUME_REJECTED", detail);
	}

	/**
	 * Stops heart-beating without ending: the session continues on the teleport's destination, which
	 * has claimed it. Returns the session id, or undefined when there is no live session to hand off.
	 */
	handOff(): string | undefined {
		const state = this.machine.state();
		if (state.status !== "ACTIVE") return undefined;
		// A heartbeat already sent is not abandoned; its reply is simply not acted on while handed off.
		this.machine.pending.cancelTimer();
		this.machine.pending.withdrawQueued();
		this.machine.transition({ status: "HANDED_OFF", gameSessionId: state.gameSessionId, isPcCafe: state.isPcCafe });
		return state.gameSessionId;
	}

	/**
	 * Changes the PC-cafe status of a live session: a hand-over resumed without perks (the store was
	 * unreachable) gets them once the record is read. Returns whether anything changed.
	 */
	setPcCafe(isPcCafe: boolean): boolean {
		const state = this.machine.state();
		if (state.status !== "ACTIVE" || state.isPcCafe === isPcCafe) return false;
		this.machine.transition({ ...state, isPcCafe });
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
		const machine = this.machine;
		if (machine.ending) return machine.ending.promise;
		const ending = new Ending(machine, timeoutSec ?? machine.timing.endTimeoutSec, timeoutSec !== undefined);
		machine.ending = ending;
		const state = machine.state();
		// While verifying, the ending waits until there is something to end (VerifyFlow.afterActivation).
		if (state.status === "ACTIVE") {
			ending.begin(state.gameSessionId);
		} else if (state.status === "NONE") {
			machine.transition({ status: "ENDED", result: { kind: "NotNeeded" } });
		} else if (state.status !== "VERIFYING") {
			machine.settleEnd({ kind: "NotNeeded" });
		}
		return ending.promise;
	}

	/** Cancels every timer and request; no event fires afterwards. Does not end the session. */
	destroy() {
		const machine = this.machine;
		if (machine.destroyed) return;
		machine.destroyed = true;
		if (machine.state().status === "ACTIVE") machine.deps.load?.leave();
		machine.pending.stop();
		machine.settleEnd({ kind: "NotNeeded" });
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
}
