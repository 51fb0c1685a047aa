import { scaledProtocolTiming } from "../protocol/timing";
import { DEFAULT_SESSION_TIMING, SessionTiming } from "../session/timing";

/**
 * The SDK's whole timing on a clock `timeScale` times faster: the protocol's rules (TTL, default
 * interval, `next_heartbeat_in` bounds) and the SDK's own (verify window, stretch margin, end timeout,
 * retry delays and margins). Shares (jitter) stay as they are. 1 gives the real timing.
 */
export function scaledSessionTiming(timeScale: number, base: SessionTiming = DEFAULT_SESSION_TIMING): SessionTiming {
	const scale = (seconds: number) => seconds / timeScale;
	return {
		verifyWindowSec: scale(base.verifyWindowSec),
		stretchMarginSec: scale(base.stretchMarginSec),
		planSlackSec: scale(base.planSlackSec),
		endTimeoutSec: scale(base.endTimeoutSec),
		heartbeatJitter: base.heartbeatJitter,
		retry: { baseSec: scale(base.retry.baseSec), maxSec: scale(base.retry.maxSec), jitter: base.retry.jitter },
		lastRetryMarginSec: scale(base.lastRetryMarginSec),
		minRetryDelaySec: scale(base.minRetryDelaySec),
		protocol: scaledProtocolTiming(timeScale, base.protocol),
	};
}
