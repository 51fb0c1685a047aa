// MemoryStoreService as the Roblox documentation describes it. Pages: "Memory stores" (limits and
// quotas, status codes), "Memory Store Hash Map", "Memory store sorted map", and the class pages
// MemoryStoreService, MemoryStoreHashMap, MemoryStoreSortedMap.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newWorld, placeServers, startServer } from "./helpers";

const HASH = `local map = game:GetService("MemoryStoreService"):GetHashMap("sessions")\n`;
const SORTED = `local map = game:GetService("MemoryStoreService"):GetSortedMap("board")\n`;

describe("MemoryStoreService hash maps (Memory Store Hash Map, MemoryStoreHashMap)", () => {
	it("shares data between the servers of one world, with JSON values and virtual latency", async () => {
		const [world, [a, b]] = await placeServers(2);
		const [ok, took] = await a.eval(`${HASH}
			local t = os.clock()
			local ok = map:SetAsync("user_1", { server = "s1", seats = { 3, 4 }, note = "x" }, 60)
			return ok, os.clock() - t`);
		assert.equal(ok, true);
		assert.equal(took, world.memoryStore.latency);
		const [server, seat, missing] = await b.eval(`${HASH}
			local v = map:GetAsync("user_1")
			return v.server, v.seats[2], map:GetAsync("nobody")`);
		assert.deepEqual([server, seat, missing], ["s1", 4, undefined]);
		assert.deepEqual(world.memoryStore.dump().hashMaps.sessions.user_1.value, {
			server: "s1",
			seats: [3, 4],
			note: "x",
		});
		await b.eval(`${HASH} map:RemoveAsync("user_1")`);
		const [gone] = await a.eval(`${HASH} return map:GetAsync("user_1")`);
		assert.equal(gone, undefined);
	});

	it("expires items on the virtual clock and checks the expiration range (max 3,888,000 s)", async () => {
		const [world, [a]] = await placeServers(1);
		await a.eval(`${HASH} map:SetAsync("k", "v", 30)`);
		await world.advance(29);
		assert.deepEqual(await a.eval(`${HASH} return map:GetAsync("k")`), ["v"]);
		await world.advance(1);
		assert.deepEqual(await a.eval(`${HASH} return map:GetAsync("k")`), [undefined]);
		for (const expiration of ["0", "3888001", "nil", "-5"]) {
			await assert.rejects(
				a.eval(`${HASH} map:SetAsync("k", 1, ${expiration})`),
				(e: Error) =>
					e.message === "InvalidExpirationTime: The field 'expiration' time must be between 0 and 3,888,000.",
			);
		}
		await a.eval(`${HASH} map:SetAsync("k", 1, 3888000)`);
	});

	it("rejects keys over 128 characters, values over 32 KB and values that are not JSON", async () => {
		const [, [a]] = await placeServers(1);
		await a.eval(`${HASH} map:SetAsync(string.rep("k", 128), 1, 60)`);
		await assert.rejects(a.eval(`${HASH} map:SetAsync(string.rep("k", 129), 1, 60)`), /InvalidRequest: The key/);
		await assert.rejects(a.eval(`${HASH} map:GetAsync("")`), /InvalidRequest: The key/);
		// 32 KB read as 32,000 bytes (the stricter reading): the JSON text of the value counts.
		await a.eval(`${HASH} map:SetAsync("big", string.rep("x", 31998), 60)`);
		await assert.rejects(
			a.eval(`${HASH} map:SetAsync("big", string.rep("x", 31999), 60)`),
			(e: Error) => e.message === "ItemValueSizeTooLarge: Value size exceeds limit (32KB).",
		);
		for (const value of ["function() end", "nil", "game", "(function() local t = {} t.t = t return t end)()"]) {
			await assert.rejects(
				a.eval(`${HASH} map:SetAsync("bad", ${value}, 60)`),
				(e: Error) => e.message === "InvalidRequest: Unable to convert value to json.",
			);
		}
		await assert.rejects(a.eval(`${HASH} map:GetAsync(5)`), /Unable to cast number to string/);
	});

	it("lists items in pages (ListItemsAsync, MemoryStoreHashMapPages)", async () => {
		const [, [a]] = await placeServers(1);
		const [pages, total, error] = await a.eval(`${HASH}
			for i = 1, 5 do map:SetAsync("k" .. i, i, 60) end
			local pages = map:ListItemsAsync(2)
			local seen, count = {}, 0
			while true do
				table.insert(seen, #pages:GetCurrentPage())
				for _, entry in pages:GetCurrentPage() do count += entry.value end
				if pages.IsFinished then break end
				pages:AdvanceToNextPageAsync()
			end
			local ok, err = pcall(map.ListItemsAsync, map, 201)
			return table.concat(seen, ","), count, err`);
		assert.equal(pages, "2,2,1");
		assert.equal(total, 15);
		assert.match(String(error), /InvalidRequest/);
	});
});

