import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

// In a file of its own, so the measurement is not shared with other tests' work.
describe("scheduler performance", () => {
	it("runs an hour of virtual time with 1,000 sleeping threads quickly", async () => {
		const { world, server } = await basicServer();
		await server.eval(`
			_G.wakes = 0
			for i = 1, 1000 do
				task.spawn(function()
					while true do
						task.wait(math.random() * 120)
						_G.wakes += 1
					end
				end)
			end
		`);
		const started = performance.now();
		await world.advance(3600);
		const ms = performance.now() - started;
		const [wakes] = await server.eval(`return _G.wakes`);
		console.log(`# one virtual hour, 1,000 sleeping threads: ${ms.toFixed(0)} ms real, ${wakes} wake-ups`);
		assert.ok((wakes as number) > 50_000);
	});
});
