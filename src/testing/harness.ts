import { PlaywaveConnection, PlaywaveConnectionOptions } from "../session/PlaywaveConnection";
import { PlaywaveSession } from "../session/PlaywaveSession";
import { FakeReply, FakeTransport } from "./FakeTransport";
import { fixedRandom, ManualClock } from "./ManualClock";
import { ApiRequest } from "../protocol/requests";

export const TEST_KEY = "pw_test_key_4f2a9c";
export const OTT = "0b5e7d0e-6a4f-4c1b-9a53-2f9e8c1d7a10";
export const USER_ID = 1234567;

/** A connection wired to a manual clock (a new one unless given) and a fake transport, with jitter pinned to its midpoint. */
export function makeHarness(options: Partial<PlaywaveConnectionOptions> = {}, clock = new ManualClock()) {
	const transport = new FakeTransport(clock);
	const connection = new PlaywaveConnection({
		apiKey: TEST_KEY,
		endpoint: { baseUrl: "https://api.test/v1" },
		clock,
		transport,
		random: fixedRandom(0.5),
		...options,
	});
	return { clock, transport, connection };
}

/** Records every event a session fires, as short strings in order. */
export function recordEvents(session: PlaywaveSession) {
	const log = new Array<string>();
	session.verified.Connect((id, pcCafe) => log.push(`verified ${id} ${pcCafe}`));
	session.rejected.Connect((reason) => log.push(`rejected ${reason}`));
	session.resumed.Connect((id) => log.push(`resumed ${id}`));
	session.heartbeat.Connect((played, nextIn) => log.push(`heartbeat ${played ?? "?"} ${nextIn}`));
	session.chargeExhausted.Connect(() => log.push("chargeExhausted"));
	session.replaced.Connect(() => log.push("replaced"));
	session.lost.Connect((code) => log.push(`lost ${code}`));
	session.ended.Connect((result) => log.push(`ended ${result.kind}`));
	return log;
}

/** Answers by endpoint; each entry is a reply or a function of the request index for that endpoint. */
export function routes(replies: Partial<Record<ApiRequest["endpoint"], (n: number) => FakeReply>>) {
	const counts: Record<string, number> = {};
	return (request: ApiRequest): FakeReply => {
		const n = (counts[request.endpoint] ?? 0) + 1;
		counts[request.endpoint] = n;
		const route = replies[request.endpoint];
		return route ? route(n) : { status: 500, body: "" };
	};
}

export function count(log: ReadonlyArray<string>, prefix: string) {
	return log.filter((line) => line.sub(1, prefix.size()) === prefix).size();
}
