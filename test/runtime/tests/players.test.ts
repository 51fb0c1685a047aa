import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Server } from "..";
import { BASIC_PROJECT, basicServer, newWorld } from "./helpers";

const TRACK_PLAYERS = `
	local Players = game:GetService("Players")
	_G.log = {}
	Players.PlayerAdded:Connect(function(p)
		local data = p:GetJoinData()
		table.insert(_G.log, "added " .. p.Name .. " " .. p.UserId .. " " .. tostring(data.LaunchData) .. " " .. tostring(data.TeleportData and data.TeleportData.session) .. " " .. tostring(data.SourcePlaceId))
	end)
	Players.PlayerRemoving:Connect(function(p)
		table.insert(_G.log, "removing " .. p.Name .. " parent=" .. tostring(p.Parent) .. " count=" .. #Players:GetPlayers())
	end)
`;

/**
 * PlayerRemoving's log line: under immediate events the handler sees the player still in Players;
 * under deferred events (page "Deferred engine events": handlers of ancestry changes run after the
 * change) the player is already gone. The docs say no more about Players; the runtime takes the stricter.
 */
function removing(server: Server, name: string): string {
	return server.signalBehavior === "Immediate"
		? `removing ${name} parent=Players count=1`
		: `removing ${name} parent=nil count=0`;
}

describe("Players", () => {
	it("joins and removes players with their join data", async () => {
		const { world, server } = await basicServer();
		await server.eval(TRACK_PLAYERS);
		const alice = server.players.join({ userId: 1, name: "alice", launchData: "token-1" });
		await alice.joined;
		const [count, byId] = await server.eval(`
			local Players = game:GetService("Players")
			return #Players:GetPlayers(), Players:GetPlayerByUserId(1).Name
		`);
		assert.deepEqual([count, byId], [1, "alice"]);
		await server.players.leave(1);
		await world.runUntilIdle();
		const [log] = await server.eval(`return _G.log`);
		assert.deepEqual(log, ["added alice 1 token-1 nil nil", removing(server, "alice")]);
		assert.equal(alice.left, true);
	});

	it("records Kick messages and removes the player like the engine", async () => {
		const { world, server } = await basicServer();
		await server.eval(TRACK_PLAYERS);
		const bob = server.players.join({ userId: 2, name: "bob" });
		await server.eval(`game:GetService("Players"):GetPlayerByUserId(2):Kick("PlayWave session ended")`);
		await world.runUntilIdle();
		assert.equal(bob.kickMessage, "PlayWave session ended");
		assert.equal(bob.left, true);
		assert.equal(bob.leaveReason, "Kicked");
		const [log, count] = await server.eval(`return _G.log, #game:GetService("Players"):GetPlayers()`);
		assert.deepEqual(log, ["added bob 2 nil nil nil", removing(server, "bob")]);
		assert.equal(count, 0);
	});
});

describe("BindToClose", () => {
	it("runs callbacks concurrently and shuts the server down when they finish", async () => {
		const { world, server } = await basicServer();
		await server.eval(`
			game:BindToClose(function() task.wait(10) print("first done", os.clock()) end)
			game:BindToClose(function() task.wait(10) print("second done", os.clock()) end)
		`);
		const started = world.now;
		await server.close();
		assert.deepEqual(server.lines("print"), ["first done 10", "second done 10"]);
		assert.equal(world.now - started, 10);
		assert.equal(server.alive, false);
	});

	it("kills the server after 30 virtual seconds even if a callback still yields", async () => {
		const { world, server } = await basicServer();
		await server.eval(`
			game:BindToClose(function() task.wait(100) print("never") end)
			game:GetService("Players").PlayerRemoving:Connect(function(p) print("removing " .. p.Name) end)
		`);
		server.players.join({ userId: 3, name: "carol" });
		await server.close();
		assert.equal(world.now, 30);
		assert.equal(server.alive, false);
		assert.deepEqual(server.lines("print"), ["removing carol"]);
		await world.advance(200);
		assert.deepEqual(server.lines("print"), ["removing carol"]);
	});
});

describe("TeleportService", () => {
	const TELEPORT = `
		local TeleportService = game:GetService("TeleportService")
		local player = game:GetService("Players"):GetPlayerByUserId(7)
		local options = Instance.new("TeleportOptions")
		options:SetTeleportData({ session = "s-1" })
		return pcall(function() return TeleportService:TeleportAsync(2, { player }, options) end)
	`;

	it("moves a player to the world's server for the target place with its TeleportData", async () => {
		const world = await newWorld();
		const lobby = await world.createServer({ project: BASIC_PROJECT, placeId: 1 });
		const game = await world.createServer({ project: BASIC_PROJECT, placeId: 2 });
		await lobby.start();
		await game.start();
		await lobby.eval(TRACK_PLAYERS);
		await game.eval(TRACK_PLAYERS);
		lobby.players.join({ userId: 7, name: "dave" });
		const [ok] = await lobby.eval(TELEPORT);
		assert.equal(ok, true);
		await world.advance(2);
		assert.equal(lobby.teleports.calls.length, 1);
		assert.deepEqual(lobby.teleports.calls[0].teleportData, { session: "s-1" });
		assert.equal(lobby.players.get(7)?.leaveReason, "Teleport");
		const [lobbyLog] = await lobby.eval(`return _G.log`);
		const [gameLog] = await game.eval(`return _G.log`);
		assert.deepEqual(lobbyLog, ["added dave 7 nil nil nil", removing(lobby, "dave")]);
		assert.deepEqual(gameLog, ["added dave 7 nil s-1 1"]);
	});

	it("fails on demand: TeleportAsync throws, or TeleportInitFailed fires", async () => {
		const { world, server } = await basicServer({ placeId: 1 });
		server.players.join({ userId: 7, name: "dave" });
		server.teleports.failNext({ message: "Teleport failed: place is restricted" });
		const [ok, err] = await server.eval(TELEPORT);
		assert.deepEqual([ok, err], [false, "Teleport failed: place is restricted"]);
		server.teleports.failNext({ mode: "initFailed", result: "GameFull", message: "full" });
		await server.eval(`
			game:GetService("TeleportService").TeleportInitFailed:Connect(function(p, result, message, placeId)
				print("init failed", p.Name, result.Name, message, placeId)
			end)
		`);
		const [ok2] = await server.eval(TELEPORT);
		assert.equal(ok2, true);
		await world.advance(2);
		assert.deepEqual(server.lines("print"), ["init failed dave GameFull full 2"]);
		assert.equal(server.players.get(7)?.left, false);
	});
});

describe("RemoteEvent", () => {
	it("records server-to-client fires and delivers client-to-server fires", async () => {
		const { server } = await basicServer();
		await server.eval(`
			local remote = Instance.new("RemoteEvent")
			remote.Name = "Notices"
			remote.Parent = game:GetService("ReplicatedStorage")
			remote.OnServerEvent:Connect(function(player, kind, n)
				print("from client", player.Name, kind, n)
				remote:FireClient(player, { kind = "ack", n = n })
			end)
		`);
		server.players.join({ userId: 9, name: "erin" });
		await server.remotes.fireServer("ReplicatedStorage.Notices", 9, "ready", 3);
		await server.world.runUntilIdle();
		assert.deepEqual(server.lines("print"), ["from client erin ready 3"]);
		assert.deepEqual(
			server.remotes.firedTo(9).map((f) => [f.remote, f.args]),
			[["ReplicatedStorage.Notices", [{ kind: "ack", n: 3 }]]],
		);
	});
});
