// Players' clients: LocalScripts in a client DataModel of their own, talking to the server through
// the emulated network. Pages: RemoteEvent, StarterGui (SetCore), StarterPlayerScripts/ReplicatedFirst
// (where LocalScripts run), Secret and HttpService (server only).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { newWorld } from "./helpers";

const CLIENTS_PROJECT = join(__dirname, "fixtures", "clients", "clients.project.json");

async function clientsServer(options: { networkLatency?: number } = {}) {
	const world = await newWorld();
	const server = await world.createServer({ project: CLIENTS_PROJECT, secrets: { key: "sk_live" }, ...options });
	await server.start();
	return { world, server };
}

describe("clients (RemoteEvent, StarterGui)", () => {
	it("runs ReplicatedFirst, StarterPlayerScripts and StarterGui LocalScripts for the player, in that order", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		await world.advance(1);
		const prints = alice.client!.lines("print");
		assert.deepEqual(prints.slice(0, 3), [
			"first alice",
			"hello alice in Players.alice.PlayerScripts.Player.Main",
			"gui Players.alice.PlayerGui.Hud.Gui.Hud",
		]);
		assert.deepEqual(alice.client!.lines("error"), []);
		// No LocalScript ran on the server.
		assert.ok(!server.lines("print").some((l) => l.startsWith("first") || l.startsWith("hello")));
	});

	it("carries FireServer / FireClient / FireAllClients through the network with its latency, copying values", async () => {
		const { world, server } = await clientsServer({ networkLatency: 0.2 });
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		const start = world.now;
		await world.advance(2);
		const serverLine = server.output.find((l) => l.text === "server got alice hi");
		assert.ok(serverLine, server.lines().join("\n"));
		assert.ok(Math.abs(serverLine.time - start - 0.2) < 1e-9, `server got it at ${serverLine.time}`);
		const echo = alice.client!.output.find((l) => l.text.startsWith("client got"));
		// The Player instance in the table arrives as the client's own Player.
		assert.equal(echo?.text, "client got echo hi from alice");
		assert.ok(Math.abs(echo.time - start - 0.4) < 1e-9, `client got it at ${echo.time}`);
		assert.ok(alice.client!.lines("print").includes("broadcast alice spoke"));
	});

	it("FireAllClients reaches every client; a client that left gets nothing more", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		const bob = server.players.join({ userId: 2, name: "bob", client: true });
		await Promise.all([alice.joined, bob.joined]);
		await world.advance(1);
		assert.ok(bob.client!.lines("print").includes("broadcast alice spoke"));
		assert.ok(alice.client!.lines("print").includes("broadcast bob spoke"));
		await server.players.leave(2);
		const before = bob.client!.output.length;
		await server.remotes.fireServer("ReplicatedStorage.Echo", 1, { text: "again" });
		await world.advance(1);
		assert.equal(bob.client!.output.length, before);
		assert.ok(alice.client!.lines("print").includes("client got echo again from alice"));
	});

	it("records SetCore calls; the core scripts register after a delay, so early calls error (StarterGui:SetCore)", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: { coreScriptsDelay: 1 } });
		await alice.joined;
		await world.advance(3);
		const client = alice.client!;
		// The fixture's first attempt (at 0.1 s) failed; its retry a second later worked.
		assert.deepEqual(
			client.notifications().map((n) => [n.Title, n.Text]),
			[["Echo", "echo hi"]],
		);
		assert.ok(client.coreCalls("SendNotification")[0].time >= 1);
		const [unknown, badConfig] = await client.eval(`
			local sg = game:GetService("StarterGui")
			local _, unknown = pcall(sg.SetCore, sg, "NoSuchCore", true)
			local _, badConfig = pcall(sg.SetCore, sg, "SendNotification", { Title = "t" })
			return unknown, badConfig
		`);
		assert.match(String(unknown), /NoSuchCore has not been registered by the CoreScripts/);
		assert.match(String(badConfig), /Text is required/);
		assert.equal(client.notifications().length, 1);
		await assert.rejects(
			server.eval(`game:GetService("StarterGui"):SetCore("SendNotification", { Title = "a", Text = "b" })`),
			/SetCore can only be called from the client/,
		);
	});

	it("sees ReplicatedStorage (also what the server adds later) but not ServerScriptService, ServerStorage or secrets", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		await server.eval(`
			local f = Instance.new("Folder")
			f.Name = "Late"
			f:SetAttribute("n", 3)
			f.Parent = game:GetService("ReplicatedStorage")
			local hidden = Instance.new("Folder")
			hidden.Name = "Private"
			hidden.Parent = game:GetService("ServerStorage")
		`);
		await world.advance(1);
		const [late, sss, storage, isClient, secret, http, joinData] = await alice.client!.eval(`
			local rs = game:GetService("ReplicatedStorage")
			local late = rs:FindFirstChild("Late")
			local HttpService = game:GetService("HttpService")
			return late and late:GetAttribute("n"),
				#game:GetService("ServerScriptService"):GetDescendants(),
				#game:GetService("ServerStorage"):GetDescendants(),
				game:GetService("RunService"):IsClient() and not game:GetService("RunService"):IsServer(),
				select(2, pcall(HttpService.GetSecret, HttpService, "key")),
				select(2, pcall(HttpService.GetAsync, HttpService, "https://example.com")),
				select(2, pcall(function() return game:GetService("Players").LocalPlayer:GetJoinData() end))
		`);
		assert.equal(late, 3);
		assert.equal(sss, 0);
		assert.equal(storage, 0);
		assert.equal(isClient, true);
		assert.match(String(secret), /only be read by game server/);
		assert.match(String(http), /Http requests can only be executed by game server/);
		assert.match(String(joinData), /can only be called by game server/);
		// What the server removes disappears on the client too.
		await server.eval(`game:GetService("ReplicatedStorage").Late:Destroy()`);
		await world.advance(1);
		const [gone] = await alice.client!.eval(
			`return game:GetService("ReplicatedStorage"):FindFirstChild("Late") == nil`,
		);
		assert.equal(gone, true);
	});

	it("drops instances the client cannot see and functions from remote arguments", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		await world.advance(1); // the fixture's own echo has come and gone
		await alice.client!.eval(`
			game:GetService("ReplicatedStorage"):WaitForChild("Echo").OnClientEvent:Connect(function(a, b, c, d)
				_G.got = { typeof(a), typeof(b), typeof(c), d }
			end)
		`);
		await server.eval(`
			local echo = game:GetService("ReplicatedStorage").Echo
			local player = game:GetService("Players"):GetPlayerByUserId(1)
			echo:FireClient(player, game:GetService("ServerStorage").Hidden, function() end, game:GetService("ReplicatedStorage").Shared, Enum.HttpContentType.ApplicationJson == Enum.HttpContentType.ApplicationJson)
		`);
		await world.advance(1);
		const [got] = await alice.client!.eval(`return _G.got`);
		assert.deepEqual(got, ["nil", "nil", "Instance", true]);
	});
});

