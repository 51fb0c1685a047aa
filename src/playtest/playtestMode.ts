import { ServerPorts } from "../ports/ports";
import { SessionTiming } from "../session/timing";
import { EnvelopeServices } from "./envelopes";
import { PlaywaveStandIn } from "./PlaywaveStandIn";
import { ResolvedPlaytest, scenarioFor } from "./scenarios";
import { scaledSessionTiming } from "./timeScale";

/** What play-test mode changes, and nothing else: the transport, the timing, and empty LaunchData. */
export interface PlaytestWiring {
	readonly standIn: PlaywaveStandIn;
	readonly timing: SessionTiming;
	readonly ports: ServerPorts;
}

/**
 * Wires play-test mode over the engine's ports: requests go to an in-game stand-in, the SDK's timing
 * runs `timeScale` times faster, and a player with no LaunchData (everyone in Studio) gets a fabricated
 * launch token leading into their scenario, so the real verify path runs. A teleport hand-over in
 * TeleportData still wins over the token, as it does on a live server.
 */
export function wirePlaytest(playtest: ResolvedPlaytest, ports: ServerPorts, engine: EnvelopeServices) {
	const stand = new PlaywaveStandIn({
		clock: ports.clock,
		timeScale: playtest.timeScale,
		wallClock: engine.wallClock,
		encodeJson: engine.encodeJson,
		newUuid: engine.newUuid,
	});
	const players = ports.players;
	const wiring: PlaytestWiring = {
		standIn: stand,
		timing: scaledSessionTiming(playtest.timeScale),
		ports: {
			...ports,
			players: {
				...players,
				joinData: (player) => {
					const data = players.joinData(player);
					const launch = data.LaunchData;
					if (launch !== undefined && launch !== "") return data;
					const scenario = scenarioFor(playtest, player.UserId);
					return { ...data, LaunchData: stand.issueLaunchData(player.UserId, scenario) };
				},
			},
			// No HttpService request is made: whether HTTP is enabled does not matter.
			httpEnabled: () => true,
		},
	};
	return wiring;
}

/** One line for the output window when play-test mode starts. */
export function describePlaytest(playtest: ResolvedPlaytest): string {
	const custom = playtest.players.size();
	return (
		`PLAY-TEST MODE: PlayWave requests are answered in-game (no HTTP, no billing); ` +
		`default scenario "${playtest.scenario.kind}"` +
		(custom > 0 ? `, ${custom} player(s) with their own` : "") +
		(playtest.timeScale !== 1 ? `, time ×${playtest.timeScale}` : "")
	);
}
