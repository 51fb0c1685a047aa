/** A reply as the stand-in sends it: an HTTP status and a JSON body in PlayWave's envelope. */
export interface StandInReply {
	readonly status: number;
	readonly body: string;
}

/** Engine services the envelopes need, passed in (the stand-in never reaches the engine itself). */
export interface EnvelopeServices {
	readonly encodeJson: (value: unknown) => string;
	/** A fresh UUID, any case. */
	readonly newUuid: () => string;
	/** Unix time in seconds. */
	readonly wallClock: () => number;
}

/** `200 { success: true, request_id, data }`, as every successful PlayWave reply. */
export function okReply(services: EnvelopeServices, data: object): StandInReply {
	const requestId = `req_${services.newUuid().lower().gsub("[^%x]", "")[0].sub(1, 24)}`;
	return { status: 200, body: services.encodeJson({ success: true, request_id: requestId, data }) };
}

/** `{ success: false, error: { code, message, timestamp } }` with the given status, as every PlayWave error. */
export function errorReply(services: EnvelopeServices, status: number, code: string, message = code): StandInReply {
	const timestamp = os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(services.wallClock()));
	return { status, body: services.encodeJson({ success: false, error: { code, message, timestamp } }) };
}
