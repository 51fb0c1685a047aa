import { t } from "@rbxts/t";
import { BASE_URLS, Endpoint } from "../../protocol/environments";
import { describeValue, field, Shape, shapeMismatch } from "../../protocol/shape";
import { HeaderValue } from "../../protocol/requests";
import { DEFAULT_SCHEDULER_CONFIG } from "../../scheduler/SchedulerConfig";
import { DEFAULT_REMOTE_NAME } from "../../shared/messages";
import { playtestMismatch, ResolvedPlaytest, resolvePlaytest } from "../../playtest/scenarios";
import {
	DEFAULT_ACTIONS,
	DEFAULT_SHUTDOWN_TIMEOUT_SEC,
	DEFAULT_TELEPORT_GRACE_SEC,
	DEFAULT_TEXTS,
	PLAYTEST_API_KEY,
	PLAYTEST_BASE_URL,
} from "./defaults";
import { PlaywaveActions, PlaywaveConfig, PlaywaveTexts } from "./PlaywaveConfig";

/** A config after `resolveConfig`: checked, the key fetched, every default filled in. */
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
