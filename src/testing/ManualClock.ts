import { Cancel, Clock, RandomSource } from "../clock/Clock";

interface Timer {
	at: number;
	sequence: number;
	callback: () => void;
	cancelled: boolean;
}

/** A clock that only moves when a test says so. Timers fire in time order, ties in creation order. */
export class ManualClock implements Clock {
	private time = 0;
	private sequence = 0;
	private timers = new Array<Timer>();
	/**
	 * How much earlier than asked timers fire. An engine's scheduler may resume a hair before the time
	 * asked for (frame steps, float error); code that re-checks the clock in a timer must cope.
	 */
	earlySec = 0;

	now() {
		return this.time;
	}

	delay(seconds: number, callback: () => void): Cancel {
		const timer: Timer = {
			at: this.time + math.max(0, seconds) - this.earlySec,
			sequence: this.sequence++,
			callback,
			cancelled: false,
		};
		this.timers.push(timer);
		return () => {
			timer.cancelled = true;
		};
	}

	/** Moves time forward by `seconds`, firing every timer that falls due on the way, at its own time. */
	advance(seconds: number) {
		const target = this.time + seconds;
		let fired = 0;
		for (;;) {
			// Drop fired and cancelled timers now and then, so long runs stay linear.
			if (++fired % 128 === 0) this.timers = this.timers.filter((timer) => !timer.cancelled);
			const due = this.nextDue(target);
			if (due === undefined) break;
			this.time = math.max(this.time, due.at);
			due.cancelled = true;
			due.callback();
		}
		this.time = target;
	}

	/** Timers still waiting. */
	pendingCount() {
		this.timers = this.timers.filter((timer) => !timer.cancelled);
		return this.timers.size();
	}

	private nextDue(limit: number): Timer | undefined {
		let best: Timer | undefined;
		for (const timer of this.timers) {
			if (timer.cancelled || timer.at > limit) continue;
			if (!best || timer.at < best.at || (timer.at === best.at && timer.sequence < best.sequence)) best = timer;
		}
		return best;
	}
}

/** A deterministic random source (a fixed sequence, or a constant). */
export function fixedRandom(...values: Array<number>): RandomSource {
	let index = 0;
	return () => {
		const value = values[index % values.size()] ?? 0.5;
		index += 1;
		return value;
	};
}
