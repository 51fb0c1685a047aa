import { PlaywaveConnectionOptions } from "../session/PlaywaveConnection";
import { EndResult } from "../session/SessionState";
import { Envelope, FakeReply } from "./FakeTransport";
import { makeHarness, OTT, recordEvents, routes, USER_ID } from "./harness";

// One session on the fake transport, for the session specs: the replies they script and the session
// they build from them.

/** The session id the fake server hands out. */
export const SESSION = "gs_7d1f0c2e-1111-4c1b-9a53-2f9e8c1d7a10";

/** Verify accepted: `SESSION`, a PC-cafe user. */
export const verified = (): FakeReply => Envelope.ok({ is_valid: true, game_session_id: SESSION, is_pc_cafe: true });

/** Heartbeat accepted, with the next interval and the server's play time. */
export const beatOk = (nextIn: unknown = 120, played = 0): FakeReply =>
	Envelope.ok({ result: "OK", next_heartbeat_in: nextIn, play_duration_sec: played });

/** End confirmed: the server bills 600 s. */
export const endOk = (): FakeReply =>
	Envelope.ok({ result: "SUCCESS", play_duration_sec: 600, client_play_duration_sec: 599 });

/** A proxy's 503 page: transient, not JSON. */
export const serverDown = (): FakeReply => ({ status: 503, body: "<html>503 Service Unavailable</html>" });

/** The same reply, `latency` seconds late. */
export const slow = (reply: FakeReply, latency: number): FakeReply => ({ ...(reply as object), latency }) as FakeReply;

/** What an `endSession` promise resolved with, or undefined while it is pending. */
export function resultOf(promise: Promise<EndResult>): EndResult | undefined {
	if (promise.getStatus() !== Promise.Status.Resolved) return undefined;
	return promise.expect();
}

/** A fresh connection whose requests get `replies` (by endpoint), and one session on it, its events recorded. Not started. */
export function sessionWith(replies: Parameters<typeof routes>[0], options: Partial<PlaywaveConnectionOptions> = {}) {
	const harness = makeHarness(options);
	harness.transport.handler = routes(replies);
	const session = harness.connection.createSession(USER_ID);
	const log = recordEvents(session);
	return { ...harness, session, log };
}

/** A session that verified at t = 0 and whose heartbeats get `heartbeat(n)`, its ends `endReply(n)`. */
export function activeSession(heartbeat: (n: number) => FakeReply, endReply: (n: number) => FakeReply = endOk) {
	const fixture = sessionWith({ verify: verified, heartbeat, end: endReply });
	fixture.session.start(OTT);
	fixture.clock.advance(0);
	return fixture;
}
