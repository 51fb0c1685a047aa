import { systemClock } from "./clock";
import { PlayWaveSimulator } from "./simulator";

/** `npm run sim -- [--port 8787] [--api-key KEY] [--heartbeat-interval 120] [--seed S]` */
function parseArgs(argv: string[]): Map<string, string> {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith("--")) continue;
		const [name, inline] = arg.slice(2).split("=", 2);
		if (inline !== undefined) args.set(name, inline);
		else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) args.set(name, argv[++i]);
		else args.set(name, "true");
	}
	return args;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.has("help")) {
		console.log("usage: npm run sim -- [--port 8787] [--api-key KEY] [--heartbeat-interval SEC] [--seed SEED]");
		return;
	}
	const port = Number(args.get("port") ?? 8787);
	const interval = args.get("heartbeat-interval");
	const sim = new PlayWaveSimulator({
		clock: systemClock,
		seed: args.get("seed"),
		timing: interval === undefined ? undefined : { heartbeatIntervalSec: Number(interval) },
	});
	const { gameId, apiKey } = sim.addGame({ gameId: "demo-game", name: "Demo game", apiKey: args.get("api-key") });
	const server = await sim.listen(port, { admin: true });

	console.log(`PlayWave simulator (${sim.environment}) listening`);
	console.log(`  base URL   ${server.baseUrl}`);
	console.log(`  game       ${gameId}`);
	console.log(`  API key    ${apiKey}`);
	console.log("");
	console.log("Issue an OTT (the launcher's part):");
	console.log(
		`  curl -s -X POST ${server.origin}/_sim/ott -H 'Content-Type: application/json' -d '{"userId":"123","pcId":"pc-1","balanceSec":3600}'`,
	);
	console.log("Then verify it as the game server would:");
	console.log(
		`  curl -s -X POST ${server.baseUrl}/game/session/verify -H 'X-Api-Key: ${apiKey}' -H 'Content-Type: application/json' -d '{"ott":"<ott>","provider_user_id":"123"}'`,
	);
	console.log(`Ledger: curl -s ${server.origin}/_sim/ledger    (Ctrl-C to stop)`);

	const stop = () => {
		void server.close().then(() => process.exit(0));
	};
	process.on("SIGINT", stop);
	process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
