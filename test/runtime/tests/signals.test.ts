// Workspace.SignalBehavior, following the page "Deferred engine events" (and Workspace.SignalBehavior,
// SignalBehavior): handlers of deferred events run at the next resumption point, in firing order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BASIC_PROJECT, basicServer, newWorld } from "./helpers";

describe("deferred events (Deferred engine events)", () => {
	it("is what a server gets unless told otherwise, as template places are", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		assert.equal(server.signalBehavior, "Deferred");
		const immediate = await world.createServer({ project: BASIC_PROJECT, signalBehavior: "Immediate" });
		assert.equal(immediate.signalBehavior, "Immediate");
	});

	it("runs a handler after the firing code yields, not inside Fire (the 'trigger and catch' pattern returns false)", async () => {
		const { server } = await basicServer();
		const [inside, afterYield] = await server.eval(`
			local success = false
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function() success = true end)
			b:Fire()
			local inside = success
			task.wait()
			return inside, success
		`);
		assert.deepEqual([inside, afterYield], [false, true]);
	});

	it("queues an event fired by a handler behind the ones already pending (diagram: A, B, then C)", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			local first = Instance.new("BindableEvent")
			local second = Instance.new("BindableEvent")
			first.Event:Connect(function()
				table.insert(log, "A")
				second:Fire()
				table.insert(log, "A done")
			end)
			first.Event:Connect(function() table.insert(log, "B") end)
			second.Event:Connect(function() table.insert(log, "C") end)
			first:Fire()
			task.wait()
			return log
		`);
		assert.deepEqual(log, ["A", "A done", "B", "C"]);
	});

	it("fires every queued invocation with its own arguments; Disconnect drops the pending ones", async () => {
		const { server } = await basicServer();
		const [kept, dropped] = await server.eval(`
			local kept, dropped = {}, {}
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function(v) table.insert(kept, v) end)
			local c = b.Event:Connect(function(v) table.insert(dropped, v) end)
			b:Fire(1)
			b:Fire(2)
			c:Disconnect()
			task.wait()
			return kept, dropped
		`);
		assert.deepEqual(kept, [1, 2]);
		assert.deepEqual(dropped, []);
	});

	it("the page's 'first occurrence' pattern runs once: Disconnect drops the calls already queued; Once queues one call only", async () => {
		const { server } = await basicServer();
		const [manual, once] = await server.eval(`
			local manual, once = 0, 0
			local b = Instance.new("BindableEvent")
			local connection
			connection = b.Event:Connect(function()
				connection:Disconnect()
				manual += 1
			end)
			b.Event:Once(function() once += 1 end)
			b:Fire()
			b:Fire()
			task.wait()
			return manual, once
		`);
		// Disconnect drops the second pending call, so the manual pattern runs once too; Once never
		// queues a second call at all.
		assert.deepEqual([manual, once], [1, 1]);
	});

	it("Destroy disconnects at once but still runs the handlers pending for its events (the Destroying example)", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			local folder = Instance.new("Folder")
			folder.Name = "Part"
			folder.Parent = workspace
			Instance.new("Folder").Parent = folder
			folder.Destroying:Connect(function()
				table.insert(log, "In signal: " .. folder:GetFullName() .. " " .. #folder:GetChildren())
			end)
			folder:Destroy()
			task.wait()
			return log
		`);
		// By the time the handler runs the instance is destroyed: no parent, no children.
		assert.deepEqual(log, ["In signal: Part 0"]);
	});

	it("tree and property events run after the change, seeing the final state", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			local parent = Instance.new("Folder")
			parent.Name = "P"
			parent.Parent = workspace
			local child = Instance.new("Folder")
			child.Name = "C"
			parent.ChildAdded:Connect(function(c) table.insert(log, "child " .. c.Name .. " in " .. tostring(c.Parent)) end)
			child:GetPropertyChangedSignal("Name"):Connect(function() table.insert(log, "name " .. child.Name) end)
			child.Parent = parent
			child.Name = "D"
			child.Parent = nil
			task.wait()
			return log
		`);
		assert.deepEqual(log, ["child D in nil", "name D"]);
	});

	it("Wait resumes at the resumption point with the fired values", async () => {
		const { server } = await basicServer();
		const [log] = await server.eval(`
			local log = {}
			local b = Instance.new("BindableEvent")
			task.spawn(function()
				local v = b.Event:Wait()
				table.insert(log, "waited " .. v)
			end)
			b:Fire(7)
			table.insert(log, "fired")
			task.wait()
			return log
		`);
		assert.deepEqual(log, ["fired", "waited 7"]);
	});

	it("stops events that keep firing one another at the re-entrancy depth of 10", async () => {
		const { server } = await basicServer();
		const [depth] = await server.eval(`
			local depth = 0
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function()
				depth += 1
				b:Fire()
			end)
			b:Fire()
			task.wait(1)
			return depth
		`);
		assert.equal(depth, 10);
		assert.ok(
			server.lines("error").some((e) => e.includes("Maximum event re-entrancy depth exceeded")),
			server.lines("error").join("\n"),
		);
	});

	it("a handler that yields before firing again starts a new chain (depth counts synchronous re-entry only)", async () => {
		const { server } = await basicServer();
		const [count] = await server.eval(`
			local count = 0
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function()
				count += 1
				if count < 25 then
					task.wait()
					b:Fire()
				end
			end)
			b:Fire()
			task.wait(2)
			return count
		`);
		assert.equal(count, 25);
		assert.deepEqual(server.lines("error"), []);
	});

	it("PlayerAdded handlers run in the same step as the join, after Players holds the player", async () => {
		const { server } = await basicServer();
		await server.eval(`
			game:GetService("Players").PlayerAdded:Connect(function(p)
				_G.seen = p.Name .. " " .. tostring(p.Parent) .. " " .. #game:GetService("Players"):GetPlayers()
			end)
		`);
		await server.players.join({ userId: 3, name: "carol" }).joined;
		const [seen] = await server.eval(`return _G.seen`);
		assert.equal(seen, "carol Players 1");
	});

	it("Immediate runs handlers inside Fire", async () => {
		const { server } = await basicServer({ signalBehavior: "Immediate" });
		const [inside] = await server.eval(`
			local success = false
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function() success = true end)
			b:Fire()
			return success
		`);
		assert.equal(inside, true);
	});
});
