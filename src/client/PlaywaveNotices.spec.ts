import { PlaywaveNotices } from "./PlaywaveNotices";

function channel() {
	let deliver: ((message: unknown) => void) | undefined;
	let readyCount = 0;
	return {
		channel: {
			onMessage: (callback: (message: unknown) => void) => (deliver = callback),
			sendReady: () => (readyCount += 1),
		},
		deliver: (message: unknown) => deliver?.(message),
		readyCount: () => readyCount,
	};
}

export = () => {
	describe("PlaywaveNotices (client)", () => {
		it("tells the server it is ready and tracks the PC-cafe status", () => {
			const fake = channel();
			const notices = new PlaywaveNotices(fake.channel);
			expect(fake.readyCount()).to.equal(1);
			const seen = new Array<boolean>();
			notices.statusChanged.Connect((isPcCafe) => seen.push(isPcCafe));
			fake.deliver({ type: "status", isPcCafe: true });
			expect(notices.isPcCafe()).to.equal(true);
			fake.deliver({ type: "status", isPcCafe: false });
			expect(seen.join(",")).to.equal("true,false");
		});

		it("fires notices and shows them unless turned off", () => {
			const fake = channel();
			const shown = new Array<string>();
			const notices = new PlaywaveNotices(fake.channel, (text) => shown.push(text));
			const kinds = new Array<string>();
			notices.notice.Connect((kind) => kinds.push(kind));
			fake.deliver({ type: "notice", notice: "CHARGE_EXHAUSTED", text: "G-coin ran out" });
			expect(kinds.join(",")).to.equal("CHARGE_EXHAUSTED");
			expect(shown.join(",")).to.equal("G-coin ran out");
			const quiet = channel();
			const quietShown = new Array<string>();
			new PlaywaveNotices(quiet.channel);
			quiet.deliver({ type: "notice", notice: "OTT_EXPIRED", text: "x" });
			expect(quietShown.size()).to.equal(0);
		});

		it("ignores malformed messages", () => {
			const fake = channel();
			const notices = new PlaywaveNotices(fake.channel);
			fake.deliver("hello");
			fake.deliver({ type: "status", isPcCafe: "yes" });
			expect(notices.isPcCafe()).to.equal(false);
		});
	});
};