describe("MemoryStore UpdateAsync (MemoryStoreHashMap:UpdateAsync, MemoryStoreSortedMap:UpdateAsync)", () => {
	it("transforms the latest value atomically across servers; returning nil cancels", async () => {
		const [world, [a, b]] = await placeServers(2);
		const bump = `${HASH}
			local done = 0
			for i = 1, 10 do
				task.spawn(function()
					map:UpdateAsync("count", function(old) return (old or 0) + 1 end, 60)
					done += 1
				end)
			end
			while done < 10 do task.wait() end`;
		world.memoryStore.maxUpdateAttempts = 100;
		await Promise.all([a.eval(bump), b.eval(bump)]);
		assert.deepEqual(await a.eval(`${HASH} return map:GetAsync("count")`), [20]);
		assert.ok(
			world.memoryStore.calls.some((c) => c.outcome === "conflict"),
			"concurrent updates conflicted and retried",
		);
		const [result, after] = await a.eval(`${HASH}
			local r = map:UpdateAsync("count", function(old) return nil end, 60)
			return r, map:GetAsync("count")`);
		assert.equal(result, undefined);
		assert.equal(after, 20);
		const cancelled = world.memoryStore.calls.at(-2)!;
		assert.deepEqual([cancelled.api, cancelled.phase, cancelled.outcome], ["HashMap.Update", "read", "ok"]);
		const [fresh] = await a.eval(
			`${HASH} return map:UpdateAsync("new", function(old) return if old == nil then "was nil" else "?" end, 60)`,
		);
		assert.equal(fresh, "was nil");
	});

	it("fails with UpdateConflict after its retries, and when the transform errors or yields", async () => {
		const [world, [a, b]] = await placeServers(2);
		world.memoryStore.maxUpdateAttempts = 3;
		// Eight writers on b, a frame apart, rewrite the key every frame: each of a's attempts (read
		// at half the latency, write at the full latency) sees the value change in between and loses.
		await b.eval(`${HASH}
			for w = 1, 8 do
				task.delay(w / 60, function() for i = 1, 100 do map:SetAsync("hot", i, 60) task.wait() end end)
			end`);
		await assert.rejects(
			a.eval(`${HASH} map:UpdateAsync("hot", function(old) return (old or 0) + 1000 end, 60)`),
			(e: Error) => e.message === "UpdateConflict: Exceeded max number of retries.",
		);
		await assert.rejects(
			a.eval(`${HASH} map:UpdateAsync("k", function() error("boom") end, 60)`),
			/TransformCallbackFailed: Failed to invoke transformation callback function\. .*boom/,
		);
		await assert.rejects(
			a.eval(`${HASH} map:UpdateAsync("k", function() task.wait(1) return 1 end, 60)`),
			/TransformCallbackFailed/,
		);
		assert.deepEqual(await a.eval(`${HASH} return map:GetAsync("k")`), [undefined]);
	});
});

