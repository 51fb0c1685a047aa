import { PlaywaveActions, PlaywaveTexts } from "./PlaywaveConfig";

/**
 * The config's own defaults, in one place: what `resolveConfig` fills in where a game gives nothing.
 * The request shares come from the scheduler (`DEFAULT_SCHEDULER_CONFIG`) and the RemoteEvent's name
 * from what server and client share (`DEFAULT_REMOTE_NAME`).
 */

/** How long shutdown waits for ends to land, under the engine's 30 s for all `BindToClose` callbacks. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SEC = 25;
/** At shutdown, how long players keep their session while the game may prepare teleports. */
export const DEFAULT_TELEPORT_GRACE_SEC = 5;

/** The English texts used where `config.texts` gives none. */
export const DEFAULT_TEXTS: PlaywaveTexts = {
	kickSessionLost: "Your PlayWave session has ended. Please relaunch the game from the PlayWave launcher.",
	kickDuplicate: "This PlayWave launch was already used by another connection.",
	kickGameMismatch:
		"This PlayWave launch is for a different game. Please start this game from the PlayWave launcher.",
	noticeChargeExhausted:
		"Your PlayWave G-coin has run out. The session ends in 2 minutes unless you recharge in the launcher.",
	noticeNotChargeable: "Not enough PlayWave G-coin to start a PC-cafe session. Recharge in the launcher.",
	noticeOttExpired: "Your PlayWave launch expired. Please relaunch the game from the PlayWave launcher.",
	noticeSessionLost: "PlayWave could not be reached, so PC-cafe benefits are paused.",
	noticeReplaced: "A PlayWave session started elsewhere on this PC, so PC-cafe benefits here have ended.",
};

/** Every default action is on unless `config.actions` turns it off. */
export const DEFAULT_ACTIONS: PlaywaveActions = {
	kickOnSessionLost: true,
	kickOnDuplicate: true,
	kickOnGameMismatch: true,
	notifyChargeExhausted: true,
	notifyNotChargeable: true,
	notifyOttExpired: true,
	notifySessionLost: true,
	notifyReplaced: true,
};

/** What play-test requests carry instead of a key and a base URL; they never leave the server. */
export const PLAYTEST_API_KEY = "playtest";
export const PLAYTEST_BASE_URL = "https://playtest.playwave.invalid/v1";
