import { Cancel, Clock, RandomSource } from "./Clock";

/** The engine-backed clock: `os.clock` for time, `task.delay` for timers. */
export class TaskClock implements Clock {
	now() {
		return os.clock();
	}

	delay(seconds: number, callback: () => void): Cancel {
		let pending = true;
		const thread = task.delay(math.max(0, seconds), () => {
			pending = false;
			callback();
		});
		return () => {
			if (!pending) return;
			pending = false;
			task.cancel(thread);
		};
	}
}

/** The engine-backed random source: a `Random` seeded by the engine. */
export function engineRandom(seed?: number): RandomSource {
	const random = seed !== undefined ? new Random(seed) : new Random();
	return () => random.NextNumber();
}
