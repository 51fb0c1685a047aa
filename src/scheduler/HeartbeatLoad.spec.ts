import { HeartbeatLoad } from "./HeartbeatLoad";
import { expectAbove } from "../testing/expect";

function loadOf(sessions: number, capacity: number, share = capacity) {
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

		it("when even TTL - 60 s does not fit, warns once with sessions, share and share needed", () => {
			// 700 players on the default share of 240: 700 * 60 / (240 * 0.75) = 233 s > 180 s.
			const { load, warnings } = loadOf(700, 240);
			expectAbove(load.sustainableInterval(180), 180);
			load.sustainableInterval(180);
			expect(warnings.size()).to.equal(1);
			const warning = warnings[0];
			expect(warning.find("700 PlayWave sessions", 1, true)[0]).to.be.ok();
			expect(warning.find("share is 240/minute", 1, true)[0]).to.be.ok();
			// 700 * 60 / (180 * 0.75) = 311.1: the share needed, rounded up.
			expect(warning.find("about 312 requests/minute", 1, true)[0]).to.be.ok();
		});

		it("says when the game's own requests are what leaves too little", () => {
			const { load, warnings } = loadOf(50, 20, 240);
			load.sustainableInterval(180);
			expect(warnings.size()).to.equal(1);
			expect(warnings[0].find("leave it about 20", 1, true)[0]).to.be.ok();
		});
	});
};
