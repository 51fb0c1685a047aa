import { Cancel, Clock } from "../clock/Clock";
import { Withdraw } from "../api/PlaywaveApi";

/**
 * A session's pending work: at most one timer (the next heartbeat, a retry, a TTL check) and at most
 * one request, from when it is queued until its reply (or its engine failure) has been handled. A sent
 * request is never abandoned: a new one waits until this one is settled.
 */
export class Pending {
	private timer?: Cancel;
	private outstanding?: { withdraw?: Withdraw };
	/** Runs once the outstanding request has settled. */
	private whenSettled?: () => void;
	private stopped = false;

	constructor(private readonly clock: Clock) {}

	/** Whether a request is outstanding (queued or in flight). */
	hasRequest(): boolean {
		return this.outstanding !== undefined;
	}

	/** Whether a timer is set. */
	hasTimer(): boolean {
		return this.timer !== undefined;
	}

	/**
	 * Starts the one request and routes its reply to `onDone`, whenever it comes. Errors if another is
	 * outstanding. Safe when the reply comes synchronously (a request that expired unsent).
	 */
	request<T>(start: (done: (value: T) => void) => Withdraw, onDone: (value: T) => void) {
		if (this.outstanding) error("PlaywaveSession: a second request while one is outstanding", 3);
		const slot: { withdraw?: Withdraw } = {};
		this.outstanding = slot;
		let settled = false;
		const withdraw = start((value) => {
			settled = true;
			if (this.outstanding === slot) this.outstanding = undefined;
			if (this.stopped) return;
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
	whenIdle(callback: () => void) {
		if (!this.outstanding) return callback();
		this.whenSettled = callback;
	}

	/** Forgets a callback waiting for the request to settle. */
	forgetWhenIdle() {
		this.whenSettled = undefined;
	}

	/** Drops the outstanding request if it has not been sent yet; a sent one carries on. */
	withdrawQueued() {
		const slot = this.outstanding;
		if (slot?.withdraw?.()) this.outstanding = undefined;
	}

	/** Sets the one timer, replacing any other. */
	after(seconds: number, callback: () => void) {
		this.cancelTimer();
		this.timer = this.clock.delay(seconds, () => {
			this.timer = undefined;
			if (!this.stopped) callback();
		});
	}

	cancelTimer() {
		const cancel = this.timer;
		this.timer = undefined;
		cancel?.();
	}

	/** Cancels the timer and a queued request; replies still arriving are ignored. */
	stop() {
		this.stopped = true;
		this.cancelTimer();
		this.withdrawQueued();
		this.whenSettled = undefined;
	}
}
