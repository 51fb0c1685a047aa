import { RequestBuilder } from "../protocol/requests";
import { FakeReply, FakeTransport } from "../testing/FakeTransport";
import { fixedRandom, ManualClock } from "../testing/ManualClock";
import { TransportResult } from "../transport/HttpTransport";
import { RequestScheduler } from "./RequestScheduler";
import { DEFAULT_SCHEDULER_CONFIG, RequestPriority, SchedulerConfig } from "./SchedulerConfig";
import { expectAtLeast, expectAtMost } from "../testing/expect";

const builder = new RequestBuilder({ baseUrl: "https://api.test/v1" }, "k");
const requestFor: Record<RequestPriority, () => ReturnType<RequestBuilder["verify"]>> = {
	verify: () => builder.verify("0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10", 1),
	end: () => builder.end("gs_1", 10),
	heartbeat: () => builder.heartbeat("gs_1", 1),
};

function setup(config: Partial<SchedulerConfig> = {}, reply: FakeReply = { status: 200, body: "{}" }) {
	const clock = new ManualClock();
	const transport = new FakeTransport(clock);
	transport.handler = () => reply;
	const scheduler = new RequestScheduler(transport, clock, fixedRandom(0.5), {
		...DEFAULT_SCHEDULER_CONFIG,
		...config,
	});
	const results = new Array<TransportResult>();
	const submit = (priority: RequestPriority, deadline = 1e6) =>
		scheduler.submit(requestFor[priority](), priority, deadline, (result) => results.push(result));
	return { clock, transport, scheduler, results, submit };
}

