// MessagingService as its class page (Limitations table) and "Cross-Server Messaging" describe it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newWorld, placeServers, startServer } from "./helpers";

function near(actual: unknown, expected: number): void {
	assert.ok(Math.abs((actual as number) - expected) < 1e-6, `${String(actual)} ≉ ${expected}`);
}

const SUBSCRIBE = (topic: string) => `
	local M = game:GetService("MessagingService")
	_G.got = _G.got or {}
	_G.connection = M:SubscribeAsync("${topic}", function(message)
		table.insert(_G.got, { data = message.Data, sent = message.Sent, at = os.clock() })
	end)`;

describe("MessagingService (MessagingService, Cross-Server Messaging)", () => {
	it("delivers a published message to every subscribed server, itself included, after a delay", async () => {
		const [world, [a, b, c]] = await placeServers(3);
		await a.eval(SUBSCRIBE("news"));
		await b.eval(SUBSCRIBE("news"));
		await c.eval(SUBSCRIBE("other"));
		const [took] = await a.eval(`
			local t = os.clock()
			game:GetService("MessagingService"):PublishAsync("news", { text = "hello", n = 2 })
			return os.clock() - t`);
		near(took, world.messaging.latency);
		const published = world.now - world.messaging.latency;
		await world.advance(1);
		for (const server of [a, b]) {
			const [count, text, sent, at] = await server.eval(
				`return #_G.got, _G.got[1].data.text, _G.got[1].sent, _G.got[1].at`,
			);
			assert.equal(count, 1);
			assert.equal(text, "hello");
			near(sent, world.epoch + published);
			near((at as number) - published, world.messaging.deliveryDelay);
		}
		assert.deepEqual(await c.eval(`return #_G.got`), [0]);
		assert.equal(world.messaging.published[0].outcome, "delivered");
		assert.deepEqual(world.messaging.published[0].data, { text: "hello", n: 2 });
		// Disconnecting unsubscribes: "the callback should never be invoked".
		await b.eval(`_G.connection:Disconnect()`);
		world.messaging.publish("news", "from open cloud");
		await world.advance(1);
		assert.deepEqual(await a.eval(`return #_G.got, _G.got[2].data`), [2, "from open cloud"]);
		assert.deepEqual(await b.eval(`return #_G.got`), [1]);
	});

	it("delivers harmlessly to a server whose scripts never used MessagingService", async () => {
		const [world, [a, idle]] = await placeServers(2);
		await a.eval(SUBSCRIBE("news"));
		await a.eval(`game:GetService("MessagingService"):PublishAsync("news", 1)`);
		await world.advance(1);
		assert.deepEqual(world.messaging.published[0].servers, ["s1", "s2"]);
		assert.deepEqual(await a.eval(`return #_G.got`), [1]);
		assert.deepEqual([...idle.lines("error"), ...a.lines("error")], []);
	});

	it("keeps live and Studio servers, and other experiences, apart", async () => {
		const world = await newWorld();
		const make = async (jobId: string, gameId: number, studio: boolean) => {
			const s = await startServer(world, { placeId: 1, gameId, studio, jobId });
			await s.eval(SUBSCRIBE("t"));
			return s;
		};
		const live = await make("live", 1, false);
		const studio = await make("studio", 1, true);
		const other = await make("other", 2, false);
		await live.eval(`game:GetService("MessagingService"):PublishAsync("t", 1)`);
		await world.advance(1);
		assert.deepEqual(await live.eval(`return #_G.got`), [1]);
		assert.deepEqual(await studio.eval(`return #_G.got`), [0]);
		assert.deepEqual(await other.eval(`return #_G.got`), [0]);
	});

	it("enforces the topic length (1-80), the 1 kB message size and JSON-only messages", async () => {
		const [, [a]] = await placeServers(1);
		const M = `local M = game:GetService("MessagingService")\n`;
		await a.eval(`${M} M:PublishAsync(string.rep("t", 80), string.rep("x", 998))`);
		await assert.rejects(a.eval(`${M} M:PublishAsync(string.rep("t", 81), 1)`), /topic must be 1 to 80/);
		await assert.rejects(a.eval(`${M} M:PublishAsync("", 1)`), /topic must be 1 to 80/);
		await assert.rejects(
			a.eval(`${M} M:PublishAsync("t", string.rep("x", 999))`),
			/1001 bytes, over the 1000-byte limit/,
		);
		await assert.rejects(a.eval(`${M} M:PublishAsync("t", function() end)`), /cannot be converted to JSON/);
		await assert.rejects(a.eval(`${M} M:SubscribeAsync("t", 5)`), /Unable to cast number to function/);
	});

	it("limits publishes to 150 + 60 per player per minute and subscriptions to 5 + 2 per player", async () => {
		const [world, [a]] = await placeServers(1);
		world.messaging.latency = 0;
		const burst = `
			local M = game:GetService("MessagingService")
			local sent = 0
			for i = 1, 300 do
				local ok, err = pcall(M.PublishAsync, M, "t" .. (i % 20), i)
				if not ok then return sent, err end
				sent += 1
			end
			return sent`;
		const [sent, error] = await a.eval(burst);
		assert.equal(sent, 150);
		assert.match(String(error), /published 150 messages in the last minute/);
		await world.advance(60);
		a.players.join({ userId: 1 });
		await world.advance(0);
		assert.deepEqual((await a.eval(burst))[0], 210);

		const subscribe = `
			local M = game:GetService("MessagingService")
			local n = 0
			for i = 1, 20 do
				local ok, err = pcall(M.SubscribeAsync, M, "topic", function() end)
				if not ok then return n, err end
				n += 1
				_G.last = err
			end
			return n`;
		const [subscriptions, subscribeError] = await a.eval(subscribe);
		assert.equal(subscriptions, 7);
		assert.match(String(subscribeError), /already has 7 subscriptions/);
		const [more] = await a.eval(`_G.last:Disconnect() ${subscribe}`);
		assert.equal(more, 1);
	});

	it("drops messages over a topic's receive limit (10 + 20 per server per minute)", async () => {
		const [world, [a]] = await placeServers(1);
		await a.eval(SUBSCRIBE("busy"));
		world.messaging.latency = 0;
		await a.eval(`local M = game:GetService("MessagingService") for i = 1, 40 do M:PublishAsync("busy", i) end`);
		await world.advance(1);
		assert.deepEqual(await a.eval(`return #_G.got`), [30]);
		const dropped = world.messaging.published.filter((m) => m.outcome === "dropped");
		assert.equal(dropped.length, 10);
		assert.match(dropped[0].reason!, /topic's receive limit/);
	});

	it("injects failures into PublishAsync and SubscribeAsync", async () => {
		const [world, [a]] = await placeServers(1);
		world.messaging.fail({ op: "subscribe", count: 1, error: "MessagingService: subscribe failed" });
		await assert.rejects(a.eval(SUBSCRIBE("t")), /subscribe failed/);
		await a.eval(SUBSCRIBE("t"));
		const failure = world.messaging.fail({ until: world.now + 5, topic: "t" });
		await assert.rejects(
			a.eval(`game:GetService("MessagingService"):PublishAsync("t", 1)`),
			/MessagingService: request failed/,
		);
		await world.advance(5);
		failure.cancel();
		await a.eval(`game:GetService("MessagingService"):PublishAsync("t", 2)`);
		await world.advance(1);
		assert.deepEqual(await a.eval(`return #_G.got, _G.got[1].data`), [1, 2]);
		assert.deepEqual(
			world.messaging.published.map((m) => m.outcome),
			["failed", "delivered"],
		);
	});
});
