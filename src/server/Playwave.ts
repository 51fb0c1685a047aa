import { PlaywaveConnection } from "../session/PlaywaveConnection";
import { describePlaytest, wirePlaytest } from "../playtest/playtestMode";
import { PlaywaveConfig } from "./config/PlaywaveConfig";
import { resolveConfig } from "./config/resolveConfig";
import { engineHost } from "./engine";
import { PlaywaveServer } from "./PlaywaveServer";
import { HostPort } from "../ports/ports";
import { NoticeLog, PlaywaveOverlayServer } from "./overlay/OverlayServer";

let current: PlaywaveServer | undefined;

export const PLAYTEST_REFUSED =
	"[Playwave] playtest mode runs only in Studio: a live server never fakes PlayWave sessions. " +
	"Remove config.playtest (or set playtest.enabled = false) before publishing.";

/**
 * Validates the config and wires the SDK on `host` (the engine, or a spec's fakes), without
 * starting it. Errors, at the caller's `level`, on a client, on a bad config, and on play-test mode
 * outside Studio.
 */
export function createPlaywave(config: PlaywaveConfig, host: HostPort, level = 2): PlaywaveServer {
	if (!host.isServer()) error("[Playwave] Playwave.start runs on the server, from a Script", level + 1);
	const resolved = resolveConfig(config, host.getSecret);
	if (!resolved.ok) error(tostring(resolved.error), level + 1);
	const settings = resolved.config;
	const playtest = settings.playtest;
	if (playtest !== undefined && !host.isStudio()) error(PLAYTEST_REFUSED, level + 1);
	let ports = host.serverPorts(settings.remoteName);
	// The Studio overlay shows each player the notices their client was sent.
	const noticeLog = settings.overlay !== undefined ? new NoticeLog() : undefined;
	if (noticeLog) ports = { ...ports, notices: noticeLog.wrap(ports.notices) };
	// In a play-test the in-game stand-in answers instead of HttpService, on a scaled timing profile.
	let wiring: ReturnType<typeof wirePlaytest> | undefined;
	if (playtest !== undefined) {
		wiring = wirePlaytest(playtest, ports, host);
		ports = wiring.ports;
		ports.log.warn(describePlaytest(playtest));
	}
	const connection = new PlaywaveConnection({
		apiKey: settings.apiKey,
		endpoint: settings.endpoint,
		clock: ports.clock,
		warn: ports.log.warn,
		keySource: settings.keySource,
		transport: wiring?.standIn,
		timing: wiring?.timing,
		scheduler: {
			requestsPerMinute: settings.requestsPerMinute,
			urgentRequestsPerMinute: settings.urgentRequestsPerMinute,
		},
	});
	const server = new PlaywaveServer(settings, connection, ports);
	const overlay = settings.overlay;
	if (overlay !== undefined && noticeLog && host.overlayPort) {
		const studio = host.isStudio();
		if (!studio && overlay.liveUserIds.isEmpty()) {
			ports.log.warn(
				"the overlay is refused on a live server: list who may see it in config.overlay.liveUserIds, or turn it off",
			);
		} else {
			const access = { isStudio: studio, liveUserIds: overlay.liveUserIds };
			new PlaywaveOverlayServer(
				server,
				host.overlayPort(),
				noticeLog,
				ports.players,
				ports.clock,
				ports.log,
				access,
			);
		}
	}
	return server;
}

/**
 * The entry point for a game: one call from a server Script.
 *
 * @example
 * ```ts
 * const playwave = Playwave.start({
 * 	apiKeySecret: "playwave_api_key",
 * 	environment: "live",
 * 	onPcCafe: (player) => grantPcCafePerks(player),
 * });
 * ```
 */
export const Playwave = {
	/**
	 * Validates the config and starts the SDK: every player already in the server and every later
	 * joiner is examined at once. Errors (once, with the field named) on a bad config, on a client,
	 * when called twice, or with `playtest` outside Studio. Requiring the module does nothing by itself.
	 *
	 * @param config The key, the environment, and optionally callbacks, texts, actions and a play-test.
	 * @returns The server facade: its events, `isPcCafeUser` and `prepareForTeleport`.
	 */
	start(config: PlaywaveConfig): PlaywaveServer {
		const host = engineHost();
		if (current) error("[Playwave] Playwave.start was already called; call it once, from one Script", 2);
		const server = createPlaywave(config, host, 2);
		current = server;
		server.start();
		return server;
	},

	/**
	 * The running server facade, once `start` was called; for scripts other than the one that started
	 * the SDK.
	 *
	 * @example
	 * ```ts
	 * const playwave = Playwave.get();
	 * if (playwave?.isPcCafeUser(player)) giveCafeSkin(player);
	 * ```
	 */
	get(): PlaywaveServer | undefined {
		return current;
	},
};
