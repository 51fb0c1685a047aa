import { Warnings } from "../../log/Warnings";
import { maskKeyLike } from "../../protocol/redact";
import { LogPort } from "../../ports/ports";

/** Store error texts are clipped to this in the log. */
const PROBLEM_LENGTH = 80;

/**
 * The facade's voice in the log: developer warnings said once, debug lines, store errors made fit to
 * print, and work that runs on its own thread with any error logged. Anything shaped like a key is masked.
 */
export class Diagnostics {
	private readonly warnings: Warnings;

	constructor(
		private readonly log: LogPort,
		private readonly debugOn: boolean,
	) {
		this.warnings = new Warnings((message) => log.warn(message));
	}

	/** Says `message` unless something was already said under `key`. */
	warnOnce(key: string, message: string) {
		this.warnings.once(key, message);
	}

	/** Only with `debug`; anything shaped like a key is masked. */
	debug(message: string) {
		if (this.debugOn) this.log.info(maskKeyLike(message));
	}

	/** A store error text for the log: clipped, anything shaped like a key masked. */
	problem(text: string) {
		const masked = maskKeyLike(text);
		return masked.size() > PROBLEM_LENGTH ? masked.sub(1, PROBLEM_LENGTH) + "…" : masked;
	}

	/** Runs work that may yield (a store request) on its own thread; an error is logged, never lost. */
	background(what: string, run: () => void) {
		task.spawn(() => {
			const [ok, problem] = pcall(run);
			if (!ok) this.log.warn(`${what} failed: ${maskKeyLike(tostring(problem))}`);
		});
	}
}
