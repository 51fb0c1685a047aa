import { Envelope } from "../../testing/FakeTransport";
import { FakeEngine } from "../../testing/FakePorts";
import { beatOk, endReply, ott, Replies, serverFixture, verified, verifiedAs } from "../../testing/serverFixture";
import { PlaywaveConfig } from "../config/PlaywaveConfig";
import { ANALYTICS_EVENTS } from "./OutcomeAnalytics";

/** A started server (analytics on unless `extra` says otherwise) whose ends report 61 s of play. */
function setup(replies: Replies = {}, extra: Partial<PlaywaveConfig> = { analytics: true }) {
	const endOk = () => endReply(61);
	const { clock, engine, server } = serverFixture({
		replies: { verify: verified, heartbeat: beatOk, end: endOk, ...replies },
		config: extra,
		start: true,
	});
	return { clock, engine, server };
}

function describeEvents(engine: FakeEngine) {
	return engine.analyticsEvents.map(
		(event) => `${event.userId} ${event.eventName} ${event.value} ${event.customFields?.CustomField01 ?? "-"}`,
	);
}

export = () => {
	describe("Creator Analytics (config.analytics)", () => {
		it("is off by default: nothing is logged", () => {
			const { clock, engine, server } = setup({}, {});
			const player = engine.join(1, ott(1));
			clock.advance(10);
			engine.leave(player);
			clock.advance(10);
			expect(engine.analyticsEvents.size()).to.equal(0);
			expect(server.getStats().analytics).to.equal(undefined);
		});

		it("logs verified (PC-cafe or not), rejections by reason but not normal players, and play time at end", () => {
			const { clock, engine, server } = setup({
				verify: (n) =>
					n === 1
						? verifiedAs(true)
						: n === 2
							? verifiedAs(false)
							: Envelope.ok({ is_valid: false, reason: "GAME_MISMATCH" }),
			});
			const first = engine.join(1, ott(1));
			engine.join(2, ott(2));
			engine.join(3, ott(3));
			engine.join(4);
			clock.advance(100);
			engine.leave(first);
			clock.advance(5);
			expect(describeEvents(engine).join("\n")).to.equal(
				[
					`1 ${ANALYTICS_EVENTS.verified} 1 PC-cafe`,
					`2 ${ANALYTICS_EVENTS.verified} 1 Not PC-cafe`,
					`3 ${ANALYTICS_EVENTS.rejected} 1 GAME_MISMATCH`,
					// The server's play time, not the SDK's own.
					`1 ${ANALYTICS_EVENTS.playTime} 61 Ended`,
				].join("\n"),
			);
			expect(server.getStats().analytics!.logged).to.equal(4);
		});

		it("logs charge exhausted once, replaced, and lost by code", () => {
			const { clock, engine } = setup(
				{
					heartbeat: (n) =>
						n === 1
							? Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60, play_duration_sec: 300 })
							: n === 2
								? Envelope.ok({ result: "SESSION_REPLACED", play_duration_sec: 10 })
								: n === 3
									? Envelope.error(410, "SESSION_ENDED")
									: Envelope.ok({ result: "CHARGE_EXHAUSTED", next_heartbeat_in: 60 }),
				},
				{ analytics: true, actions: { kickOnSessionLost: false } },
			);
			for (let i = 1; i <= 3; i++) engine.join(i, ott(i));
			clock.advance(400);
			const events = describeEvents(engine).filter(
				(line) => line.find(ANALYTICS_EVENTS.verified, 1, true)[0] === undefined,
			);
			expect(events.join("\n")).to.equal(
				[
					`1 ${ANALYTICS_EVENTS.chargeExhausted} 1 -`,
					`2 ${ANALYTICS_EVENTS.replaced} 1 -`,
					`3 ${ANALYTICS_EVENTS.lost} 1 SESSION_ENDED`,
				].join("\n"),
			);
		});

		it("keeps to a quarter of 120 + 20 per player a minute, drops (and counts) the rest, and recovers", () => {
			const { clock, engine, server } = setup({
				verify: () => Envelope.ok({ is_valid: false, reason: "OTT_EXPIRED" }),
			});
			// Players come and go (one in the server at a time): the service allows 120 + 20 = 140 events a
			// minute, the SDK takes 35 of them.
			for (let i = 1; i <= 300; i++) {
				const player = engine.join(i, ott(i));
				clock.advance(0.1);
				engine.leave(player);
			}
			const stats = server.getStats().analytics!;
			expect(stats.logged).to.equal(35);
			expect(stats.dropped).to.equal(265);
			expect(engine.analyticsEvents.size()).to.equal(35);
			expect(server.getStats().totals.rejected.OTT_EXPIRED).to.equal(300);
			// A minute after the first events, there is room again.
			clock.advance(60);
			engine.join(700, ott(700));
			clock.advance(1);
			expect(server.getStats().analytics!.logged).to.equal(36);
		});

		it("an AnalyticsService error loses nothing else: counted as dropped, warned once", () => {
			const { clock, engine, server } = setup({
				verify: () => Envelope.ok({ is_valid: false, reason: "OTT_EXPIRED" }),
			});
			engine.analyticsFails = true;
			engine.join(1, ott(1));
			engine.join(2, ott(2));
			clock.advance(5);
			expect(server.getStats().analytics!.dropped).to.equal(2);
			expect(
				engine.warnings.filter((line) => line.find("LogCustomEvent", 1, true)[0] !== undefined).size(),
			).to.equal(1);
			expect(server.getStats().totals.rejected.OTT_EXPIRED).to.equal(2);
		});
	});
};
