import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BASIC_PROJECT, newWorld } from "./helpers";

describe("World", () => {
	it("interleaves several servers on one clock", async () => {
		const world = await newWorld();
		const log: string[] = [];
		const servers = [];
		for (const name of ["a", "b"]) {
			const server = await world.createServer({ project: BASIC_PROJECT, jobId: name });
			server.onOutput = (line) => log.push(`${name}@${line.time} ${line.text}`);
			await server.start();
			servers.push(server);
		}
		const [a, b] = servers;
		await a.eval(`task.delay(1, print, "one") task.delay(3, print, "three") _G.only = "a"`);
		await b.eval(`task.delay(2, print, "two") task.delay(4, print, "four")`);
		await world.advance(5);
		assert.deepEqual(log, ["a@1 one", "b@2 two", "a@3 three", "b@4 four"]);
		const [separate] = await b.eval(`return _G.only == nil`);
		assert.equal(separate, true);
	});

	it("reports idleness and gives up on conditions that never hold", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		assert.equal(await world.runUntilIdle(), true);
		await server.eval(`game:GetService("RunService").Heartbeat:Connect(function() end)`);
		assert.equal(await world.runUntilIdle(10), false);
		await assert.rejects(
			world.runUntil(() => false, 5),
			/condition not met within 5 virtual seconds/,
		);
	});

	it("starts a server created later at the world's time", async () => {
		const world = await newWorld();
		await world.advance(50);
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		const [clock] = await server.eval(`task.wait(1) return os.clock()`);
		assert.equal(clock, 51);
		assert.equal(world.now, 51);
	});

	it("reuses disposed servers' states, with nothing left over from the previous server", async () => {
		for (let i = 0; i < 30; i++) {
			const world = await newWorld();
			const server = await world.createServer({ project: BASIC_PROJECT });
			await server.start();
			const [previous] = await server.eval(
				`local p = _G.mark _G.mark = ${i} task.delay(5, print, "late") return p`,
			);
			assert.equal(previous, undefined);
			await world.dispose();
		}
	});
});
