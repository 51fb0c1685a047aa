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

// Roblox pages followed: "Players" (PlayerAdded/PlayerRemoving), "Player" (GetJoinData, Kick),
// "PlayerExitReason", "DataModel" (BindToClose), "CloseReason", "TeleportService", "teleport.md".

/**
 * PlayerRemoving's log line: under immediate events the handler sees the player still in Players;
 * under deferred events (page "Deferred engine events": handlers of ancestry changes run after the
 * change) the player is already gone. The docs say no more about Players; the runtime takes the stricter.
 * `count` is the number of players Players holds while the player is still in it.
 */
function removing(server: Server, name: string, count: number): string {
	return server.signalBehavior === "Immediate"
		? `removing ${name} parent=Players count=${count}`
		: `removing ${name} parent=nil count=${count - 1}`;
}

/** The number of players a PlayerRemoving handler counts (see `removing`). */
function countInRemoving(server: Server, count: number): number {
	return server.signalBehavior === "Immediate" ? count : count - 1;
}

describe("Players", () => {
	it("joins and removes players with their join data", async () => {
		const { world, server } = await basicServer();
		await server.eval(TRACK_PLAYERS);
		const alice = server.players.join({ userId: 1, name: "alice", launchData: "token-1" });
		server.players.join({ userId: 2, name: "bob" });
		await alice.joined;
		const [count, byId] = await server.eval(`
			local Players = game:GetService("Players")
			return #Players:GetPlayers(), Players:GetPlayerByUserId(1).Name
		`);
		assert.deepEqual([count, byId], [2, "alice"]);
		await server.players.leave(1);
		await world.runUntilIdle();
		const [log] = await server.eval(`return _G.log`);
		assert.deepEqual(log, [
			"added alice 1 token-1 nil nil",
			"added bob 2 nil nil nil",
			removing(server, "alice", 2),
		]);
		assert.equal(alice.left, true);
		assert.equal(alice.leaveReason, "Unknown");
		assert.equal(alice.leaveCause, "left");
	});

	it("records Kick messages, counts repeated kicks, and removes the player with CreatorKick", async () => {
		// Roblox page "PlayerExitReason": CreatorKick means the creator called Player:Kick().
		const { world, server } = await basicServer();
		server.players.join({ userId: 1, name: "stays" });
		await server.eval(`
			game:GetService("Players").PlayerRemoving:Connect(function(p, reason)
				print("removing", p.Name, tostring(reason), #game:GetService("Players"):GetPlayers())
			end)
		`);
		const bob = server.players.join({ userId: 2, name: "bob" });
		await server.eval(`
			local p = game:GetService("Players"):GetPlayerByUserId(2)
			p:Kick("PlayWave session ended")
			p:Kick("second")
		`);
		await world.runUntilIdle();
		assert.equal(bob.kickMessage, "PlayWave session ended");
		assert.deepEqual(
			bob.kicks.map((k) => k.message),
			["PlayWave session ended", "second"],
		);
		assert.equal(bob.left, true);
		assert.equal(bob.leaveReason, "CreatorKick");
		assert.deepEqual(server.lines("print"), [
			`removing bob Enum.PlayerExitReason.CreatorKick ${countInRemoving(server, 2)}`,
		]);
	});

	it("has only the documented PlayerExitReason and CloseReason items", async () => {
		const { server } = await basicServer();
		const [exit, close, bad] = await server.eval(`
			local function names(enum)
				local out = {}
				for _, item in enum:GetEnumItems() do table.insert(out, item.Name .. "=" .. item.Value) end
				return table.concat(out, ",")
			end
			return names(Enum.PlayerExitReason), names(Enum.CloseReason), select(2, pcall(function() return Enum.PlayerExitReason.Kicked end))
		`);
		assert.equal(exit, "Unknown=0,PlatformKick=1,CreatorKick=2");
		assert.equal(
			close,
			"Unknown=0,RobloxMaintenance=1,DeveloperShutdown=2,DeveloperUpdate=3,ServerEmpty=4,OutOfMemory=5",
		);
		assert.match(String(bad), /Kicked is not a valid member of "Enum.PlayerExitReason"/);
		assert.throws(() => server.players.leave(1, "Kicked" as never), /not an Enum.PlayerExitReason item/);
	});

	it("keeps one record per Player: a rejoin does not overwrite the earlier player's", async () => {
		const { world, server } = await basicServer();
		server.players.join({ userId: 1, name: "anchor" });
		const first = server.players.join({ userId: 5, name: "eve" });
		await server.eval(`game:GetService("Players"):GetPlayerByUserId(5):Kick("bye")`);
		await world.runUntilIdle();
		const second = server.players.join({ userId: 5, name: "eve" });
		await second.joined;
		assert.notEqual(first, second);
		assert.deepEqual(server.players.all(5), [first, second]);
		assert.equal(server.players.get(5), second);
		assert.deepEqual([first.kicked, first.left, first.leaveReason], [true, true, "CreatorKick"]);
		assert.deepEqual([second.kicked, second.left, second.leaveReason], [false, false, undefined]);
	});

	it("delivers join data as GetJoinData documents it", async () => {
		// Roblox page "Player" (GetJoinData): LaunchData is a string; SourcePlaceId, SourceGameId and
		// TeleportData only after a server teleport; Members only for a group teleport.
		const { server } = await basicServer();
		server.players.join({ userId: 1, launchData: { pc: 7 } as never });
		server.players.join({ userId: 2, teleportData: { a: 1 }, sourcePlaceId: 10, sourceGameId: 20 });
		server.players.join({ userId: 3, teleportData: "x", sourcePlaceId: 10, sourceGameId: 20, members: [3, 4] });
		const [one, two, three] = await server.eval(`
			local P = game:GetService("Players")
			local function keys(id)
				local d = P:GetPlayerByUserId(id):GetJoinData()
				local out = {}
				for k, v in d do
					table.insert(out, k .. "=" .. (if type(v) == "table" then game:GetService("HttpService"):JSONEncode(v) else tostring(v)))
				end
				table.sort(out)
				return table.concat(out, " ")
			end
			return keys(1), keys(2), keys(3)
		`);
		assert.equal(one, 'LaunchData={"pc":7}');
		assert.equal(two, 'SourceGameId=20 SourcePlaceId=10 TeleportData={"a":1}');
		assert.equal(three, "Members=[3,4] SourceGameId=20 SourcePlaceId=10 TeleportData=x");
	});

	it("delivers no LaunchData in a Studio play-test", async () => {
		const { server } = await basicServer({ studio: true });
		server.players.join({ userId: 1, launchData: "playwave_abc" });
		const [launch] = await server.eval(
			`return game:GetService("Players"):GetPlayerByUserId(1):GetJoinData().LaunchData`,
		);
		assert.equal(launch, undefined);
	});
});

