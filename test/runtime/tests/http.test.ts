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
		// The "Secrets stores" guide: a secret prints as Secret(name).
		assert.equal(text, "Secret(playwave)");
		assert.equal(kind, "Secret");
		assert.ok(server.output.every((line) => !line.text.includes("sk_live")));
		await assert.rejects(
			server.eval(`game:GetService("HttpService"):GetSecret("nope")`),
			(e: Error) => e.message === "Can't find secret with given key",
		);
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

	// Roblox page "HttpError" (item names) and "HttpService" (RequestAsync error cases).
	it("raises the engine's HttpError texts for the failure a handler names", async () => {
		const names = ["DnsResolve", "ConnectFail", "TimedOut", "SslConnectFail", "NetFail"] as const;
		let i = 0;
		const { server } = await basicServer({ http: () => ({ error: names[i++], delay: 1 }) });
		const [texts] = await server.eval(`
			local out = {}
			for i = 1, 5 do
				local ok, err = pcall(function() return game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" }) end)
				table.insert(out, err)
			end
			return out
		`);
		assert.deepEqual(texts, [
			"HttpError: DnsResolve",
			"HttpError: ConnectFail",
			"HttpError: Timedout",
			"HttpError: SslConnectFail",
			"HttpError: NetFail",
		]);
	});

	it("refuses a failure asked for by text instead of Enum.HttpError name", async () => {
		const { server } = await basicServer({ http: () => ({ error: "Timedout" as never }) });
		await assert.rejects(
			server.eval(`game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })`),
			(e: Error) => e.message === "HttpError: ConnectFail",
		);
		assert.ok(server.lines("warning").some((w) => w.includes("not an Enum.HttpError item")));
	});

	it("times out a request nobody answers after the engine's 30 s, or the request's Timeout", async () => {
		// Roblox page "HttpService" (RequestAsync Timeout: "no greater than the default request timeout").
		const { server } = await basicServer({ http: () => new Promise(() => {}), httpHandlerRealTimeoutMs: 50 });
		const [err, at, err2, at2, bad] = await server.eval(`
			local H = game:GetService("HttpService")
			local ok, err = pcall(H.RequestAsync, H, { Url = "https://x.test" })
			local at = os.clock()
			local ok2, err2 = pcall(H.RequestAsync, H, { Url = "https://x.test", Timeout = 5 })
			local ok3, bad = pcall(H.RequestAsync, H, { Url = "https://x.test", Timeout = 31 })
			return err, at, err2, os.clock() - at, bad
		`);
		assert.deepEqual([err, at, err2, at2], ["HttpError: Timedout", 30, "HttpError: Timedout", 5]);
		assert.match(String(bad), /Timeout must be greater than 0 and at most 30/);
	});

	it("takes another engine timeout from httpTimeoutSec: a 60 s reply arrives, a 100 s one times out", async () => {
		// The default's value is undocumented (Roblox page "HttpService"); the option models an engine
		// that waits longer. It also bounds RequestAsync's Timeout option.
		const { server } = await basicServer({
			http: (req) => ({ status: 200, body: "late", delay: req.url.endsWith("slow") ? 100 : 60 }),
			httpTimeoutSec: 90,
		});
		const [body, at, err, at2, ok3, bad] = await server.eval(`
			local H = game:GetService("HttpService")
			local res = H:RequestAsync({ Url = "https://x.test/late" })
			local at = os.clock()
			local ok, err = pcall(H.RequestAsync, H, { Url = "https://x.test/slow" })
			local at2 = os.clock() - at
			local ok3 = pcall(H.RequestAsync, H, { Url = "https://x.test/late", Timeout = 90 })
			local _, bad = pcall(H.RequestAsync, H, { Url = "https://x.test/late", Timeout = 91 })
			return res.Body, at, err, at2, ok3, bad
		`);
		assert.deepEqual([body, at, err, at2, ok3], ["late", 60, "HttpError: Timedout", 90, true]);
		assert.match(String(bad), /Timeout must be greater than 0 and at most 90/);
		await assert.rejects(basicServer({ httpTimeoutSec: 0 }), /httpTimeoutSec must be a positive number/);
	});

	it("times out an answer later than the timeout, and a Luau handler that never returns", async () => {
		const late = await basicServer({ http: () => ({ status: 200, delay: 45 }) });
		const [err, at] = await late.server.eval(`
			local ok, err = pcall(function() return game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" }) end)
			return err, os.clock()
		`);
		assert.deepEqual([err, at], ["HttpError: Timedout", 30]);
		const luau = await basicServer({ http: { luau: `return function() task.wait(1e6) end` } });
		const [err2] = await luau.server.eval(
			`return select(2, pcall(function() return game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" }) end))`,
		);
		assert.equal(err2, "HttpError: Timedout");
	});

	it("validates scheme, Roblox hosts, locked headers and methods before sending", async () => {
		// Roblox page "HttpService" (RequestAsync): http/https only, User-Agent and Roblox-Id locked,
		// the supported methods; "In-game HTTP requests": Open Cloud (apis.roblox.com) is allowed.
		const seen: string[] = [];
		const { server } = await basicServer({
			http: (req) => {
				seen.push(`${req.method} ${req.url}`);
				return { status: 200 };
			},
		});
		const [results] = await server.eval(`
			local H = game:GetService("HttpService")
			local out = {}
			for _, r in {
				{ Url = "ftp://x.test/file" },
				{ Url = "x.test/path" },
				{ Url = "https://www.roblox.com/users" },
				{ Url = "https://apis.roblox.com/cloud/v2/x" },
				{ Url = "https://x.test", Headers = { ["User-Agent"] = "me" } },
				{ Url = "https://x.test", Headers = { ["roblox-id"] = "1" } },
				{ Url = "https://x.test", Headers = { Host = "other.test" } },
				{ Url = "https://x.test", Headers = { ["X-Forwarded-For"] = "10.0.0.1" } },
				{ Url = "https://x.test", Headers = { ["Content-Type"] = "application/json", Accept = "*/*" } },
				{ Url = "https://x.test", Method = "FETCH" },
				{ Url = "https://x.test", Method = "TRACE" },
			} do
				local ok, err = pcall(H.RequestAsync, H, r)
				table.insert(out, if ok then "ok" else err)
			end
			return out
		`);
		assert.deepEqual(results, [
			"HttpError: InvalidUrl",
			"HttpError: InvalidUrl",
			"HttpService is not allowed to access ROBLOX resources",
			"ok",
			'Header "User-Agent" is not allowed!',
			'Header "roblox-id" is not allowed!',
			'Header "Host" is not allowed!',
			'Header "X-Forwarded-For" is not allowed!',
			"ok",
			"Invalid HTTP method: FETCH",
			"ok",
		]);
		assert.deepEqual(seen, [
			"GET https://apis.roblox.com/cloud/v2/x",
			"GET https://x.test",
			"TRACE https://x.test",
		]);
	});

	it("lower-cases response header names", async () => {
		const { server } = await basicServer({
			http: () => ({ status: 200, headers: { "Content-Type": "application/json", "X-Request-Id": "r1" } }),
		});
		const [type, id, upper] = await server.eval(`
			local r = game:GetService("HttpService"):RequestAsync({ Url = "https://x.test" })
			return r.Headers["content-type"], r.Headers["x-request-id"], r.Headers["Content-Type"]
		`);
		assert.deepEqual([type, id, upper], ["application/json", "r1", undefined]);
	});

	it("does not let scripts set HttpEnabled (only the server option)", async () => {
		// Roblox page "HttpService": HttpEnabled is written with LocalUserSecurity.
		const { server } = await basicServer({ httpEnabled: false });
		const [ok, err, still] = await server.eval(`
			local H = game:GetService("HttpService")
			local ok, err = pcall(function() H.HttpEnabled = true end)
			return ok, err, H.HttpEnabled
		`);
		assert.equal(ok, false);
		assert.match(String(err), /cannot write 'HttpEnabled'/);
		assert.equal(still, false);
	});
});

