import { Cancel, Clock } from "../clock/Clock";

/**
 * Runs the scheduler's pass over its queue: at once whenever something changed, again at once if
 * something changed during a pass (a reply, a refusal or a new request can arrive from inside one), and
 * on a timer at the time the scheduler must next look. One timer at most is pending.
 */
export class Pump {
	private running = false;
	private again = false;
	private stopped = false;
	private cancel?: Cancel;
	private wakeAt = math.huge;

	constructor(
		private readonly clock: Clock,
		/** One pass over the queue. */
		private readonly pass: () => void,
		/** After the passes: when to look again (absolute; infinite: not until something changes). */
		private readonly nextWake: (now: number) => number,
	) {}

	run() {
		if (this.stopped) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = true;
		do {
			this.again = false;
			this.pass();
		} while (this.again && !this.stopped);
		this.running = false;
		if (!this.stopped) this.setWake(this.nextWake(this.clock.now()));
	}

	/** For good: no pass runs any more and the timer is cancelled. */
	stop() {
		this.stopped = true;
		this.cancel?.();
	}

	private setWake(at: number) {
		if (at === this.wakeAt) return;
		this.cancel?.();
		this.cancel = undefined;
		this.wakeAt = at;
		if (at === math.huge) return;
		this.cancel = this.clock.delay(math.max(0, at - this.clock.now()), () => {
			this.wakeAt = math.huge;
			this.cancel = undefined;
			this.run();
		});
	}
}
