import { ManualClock } from "../testing/ManualClock";
import { Pump } from "./Pump";

export = () => {
	describe("Pump", () => {
		it("a run asked for during a pass is another pass right after it, never one inside it", () => {
			const clock = new ManualClock();
			const log = new Array<string>();
			let depth = 0;
			let passes = 0;
			const pump: Pump = new Pump(
				clock,
				() => {
					depth += 1;
					passes += 1;
					log.push(`pass ${passes} at depth ${depth}`);
					if (passes === 1) pump.run();
					depth -= 1;
				},
				() => math.huge,
			);
			pump.run();
			expect(log.join(", ")).to.equal("pass 1 at depth 1, pass 2 at depth 1");
		});

		it("wakes at the time the passes ask for, one timer at a time, and not at all once stopped", () => {
			const clock = new ManualClock();
			const passesAt = new Array<number>();
			let wakeAt = 5;
			const pump = new Pump(
				clock,
				() => passesAt.push(clock.now()),
				() => wakeAt,
			);
			pump.run();
			wakeAt = 3;
			pump.run(); // the wake moves from 5 to 3: only one timer stays
			wakeAt = math.huge;
			clock.advance(10);
			expect(passesAt.join(" ")).to.equal("0 0 3");
			wakeAt = 12;
			pump.run();
			pump.stop();
			pump.run();
			clock.advance(10);
			expect(passesAt.join(" ")).to.equal("0 0 3 10");
		});
	});
};
