import { HeartbeatLoad } from "./HeartbeatLoad";
import { expectAbove } from "../testing/expect";

function loadOf(sessions: number, capacity: number, share = capacity, troubledSince = (_from: number) => false) {
	const warnings = new Array<string>();
	const said = new Set<string>();
	const load = new HeartbeatLoad(
		() => capacity,
		share,
		(key, message) => {
			if (said.has(key)) return;
			said.add(key);
			warnings.push(message);
		},
		troubledSince,
	);
	for (let i = 0; i < sessions; i++) load.join();
	return { load, warnings };
}

export = () => {
	describe("HeartbeatLoad", () => {
		it("plans against what is available: 120 sessions on 60 a minute beat every 160 s", () => {
			const { load, warnings } = loadOf(120, 60);
			expect(load.sustainableInterval(180)).to.equal(160);
			expect(warnings.size()).to.equal(0);
		});

		it("700 sessions on the default share of 240 fit TTL - 60 s (700 * 60 / 180 = 233.3 a minute): no warning", () => {
			// Planned with headroom (700 * 60 / (240 * 0.75) = 233 s) the session caps the interval at 180 s,
			// and one beat per session per 180 s is 233.3 a minute, within 240.
			const { load, warnings } = loadOf(700, 240);
			expectAbove(load.sustainableInterval(180), 180);
			expect(load.requestsNeeded(180)).to.equal(234);
			expect(warnings.size()).to.equal(0);
		});

		it("when even TTL - 60 s does not fit, warns once with sessions, share and the share needed", () => {
			// 800 * 60 / 180 = 266.7 a minute against a share of 240.
			const { load, warnings } = loadOf(800, 240);
			load.sustainableInterval(180);
			load.sustainableInterval(180);
			expect(warnings.size()).to.equal(1);
			const warning = warnings[0];
			expect(warning.find("800 PlayWave sessions", 1, true)[0]).to.be.ok();
			expect(warning.find("share is 240/minute", 1, true)[0]).to.be.ok();
			expect(warning.find("about 267 requests/minute", 1, true)[0]).to.be.ok();
		});

		it("names what is needed, not what the headroom would like: 50 sessions need 17 a minute", () => {
			// 50 * 60 / 180 = 16.7: 20 left by the game carry them (no warning), 15 do not.
			const roomy = loadOf(50, 20, 240);
			roomy.load.sustainableInterval(180);
			expect(roomy.warnings.size()).to.equal(0);
			const { load, warnings } = loadOf(50, 15, 240);
			load.sustainableInterval(180);
			expect(warnings.size()).to.equal(1);
			expect(warnings[0].find("about 17 requests/minute", 1, true)[0]).to.be.ok();
			expect(warnings[0].find("leave it about 15", 1, true)[0]).to.be.ok();
		});

		it("a planned heartbeat that went out later than TTL - 60 s: warns once with the numbers", () => {
			const { load, warnings } = loadOf(200, 100, 240);
			load.heartbeatSent(1000, 1180, 180);
			expect(warnings.size()).to.equal(0);
			load.heartbeatSent(1000, 1186.55, 180);
			load.heartbeatSent(2000, 2190, 180);
			expect(warnings.size()).to.equal(1);
			expect(warnings[0].find("went out 186.6 s after", 1, true)[0]).to.be.ok();
			// 180.01 s is past the limit, and says so (rounded up, never "180.0").
			const hair = loadOf(200, 100, 240);
			hair.load.heartbeatSent(1000, 1180.01, 180);
			expect(hair.warnings[0].find("went out 180.1 s after", 1, true)[0]).to.be.ok();
			expect(warnings[0].find("about 67 requests/minute", 1, true)[0]).to.be.ok();
			expect(warnings[0].find("leave it about 100", 1, true)[0]).to.be.ok();
		});

		it("a heartbeat held by client-wide trouble (the API, not the budget) does not warn", () => {
			const { load, warnings } = loadOf(200, 100, 240, (from) => from <= 1050);
			load.heartbeatSent(1000, 1200, 180);
			expect(warnings.size()).to.equal(0);
			load.heartbeatSent(1100, 1300, 180);
			expect(warnings.size()).to.equal(1);
		});
	});
};
