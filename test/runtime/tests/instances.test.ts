import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

describe("instances", () => {
	it("WaitForChild yields until the child appears", async () => {
		const { server } = await basicServer();
		const [name, at] = await server.eval(`
			local rs = game:GetService("ReplicatedStorage")
			task.delay(2, function()
				local f = Instance.new("Folder")
				f.Name = "Late"
				f.Parent = rs
			end)
			local child = rs:WaitForChild("Late")
			return child:GetFullName(), os.clock()
		`);
		assert.equal(name, "ReplicatedStorage.Late");
		assert.equal(at, 2);
	});

	it("WaitForChild with a timeout returns nil when it runs out", async () => {
		const { server } = await basicServer();
		const [found, at] = await server.eval(`
			local child = game:GetService("ReplicatedStorage"):WaitForChild("Never", 3)
			return child == nil, os.clock()
		`);
		assert.equal(found, true);
		assert.equal(at, 3);
		assert.equal(server.lines("warning").length, 0);
	});

	it("warns about an infinite yield after 5 virtual seconds", async () => {
		const { world, server } = await basicServer();
		await server.eval(
			`task.spawn(function() game:GetService("ReplicatedStorage").Modules:WaitForChild("Nope") end)`,
		);
		await world.advance(4.9);
		assert.equal(server.lines("warning").length, 0);
		await world.advance(0.2);
		assert.deepEqual(server.lines("warning"), [
			`Infinite yield possible on 'ReplicatedStorage.Modules:WaitForChild("Nope")'`,
		]);
	});

	it("errors like the engine on unknown members and locked parents", async () => {
		const { server } = await basicServer();
		await assert.rejects(
			server.eval(`return game:GetService("ReplicatedStorage").Modules.Nope`),
			/Nope is not a valid member of Folder "ReplicatedStorage\.Modules"/,
		);
		await assert.rejects(
			server.eval(`local f = Instance.new("Folder") f:Destroy() f.Parent = workspace`),
			/The Parent property of Folder is locked/,
		);
		await assert.rejects(
			server.eval(`Instance.new("Frobnicator")`),
			/Unable to create an Instance of type "Frobnicator"/,
		);
		await assert.rejects(
			server.eval(`game:GetService("NotAService")`),
			/'NotAService' is not a valid Service name/,
		);
		await assert.rejects(server.eval(`return Enum.NotAnEnum`), /NotAnEnum is not a valid member of "Enum"/);
	});

	it("has the class hierarchy, names, ancestry helpers and typeof", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local rs = game:GetService("ReplicatedStorage")
			local m = rs.Modules.answer
			local e = Instance.new("RemoteEvent", rs.Modules)
			return m:IsA("LuaSourceContainer"), m:IsA("Instance"), m:IsA("Script"), m.ClassName,
				m:FindFirstAncestorOfClass("ReplicatedStorage") == rs, m:FindFirstAncestorWhichIsA("ServiceProvider") == game,
				rs:FindFirstChild("answer", true) == m, rs:FindFirstChildWhichIsA("Folder") == rs.Modules,
				typeof(m), typeof(rs.ChildAdded), typeof(rs.ChildAdded:Connect(function() end)), typeof(Enum.HttpContentType.ApplicationJson),
				#rs.Modules:GetChildren() > 0, game.ReplicatedStorage == rs, e:GetFullName(), workspace == game:GetService("Workspace")
		`);
		assert.deepEqual(results, [
			true,
			true,
			false,
			"ModuleScript",
			true,
			true,
			true,
			true,
			"Instance",
			"RBXScriptSignal",
			"RBXScriptConnection",
			"EnumItem",
			true,
			true,
			"ReplicatedStorage.Modules.RemoteEvent",
			true,
		]);
	});

	it("clones a subtree with attributes and script sources", async () => {
		const { server } = await basicServer();
		const [name, parent, count, attr, answer] = await server.eval(`
			local modules = game:GetService("ReplicatedStorage").Modules
			modules:SetAttribute("tag", "x")
			local copy = modules:Clone()
			return copy.Name, copy.Parent, #copy:GetChildren() == #modules:GetChildren(), copy:GetAttribute("tag"), require(copy.answer)
		`);
		assert.deepEqual([name, parent, count, attr, answer], ["Modules", undefined, true, "x", 42]);
	});

	it("fires tree, attribute and property events", async () => {
		const { server } = await basicServer({ signalBehavior: "Immediate" }); // deferred: signals.test.ts
		const [log] = await server.eval(`
			local log = {}
			local rs = game:GetService("ReplicatedStorage")
			local parent = Instance.new("Folder")
			parent.Name = "P"
			parent.Parent = rs
			rs.DescendantAdded:Connect(function(d) table.insert(log, "descendant " .. d.Name) end)
			parent.ChildAdded:Connect(function(c) table.insert(log, "child " .. c.Name) end)
			parent.ChildRemoved:Connect(function(c) table.insert(log, "removed " .. c.Name) end)
			local child = Instance.new("Folder")
			child.Name = "C"
			child.AncestryChanged:Connect(function(_, p) table.insert(log, "ancestry " .. tostring(p)) end)
			child:GetPropertyChangedSignal("Name"):Connect(function() table.insert(log, "name " .. child.Name) end)
			child:GetAttributeChangedSignal("x"):Connect(function() table.insert(log, "attr " .. tostring(child:GetAttribute("x"))) end)
			child.Parent = parent
			child.Name = "D"
			child:SetAttribute("x", 5)
			child:Destroy()
			return log
		`);
		assert.deepEqual(log, [
			"ancestry P",
			"child C",
			"descendant C",
			"name D",
			"attr 5",
			"ancestry nil",
			"removed D",
		]);
	});

	it("runs signal handlers in connection order; Once, Wait and Disconnect; a failing handler does not stop the rest", async () => {
		const { server } = await basicServer({ signalBehavior: "Immediate" }); // deferred: signals.test.ts
		const [log, waited] = await server.eval(`
			local log = {}
			local b = Instance.new("BindableEvent")
			b.Event:Connect(function(v) table.insert(log, "a" .. v) end)
			b.Event:Connect(function() error("handler failed") end)
			b.Event:Once(function(v) table.insert(log, "once" .. v) end)
			local c = b.Event:Connect(function(v) table.insert(log, "c" .. v) end)
			local waited
			task.spawn(function() waited = b.Event:Wait() end)
			b:Fire(1)
			c:Disconnect()
			b:Fire(2)
			return log, waited, c.Connected
		`);
		assert.deepEqual(log, ["a1", "once1", "c1", "a2"]);
		assert.equal(waited, 1);
		assert.ok(server.lines("error").some((e) => e.includes("handler failed")));
	});
});
