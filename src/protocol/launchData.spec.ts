import { parseLaunchData } from "./launchData";

const UUID = "0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10";

export = () => {
	describe("parseLaunchData", () => {
		it("accepts a bare UUID and sends it as is", () => {
			expect(parseLaunchData(UUID)).to.be.ok();
			const token = parseLaunchData(UUID);
			expect(token.kind).to.equal("ott");
			expect(token.kind === "ott" && token.ott).to.equal(UUID);
		});

		it("accepts the playwave_ prefix the official SDK uses and strips it", () => {
			const token = parseLaunchData(`playwave_${UUID}`);
			expect(token.kind === "ott" && token.ott).to.equal(UUID);
		});

		it("ignores surrounding whitespace", () => {
			const token = parseLaunchData(`  ${UUID}\n`);
			expect(token.kind === "ott" && token.ott).to.equal(UUID);
		});

		it("sends an upper- or mixed-case UUID lower-cased, as PlayWave issues it", () => {
			const upper = parseLaunchData(`PLAYWAVE_${UUID.upper()}`);
			expect(upper.kind === "ott" && upper.ott).to.equal(UUID);
			const mixed = parseLaunchData("0B5e7D0E-6a4f-4C1B-9a53-2F9E8c1d7a10");
			expect(mixed.kind === "ott" && mixed.ott).to.equal(UUID);
		});

		it("stays linear on long input (no backtracking trim pattern)", () => {
			// "a" + 100 000 spaces + "b" made the old `^%s*(.-)%s*$` trim scan the run once per position
			// (about 5 * 10^9 steps): this spec would hit the runner's time limit. Now each is one pass.
			const spaces = string.rep(" ", 100000);
			expect(parseLaunchData(`a${spaces}b`).kind).to.equal("invalid");
			expect(parseLaunchData(`${spaces}${UUID}${spaces}`).kind).to.equal("ott");
			expect(parseLaunchData(`${spaces}playwave_${UUID}\n`).kind).to.equal("ott");
			expect(parseLaunchData(string.rep(" x", 100000)).kind).to.equal("invalid");
			expect(parseLaunchData(spaces).kind).to.equal("none");
		});

		it("treats missing or empty LaunchData as a normal player", () => {
			expect(parseLaunchData(undefined).kind).to.equal("none");
			expect(parseLaunchData("").kind).to.equal("none");
			expect(parseLaunchData("   ").kind).to.equal("none");
		});

		it("rejects anything else without a request", () => {
			for (const bad of [
				"hello",
				"playwave_",
				"playwave_not-a-uuid",
				`other_${UUID}`,
				`${UUID}x`,
				"0b5e7d0e6a4f4c1b9a532f9e8c1d7a10",
				'{"ott":"x"}',
			]) {
				expect(parseLaunchData(bad).kind).to.equal("invalid");
			}
			expect(parseLaunchData(42).kind).to.equal("invalid");
		});
	});
};
