import { HttpService, RunService } from "@rbxts/services";
import { PlaywaveConnection } from "../PlaywaveConnection";
import { PlaywaveConfig, resolveConfig } from "./config";
import { enginePorts } from "./engine";
import { PlaywaveServer } from "./PlaywaveServer";

let current: PlaywaveServer | undefined;

/**
 * The entry point for a game: one call from a server Script.
 *
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
	 * joiner is examined at once. Errors (once, with the field named) on a bad config, on a client, or
	 * when called twice. Requiring the module does nothing by itself.
	 */
	start(config: PlaywaveConfig): PlaywaveServer {
		if (!RunService.IsServer()) error("[Playwave] Playwave.start runs on the server, from a Script", 2);
		if (current) error("[Playwave] Playwave.start was already called; call it once, from one Script", 2);
		const resolved = resolveConfig(config, (name) => HttpService.GetSecret(name));
		if (!resolved.ok) error(tostring(resolved.error), 2);
		const settings = resolved.config;
		const ports = enginePorts(settings.remoteName);
		const connection = new PlaywaveConnection({
			apiKey: settings.apiKey,
			endpoint: settings.endpoint,
			clock: ports.clock,
			scheduler: { requestsPerMinute: settings.requestsPerMinute },
		});
		const server = new PlaywaveServer(settings, connection, ports);
		current = server;
		server.start();
		return server;
	},

	/** The running server facade, once `start` was called. */
	get(): PlaywaveServer | undefined {
		return current;
	},
};
