import { t } from "@rbxts/t";
import { BASE_URLS, Endpoint } from "../protocol/environments";
import { describeValue, field, Shape, shapeMismatch } from "../protocol/shape";
import { HeaderValue } from "../protocol/requests";
import { DEFAULT_SCHEDULER_CONFIG } from "../scheduler/SchedulerConfig";
import { DEFAULT_REMOTE_NAME } from "../shared/messages";
import { EndResult, LostCode, RejectReason } from "../session/SessionState";
import { PlaytestConfig, playtestMismatch, ResolvedPlaytest, resolvePlaytest } from "../playtest/scenarios";

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

/** How long shutdown waits for ends to land, under the engine's 30 s for all `BindToClose` callbacks. */
const DEFAULT_SHUTDOWN_TIMEOUT_SEC = 25;
/** At shutdown, how long players keep their session while the game may prepare teleports. */
const DEFAULT_TELEPORT_GRACE_SEC = 5;

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

export interface ResolvedConfig {
	apiKey: HeaderValue;
	/** How the key was given, for warnings (never the key): `the secret "name"` or `config.apiKey (…)`. */
	keySource: string;
	endpoint: Endpoint;
	requestsPerMinute: number;
	urgentRequestsPerMinute: number;
	shutdownTimeoutSec: number;
	teleportGraceSec: number;
	texts: PlaywaveTexts;
	actions: PlaywaveActions;
	remoteName: string;
	debug: boolean;
	analytics: boolean;
	/** Present when the overlay is on. */
	overlay?: { liveUserIds: ReadonlyArray<number> };
	/** Present when play-test mode is on. */
	playtest?: ResolvedPlaytest;
	callbacks: Pick<
		PlaywaveConfig,
		"onVerified" | "onPcCafe" | "onChargeExhausted" | "onReplaced" | "onLost" | "onEnded"
	>;
}

const optionalString = field(t.optional(t.string), "a string");
const optionalBoolean = field(t.optional(t.boolean), "a boolean");
const optionalCallback = field(t.optional(t.callback), "a function");

const textsShape: Shape = {
	kickSessionLost: optionalString,
	kickDuplicate: optionalString,
	kickGameMismatch: optionalString,
	noticeChargeExhausted: optionalString,
	noticeNotChargeable: optionalString,
	noticeOttExpired: optionalString,
	noticeSessionLost: optionalString,
	noticeReplaced: optionalString,
};

const actionsShape: Shape = {
	kickOnSessionLost: optionalBoolean,
	kickOnDuplicate: optionalBoolean,
	kickOnGameMismatch: optionalBoolean,
	notifyChargeExhausted: optionalBoolean,
	notifyNotChargeable: optionalBoolean,
	notifyOttExpired: optionalBoolean,
	notifySessionLost: optionalBoolean,
	notifyReplaced: optionalBoolean,
};

const configShape: Shape = {
	apiKey: field(t.optional(t.union(t.string, t.typeof("Secret" as never))), "a string or a Secret"),
	apiKeySecret: optionalString,
	environment: field(t.optional(t.literal("dev", "qa", "live")), '"dev", "qa" or "live"'),
	baseUrl: optionalString,
	requestsPerMinute: field(t.optional(t.numberConstrained(1, 500)), "a number from 1 to 500"),
	urgentRequestsPerMinute: field(t.optional(t.numberConstrained(1, 500)), "a number from 1 to 500"),
	shutdownTimeoutSec: field(t.optional(t.numberConstrained(1, 29)), "a number of seconds from 1 to 29"),
	teleportGraceSec: field(t.optional(t.numberConstrained(0, 19)), "a number of seconds from 0 to 19"),
	texts: field(t.optional(t.table), "a table of texts"),
	actions: field(t.optional(t.table), "a table of booleans"),
	remoteName: optionalString,
	debug: optionalBoolean,
	analytics: optionalBoolean,
	overlay: field(
		t.optional(
			t.union(
				t.boolean,
				t.strictInterface({ enabled: t.optional(t.boolean), liveUserIds: t.optional(t.array(t.integer)) }),
			),
		),
		"true or a table { enabled?, liveUserIds? } (whole-number UserIds)",
	),
	playtest: field(t.optional(t.table), "a play-test table"),
	onVerified: optionalCallback,
	onPcCafe: optionalCallback,
	onChargeExhausted: optionalCallback,
	onReplaced: optionalCallback,
	onLost: optionalCallback,
	onEnded: optionalCallback,
};

/** What play-test requests carry instead of a key and a base URL; they never leave the server. */
export const PLAYTEST_API_KEY = "playtest";
export const PLAYTEST_BASE_URL = "https://playtest.playwave.invalid/v1";

/** Values are described by type only: a mistyped key must never be echoed. */
function configMismatch(raw: object): string | undefined {
	const options = { strict: true, showValues: false };
	const config = raw as PlaywaveConfig;
	return (
		shapeMismatch(configShape, raw, "config", options) ??
		(config.texts !== undefined ? shapeMismatch(textsShape, config.texts, "config.texts", options) : undefined) ??
		(config.actions !== undefined
			? shapeMismatch(actionsShape, config.actions, "config.actions", options)
			: undefined) ??
		(config.playtest !== undefined ? playtestMismatch(config.playtest, "config.playtest") : undefined)
	);
}

function resolveOverlay(overlay: PlaywaveConfig["overlay"]): ResolvedConfig["overlay"] {
	if (overlay === undefined || overlay === false) return undefined;
	if (overlay === true) return { liveUserIds: [] };
	if (overlay.enabled === false) return undefined;
	return { liveUserIds: [...(overlay.liveUserIds ?? [])] };
}

