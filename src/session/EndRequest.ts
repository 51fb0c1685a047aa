import { EndResult } from "./SessionState";

/**
 * A session's ending as `endSession` asked for it: the one promise every call returns, how long the
 * ending may keep trying, and what a heartbeat answered meanwhile. Settled once.
 */
export class EndRequest {
	readonly promise: Promise<EndResult>;
	/** A heartbeat answered while ending said no end is needed (the session is gone or replaced). */
	notNeeded?: EndResult;
	private resolve?: (result: EndResult) => void;

	/**
	 * @param timeoutSec How long the ending may keep trying.
	 * @param deadlineFixed Shutdown's hard deadline: counted from the call, in flight or not.
	 * @param requested False for the stand-in of a session that settled before anyone asked.
	 */
	constructor(
		readonly timeoutSec: number,
		readonly deadlineFixed: boolean,
		readonly requested = true,
		settledWith?: EndResult,
	) {
		if (settledWith !== undefined) {
			this.promise = Promise.resolve(settledWith);
		} else {
			this.promise = new Promise<EndResult>((resolve) => {
				this.resolve = resolve;
			});
		}
	}

	/** A session that settled (rejected, lost, replaced) before `endSession` was called. */
	static settled(result: EndResult): EndRequest {
		return new EndRequest(0, false, false, result);
	}

	/** Resolves the promise once; `announce` runs first (the event), later calls do nothing. */
	settle(result: EndResult, announce: () => void) {
		const resolve = this.resolve;
		this.resolve = undefined;
		if (!resolve) return;
		announce();
		resolve(result);
	}
}