// The "Secrets stores" guide and Roblox page "Secret".
describe("Secrets", () => {
	it("sends a secret only to the domains it was created for", async () => {
		const seen: string[] = [];
		const { server } = await basicServer({
			secrets: { key: { value: "k1", domains: ["*.playwave.dev"] }, exact: { value: "k2", domains: ["a.test"] } },
			http: (req) => {
				seen.push(`${req.url} ${req.headers["x-api-key"]}`);
				return { status: 200 };
			},
		});
		const [results] = await server.eval(`
			local H = game:GetService("HttpService")
			local key, exact = H:GetSecret("key"), H:GetSecret("exact")
			local out = {}
			for _, r in {
				{ Url = "https://api.playwave.dev/v1", Headers = { ["x-api-key"] = key } },
				{ Url = "https://playwave.dev/v1", Headers = { ["x-api-key"] = key } },
				{ Url = "https://evil.test/v1", Headers = { ["x-api-key"] = key } },
				{ Url = "https://a.test/", Headers = { ["x-api-key"] = exact } },
				{ Url = "https://b.a.test/", Headers = { ["x-api-key"] = exact } },
			} do
				local ok, err = pcall(H.RequestAsync, H, r)
				table.insert(out, if ok then "ok" else err)
			end
			return out
		`);
		assert.deepEqual(results, [
			"ok",
			'Secret "key" can not be used with the domain "playwave.dev"',
			'Secret "key" can not be used with the domain "evil.test"',
			"ok",
			'Secret "exact" can not be used with the domain "b.a.test"',
		]);
		assert.deepEqual(seen, ["https://api.playwave.dev/v1 k1", "https://a.test/ k2"]);
	});

	it("uses only local secrets in a Studio play-test", async () => {
		const { server } = await basicServer({
			studio: true,
			secrets: { live: "sk_live" },
			localSecrets: { local: "sk_local" },
		});
		const [liveErr, local] = await server.eval(`
			local H = game:GetService("HttpService")
			return select(2, pcall(H.GetSecret, H, "live")), tostring(H:GetSecret("local"))
		`);
		assert.equal(liveErr, "Can't find secret with given key");
		assert.equal(local, "Secret(local)");
	});

	it("prints prefixes and suffixes around Secret(name), puts a secret in a URL, and checks arguments", async () => {
		let url: string | undefined;
		const { server } = await basicServer({
			secrets: { test_secret: "abc" },
			http: (req) => {
				url = req.url;
				return { status: 200 };
			},
		});
		const [printed, bad, body] = await server.eval(`
			local H = game:GetService("HttpService")
			local s = H:GetSecret("test_secret"):AddPrefix("https://my.example.com/endpoint?apiKey="):AddSuffix("&user=username")
			H:RequestAsync({ Url = s })
			local ok, bad = pcall(function() return s:AddSuffix({}) end)
			local ok2, body = pcall(H.RequestAsync, H, { Url = "https://x.test", Method = "POST", Body = s })
			return tostring(s), bad, body
		`);
		assert.equal(printed, "https://my.example.com/endpoint?apiKey=Secret(test_secret)&user=username");
		assert.equal(url, "https://my.example.com/endpoint?apiKey=abc&user=username");
		assert.match(String(bad), /invalid argument #1 to 'AddSuffix' \(string expected, got table\)/);
		assert.match(String(body), /Body must be a string/);
	});
});