/** A configuration mistake, named by field. Never contains the key. */
export class PlaywaveConfigError {
	constructor(readonly message: string) {}
	toString() {
		return `[Playwave] invalid config: ${this.message}`;
	}
}

/**
 * Where the named secret has to be: live (and team-test) servers read the experience's secrets store,
 * Studio play-tests only its Local Secrets ("Secrets stores", Roblox docs). Names the host to bind it to.
 */
// The name is echoed only when short and nothing in it is shaped like a key: a key pasted here must not be printed.
function missingSecret(name: string, config: PlaywaveConfig): string {
	const url = config.environment !== undefined ? BASE_URLS[config.environment] : config.baseUrl;
	const host = url?.match("^%a+://([^/:]+)")[0];
	const domain = host !== undefined ? `, domain ${host}` : "";
	return (
		`apiKeySecret: no secret named ${describeValue(name, true)} here. Live servers: Creator Dashboard > your experience > ` +
		`Secrets > Create Secret${domain}. Studio play-tests: File > Experience Settings > Security > Local Secrets ` +
		`(or use config.playtest)`
	);
}

/**
 * Checks a config and fills in defaults. `getSecret` resolves `apiKeySecret` (HttpService:GetSecret).
 * Returns the resolved config, or an error that names the field and what was expected.
 */
export function resolveConfig(
	raw: unknown,
	getSecret: (name: string) => Secret,
): { ok: true; config: ResolvedConfig } | { ok: false; error: PlaywaveConfigError } {
	const fail = (message: string) => ({ ok: false as const, error: new PlaywaveConfigError(message) });
	if (!typeIs(raw, "table")) return fail(`expected a table, got ${typeOf(raw)}`);
	const shapeProblem = configMismatch(raw);
	if (shapeProblem !== undefined) return fail(shapeProblem);
	const config = raw as PlaywaveConfig;
	const playtest = resolvePlaytest(config.playtest);

	let apiKey: HeaderValue;
	if (config.apiKey !== undefined && config.apiKeySecret !== undefined) {
		return fail("give apiKey or apiKeySecret, not both");
	} else if (playtest !== undefined) {
		// The stand-in needs no key: none is fetched (Studio may have no secrets) and none is sent anywhere.
		apiKey = PLAYTEST_API_KEY;
	} else if (config.apiKeySecret !== undefined) {
		const name = config.apiKeySecret;
		const [ok, secret] = pcall(() => getSecret(name));
		// The name is echoed only when short and not shaped like a key: a key pasted here is never printed.
		if (!ok) return fail(missingSecret(name, config));
		apiKey = secret;
	} else if (config.apiKey !== undefined) {
		if (typeIs(config.apiKey, "string") && config.apiKey.match("^%s*$")[0] !== undefined) {
			return fail("apiKey: expected a non-empty key, got an empty string");
		}
		apiKey = config.apiKey;
	} else {
		return fail("config.apiKey or config.apiKeySecret: expected one of them, got neither");
	}

	let endpoint: Endpoint;
	if (config.environment !== undefined && config.baseUrl !== undefined) {
		return fail("give environment or baseUrl, not both");
	} else if (config.environment !== undefined) {
		endpoint = { environment: config.environment };
	} else if (config.baseUrl !== undefined) {
		if (config.baseUrl.match("^https?://[^%s]+$")[0] === undefined) {
			// Echoed only when short and nothing in it is shaped like a key: a key pasted here must not be printed.
			return fail(
				`baseUrl: expected an http(s) URL such as "https://host/v1", got ${describeValue(config.baseUrl, true)}`,
			);
		}
		endpoint = { baseUrl: config.baseUrl };
	} else if (playtest !== undefined) {
		endpoint = { baseUrl: PLAYTEST_BASE_URL };
	} else {
		return fail('environment: expected "dev", "qa" or "live" (or a baseUrl), got neither');
	}

	return {
		ok: true,
		config: {
			apiKey,
			keySource:
				config.apiKeySecret !== undefined
					? `the secret named ${describeValue(config.apiKeySecret, true)} (Game Settings > Security > Secrets)`
					: typeIs(config.apiKey, "string")
						? `config.apiKey (a ${config.apiKey.size()}-character string)`
						: "config.apiKey (a Secret)",
			endpoint,
			requestsPerMinute: config.requestsPerMinute ?? DEFAULT_SCHEDULER_CONFIG.requestsPerMinute,
			urgentRequestsPerMinute: config.urgentRequestsPerMinute ?? DEFAULT_SCHEDULER_CONFIG.urgentRequestsPerMinute,
			shutdownTimeoutSec: config.shutdownTimeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC,
			teleportGraceSec: config.teleportGraceSec ?? DEFAULT_TELEPORT_GRACE_SEC,
			texts: { ...DEFAULT_TEXTS, ...config.texts },
			actions: { ...DEFAULT_ACTIONS, ...config.actions },
			remoteName: config.remoteName ?? DEFAULT_REMOTE_NAME,
			debug: config.debug ?? false,
			analytics: config.analytics ?? false,
			overlay: resolveOverlay(config.overlay),
			playtest,
			callbacks: {
				onVerified: config.onVerified,
				onPcCafe: config.onPcCafe,
				onChargeExhausted: config.onChargeExhausted,
				onReplaced: config.onReplaced,
				onLost: config.onLost,
				onEnded: config.onEnded,
			},
		},
	};
}
