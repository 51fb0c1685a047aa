/** The RemoteEvent the server creates in ReplicatedStorage for the Studio overlay. */
export const OVERLAY_REMOTE_NAME = "PlaywaveOverlay";

/** What the overlay client sends: it wants snapshots. */
export const OVERLAY_SUBSCRIBE = "subscribe";

/** The local player's PlayWave state, as the overlay shows it. */
export interface OverlayPlayer {
	/** The session's state (`NONE` before LaunchData was examined). */
	status: string;
	/** The verify result: `VERIFIED`, `RESUMED`, `REJECTED`, `NO_OTT`, … (undefined while verifying). */
	verifyResult?: string;
	/** Why, when the result was not `VERIFIED`: `NOT_CHARGEABLE`, `OTT_EXPIRED`, … */
	verifyDetail?: string;
	isPcCafe: boolean;
	chargeExhausted: boolean;
	/** Seconds until the next heartbeat goes, while one is planned. */
	nextHeartbeatInSec?: number;
	/** The last thing that happened to the session: `OK`, `CHARGE_EXHAUSTED`, `REPLACED`, `LOST SESSION_ENDED`, … */
	lastResult?: string;
	/** Notices delivered to this client, oldest first (at most the last five). */
	notices: string[];
}

/** The server's stats, flattened for the panel. */
export interface OverlayServer {
	/** Sessions by state, only the states with any. */
	sessions: Record<string, number>;
	sentLastMinute: number;
	refusedLastMinute: number;
	share: number;
	engineLimit: number;
	queued: number;
	inFlight: number;
	condition: string;
	cause?: string;
	/** Seconds in the current condition. */
	conditionForSec: number;
	lastFailure?: string;
	verified: number;
	rejected: number;
	lost: number;
	replaced: number;
	chargeExhausted: number;
	ended: number;
	handedOver: number;
	resumed: number;
}

/** One update of the panel. */
export interface OverlaySnapshot {
	type: "overlay";
	player: OverlayPlayer;
	server: OverlayServer;
}