describe("MemoryStoreService sorted maps (Memory store sorted map, MemoryStoreSortedMap)", () => {
	it("orders numeric sort keys, then string sort keys, then no sort key; ties by key", async () => {
		const [, [a]] = await placeServers(1);
		const [asc, desc, value, sortKey] = await a.eval(`${SORTED}
			map:SetAsync("player7", 8, 60)
			map:SetAsync("player0", 7, 60)
			map:SetAsync("player6", 6, 60, "someString")
			map:SetAsync("player3", 5, 60, 3.14)
			map:SetAsync("player5", 4, 60, 1)
			map:SetAsync("player4", 3, 60, 1)
			map:SetAsync("player2", 2, 60, 0)
			map:SetAsync("player1", 1, 60, -1)
			local function keys(items) local out = {} for _, it in items do table.insert(out, it.key) end return table.concat(out, " ") end
			local v, s = map:GetAsync("player3")
			return keys(map:GetRangeAsync(Enum.SortDirection.Ascending, 200)),
				keys(map:GetRangeAsync(Enum.SortDirection.Descending, 3)), v, s`);
		assert.equal(asc, "player1 player2 player4 player5 player3 player6 player0 player7");
		assert.equal(desc, "player7 player0 player6");
		assert.deepEqual([value, sortKey], [5, 3.14]);
	});

	it("pages with exclusive bounds and updates value and sort key together", async () => {
		const [, [a]] = await placeServers(1);
		const [page1, page2, bounded, newValue, newSort, stored] = await a.eval(`${SORTED}
			for i = 1, 5 do map:SetAsync("p" .. i, i * 10, 60, i * 100) end
			local function keys(items) local out = {} for _, it in items do table.insert(out, it.key) end return table.concat(out, " ") end
			local first = map:GetRangeAsync(Enum.SortDirection.Ascending, 2)
			local last = first[#first]
			local second = map:GetRangeAsync(Enum.SortDirection.Ascending, 2, { key = last.key, sortKey = last.sortKey })
			local mid = map:GetRangeAsync(Enum.SortDirection.Ascending, 10, { sortKey = 100 }, { sortKey = 500 })
			local v, s = map:UpdateAsync("p1", function(value, sortKey) return value + 1, sortKey + 1000 end, 60)
			local _, storedSort = map:GetAsync("p1")
			return keys(first), keys(second), keys(mid), v, s, storedSort`);
		assert.deepEqual([page1, page2, bounded], ["p1 p2", "p3 p4", "p2 p3 p4"]);
		assert.deepEqual([newValue, newSort, stored], [11, 1100, 1100]);
		await assert.rejects(
			a.eval(`${SORTED} map:SetAsync("x", 1, 60, { 1 })`),
			(e: Error) => e.message === "InvalidRequest: Unable to convert sortKey to a valid number or string.",
		);
		await assert.rejects(
			a.eval(`${SORTED} map:GetRangeAsync("Ascending", 5)`),
			/Unable to cast string to SortDirection/,
		);
		await assert.rejects(
			a.eval(`${SORTED} map:GetRangeAsync(Enum.SortDirection.Ascending, 201)`),
			/InvalidRequest/,
		);
	});
});

