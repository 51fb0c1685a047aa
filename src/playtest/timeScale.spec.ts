import { heartbeatIntervalFrom, scaledProtocolTiming, PROTOCOL_TIMING } from "../protocol/timing";
import { ResponseParser } from "../protocol/responses";
import { DEFAULT_SESSION_TIMING } from "../session/timing";
import { jsonDecoderFrom } from "../transport/json";
import { HttpService } from "@rbxts/services";
import { scaledSessionTiming } from "./timeScale";

export = () => {
	describe("timing profile", () => {
		it("defaults to the real rules", () => {
			expect(DEFAULT_SESSION_TIMING.protocol).to.equal(PROTOCOL_TIMING);
			expect(heartbeatIntervalFrom(5)).to.equal(10);
			const real = scaledProtocolTiming(1);
			expect(real.sessionTtlSec).to.equal(240);
			expect(real.minHeartbeatIntervalSec).to.equal(10);
		});

		it("scaled ×60: a scaled next_heartbeat_in is honoured, not clamped back to 10 s", () => {
			const fast = scaledProtocolTiming(60);
			expect(fast.defaultHeartbeatIntervalSec).to.equal(2);
			expect(fast.chargeExhaustedGraceSec).to.equal(2);
			expect(heartbeatIntervalFrom(2, fast)).to.equal(2);
			expect(heartbeatIntervalFrom(undefined, fast)).to.equal(2);
			expect(heartbeatIntervalFrom(30, fast)).to.equal(2.5); // the scaled 150 s ceiling
			expect(heartbeatIntervalFrom(1e5, fast)).to.equal(2); // absurd at any scale
		});

		it("reaches the parser", () => {
			const body = HttpService.JSONEncode({
				success: true,
				request_id: "req_1",
				data: { result: "OK", next_heartbeat_in: 2, play_duration_sec: 0 },
			});
			const real = new ResponseParser(jsonDecoderFrom(HttpService));
			const fast = new ResponseParser(jsonDecoderFrom(HttpService), undefined, scaledProtocolTiming(60));
			const outcome = (parser: ResponseParser) => parser.parseHeartbeat({ status: 200, body });
			expect((outcome(real) as { nextHeartbeatInSec: number }).nextHeartbeatInSec).to.equal(10);
			expect((outcome(fast) as { nextHeartbeatInSec: number }).nextHeartbeatInSec).to.equal(2);
		});

		it("scales the SDK's own timings too, keeping shares", () => {
			const fast = scaledSessionTiming(60);
			expect(fast.verifyWindowSec).to.equal(0.75);
			expect(fast.stretchMarginSec).to.equal(1);
			expect(fast.retry.baseSec).to.equal(2 / 60);
			expect(fast.retry.jitter).to.equal(DEFAULT_SESSION_TIMING.retry.jitter);
			expect(fast.heartbeatJitter).to.equal(DEFAULT_SESSION_TIMING.heartbeatJitter);
			expect(fast.minRetryDelaySec).to.equal(1 / 60);
			expect(fast.protocol.sessionTtlSec).to.equal(4);
			const same = scaledSessionTiming(1);
			expect(same.verifyWindowSec).to.equal(DEFAULT_SESSION_TIMING.verifyWindowSec);
			expect(same.lastRetryMarginSec).to.equal(DEFAULT_SESSION_TIMING.lastRetryMarginSec);
		});
	});
};
