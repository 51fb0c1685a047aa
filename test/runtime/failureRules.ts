// Failure injection shared by the runtime's emulated services (MemoryStoreService, MessagingService):
// rules a test adds, each failing the matching requests until a time, for a number of uses, or until
// cancelled. The first live rule that matches a request is used (and one of its uses spent).

/** What every failure rule has: when it stops, and how many requests it fails. */
export interface FailureRule {
	/** Fail until this virtual time (exclusive); without `until` and `count` the rule stays until cancelled. */
	until?: number;
	/** Fail this many matching requests, then retire. */
	count?: number;
}

export class FailureRules<R extends FailureRule> {
	private rules: (R & { remaining?: number })[] = [];

	/** Adds a rule; the handle's `cancel()` removes it. */
	add(rule: R): { cancel(): void } {
		const entry = { ...rule, remaining: rule.count };
		this.rules.push(entry);
		return {
			cancel: () => {
				this.rules = this.rules.filter((r) => r !== entry);
			},
		};
	}

	/** Removes every rule. */
	clear(): void {
		this.rules = [];
	}

	/** The first live rule that `matches` the request, with one of its uses spent; undefined when none. */
	take(now: number, matches: (rule: R) => boolean): R | undefined {
		this.rules = this.rules.filter(
			(r) => !(r.until !== undefined && now >= r.until) && !(r.remaining !== undefined && r.remaining <= 0),
		);
		const rule = this.rules.find(matches);
		if (rule?.remaining !== undefined) rule.remaining -= 1;
		return rule;
	}
}