describe("MemoryStoreQueue (MemoryStoreQueue, MemoryStoreService:GetQueue)", () => {
	const QUEUE = (timeout = "") =>
		`local queue = game:GetService("MemoryStoreService"):GetQueue("matchmaking"${timeout})\n`;

	it("reads by priority then order of addition; read items stay invisible until removed or timed out", async () => {
		const [world, [a, b]] = await placeServers(2);
		const [first, id, size, visible] = await a.eval(`${QUEUE(", 10")}
			queue:AddAsync("low", 60)
			queue:AddAsync("high", 60, 5)
			queue:AddAsync("low2", 60)
			local items, id = queue:ReadAsync(2)
			return table.concat(items, ","), id, queue:GetSizeAsync(), queue:GetSizeAsync(true)`);
		assert.deepEqual([first, size, visible], ["high,low", 3, 1]);
		// Another server sees only the visible item.
		assert.deepEqual(await b.eval(`${QUEUE()} return table.concat(queue:ReadAsync(5, false, 0), ",")`), ["low2"]);
		// After the 10 s invisibility timeout, unremoved items come back and removing by the old id does nothing.
		await world.advance(10);
		await a.eval(`${QUEUE()} queue:RemoveAsync("${String(id)}")`);
		assert.deepEqual(world.memoryStore.dump().queues.matchmaking.length, 3);
		const [again, again2] = await a.eval(`${QUEUE()}
			local items, id = queue:ReadAsync(2)
			queue:RemoveAsync(id)
			return table.concat(items, ","), queue:GetSizeAsync()`);
		assert.deepEqual([again, again2], ["high,low", 1]);
	});

	it("waits for items, polling every two seconds, up to waitTimeout; allOrNothing", async () => {
		const [world, [a, b]] = await placeServers(2);
		world.memoryStore.latency = 0;
		const [none, waited] = await a.eval(`${QUEUE()}
			local t = os.clock()
			local items = queue:ReadAsync(1, false, 5)
			return #items, os.clock() - t`);
		assert.deepEqual([none, waited], [0, 4]);
		const [partial] = await a.eval(`${QUEUE()} queue:AddAsync(1, 60) return #queue:ReadAsync(3, true, 0)`);
		assert.equal(partial, 0);
		await b.eval(`task.delay(7, function() ${QUEUE()} queue:AddAsync("late", 60) end)`);
		const [late, at] = await a.eval(`${QUEUE()}
			local t = os.clock()
			local items = queue:ReadAsync(2, true)
			return table.concat(items, ","), os.clock() - t`);
		assert.equal(late, "1,late");
		assert.equal(at, 8);
	});
});

describe("MemoryStore quotas (Memory stores: Limits and quotas)", () => {
	it("limits memory to 64 KB + 1.2 KB per user; shrinking writes and removals still succeed", async () => {
		// Two servers of one experience: the first closes itself once its players have all left (ServerEmpty).
		const [world, [a, b]] = await placeServers(2);
		// Each item: key "kNN" (3 bytes) + a 9,995-byte JSON string = 9,998 bytes; six fit in 64,000.
		const fill = `${HASH}
			local stored = 0
			for i = 10, 30 do
				local ok, err = pcall(map.SetAsync, map, "k" .. i, string.rep("x", 9993), 600)
				if not ok then return stored, err end
				stored += 1
			end
			return stored`;
		const [stored, error] = await a.eval(fill);
		assert.equal(stored, 6);
		assert.equal(error, "TotalMemoryOverLimit: Exceeds universe-level memory quota.");
		await a.eval(`${HASH} map:SetAsync("k10", "small", 600) map:RemoveAsync("k11")`);
		assert.equal(world.memoryStore.dump().quota.memoryBytes, 64_000);
		// Ten users add 12,000 bytes of quota, which stays for eight days after they leave.
		for (let i = 1; i <= 10; i++) a.players.join({ userId: i });
		await world.advance(0);
		assert.equal(world.memoryStore.dump().quota.memoryBytes, 76_000);
		for (let i = 1; i <= 10; i++) await a.players.leave(i);
		await world.runUntilIdle();
		assert.equal(a.alive, false, "the emptied server closed itself");
		await b.eval(`${HASH} map:GetAsync("k10")`);
		await world.advance(7 * 86400);
		assert.equal(world.memoryStore.dump().quota.memoryBytes, 76_000);
		await world.advance(86400 + 1);
		assert.equal(world.memoryStore.dump().quota.memoryBytes, 64_000);
	});

	it("throttles past 1000 + 120 × users request units per minute, across servers", async () => {
		const [world, [a, b]] = await placeServers(2);
		world.memoryStore.latency = 0;
		const burst = (n: number) => `${HASH}
			local ok = 0
			for i = 1, ${n} do
				local success, err = pcall(map.GetAsync, map, "k")
				if not success then return ok, err end
				ok += 1
			end
			return ok`;
		assert.deepEqual(await a.eval(burst(600)), [600]);
		const [ok, error] = await b.eval(burst(600));
		assert.equal(ok, 400);
		assert.equal(error, "RequestThrottled: Recent MemoryStores requests hit one or more limits.");
		await world.advance(60);
		// Two users: 1240 units a minute; UpdateAsync costs at least two.
		a.players.join({ userId: 1 });
		b.players.join({ userId: 2 });
		await world.advance(0);
		assert.deepEqual(await a.eval(burst(1240)), [1240]);
		await assert.rejects(b.eval(`${HASH} map:UpdateAsync("k", function() return 1 end, 60)`), /RequestThrottled/);
		await world.advance(60);
		const [range] = await a.eval(`
			local map = game:GetService("MemoryStoreService"):GetSortedMap("s")
			for i = 1, 50 do map:SetAsync("k" .. i, i, 60) end
			return #map:GetRangeAsync(Enum.SortDirection.Ascending, 40)`);
		assert.equal(range, 40);
		// 50 writes + 40 returned items.
		assert.equal(world.memoryStore.dump().requestUnitsLastMinute, 90);
	});
});

