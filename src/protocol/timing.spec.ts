import { heartbeatIntervalFrom, PROTOCOL_TIMING } from "./timing";
import { expectBelow } from "../testing/expect";

export = () => {
	describe("heartbeatIntervalFrom (next_heartbeat_in)", () => {
		it("honours a sensible value", () => {
			expect(heartbeatIntervalFrom(120)).to.equal(120);
			expect(heartbeatIntervalFrom(60)).to.equal(60);
		});

		it("uses the default for missing, non-numeric, non-positive, NaN and absurd values", () => {
			for (const value of [undefined, "abc", "90", 0, -5, 0 / 0, 1e9, math.huge, true]) {
				expect(heartbeatIntervalFrom(value)).to.equal(PROTOCOL_TIMING.defaultHeartbeatIntervalSec);
			}
		});

		it("keeps the interval well inside the 4-minute TTL", () => {
			expect(heartbeatIntervalFrom(230)).to.equal(PROTOCOL_TIMING.maxHeartbeatIntervalSec);
			expectBelow(PROTOCOL_TIMING.maxHeartbeatIntervalSec + 60, PROTOCOL_TIMING.sessionTtlSec);
		});

		it("raises very short intervals so the loop cannot spin", () => {
			expect(heartbeatIntervalFrom(0.01)).to.equal(PROTOCOL_TIMING.minHeartbeatIntervalSec);
		});
	});
};
