import { EndResult, LostCode, RejectReason } from "../../session/SessionState";
import { PlaytestConfig } from "../../playtest/scenarios";

/**
 * The outcome of examining a player at join, as the official SDK names it:
 * - `VERIFIED`: the launch token was accepted (a PC-cafe session, or a normal PlayWave launch);
 * - `RESUMED`: a session handed over by a teleport continues on this server;
 * - `NO_OTT`: no launch token, a normal Roblox player;
 * - `INVALID_PREFIX`: LaunchData that is not a PlayWave token;
 * - `REJECTED`: PlayWave turned the token down (the `RejectReason` detail says why);
 * - `REQUEST_FAILED`: PlayWave could not be reached while the token was still valid;
 * - `RESUME_REJECTED`: the handed-over session no longer exists.
 */
export type VerifyReason =
	"VERIFIED" | "REQUEST_FAILED" | "REJECTED" | "NO_OTT" | "INVALID_PREFIX" | "RESUMED" | "RESUME_REJECTED";

/**
 * What players read: the kick messages and the client notices of the default actions. Pass any of
 * them in `config.texts` to replace the English defaults (for a translation, say).
 *
 * @example
 * ```ts
 * Playwave.start({ apiKeySecret: "playwave_api_key", environment: "live", texts: { kickSessionLost: "세션이 종료되었습니다." } });
 * ```
 */
export interface PlaywaveTexts {
	/** The kick message when the server no longer has the session (404 / 410). */
	kickSessionLost: string;
	/** The kick message when the launch token was already used by another connection. */
	kickDuplicate: string;
	/** The kick message when the launch token is for another game. */
	kickGameMismatch: string;
	/** The notice when the player's G-coin runs out (the session ends after a 2-minute grace). */
	noticeChargeExhausted: string;
	/** The notice when the player has too little G-coin to start a PC-cafe session. */
	noticeNotChargeable: string;
	/** The notice when the launch token expired before it could be verified. */
	noticeOttExpired: string;
	/** The notice when PlayWave stayed unreachable until the session lapsed (benefits paused, no kick). */
	noticeSessionLost: string;
	/** The notice when a PlayWave session started elsewhere on the same PC. */
	noticeReplaced: string;
}

/**
 * Which default actions run. Each can be turned off in `config.actions` and replaced by the game's
 * own handling of the matching event.
 *
 * @example
 * ```ts
 * // Keep players who lost their session; show them your own message instead.
 * const playwave = Playwave.start({ apiKeySecret: "playwave_api_key", environment: "live", actions: { kickOnSessionLost: false } });
 * playwave.lost.Connect((player) => showSessionLostScreen(player));
 * ```
 */
export interface PlaywaveActions {
	/** Kick on 404 SESSION_NOT_FOUND and 410 SESSION_ENDED / SESSION_ENDING. */
	kickOnSessionLost: boolean;
	/** Kick on OTT_ALREADY_USED (a duplicate connection; never after our own lost attempt). */
	kickOnDuplicate: boolean;
	/** Kick on GAME_MISMATCH (a launch token issued for another game). */
	kickOnGameMismatch: boolean;
	/** Send the client a notice when the G-coin runs out (CHARGE_EXHAUSTED). */
	notifyChargeExhausted: boolean;
	/** Send the client a notice on NOT_CHARGEABLE (too little G-coin to start). */
	notifyNotChargeable: boolean;
	/** Send the client a notice on OTT_EXPIRED (the launch token expired). */
	notifyOttExpired: boolean;
	/** The API was unreachable until the session's TTL ran out: notify, do not kick. */
	notifySessionLost: boolean;
	/** Send the client a notice on SESSION_REPLACED (a session started elsewhere on the PC). */
	notifyReplaced: boolean;
}

/**
 * What a game passes to {@link Playwave.start}. Give the key (`apiKeySecret`, or `apiKey`) and where
 * to send requests (`environment`, or `baseUrl`); everything else has a default. A mistake is reported
 * by `Playwave.start` as an error naming the field (never echoing the key).
 *
 * @example
 * ```ts
 * Playwave.start({
 * 	apiKeySecret: "playwave_api_key",
 * 	environment: "live",
 * 	onPcCafe: (player) => grantPcCafePerks(player),
 * 	onEnded: (player, result) => print(`${player.Name}: ${result.kind}`),
 * });
 * ```
 */
