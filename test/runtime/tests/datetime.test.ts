// DateTime as its data type page describes it, on the world's virtual clock and epoch.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BASIC_PROJECT, newWorld } from "./helpers";

describe("DateTime (DateTime data type)", () => {
	it("tells the world's virtual time from its epoch", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		await world.advance(12.3456);
		const [millis, seconds, kind, text] = await server.eval(`
			local now = DateTime.now()
			return now.UnixTimestampMillis, now.UnixTimestamp, typeof(now), tostring(now)`);
		assert.equal(millis, (world.epoch + 12.345) * 1000);
		assert.equal(seconds, world.epoch + 12);
		assert.equal(kind, "DateTime");
		assert.equal(text, String((world.epoch + 12.345) * 1000));
	});

	it("converts between timestamps, components and ISO 8601", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		const [iso, isoMs, year, month, day, hour, minute, second, ms, back, roundTrip, bad] = await server.eval(`
			local dt = DateTime.fromUnixTimestamp(1577961045) -- 2020-01-02T10:30:45Z
			local t = DateTime.fromUnixTimestampMillis(1577961045123):ToUniversalTime()
			return dt:ToIsoDate(), DateTime.fromUnixTimestampMillis(1577961045123):ToIsoDate(),
				t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond,
				DateTime.fromIsoDate("2020-01-02T10:30:45Z").UnixTimestamp,
				DateTime.fromIsoDate("2020-01-02T10:30:45.123Z") == DateTime.fromUnixTimestampMillis(1577961045123),
				DateTime.fromIsoDate("yesterday")`);
		assert.equal(iso, "2020-01-02T10:30:45Z");
		assert.equal(isoMs, "2020-01-02T10:30:45.123Z");
		assert.deepEqual([year, month, day, hour, minute, second, ms], [2020, 1, 2, 10, 30, 45, 123]);
		assert.equal(back, 1577961045);
		assert.equal(roundTrip, true);
		assert.equal(bad, undefined);
	});

	it("builds from components: invalid dates error, time units roll over, fractions round down", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		const [rolled, floored, defaults, leap] = await server.eval(`
			return DateTime.fromUniversalTime(2020, 1, 1, 0, 90):ToIsoDate(),
				DateTime.fromUniversalTime(2020, 1, 1, 2.5):ToIsoDate(),
				DateTime.fromUniversalTime().UnixTimestamp,
				DateTime.fromUniversalTime(2024, 2, 29):ToIsoDate()`);
		assert.equal(rolled, "2020-01-01T01:30:00Z");
		assert.equal(floored, "2020-01-01T02:00:00Z");
		assert.equal(defaults, 0);
		assert.equal(leap, "2024-02-29T00:00:00Z");
		await assert.rejects(server.eval(`DateTime.fromUniversalTime(2023, 2, 29)`), /Invalid date/);
		await assert.rejects(server.eval(`DateTime.fromUniversalTime(2023, 1, 32)`), /Invalid date/);
		const [negative] = await server.eval(`return DateTime.fromUniversalTime(2020, 1, 1, 0, 0, -10):ToIsoDate()`);
		assert.equal(negative, "2019-12-31T23:59:50Z");
	});

	it("formats en-us composite and elemental tokens", async () => {
		const world = await newWorld();
		const server = await world.createServer({ project: BASIC_PROJECT });
		await server.start();
		// The page's example moment: Thursday, September 4, 1986 8:30:25 PM (UTC).
		const results = await server.eval(`
			local dt = DateTime.fromUniversalTime(1986, 9, 4, 20, 30, 25, 7)
			local out = {}
			for _, f in { "LT", "LTS", "L", "l", "LL", "ll", "LLL", "lll", "LLLL", "llll",
				"YY DDD DDDD d dd ddd hh h HH H mm m ss s S SS SSS A a" } do
				table.insert(out, dt:FormatUniversalTime(f, "en-us"))
			end
			return table.unpack(out)`);
		assert.deepEqual(results, [
			"8:30 PM",
			"8:30:25 PM",
			"09/04/1986",
			"9/4/1986",
			"September 4, 1986",
			"Sep 4, 1986",
			"September 4, 1986 8:30 PM",
			"Sep 4, 1986 8:30 PM",
			"Thursday, September 4, 1986 8:30 PM",
			"Thu, Sep 4, 1986 8:30 PM",
			"86 247 247 4 Th Thu 08 8 20 20 30 30 25 25 0 00 007 PM pm",
		]);
		await assert.rejects(server.eval(`DateTime.now():FormatLocalTime("LL", "fr-fr")`), /en-us locale only/);
	});
});