describe("BindToClose", () => {
	const TRACE = `
		local Players = game:GetService("Players")
		Players.PlayerRemoving:Connect(function(p) print("removing " .. p.Name .. " players=" .. #Players:GetPlayers()) end)
		game:BindToClose(function(reason)
			print("close " .. tostring(reason) .. " players=" .. #Players:GetPlayers())
			task.wait(2)
			print("close done")
		end)
	`;

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
		assert.equal(server.closeReason, "ServerEmpty");
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

	it("closes a server that empties: the last PlayerRemoving, then BindToClose with ServerEmpty", async () => {
		// Roblox page "CloseReason": ServerEmpty, "The last player has left".
		const { world, server } = await basicServer();
		await server.eval(TRACE);
		const dan = server.players.join({ userId: 4, name: "dan" });
		await dan.joined;
		await server.players.leave(4);
		await world.runUntilIdle();
		assert.deepEqual(server.lines("print"), [
			`removing dan players=${countInRemoving(server, 1)}`,
			"close Enum.CloseReason.ServerEmpty players=0",
			"close done",
		]);
		assert.equal(server.closeReason, "ServerEmpty");
		assert.equal(server.alive, false);
		assert.throws(() => server.players.join({ userId: 5 }), /shutting down/);
	});

	for (const reason of ["DeveloperUpdate", "DeveloperShutdown", "RobloxMaintenance"] as const) {
		it(`runs the callbacks with the players still present for ${reason}, then removes them`, async () => {
			const { server } = await basicServer();
			await server.eval(TRACE);
			server.players.join({ userId: 4, name: "dan" });
			await server.close({ reason });
			assert.deepEqual(server.lines("print"), [
				`close Enum.CloseReason.${reason} players=1`,
				"close done",
				`removing dan players=${countInRemoving(server, 1)}`,
			]);
			assert.equal(server.players.get(4)?.leaveCause, "shutdown");
		});
	}

	it("lets a soft shutdown teleport players out before the server closes", async () => {
		const world = await newWorld();
		const old = await world.createServer({ project: BASIC_PROJECT, placeId: 1 });
		const fresh = await world.createServer({ project: BASIC_PROJECT, placeId: 1 });
		await old.start();
		await fresh.start();
		await old.eval(`
			game:BindToClose(function(reason)
				if reason ~= Enum.CloseReason.DeveloperUpdate then return end
				local TS = game:GetService("TeleportService")
				TS:TeleportAsync(game.PlaceId, game:GetService("Players"):GetPlayers())
				task.wait(5)
			end)
		`);
		old.players.join({ userId: 8, name: "fay" });
		old.players.join({ userId: 9, name: "gus" });
		old.teleports.route = () => fresh;
		await old.close({ reason: "DeveloperUpdate" });
		assert.deepEqual(
			[old.players.get(8)?.leaveCause, old.players.get(9)?.leaveCause],
			["teleported", "teleported"],
		);
		const [members] = await fresh.eval(
			`return game:GetService("Players"):GetPlayerByUserId(8):GetJoinData().Members`,
		);
		assert.deepEqual(members, [8, 9]);
	});

	it("closes with DeveloperShutdown by default while players are present", async () => {
		const { server } = await basicServer();
		await server.eval(TRACE);
		server.players.join({ userId: 4, name: "dan" });
		await server.close();
		assert.equal(server.closeReason, "DeveloperShutdown");
		assert.equal(server.lines("print")[0], "close Enum.CloseReason.DeveloperShutdown players=1");
		assert.equal(server.players.get(4)?.leaveReason, "Unknown");
	});

	it("closes an emptied Studio play-test with DeveloperShutdown", async () => {
		const { world, server } = await basicServer({ studio: true });
		await server.eval(TRACE);
		server.players.join({ userId: 4, name: "dan" });
		await server.players.leave(4);
		await world.runUntilIdle();
		assert.deepEqual(server.lines("print").slice(0, 2), [
			`removing dan players=${countInRemoving(server, 1)}`,
			"close Enum.CloseReason.DeveloperShutdown players=0",
		]);
	});

	it("closes a Studio play-test with DeveloperShutdown only", async () => {
		// Roblox page "CloseReason": DeveloperShutdown is always passed in Studio.
		const { server } = await basicServer({ studio: true });
		await server.eval(TRACE);
		await assert.rejects(server.close({ reason: "DeveloperUpdate" }), /always closes with DeveloperShutdown/);
		await server.close();
		assert.equal(server.lines("print")[0], "close Enum.CloseReason.DeveloperShutdown players=0");
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
		const lobby = await world.createServer({ project: BASIC_PROJECT, placeId: 1, gameId: 50 });
		const game = await world.createServer({ project: BASIC_PROJECT, placeId: 2, gameId: 50 });
		await lobby.start();
		await game.start();
		await lobby.eval(TRACK_PLAYERS);
		await game.eval(TRACK_PLAYERS);
		lobby.players.join({ userId: 1, name: "anchor" });
		lobby.players.join({ userId: 7, name: "dave" });
		const [ok] = await lobby.eval(TELEPORT);
		assert.equal(ok, true);
		await world.advance(2);
		assert.equal(lobby.teleports.calls.length, 1);
		assert.deepEqual(lobby.teleports.calls[0].teleportData, { session: "s-1" });
		assert.equal(lobby.players.get(7)?.leaveReason, "Unknown");
		assert.equal(lobby.players.get(7)?.leaveCause, "teleported");
		const [lobbyLog] = await lobby.eval(`return _G.log`);
		const [gameLog, source, members] = await game.eval(`
			local d = game:GetService("Players"):GetPlayerByUserId(7):GetJoinData()
			return _G.log, d.SourceGameId, d.Members
		`);
		assert.deepEqual(lobbyLog, [
			"added anchor 1 nil nil nil",
			"added dave 7 nil nil nil",
			removing(lobby, "dave", 2),
		]);
		assert.deepEqual(gameLog, ["added dave 7 nil s-1 1"]);
		assert.equal(source, 50);
		assert.equal(members, undefined, "Members only for a group teleport");
	});

	it("fails on demand: TeleportAsync throws, or TeleportInitFailed fires with new retry options", async () => {
		const { world, server } = await basicServer({ placeId: 1 });
		server.players.join({ userId: 7, name: "dave" });
		server.teleports.failNext({ message: "Teleport failed: place is restricted" });
		const [ok, err] = await server.eval(TELEPORT);
		assert.deepEqual([ok, err], [false, "Teleport failed: place is restricted"]);
		server.teleports.failNext({ mode: "initFailed", result: "GameFull", message: "full" });
		await server.eval(`
			game:GetService("TeleportService").TeleportInitFailed:Connect(function(p, result, message, placeId, options)
				print("init failed", p.Name, result.Name, message, placeId, options.ClassName, options:GetTeleportData().session, options.ShouldReserveServer, options == _G.original)
			end)
		`);
		const [ok2] = await server.eval(
			TELEPORT.replace("options:SetTeleportData", "_G.original = options options:SetTeleportData"),
		);
		assert.equal(ok2, true);
		await world.advance(2);
		assert.deepEqual(server.lines("print"), ["init failed dave GameFull full 2 TeleportOptions s-1 false false"]);
		assert.equal(server.players.get(7)?.left, false);
	});

	it("does not teleport from a Studio play-test", async () => {
		// Roblox page "TeleportService" (Studio Limitation): teleports do not work in Studio play-tests.
		const { server } = await basicServer({ studio: true, placeId: 1 });
		server.players.join({ userId: 7, name: "dave" });
		const [ok, err] = await server.eval(TELEPORT);
		assert.equal(ok, false);
		assert.match(String(err), /not supported in Studio/);
		assert.equal(server.teleports.calls.length, 0);
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
