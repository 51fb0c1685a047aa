import { DEFAULT_ACTIONS, DEFAULT_TEXTS } from "./config/defaults";
import { PlaywaveActions } from "./config/PlaywaveConfig";
import { ACTION_POLICY, PolicyOutcome } from "./policy";

export = () => {
	describe("the default-action policy table", () => {
		const entries = new Array<[PolicyOutcome, NonNullable<(typeof ACTION_POLICY)[PolicyOutcome]>]>();
		for (const [outcome, reaction] of pairs(ACTION_POLICY)) entries.push([outcome, reaction]);

		it("uses every action flag of the config, so each can be turned off", () => {
			const used = new Set<string>();
			for (const [, reaction] of entries) {
				if (reaction.kick) used.add(reaction.kick.action);
				if (reaction.notify) used.add(reaction.notify.action);
			}
			const unused = new Array<string>();
			for (const [action] of pairs(DEFAULT_ACTIONS)) if (!used.has(action)) unused.push(action);
			expect(unused.join(", ")).to.equal("");
		});

		it("names only texts the config has", () => {
			const unknown = new Array<string>();
			for (const [outcome, reaction] of entries) {
				for (const text of [reaction.kick?.text, reaction.notify?.text]) {
					if (text !== undefined && DEFAULT_TEXTS[text] === undefined) unknown.push(`${outcome}: ${text}`);
				}
			}
			expect(unknown.join(", ")).to.equal("");
		});

		it("kicks for a session the server ended, never for one lost to an unreachable API", () => {
			const kicks = (outcome: PolicyOutcome) => ACTION_POLICY[outcome]?.kick?.action;
			expect(kicks("SESSION_NOT_FOUND")).to.equal("kickOnSessionLost" as keyof PlaywaveActions);
			expect(kicks("SESSION_ENDED")).to.equal("kickOnSessionLost" as keyof PlaywaveActions);
			expect(kicks("TTL_EXPIRED")).to.equal(undefined);
			expect(kicks("VERIFY_OUTCOME_UNKNOWN")).to.equal(undefined);
			expect(kicks("REQUEST_FAILED")).to.equal(undefined);
		});
	});
};
