// Starts PlayWave once, from the server. The API key lives in a secret named "playwave_api_key":
// Creator Dashboard > your experience > Secrets, domain wave-api.playwave.dev (the dev environment);
// in Studio, File > Experience Settings > Security > Local Secrets.
import { Playwave } from "@rbxts/playwave";

const playwave = Playwave.start({
	apiKeySecret: "playwave_api_key",
	environment: "dev",
	onVerified: (player, isPcCafe, reason) =>
		print(`[example] ${player.Name} verified: ${reason}, PC cafe: ${isPcCafe}`),
	onPcCafe: (player) => player.SetAttribute("PcCafe", true),
	onEnded: (player, result) => print(`[example] ${player.Name} ended: ${result.kind}`),
});

// PC-cafe perks end when the session is replaced (another PC) or lost.
playwave.replaced.Connect((player) => player.SetAttribute("PcCafe", false));
playwave.lost.Connect((player) => player.SetAttribute("PcCafe", false));
