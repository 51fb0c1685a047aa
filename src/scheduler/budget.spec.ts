import { RequestBuilder } from "../protocol/requests";
import { FakeTransport } from "../testing/FakeTransport";
import { fixedRandom, ManualClock } from "../testing/ManualClock";
import { TransportResult } from "../transport/HttpTransport";
import { WINDOW_SEC } from "./BudgetWindow";
import { RequestScheduler } from "./RequestScheduler";
import { SchedulerConfig } from "./SchedulerConfig";
import { expectAbove, expectAtLeast, expectAtMost, expectBelow } from "../testing/expect";

const builder = new RequestBuilder({ baseUrl: "https://api.test/v1" }, "k");
const ENGINE_BUDGET = 500;

/**
 * A server whose game scripts send `gamePerMinute` requests evenly (`gameUntil` seconds long) into the
 * engine's sliding-minute budget of 500, and the SDK's scheduler beside them. The engine refuses the
 * SDK's request when the minute is full.
 */
function busyServer(gamePerMinute: number, config: Partial<SchedulerConfig> = {}, gameUntil = math.huge) {
	const clock = new ManualClock();
	const transport = new FakeTransport(clock);
	const accepted = new Array<number>();
	const gameInWindow = (t: number) => {
		const from = math.max(0, t - WINDOW_SEC);
		const to = math.min(t, gameUntil);
		return to <= from ? 0 : math.floor(((to - from) * gamePerMinute) / WINDOW_SEC);
	};
	const oursInWindow = (t: number) => accepted.filter((at) => at > t - WINDOW_SEC).size();
	transport.handler = () => {
		const now = clock.now();
		if (gameInWindow(now) + oursInWindow(now) >= ENGINE_BUDGET) {
			return { failure: { kind: "BudgetExceeded", detail: "Number of requests exceeded limit" } };
		}
		accepted.push(now);
		return { status: 200, body: "{}" };
	};
	const scheduler = new RequestScheduler(transport, clock, fixedRandom(0.5), config);
	const results = new Array<{ result: TransportResult; at: number }>();
	const heartbeat = (deadline: number) =>
		scheduler.submit(builder.heartbeat("gs_1", 1), "heartbeat", deadline, (result) =>
			results.push({ result, at: clock.now() }),
		);
	return { clock, transport, scheduler, results, heartbeat, accepted, oursInWindow, gameInWindow };
}

