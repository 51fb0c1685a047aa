import { isValidSessionId, MAX_SESSION_ID_LENGTH } from "./sessionId";

export = () => {
	describe("isValidSessionId", () => {
		it("accepts PlayWave's documented shape and other printable ids", () => {
			expect(isValidSessionId("gs_11111111-2222-4333-8444-555555555555")).to.equal(true);
			expect(isValidSessionId("session:42/eu")).to.equal(true);
			expect(isValidSessionId("gs_pt-1700000000-7")).to.equal(true);
			expect(isValidSessionId("x".rep(MAX_SESSION_ID_LENGTH))).to.equal(true);
		});

		it("refuses empty, too long, spaced, control characters and non-strings", () => {
			expect(isValidSessionId("")).to.equal(false);
			expect(isValidSessionId("x".rep(MAX_SESSION_ID_LENGTH + 1))).to.equal(false);
			expect(isValidSessionId("gs_1 2")).to.equal(false);
			expect(isValidSessionId("gs_1\n")).to.equal(false);
			expect(isValidSessionId("gs_\0")).to.equal(false);
			expect(isValidSessionId(42)).to.equal(false);
			expect(isValidSessionId(undefined)).to.equal(false);
		});
	});
};
