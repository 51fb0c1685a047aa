/** A source of time in seconds. The simulator reads time only through this seam. */
export interface Clock {
	now(): number;
}

/** A clock that moves only when told to: virtual hours run in real microseconds. */
export class ManualClock implements Clock {
	private current: number;

	constructor(start = 0) {
		this.current = start;
	}

	now(): number {
		return this.current;
	}

	/** Moves time forward by `seconds` (never backwards). */
	advance(seconds: number): number {
		if (!(seconds >= 0)) throw new RangeError(`advance() needs a non-negative number of seconds, got ${seconds}`);
		this.current += seconds;
		return this.current;
	}

	/** Jumps to an absolute time, which must not be in the past. */
	set(seconds: number): number {
		if (!(seconds >= this.current)) throw new RangeError(`set(${seconds}) would move the clock backwards`);
		this.current = seconds;
		return this.current;
	}
}

/** Wall-clock time in seconds since the Unix epoch; used by the CLI only. */
export const systemClock: Clock = {
	now: () => Date.now() / 1000,
};