export = () => {
	describe("budget-aware scheduling", () => {
		it("with the game using 480 of 500 a minute: refused requests are retried within seconds and all land", () => {
			const { clock, transport, scheduler, results, heartbeat, gameInWindow, oursInWindow } = busyServer(480);
			clock.advance(120); // the game has filled its part of the window
			for (let i = 0; i < 40; i++) heartbeat(120 + 180);
			clock.advance(180);
			expect(results.size()).to.equal(40);
			expect(results.filter((entry) => entry.result.kind === "response").size()).to.equal(40);
			expect(scheduler.stats().expiredUnsent).to.equal(0);
			expectAbove(scheduler.stats().budgetRefusals, 0);
			// No long exponential pause: after each refusal the next attempt comes within a few seconds of the
			// engine's window having room again (it frees slots continuously).
			const sent = transport.sent;
			for (let i = 0; i < sent.size() - 1; i++) {
				const refusal = sent[i];
				if (refusal.repliedAt === undefined || results.some((entry) => entry.at === refusal.repliedAt))
					continue;
				let roomAt = refusal.at;
				while (gameInWindow(roomAt) + oursInWindow(roomAt) >= 500) roomAt += 0.05;
				expectAtMost(sent[i + 1].at - roomAt, 4);
			}
		});

		it("learns what the engine really leaves, paces to it, and recovers when the game calms down", () => {
			const { clock, scheduler, heartbeat, gameInWindow, oursInWindow } = busyServer(480, {}, 300);
			clock.advance(120);
			for (let i = 0; i < 30; i++) heartbeat(1e6);
			clock.advance(60);
			const learned = scheduler.stats().available;
			// Near the 20 a minute the game leaves (climbing slowly since the last refusal), far below the
			// configured share of 240.
			expectAtLeast(learned, 15, "the learned budget");
			expectAtMost(learned, 60, "the learned budget");
			expect(scheduler.heartbeatCapacity()).to.equal(learned);
			for (let t = 0; t < 120; t++) {
				clock.advance(1);
				expectAtMost(gameInWindow(clock.now()) + oursInWindow(clock.now()), 500);
			}
			// The game stops at 300 s; without refusals the estimate climbs back to the share.
			clock.advance(900);
			expect(scheduler.stats().available).to.equal(240);
		});

		it("verifies are not held back by the learned estimate: they are tried at once and land within seconds", () => {
			const { clock, scheduler, heartbeat, transport, results } = busyServer(480);
			clock.advance(120);
			for (let i = 0; i < 30; i++) heartbeat(1e6);
			clock.advance(90);
			expectBelow(scheduler.stats().available, 60);
			const landed = new Array<number>();
			const from = clock.now();
			for (let i = 0; i < 3; i++) {
				scheduler.submit(
					builder.verify("0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10", i),
					"verify",
					from + 45,
					(result) => {
						if (result.kind === "response") landed.push(clock.now() - from);
					},
				);
			}
			clock.advance(45);
			expect(landed.size()).to.equal(3);
			// Each went out (and was retried after a refusal) without waiting behind the heartbeats' pace.
			for (const after of landed) expectBelow(after, 20);
			expectAtLeast(transport.to("verify").size(), 3);
			expectAbove(results.size(), 0);
		});

		it("never sends heartbeats beyond the configured share, however much the engine has left", () => {
			const { clock, heartbeat, oursInWindow } = busyServer(0, { requestsPerMinute: 30 });
			for (let i = 0; i < 100; i++) heartbeat(1e6);
			let most = 0;
			for (let t = 0; t < 300; t++) {
				clock.advance(1);
				most = math.max(most, oursInWindow(clock.now()));
			}
			expect(most).to.equal(30);
		});

		it("orders by deadline: the session nearest its TTL goes first", () => {
			const clock = new ManualClock();
			const transport = new FakeTransport(clock);
			transport.handler = (_, index) => (index === 1 ? { status: 503, body: "" } : { status: 200, body: "{}" });
			const scheduler = new RequestScheduler(transport, clock, fixedRandom(0.5));
			scheduler.submit(builder.heartbeat("gs_first", 1), "heartbeat", 1e6, () => {});
			clock.advance(0); // a 503: the client pauses a couple of seconds
			for (const [id, deadline] of [
				["gs_late", 300],
				["gs_soon", 100],
				["gs_mid", 200],
			] as const) {
				scheduler.submit(builder.heartbeat(id, 1), "heartbeat", deadline, () => {});
			}
			clock.advance(30);
			const order = transport.sent.map((entry) => entry.request.body.game_session_id);
			expect(order.join(",")).to.equal("gs_first,gs_soon,gs_mid,gs_late");
		});

		it("honours Retry-After on a 429 instead of its own back-off", () => {
			const clock = new ManualClock();
			const transport = new FakeTransport(clock);
			transport.handler = (_, index) =>
				index === 1
					? { status: 429, body: "", headers: { ["Retry-After"]: "20" } }
					: { status: 200, body: "{}" };
			const scheduler = new RequestScheduler(transport, clock, fixedRandom(0.5));
			scheduler.submit(builder.heartbeat("gs_1", 1), "heartbeat", 1e6, () => {});
			clock.advance(0);
			scheduler.submit(builder.heartbeat("gs_2", 1), "heartbeat", 1e6, () => {});
			clock.advance(19.9);
			expect(transport.sent.size()).to.equal(1);
			clock.advance(0.2);
			expect(transport.sent.size()).to.equal(2);
			expect(transport.sent[1].at).to.equal(20);
		});

		it("401/403/400 pause the whole client and probe with one request; requests work again by themselves", () => {
			const clock = new ManualClock();
			const transport = new FakeTransport(clock);
			transport.handler = () => (clock.now() < 100 ? { status: 401, body: "{}" } : { status: 200, body: "{}" });
			const scheduler = new RequestScheduler(transport, clock, fixedRandom(0.5));
			const started = new Array<string>();
			scheduler.troubleStarted = (trouble) => started.push(trouble);
			const results = new Array<TransportResult>();
			for (let i = 0; i < 20; i++) {
				scheduler.submit(builder.heartbeat(`gs_${i}`, 1), "heartbeat", 1e6, (result) => results.push(result));
			}
			clock.advance(99);
			// One probe after each pause (15, 30, 60 s…): a handful of requests, not one per session.
			const during = transport.sent.size();
			expectAtMost(during, 4);
			expect(scheduler.trouble()).to.equal("refused");
			clock.advance(120);
			expect(transport.sent.size()).to.equal(20);
			expect(scheduler.trouble()).to.equal(undefined);
			expect(started.join(",")).to.equal("refused");
		});
	});
};