describe("MemoryStore test controls (runtime README: MemoryStoreService)", () => {
	it("injects failures by time, count, API and name, and quotas", async () => {
		const [world, [a]] = await placeServers(1);
		const failure = world.memoryStore.fail({ until: 10, error: "InternalError: Internal error." });
		await assert.rejects(
			a.eval(`${HASH} map:GetAsync("k")`),
			(e: Error) => e.message === "InternalError: Internal error.",
		);
		await world.advance(10);
		await a.eval(`${HASH} map:SetAsync("k", 1, 60)`);
		failure.cancel();
		world.memoryStore.fail({ count: 1, api: "HashMap.Set", name: "sessions", error: "InternalError: busy" });
		assert.deepEqual(await a.eval(`${HASH} return map:GetAsync("k")`), [1]);
		await assert.rejects(a.eval(`${HASH} map:SetAsync("k", 2, 60)`), /InternalError: busy/);
		await a.eval(`${HASH} map:SetAsync("k", 3, 60)`);
		assert.equal(world.memoryStore.hashMap("sessions").get("k")?.value, 3);

		world.memoryStore.setQuota({ requestUnitsPerMinute: 0 });
		await assert.rejects(a.eval(`${HASH} map:GetAsync("k")`), /RequestThrottled/);
		world.memoryStore.setQuota({ memoryBytes: 10 });
		await assert.rejects(a.eval(`${HASH} map:SetAsync("other", 1234567, 60)`), /TotalMemoryOverLimit/);
		world.memoryStore.setQuota();
		await a.eval(`${HASH} map:SetAsync("other", 1234567, 60)`);

		world.memoryStore.sortedMap("board").set("seeded", { a: 1 }, 5, 42);
		assert.deepEqual(await a.eval(`${SORTED} local v, s = map:GetAsync("seeded") return v.a, s`), [1, 42]);
		const calls = world.memoryStore.calls.filter((c) => c.api === "HashMap.Set");
		assert.deepEqual(
			calls.map((c) => c.outcome),
			["ok", "InternalError: busy", "ok", "TotalMemoryOverLimit: Exceeds universe-level memory quota.", "ok"],
		);
		assert.equal(calls[0].server, "s1");
	});

	it("needs a published place, and keeps Studio and other experiences' data apart", async () => {
		const world = await newWorld();
		const unpublished = await startServer(world);
		await assert.rejects(
			unpublished.eval(`${HASH} map:GetAsync("k")`),
			(e: Error) => e.message === "UnpublishedPlace: You must publish this place to use MemoryStoreService.",
		);
		const live = await startServer(world, { placeId: 1, gameId: 7 });
		const studio = await startServer(world, { placeId: 1, gameId: 7, studio: true });
		const other = await startServer(world, { placeId: 2, gameId: 8 });
		await live.eval(`${HASH} map:SetAsync("k", "live", 60)`);
		assert.deepEqual(await studio.eval(`${HASH} return map:GetAsync("k")`), [undefined]);
		assert.deepEqual(await other.eval(`${HASH} return map:GetAsync("k")`), [undefined]);
		assert.equal(world.memoryStore.dump({ gameId: 7 }).hashMaps.sessions.k.value, "live");
		await assert.rejects(
			live.eval(`game:GetService("MemoryStoreService"):GetHashMap(string.rep("n", 129))`),
			/InvalidRequest: The data structure name/,
		);
	});
});
