import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

describe("require", () => {
	it("returns a module's value once per ModuleScript and decodes JSON modules", async () => {
		const { server } = await basicServer();
		const [answer, same, name] = await server.eval(`
			local m = game:GetService("ReplicatedStorage").Modules
			local a = require(m.envA)
			return require(m.answer), rawequal(a, require(m.envA)), require(m.config).name
		`);
		assert.deepEqual([answer, same, name], [42, true, "playwave"]);
	});

	it("gives every module its own environment", async () => {
		const { server } = await basicServer();
		const [separate, sees, counter] = await server.eval(`
			local m = game:GetService("ReplicatedStorage").Modules
			local a, b = require(m.envA), require(m.envB)
			return a.env ~= b.env, b.sees == nil, shared.counter
		`);
		assert.deepEqual([separate, sees, counter], [true, true, 1]);
	});

	it("reports a module's runtime error with its full name and line", async () => {
		const { server } = await basicServer();
		await assert.rejects(
			server.eval(`require(game:GetService("ReplicatedStorage").Modules.broken)`),
			(error: Error) => error.message === "ReplicatedStorage.Modules.broken:3: broken on purpose",
		);
		assert.ok(
			server.lines("error").some((e) => e.startsWith("ReplicatedStorage.Modules.broken:3: broken on purpose")),
		);
	});

	it("rejects missing modules, bad arguments, cycles and modules returning nothing", async () => {
		const { server } = await basicServer();
		await assert.rejects(
			server.eval(`require(game:GetService("ReplicatedStorage").Modules.missing)`),
			/missing is not a valid member of Folder "ReplicatedStorage\.Modules"/,
		);
		await assert.rejects(server.eval(`require(nil)`), /Attempted to call require with invalid argument/);
		await assert.rejects(
			server.eval(`require(game:GetService("ReplicatedStorage").Modules.cycleA)`),
			/required recursively: ReplicatedStorage\.Modules\.cycleA -> ReplicatedStorage\.Modules\.cycleB -> ReplicatedStorage\.Modules\.cycleA/,
		);
		await assert.rejects(
			server.eval(`require(game:GetService("ReplicatedStorage").Modules.nothing)`),
			/Module code did not return exactly one value/,
		);
	});

	it("makes concurrent requirers of a yielding module wait for the one load", async () => {
		const { server } = await basicServer();
		const [same, at] = await server.eval(`
			local m = game:GetService("ReplicatedStorage").Modules.slow
			local first
			task.spawn(function() first = require(m) end)
			local second = require(m)
			return rawequal(first, second), second.loadedAt
		`);
		assert.deepEqual([same, at], [true, 2]);
	});
});
