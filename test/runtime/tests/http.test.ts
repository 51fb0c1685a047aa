import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HttpRequest } from "..";
import { basicServer } from "./helpers";

describe("HttpService requests", () => {
	it("routes RequestAsync to the test's handler and maps the response", async () => {
		const seen: HttpRequest[] = [];
		const { server } = await basicServer({
			http: (req) => {
				seen.push(req);
				return req.url.endsWith("/missing")
					? { status: 404, body: "nope" }
					: { status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } };
			},
		});
		const [ok, code, message, body, failedSuccess, failedCode] = await server.eval(`
			local H = game:GetService("HttpService")
			local r = H:RequestAsync({ Url = "https://api.test/v1/verify", Method = "POST", Headers = { ["Content-Type"] = "application/json" }, Body = "{}" })
			local f = H:RequestAsync({ Url = "https://api.test/missing" })
			return r.Success, r.StatusCode, r.StatusMessage, r.Body, f.Success, f.StatusCode
		`);
		assert.deepEqual(
			[ok, code, message, body, failedSuccess, failedCode],
			[true, 200, "OK", '{"ok":true}', false, 404],
		);
		assert.deepEqual(seen[0], {
			url: "https://api.test/v1/verify",
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: "{}",
		});
		assert.equal(seen[1].method, "GET");
	});

	it("throws the engine's errors for disabled HTTP and transport failures", async () => {
		const disabled = await basicServer({ httpEnabled: false, http: () => ({ status: 200 }) });
		await assert.rejects(
			disabled.server.eval(`game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })`),
			(e: Error) => e.message === "Http requests are not enabled. Enable via game settings",
		);
		let n = 0;
		const { server } = await basicServer({
			http: () => {
				n += 1;
				if (n === 1) return { error: "ConnectFail" };
				if (n === 3) return undefined as never;
				throw new Error("handler bug");
			},
		});
		await assert.rejects(
			server.eval(`game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })`),
			(e: Error) => e.message === "HttpError: ConnectFail",
		);
		await assert.rejects(
			server.eval(`game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })`),
			(e: Error) => e.message === "HttpError: ConnectFail",
		);
		await assert.rejects(
			server.eval(`game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })`),
			(e: Error) => e.message === "HttpError: ConnectFail",
		);
		assert.ok(server.lines("warning").some((w) => w.includes("handler bug")));
		assert.ok(server.lines("warning").some((w) => w.includes("handler returned undefined")));
	});

	it("keeps concurrent requests in flight together, with latency in virtual time", async () => {
		const { server } = await basicServer({
			http: async (req) => {
				await new Promise((resolve) => setTimeout(resolve, 5));
				return { status: 200, body: req.url, delay: 5 };
			},
		});
		const [a, b, at] = await server.eval(`
			local H = game:GetService("HttpService")
			local results = {}
			for i = 1, 2 do
				task.spawn(function()
					results[i] = H:RequestAsync({ Url = "https://x.test/" .. i }).Body
				end)
			end
			while not (results[1] and results[2]) do task.wait() end
			return results[1], results[2], os.clock()
		`);
		assert.equal(a, "https://x.test/1");
		assert.equal(b, "https://x.test/2");
		assert.ok((at as number) >= 5 && (at as number) < 5.1, `finished at ${at}`);
	});

	it("calls the handler at the request's virtual time", async () => {
		const times: number[] = [];
		const { world, server } = await basicServer({
			http: () => {
				times.push(world.now);
				return { status: 200 };
			},
		});
		await server.eval(`
			local H = game:GetService("HttpService")
			for i = 1, 3 do
				H:RequestAsync({ Url = "https://x.test" })
				task.wait(120)
			end
		`);
		assert.deepEqual(times, [0, 120, 240]);
	});

	it("enforces 500 requests per sliding minute with the engine's message", async () => {
		const { world, server } = await basicServer({ http: () => ({ status: 200 }) });
		const [sent, error] = await server.eval(`
			local H = game:GetService("HttpService")
			local sent = 0
			for i = 1, 500 do
				H:RequestAsync({ Url = "https://x.test" })
				sent += 1
			end
			local ok, err = pcall(H.RequestAsync, H, { Url = "https://x.test" })
			return sent, err
		`);
		assert.equal(sent, 500);
		assert.equal(error, "Number of requests exceeded limit");
		await world.advance(61);
		const [ok] = await server.eval(
			`return (game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })).Success`,
		);
		assert.equal(ok, true);
		const [stats] = await server.eval(`return game:GetService("HeadlessRuntime"):GetHttpStats()`);
		assert.deepEqual(stats, { sent: 501, rejected: 1 });
	});

	it("sends a Secret's value on the wire but never prints it", async () => {
		let authorization: string | undefined;
		const { server } = await basicServer({
			secrets: { playwave: "sk_live_123" },
			http: (req) => {
				authorization = req.headers.Authorization;
				return { status: 204 };
			},
		});
		const [text, kind] = await server.eval(`
			local H = game:GetService("HttpService")
			local secret = H:GetSecret("playwave")
			print(secret, tostring(secret))
			H:RequestAsync({ Url = "https://x.test", Headers = { Authorization = secret:AddPrefix("Bearer ") } })
			return tostring(secret), typeof(secret)
		`);
		assert.equal(authorization, "Bearer sk_live_123");
		assert.equal(text, "Secret");
		assert.equal(kind, "Secret");
		assert.ok(server.output.every((line) => !line.text.includes("sk_live")));
		await assert.rejects(server.eval(`game:GetService("HttpService"):GetSecret("nope")`), /Can't find secret/);
	});

	it("accepts a handler written in Luau", async () => {
		const { server } = await basicServer({
			http: {
				luau: `return function(req) task.wait(1) return { StatusCode = 201, Body = req.method .. " " .. req.url } end`,
			},
		});
		const [code, body, at] = await server.eval(`
			local r = game:GetService("HttpService"):RequestAsync({ Url = "https://x.test/a", Method = "PUT", Body = "x" })
			return r.StatusCode, r.Body, os.clock()
		`);
		assert.deepEqual([code, body, at], [201, "PUT https://x.test/a", 1]);
	});

	it("generates GUIDs and URL-encodes", async () => {
		const { server } = await basicServer();
		const [wrapped, bare, encoded] = await server.eval(`
			local H = game:GetService("HttpService")
			return H:GenerateGUID(), H:GenerateGUID(false), H:UrlEncode("a b&c/é")
		`);
		assert.match(wrapped as string, /^\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
		assert.match(bare as string, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
		assert.equal(encoded, "a%20b%26c%2F%C3%A9");
	});
});
