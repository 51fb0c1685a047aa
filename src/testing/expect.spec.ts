import { expectAbove, expectAtLeast, expectAtMost, expectBelow, expectContains, expectIncludes } from "./expect";

function failureOf(run: () => void): string {
	const [ok, problem] = pcall(run);
	expect(ok).to.equal(false);
	return tostring(problem);
}

export = () => {
	describe("spec comparisons that show both values", () => {
		it("pass when the comparison holds", () => {
			expectAtLeast(2, 2);
			expectAtMost(2, 2);
			expectBelow(1, 2);
			expectAbove(3, 2);
			expectIncludes(["a", "b"], "b");
			expectContains("a [b] c", "[b]");
		});

		it("fail naming the expected bound and the actual value", () => {
			expectContains(
				failureOf(() => expectAtLeast(3, 10, "beats")),
				"expected beats to be at least 10, got 3",
			);
			expectContains(
				failureOf(() => expectAtMost(13, 12)),
				"to be at most 12, got 13",
			);
			expectContains(
				failureOf(() => expectBelow(2, 2)),
				"to be below 2, got 2",
			);
			expectContains(
				failureOf(() => expectAbove(0, 0)),
				"to be above 0, got 0",
			);
		});

		it("show the whole list or text they searched", () => {
			expectContains(
				failureOf(() => expectIncludes(["x", "y"], "z")),
				'to include "z", got ["x", "y"]',
			);
			const problem = failureOf(() => expectContains("no such", "[b]"));
			const expected = 'expected the text to contain "[b]", got "no such"';
			expect(problem.sub(-expected.size())).to.equal(expected);
		});
	});
};
