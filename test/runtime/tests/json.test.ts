import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

describe("HttpService JSON", () => {
	it("encodes tables with Roblox's rules", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local H = game:GetService("HttpService")
			return H:JSONEncode({ 1, 2, 3 }),
				H:JSONEncode({ b = 1, a = "x" }),
				H:JSONEncode({}),
				H:JSONEncode({ 1, 2, key = "ignored" }),
				H:JSONEncode({ [1] = 1, [3] = 3 }),
				H:JSONEncode({ 1.5, 10, -3, 0.1, 1e20, 2^53 }),
				H:JSONEncode({ s = "q\\"b\\\\n\\n\\t\\1" }),
				H:JSONEncode({ list = { { a = {} } } }),
				H:JSONEncode({ math.huge, -math.huge }),
				H:JSONEncode(true), H:JSONEncode("x"), H:JSONEncode(5)
		`);
		assert.deepEqual(results, [
			"[1,2,3]",
			'{"a":"x","b":1}',
			"[]",
			"[1,2]",
			"[1,null,3]",
			"[1.5,10,-3,0.1,1e+20,9007199254740992]",
			'{"s":"q\\"b\\\\n\\n\\t\\u0001"}',
			'{"list":[{"a":[]}]}',
			"[inf,-inf]",
			"true",
			'"x"',
			"5",
		]);
	});

	it("errors on cycles and values JSON cannot carry", async () => {
		const { server } = await basicServer();
		await assert.rejects(
			server.eval(`local t = {} t.self = t return game:GetService("HttpService"):JSONEncode(t)`),
			/cyclic/,
		);
		await assert.rejects(
			server.eval(`return game:GetService("HttpService"):JSONEncode({ f = function() end })`),
			/Cannot convert function to JSON/,
		);
	});

	it('decodes JSON and rejects invalid input with "Can\'t parse JSON"', async () => {
		const { server } = await basicServer();
		const [a, b, c, d, e] = await server.eval(`
			local H = game:GetService("HttpService")
			local v = H:JSONDecode('{"a":[1,null,3],"b":{"c":"\\\\u00e9\\\\n"},"d":-1.5e2,"e":true}')
			return v.a[1], v.a[3], v.b.c, v.d, v.e
		`);
		assert.deepEqual([a, b, c, d, e], [1, 3, "é\n", -150, true]);
		for (const bad of ["{", "[1,]", "{'a':1}", "nul", '"\\q"', "1 2", ""]) {
			await assert.rejects(
				server.eval(`return game:GetService("HttpService"):JSONDecode(${JSON.stringify(bad)})`),
				(error: Error) => error.message === "Can't parse JSON",
				bad,
			);
		}
	});

	it("round-trips nested data", async () => {
		const { server } = await basicServer();
		const [same] = await server.eval(`
			local H = game:GetService("HttpService")
			local s = H:JSONEncode({ user = { id = 12345, tags = { "a", "b" }, score = 0.25 }, ok = false })
			return H:JSONEncode(H:JSONDecode(s)) == s
		`);
		assert.equal(same, true);
	});
});
