/** Cancels a pending callback. Safe to call more than once, and after the callback ran. */
export type Cancel = () => void;

/**
 * Time, as the SDK sees it. The state machine and the scheduler only use this, so tests drive them on a
 * virtual clock and nothing in them reads the engine's time directly.
 */
export interface Clock {
	/** Monotonic seconds. */
	now(): number;
	/** Calls `callback` once, `seconds` from now (at the earliest). */
	delay(seconds: number, callback: () => void): Cancel;
}

/** A number in [0, 1) for jitter. Injected so tests are deterministic. */
export type RandomSource = () => number;
