import { baseUrlOf, Endpoint } from "./environments";

/** Anything that can be a header value: a plain string, or a Roblox `Secret` from HttpService:GetSecret. */
export type HeaderValue = string | Secret;

/** An HTTP request as the transport sends it. The body is always JSON (DELETE included). */
export interface ApiRequest {
	readonly url: string;
	readonly method: "POST" | "PATCH" | "DELETE";
	readonly headers: Readonly<Record<string, HeaderValue>>;
	/** The body as a plain value; the transport encodes it to JSON. */
	readonly body: Readonly<Record<string, string | number>>;
	/** Which endpoint this is, for logs and metrics (never includes the key). */
	readonly endpoint: "verify" | "heartbeat" | "end";
}

export const Paths = {
	verify: "/game/session/verify",
	heartbeat: "/game/session/heartbeat",
	end: "/game/session/end",
} as const;

/** Builds the three documented requests. Pure: no engine calls, the key is only placed in a header. */
export class RequestBuilder {
	private readonly baseUrl: string;

	constructor(
		endpoint: Endpoint,
		private readonly apiKey: HeaderValue,
	) {
		this.baseUrl = baseUrlOf(endpoint);
	}

	private headers() {
		return { "X-Api-Key": this.apiKey, "Content-Type": "application/json" };
	}

	verify(ott: string, userId: number): ApiRequest {
		return {
			endpoint: "verify",
			url: this.baseUrl + Paths.verify,
			method: "POST",
			headers: this.headers(),
			body: { ott, provider_user_id: tostring(userId) },
		};
	}

	heartbeat(gameSessionId: string, userId: number): ApiRequest {
		return {
			endpoint: "heartbeat",
			url: this.baseUrl + Paths.heartbeat,
			method: "PATCH",
			headers: this.headers(),
			body: { game_session_id: gameSessionId, provider_user_id: tostring(userId) },
		};
	}

	/** `playDurationSec` is our own measure; the server's figure stays authoritative for settlement. */
	end(gameSessionId: string, playDurationSec?: number): ApiRequest {
		const body: Record<string, string | number> = { game_session_id: gameSessionId };
		if (playDurationSec !== undefined) body.play_duration_sec = math.max(0, math.floor(playDurationSec));
		return { endpoint: "end", url: this.baseUrl + Paths.end, method: "DELETE", headers: this.headers(), body };
	}
}