export = () => {
	describe("RequestScheduler", () => {
		it("stopSending: queued requests of that priority fail unsent, later ones too; in-flight ones are answered", () => {
			const { clock, transport, scheduler, results, submit } = setup(
				{ maxInFlight: 1 },
				{ status: 200, body: "{}", latency: 1 },
			);
			submit("verify");
			submit("verify");
			submit("end");
			scheduler.stopSending("verify");
			expect(results.size()).to.equal(1);
			const dropped = results[0];
			expect(dropped.kind === "failure" && dropped.failure.kind).to.equal("BudgetExceeded");
			submit("verify");
			expect(results.size()).to.equal(2);
			clock.advance(5);
			// The verify already in flight got its answer; the end went out; no other verify was sent.
			expect(transport.sent.map((entry) => entry.request.endpoint).join(",")).to.equal("verify,end");
			expect(results.filter((result) => result.kind === "response").size()).to.equal(2);
		});

		it("sends verify before end before heartbeat when requests compete", () => {
			const { clock, transport, submit } = setup({ maxInFlight: 1 }, { status: 200, body: "{}", latency: 1 });
			submit("heartbeat");
			submit("heartbeat");
			submit("end");
			submit("verify");
			clock.advance(10);
			const order = transport.sent.map((entry) => entry.request.endpoint);
			// The first heartbeat was already in flight when the others arrived.
			expect(order.join(",")).to.equal("heartbeat,verify,end,heartbeat");
		});

		it("keeps heartbeats inside the share and urgent work inside the ceiling, in any 60-second window", () => {
			const { clock, transport, submit, results } = setup({
				requestsPerMinute: 30,
				urgentRequestsPerMinute: 50,
				heartbeatSpacingSec: 0,
			});
			for (let i = 0; i < 100; i++) submit("heartbeat");
			clock.advance(600);
			for (let i = 0; i < 120; i++) submit("verify");
			clock.advance(600);
			const windowMax = (endpoint: string) => {
				const times = transport.sent.filter((e) => e.request.endpoint === endpoint).map((e) => e.at);
				let most = 0;
				for (let index = 0; index < times.size(); index++) {
					let inWindow = 0;
					for (let j = index; j < times.size(); j++) if (times[j] < times[index] + 60) inWindow += 1;
					most = math.max(most, inWindow);
				}
				return most;
			};
			expect(windowMax("heartbeat")).to.equal(30);
			expect(windowMax("verify")).to.equal(50);
			expect(results.size()).to.equal(220);
		});

		// Was "limits requests in flight" (3 after 60 s): requests are never abandoned now, so one that goes
		// unanswered stops holding its slot once slow instead of blocking everyone behind it for ever.
		it("limits requests in flight; a slow one frees its slot but is never given up on", () => {
			const { clock, transport, scheduler, submit, results } = setup(
				{ maxInFlight: 3, slowRequestSec: 15 },
				"hang",
			);
			for (let i = 0; i < 7; i++) submit("verify");
			clock.advance(14);
			expect(transport.sent.size()).to.equal(3);
			clock.advance(16);
			expect(transport.sent.map((entry) => entry.at).join(",")).to.equal("0,0,0,15,15,15,30");
			// Nothing was given up on: no result was reported for any of them.
			expect(results.size()).to.equal(0);
			const stats = scheduler.stats();
			expect(`${stats.inFlight} ${stats.slowInFlight} ${stats.silentForSec}`).to.equal("7 6 30");
		});

		it("spaces heartbeats so players who joined together do not beat in the same frame", () => {
			const { clock, transport, submit } = setup({ heartbeatSpacingSec: 0.1 });
			for (let i = 0; i < 10; i++) submit("heartbeat");
			clock.advance(5);
			const times = transport.sent.map((entry) => entry.at);
			expect(times.size()).to.equal(10);
			for (let i = 1; i < times.size(); i++) expectAtLeast(times[i] - times[i - 1], 0.1 - 1e-9);
		});

		it("paces heartbeats at the share's rate and keeps the urgent headroom for verifies", () => {
			const { clock, transport, submit } = setup({
				requestsPerMinute: 3,
				urgentRequestsPerMinute: 5,
				heartbeatSpacingSec: 0,
			});
			for (let i = 0; i < 4; i++) submit("heartbeat");
			clock.advance(45);
			// One every 18 s (a little under 60 s / 3, as timers land on frames), never in a burst.
			expect(transport.sent.map((entry) => entry.at).join(",")).to.equal("0,18,36");
			submit("verify");
			submit("verify");
			submit("verify");
			clock.advance(5);
			// Verifies may use the headroom above the share (5 in a minute); the fourth heartbeat may not.
			expect(transport.sent.map((entry) => entry.request.endpoint).join(",")).to.equal(
				"heartbeat,heartbeat,heartbeat,verify,verify",
			);
		});

		it("at shutdown, ends may use nearly the whole engine budget", () => {
			const { clock, transport, scheduler, submit } = setup({
				requestsPerMinute: 10,
				urgentRequestsPerMinute: 20,
			});
			for (let i = 0; i < 600; i++) submit("end");
			clock.advance(1);
			expect(transport.sent.size()).to.equal(20);
			scheduler.enterShutdown();
			clock.advance(1);
			expect(transport.sent.size()).to.equal(490);
		});

		it("when the API looks down, probes with one request instead of letting everyone retry", () => {
			const { clock, transport, submit, results } = setup();
			transport.handler = () =>
				clock.now() < 60 ? { status: 503, body: "<html>down</html>" } : { status: 200, body: "{}" };
			for (let i = 0; i < 20; i++) submit("heartbeat");
			clock.advance(59);
			// One probe at a time, pauses of 2, 4, 8, 8, 8… s.
			const during = transport.sent.size();
			expectAtMost(during, 12);
			clock.advance(30);
			// Each failed probe was reported to its owner (who retries on its own schedule); the rest
			// went out as soon as a probe succeeded.
			expect(transport.sent.size()).to.equal(20);
			expect(results.size()).to.equal(20);
			const lastFailure = transport.sent[during - 1].at;
			expectAtMost(transport.sent[during].at - lastFailure, 8.1);
		});

		it("backs off the whole client after a 429, doubling on repeats", () => {
			const { clock, transport, submit } = setup({ slowDownBaseSec: 5 });
			transport.handler = (_, index) => (index <= 2 ? { status: 429, body: "" } : { status: 200, body: "{}" });
			submit("verify");
			clock.advance(0);
			expect(transport.sent.size()).to.equal(1);
			submit("verify");
			submit("end");
			clock.advance(4.9);
			expect(transport.sent.size()).to.equal(1);
			clock.advance(0.2);
			expect(transport.sent.size()).to.equal(2);
			expect(transport.sent[1].at).to.equal(5);
			// The second 429 doubles the pause to 10 s.
			clock.advance(9.8);
			expect(transport.sent.size()).to.equal(2);
			clock.advance(0.3);
			expect(transport.sent.size()).to.equal(3);
		});

		// Was "also backs off when the engine reports the server's budget is spent" (a 5 s client-wide pause
		// and a failure for the owner): a refused request never left the server, so it is kept and sent
		// again within seconds, and its owner only sees the reply.
		it("keeps a request the engine refused for budget and sends it again within seconds", () => {
			const { clock, transport, submit, results } = setup();
			transport.handler = (_, index) =>
				index === 1
					? { failure: { kind: "BudgetExceeded", detail: "Number of requests exceeded limit" } }
					: { status: 200, body: "{}" };
			submit("heartbeat");
			clock.advance(0);
			expect(results.size()).to.equal(0);
			clock.advance(4);
			expect(transport.sent.size()).to.equal(2);
			expectAtMost(transport.sent[1].at, 3.75);
			expect(results.size()).to.equal(1);
			expect(results[0].kind).to.equal("response");
		});

		it("fails a request it could not send before its deadline, without sending it", () => {
			const { clock, transport, submit, results } = setup({ maxInFlight: 1, slowRequestSec: 1e6 }, "hang");
			submit("verify", 1e6);
			submit("verify", 30);
			clock.advance(29);
			expect(results.size()).to.equal(0);
			clock.advance(2);
			expect(results.size()).to.equal(1);
			const result = results[0];
			expect(result.kind === "failure" && result.failure.kind).to.equal("BudgetExceeded");
			expect(transport.sent.size()).to.equal(1);
		});

		it("calls nobody back after destroy, queued or in flight", () => {
			const { clock, scheduler, submit, results } = setup(
				{ maxInFlight: 1 },
				{ status: 200, body: "{}", latency: 5 },
			);
			submit("verify");
			submit("verify");
			clock.advance(1);
			scheduler.destroy();
			clock.advance(60);
			expect(results.size()).to.equal(0);
			expect(clock.pendingCount()).to.equal(0);
		});

		it("an owner whose callback errors does not stop the scheduler for everyone else", () => {
			const { clock, transport, scheduler, results } = setup(
				{ maxInFlight: 1 },
				{ status: 200, body: "{}", latency: 1 },
			);
			scheduler.submit(requestFor.verify(), "verify", 1e6, () => error("owner bug"));
			for (let i = 0; i < 3; i++) {
				scheduler.submit(requestFor.verify(), "verify", 1e6, (result) => results.push(result));
			}
			clock.advance(10);
			expect(transport.sent.size()).to.equal(4);
			expect(results.size()).to.equal(3);
		});

		// Only a request still queued can be withdrawn: one already sent is never abandoned.
		it("a withdrawn request is not sent and not reported; a sent one cannot be withdrawn", () => {
			const { clock, transport, scheduler, results } = setup(
				{ maxInFlight: 1 },
				{ status: 200, body: "{}", latency: 1 },
			);
			const sent = scheduler.submit(requestFor.verify(), "verify", 1e6, (result) => results.push(result));
			const queued = scheduler.submit(requestFor.verify(), "verify", 1e6, (result) => results.push(result));
			clock.advance(0);
			expect(queued()).to.equal(true);
			expect(sent()).to.equal(false);
			clock.advance(10);
			expect(transport.sent.size()).to.equal(1);
			expect(results.size()).to.equal(1);
		});

		it("a cancelled request is not sent and not reported", () => {
			const { clock, transport, submit, results } = setup(
				{ maxInFlight: 1 },
				{ status: 200, body: "{}", latency: 1 },
			);
			submit("verify");
			const cancel = submit("verify");
			cancel();
			clock.advance(10);
			expect(transport.sent.size()).to.equal(1);
			expect(results.size()).to.equal(1);
		});
	});
};
