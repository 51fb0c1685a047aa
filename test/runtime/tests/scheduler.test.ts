import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

describe("scheduler", () => {
	it("runs spawn immediately, defer at the end of the cycle, delay and wait on virtual time", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			task.spawn(function() table.insert(log, "spawn") end)
			task.defer(function() table.insert(log, "defer") end)
			task.delay(1, function() table.insert(log, "delay " .. os.clock()) end)
			table.insert(log, "main")
			local elapsed = task.wait(2)
			table.insert(log, "waited " .. elapsed)
			return log
		`);
		assert.deepEqual(log, ["spawn", "main", "defer", "delay 1", "waited 2"]);
	});

	it("resumes task.wait() and task.delay(0) on the next frame and returns the elapsed time", async () => {
		const { server } = await basicServer();
		const [elapsed, delayed] = await server.eval(`
			local start = os.clock()
			local at
			task.delay(0, function() at = os.clock() - start end)
			local elapsed = task.wait()
			return elapsed, at
		`);
		assert.ok(Math.abs((elapsed as number) - 1 / 60) < 1e-9);
		assert.ok(Math.abs((delayed as number) - 1 / 60) < 1e-9);
	});

	it("orders sleepers by wake time, then by when they slept", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			for _, t in { 3, 1, 2, 1 } do
				task.delay(t, function() table.insert(log, t) end)
			end
			task.wait(5)
			return log
		`);
		assert.deepEqual(log, [1, 1, 2, 3]);
	});

	it("cancels threads", async () => {
		const { server } = await basicServer();
		const [ran] = await server.eval(`
			local ran = false
			local t = task.delay(1, function() ran = true end)
			task.cancel(t)
			task.wait(2)
			return ran
		`);
		assert.equal(ran, false);
	});

	it("resumes a waiting thread on the first 60 Hz frame step at or after now + d", async () => {
		// Roblox page "task" (task.wait/task.delay resume on the Heartbeat in which enough time has
		// passed) and "RunService" (Heartbeat fires every frame, 60 Hz here).
		const { world, server } = await basicServer();
		await world.advance(0.005); // off the frame grid
		const [woke, waited, delayed] = await server.eval(`
			local start = os.clock()
			local delayedAt
			task.delay(0.02, function() delayedAt = os.clock() end)
			local waited = task.wait(0.1)
			task.wait(0.5)
			return os.clock(), waited, delayedAt
		`);
		const frames = (t: number) => t * 60;
		// 0.005 + 0.1 = 0.105 -> frame 7 (0.11666…); + 0.5 -> 0.61666… is frame 37 exactly.
		assert.ok(Math.abs(frames(woke as number) - 37) < 1e-6, `woke at ${woke}`);
		assert.ok(Math.abs((waited as number) - (7 / 60 - 0.005)) < 1e-9, `waited ${waited}`);
		assert.ok(Math.abs(frames(delayed as number) - 2) < 1e-6, `delayed resumed at ${delayed}`);
	});

	it("errors when task.cancel is given the running thread", async () => {
		// Roblox page "task" (task.cancel): the currently executing thread cannot be cancelled.
		const { server } = await basicServer();
		const [ok, err, after] = await server.eval(`
			local ok, err = pcall(task.cancel, coroutine.running())
			return ok, err, "still running"
		`);
		assert.equal(ok, false);
		assert.match(String(err), /cannot cancel thread/);
		assert.equal(after, "still running");
	});

	it("fires Heartbeat 60 times a second only while something listens, and jumps the clock otherwise", async () => {
		const { world, server } = await basicServer();
		const [frames] = await server.eval(`
			local RunService = game:GetService("RunService")
			local frames, total = 0, 0
			local conn = RunService.Heartbeat:Connect(function(dt) frames += 1 total += dt end)
			task.wait(1)
			conn:Disconnect()
			return frames
		`);
		assert.ok((frames as number) >= 59 && (frames as number) <= 61, `frames: ${frames}`);
		assert.equal(world.isIdle(), true);
		const before = world.now;
		await world.advance(3600);
		assert.equal(world.now, before + 3600);
	});

	it("reports an error in a spawned thread with a traceback and keeps going", async () => {
		const { server } = await basicServer();
		const [result] = await server.eval(`
			task.spawn(function() error("boom") end)
			task.delay(1, function() error("later boom") end)
			task.wait(2)
			return "alive"
		`);
		assert.equal(result, "alive");
		const errors = server.lines("error");
		assert.ok(errors.some((e) => e.includes("boom") && e.includes("Stack Begin")));
		assert.ok(errors.some((e) => e.includes("later boom")));
	});

	it("keeps os.clock, time and tick on the virtual clock", async () => {
		const { world, server } = await basicServer();
		await world.advance(100);
		const [clock, t, tick, osTime] = await server.eval(`return os.clock(), time(), tick(), os.time()`);
		assert.equal(clock, 100);
		assert.equal(t, 100);
		assert.equal(tick, 1_700_000_100);
		assert.equal(osTime, 1_700_000_100);
	});

	it("runs roblox-ts's Promise library on virtual time (after npm run build)", async (t) => {
		const { world, server } = await basicServer();
		const [built] = await server.eval(
			`return game:GetService("ReplicatedStorage").rbxts_include:FindFirstChild("Promise") ~= nil`,
		);
		if (!built) return t.skip("include/Promise.lua is made by npm run build");
		const [ok, value, elapsed, timedOut] = await server.eval(`
			local TS = require(game:GetService("ReplicatedStorage").rbxts_include.RuntimeLib)
			local start = os.clock()
			local ok, value = TS.Promise.delay(2.5):andThen(function() return "done" end):await()
			local elapsed = os.clock() - start
			local timedOut = not TS.Promise.delay(10):timeout(1):await()
			return ok, value, elapsed, timedOut
		`);
		assert.deepEqual([ok, value, timedOut], [true, "done", true]);
		assert.ok((elapsed as number) >= 2.5 && (elapsed as number) < 2.6, `elapsed ${elapsed}`);
		assert.ok(world.now >= 3.5);
	});
});