export interface PlaywaveConfig {
	/** The API key as a string or a Secret. Prefer `apiKeySecret`. */
	apiKey?: string | Secret;
	/** The name of a Roblox secret (Game Settings > Security > Secrets) holding the key. */
	apiKeySecret?: string;
	/** Which PlayWave environment; or `baseUrl` for a proxy or a simulator. Exactly one. */
	environment?: "dev" | "qa" | "live";
	/** The API's base URL (`https://host/v1`) instead of an `environment`: a proxy, or a simulator in tests. */
	baseUrl?: string;
	/** The SDK's steady share of the server's 500 HttpService requests per minute. Default 240. */
	requestsPerMinute?: number;
	/** How many requests a minute verifies and ends may use in all (a join burst). Default 450. */
	urgentRequestsPerMinute?: number;
	/** How long shutdown waits for ends to land, under the engine's 30 s. Default 25. */
	shutdownTimeoutSec?: number;
	/**
	 * At shutdown, how long players still in the server keep their session while the game may prepare
	 * teleports (a soft shutdown whose BindToClose runs after the SDK's, or reserves a server first).
	 * Default 5; at most the shutdown timeout less 10 s.
	 */
	teleportGraceSec?: number;
	/** Replaces some of the kick and notice texts; see {@link PlaywaveTexts}. */
	texts?: Partial<PlaywaveTexts>;
	/** Turns default actions (kicks, notices) off; see {@link PlaywaveActions}. All on by default. */
	actions?: Partial<PlaywaveActions>;
	/** The RemoteEvent name in ReplicatedStorage for client notices. Default "PlaywaveNotices". */
	remoteName?: string;
	/** Log every session transition. */
	debug?: boolean;
	/**
	 * Record outcomes as Creator Analytics custom events through `AnalyticsService` (verified, rejected by
	 * reason, lost by code, charge exhausted, replaced, play time at end), within the service's limits.
	 * Default false. Nothing personal is sent; see the README's "Creator Analytics".
	 */
	analytics?: boolean;
	/**
	 * The Studio overlay: a client panel (started with `PlaywaveOverlay.start()` in a LocalScript) showing
	 * the local player's PlayWave state and the server's stats. `true` turns it on in Studio only. On a
	 * live server it is refused unless `liveUserIds` lists who may see it. Default off.
	 */
	overlay?:
		| boolean
		| {
				/** Default true. */
				enabled?: boolean;
				/** On a live server, only these users see it (nobody when empty: the overlay is refused). */
				liveUserIds?: Array<number>;
		  };
	/**
	 * Play-test mode (Studio only; `Playwave.start` errors on a live server): the SDK answers its own
	 * requests from an in-game PlayWave stand-in, and every player gets a launch token leading into the
	 * chosen scenario. No API key, environment or HTTP needed.
	 */
	playtest?: PlaytestConfig;
	/**
	 * Every player's verify result, normal players (`NO_OTT`) included; `detail` says why there is no
	 * session. The same as the server's `verified` event. Callbacks run before the event's listeners; an
	 * error in one is logged and never stops the SDK.
	 */
	onVerified?: (player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason) => void;
	/** A player is playing as a PC-cafe user (after verify, or after a teleport resumed the session): grant the perks. */
	onPcCafe?: (player: Player) => void;
	/** The player's G-coin ran out: PlayWave ends the session after a 2-minute grace unless they recharge. */
	onChargeExhausted?: (player: Player) => void;
	/** A PlayWave session started elsewhere on the same PC: PC-cafe perks end (the player is not kicked). */
	onReplaced?: (player: Player) => void;
	/** The session is gone (404 / 410), or PlayWave stayed unreachable until it lapsed (`TTL_EXPIRED`): perks end. */
	onLost?: (player: Player, code: LostCode) => void;
	/** The session was ended (the player left, or the server shut down); the result says whether PlayWave confirmed it. */
	onEnded?: (player: Player, result: EndResult) => void;
}