describe("remote events without a handler (RemoteEvent)", () => {
	it("are buffered until the first handler connects, then delivered in order", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		await server.eval(`
			local late = Instance.new("RemoteEvent")
			late.Name = "Late"
			late.Parent = game:GetService("ReplicatedStorage")
			task.wait(1)
			local player = game:GetService("Players"):GetPlayerByUserId(1)
			late:FireClient(player, 1)
			late:FireClient(player, 2)
		`);
		await world.advance(2);
		const [got] = await alice.client!.eval(`
			local got = {}
			game:GetService("ReplicatedStorage").Late.OnClientEvent:Connect(function(v) table.insert(got, v) end)
			task.wait(0.1)
			return got
		`);
		assert.deepEqual(got, [1, 2]);
	});

	it("past the buffer the rest are discarded with the documented error", async () => {
		const { world, server } = await clientsServer();
		const alice = server.players.join({ userId: 1, name: "alice", client: true });
		await alice.joined;
		await server.eval(`
			local late = Instance.new("RemoteEvent")
			late.Name = "Flood"
			late.Parent = game:GetService("ReplicatedStorage")
			task.wait(1)
			local player = game:GetService("Players"):GetPlayerByUserId(1)
			for i = 1, 300 do
				late:FireClient(player, i)
			end
		`);
		await world.advance(2);
		assert.ok(alice.client!.lines("error").some((l) => l.startsWith("Remote event invocation discarded")));
		const [count] = await alice.client!.eval(`
			local count = 0
			game:GetService("ReplicatedStorage").Flood.OnClientEvent:Connect(function() count += 1 end)
			task.wait(0.1)
			return count
		`);
		assert.equal(count, 256);
	});
});
