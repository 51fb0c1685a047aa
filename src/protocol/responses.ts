import { t } from "@rbxts/t";
import { field, fits, Shape, shapeMismatch } from "./shape";
import { isValidSessionId } from "./sessionId";
import { heartbeatIntervalFrom, PROTOCOL_TIMING, ProtocolTiming } from "./timing";
import {
	AlreadyGoneCode,
	ApiFailure,
	EndOutcome,
	HeartbeatOutcome,
	SessionLostCode,
	TOKEN_REJECT_REASONS,
	VerifyOutcome,
} from "./outcomes";

/** A completed HTTP exchange, whatever its status. */
export interface RawResponse {
	readonly status: number;
	readonly body: string;
}

/** Decodes JSON text, or says why the text is not JSON. */
export type JsonDecoder = (text: string) => { ok: true; value: unknown } | { ok: false; reason: string };

// Each body is described once, by its shape; the types the parser reads come from the shapes (`fits`).
const successEnvelope = {
	success: field(t.literal(true), "true"),
	data: field(t.table, "a table"),
} satisfies Shape;
/** `success: true` and anything else: heartbeat and end successes are read field by field. */
const lenientSuccess = {
	success: field(t.literal(true), "true"),
	data: field(t.optional(t.any), "anything"),
} satisfies Shape;
const errorEnvelope = {
	success: field(t.literal(false), "false"),
	error: field(t.interface({ code: t.string, message: t.optional(t.string) }), "{ code: string, message?: string }"),
} satisfies Shape;
const verifyValid = {
	is_valid: field(t.literal(true), "true"),
	game_session_id: field(t.string, "a string"),
	is_pc_cafe: field(t.boolean, "a boolean"),
} satisfies Shape;
const verifyInvalid = {
	is_valid: field(t.literal(false), "false"),
	reason: field(t.string, "a string"),
} satisfies Shape;
const invalidMarker = { is_valid: field(t.literal(false), "false") } satisfies Shape;

/** Heartbeat and end `data` are read field by field: a 200 with `success: true` is never refused for them. */
type LooseData = Readonly<Record<string, unknown>>;
/** Any table: heartbeat and end data are read field by field. */
function isLooseData(value: unknown): value is LooseData {
	return typeIs(value, "table");
}

function mismatch(shape: Shape, value: unknown, path: string) {
	return shapeMismatch(shape, value, path);
}

const SNIPPET_LENGTH = 120;

type Decoded = { kind: "Data"; data: unknown } | ApiFailure;

/**
 * The one place that turns HTTP responses into protocol outcomes. Branches on `data`, not the
 * status, for business outcomes; anything undocumented becomes a typed Malformed/UnexpectedStatus
 * outcome with the detail needed to debug it.
 */
export class ResponseParser {
	constructor(
		private readonly decodeJson: JsonDecoder,
		/** Removes secrets (the API key) from any server-provided text before it is kept. */
		private readonly redact: (text: string) => string = (text) => text,
		/** The clock rules `next_heartbeat_in` is interpreted under (scaled in a play-test). */
		private readonly timing: ProtocolTiming = PROTOCOL_TIMING,
		/** Says a warning once per key (an unknown result value, a field of the wrong type). */
		private readonly warn: (key: string, message: string) => void = () => {},
	) {}

	parseVerify(response: RawResponse): VerifyOutcome {
		if (response.status !== 200) return this.errorStatus(response);
		const decoded = this.successData(response);
		if (decoded.kind !== "Data") return decoded;
		const data = decoded.data;
		if (fits(verifyValid, data)) {
			const id = data.game_session_id;
			if (!isValidSessionId(id)) {
				const size = data.game_session_id.size();
				return this.malformed(response, `data.game_session_id is not a valid session id (${size} characters)`);
			}
			return { kind: "Verified", gameSessionId: id, isPcCafe: data.is_pc_cafe };
		}
		if (fits(verifyInvalid, data)) {
			const reason = TOKEN_REJECT_REASONS.find((known) => known === data.reason);
			if (reason === undefined) return this.malformed(response, "unknown verify reason", this.clip(data.reason));
			return { kind: "Rejected", reason };
		}
		const rejecting = fits(invalidMarker, data);
		return this.malformed(response, `verify ${mismatch(rejecting ? verifyInvalid : verifyValid, data, "data")}`);
	}

	/**
	 * A 200 with `success: true` is an accepted heartbeat, whatever else its body holds: an unknown
	 * `result` counts as OK (warned once per value), and optional fields of the wrong type fall back to
	 * their defaults (warned once per field).
	 */
	parseHeartbeat(response: RawResponse): HeartbeatOutcome {
		const decoded = this.decodeOrGone<SessionLostCode>(
			response,
			{ 404: ["SESSION_NOT_FOUND"], 410: ["SESSION_ENDED", "SESSION_ENDING"] },
			"heartbeat",
		);
		if (decoded.kind === "Gone") return { kind: "SessionLost", code: decoded.code };
		if (decoded.kind !== "Data") return decoded;
		const data = decoded.data;
		const playDurationSec = this.optionalSeconds(data, "play_duration_sec", "heartbeat");
		const nextHeartbeatInSec = this.nextHeartbeatInSec(data.next_heartbeat_in);
		const result = data.result;
		if (result === "CHARGE_EXHAUSTED") return { kind: "ChargeExhausted", nextHeartbeatInSec, playDurationSec };
		if (result === "SESSION_REPLACED") return { kind: "SessionReplaced", playDurationSec };
		if (result !== "OK") {
			const shown = describeValue(result);
			this.warn(
				`heartbeat.result:${shown}`,
				`PlayWave accepted a heartbeat with an undocumented result ${shown}: treated as OK`,
			);
		}
		return { kind: "Ok", nextHeartbeatInSec, playDurationSec };
	}

	/** A 200 with `success: true` is an accepted end, read as leniently as a heartbeat. */
	parseEnd(response: RawResponse): EndOutcome {
		const decoded = this.decodeOrGone<AlreadyGoneCode>(
			response,
			{ 404: ["SESSION_NOT_FOUND"], 409: ["ALREADY_ENDED"] },
			"end",
		);
		if (decoded.kind === "Gone") return { kind: "AlreadyGone", code: decoded.code };
		if (decoded.kind !== "Data") return decoded;
		const data = decoded.data;
		if (data.result !== "SUCCESS") {
			const shown = describeValue(data.result);
			this.warn(`end.result:${shown}`, `PlayWave accepted an end with an undocumented result ${shown}`);
		}
		return {
			kind: "Ended",
			playDurationSec: this.optionalSeconds(data, "play_duration_sec", "end"),
			clientPlayDurationSec: this.optionalSeconds(data, "client_play_duration_sec", "end"),
		};
	}

	/** A documented optional number of seconds; anything else but nothing is warned once and ignored. */
	private optionalSeconds(data: LooseData, name: string, label: string): number | undefined {
		const value = data[name];
		if (value === undefined) return undefined;
		if (typeIs(value, "number") && value === value && value >= 0 && value < math.huge) return value;
		this.warn(
			`${label}.${name}`,
			`PlayWave sent ${label} data.${name} as ${describeValue(value)} instead of a number of seconds: ignored`,
		);
		return undefined;
	}

	/** `next_heartbeat_in`, or the default; a present but unusable value is warned once. */
	private nextHeartbeatInSec(value: unknown): number {
		const interval = heartbeatIntervalFrom(value, this.timing);
		const usable =
			typeIs(value, "number") && value === value && value > 0 && value <= this.timing.absurdHeartbeatIntervalSec;
		if (value !== undefined && !usable) {
			this.warn(
				"heartbeat.next_heartbeat_in",
				`PlayWave sent next_heartbeat_in as ${describeValue(value)}: using ${interval} s`,
			);
		}
		return interval;
	}

	/**
	 * For endpoints whose documented errors mean "the session is gone": that code, or the `data` of a 200
	 * checked against `shape`, or the failure. A status with an undocumented body is never trusted.
	 */
	private decodeOrGone<C extends string>(
		response: RawResponse,
		gone: Readonly<Record<number, ReadonlyArray<C>>>,
		label: string,
	): { kind: "Gone"; code: C } | { kind: "Data"; data: LooseData } | ApiFailure {
		const allowed = gone[response.status];
		if (allowed !== undefined) {
			const code = this.documentedErrorCode(response, allowed);
			return code === undefined ? this.unexpectedErrorBody(response) : { kind: "Gone", code };
		}
		if (response.status !== 200) return this.errorStatus(response);
		const decoded = this.successData(response, true);
		if (decoded.kind !== "Data") return decoded;
		if (!isLooseData(decoded.data)) {
			this.warn(`${label}.data`, `PlayWave sent a ${label} success without a data table: read as empty`);
			return { kind: "Data", data: {} };
		}
		return { kind: "Data", data: decoded.data };
	}

	/**
	 * `data` of a 200 success envelope, or why there is none. `lenient`: `success: true` is enough, and
	 * `data` may be anything (the caller reads it field by field).
	 */
	private successData(response: RawResponse, lenient = false): Decoded {
		const decoded = this.decodeJson(response.body);
		if (!decoded.ok) return this.malformed(response, "body is not JSON", this.snippet(response.body));
		const value = decoded.value;
		if (fits(errorEnvelope, value)) {
			return this.malformed(response, "success: false on HTTP 200", this.clip(value.error.code));
		}
		if (lenient && fits(lenientSuccess, value)) return { kind: "Data", data: value.data };
		if (fits(successEnvelope, value)) return { kind: "Data", data: value.data };
		return this.malformed(response, `envelope ${mismatch(successEnvelope, value, "body")}`);
	}

	/** The error envelope's code if the body is a documented error envelope with one of `allowed`. */
	private documentedErrorCode<C extends string>(response: RawResponse, allowed: ReadonlyArray<C>): C | undefined {
		const envelope = this.errorEnvelopeOf(response);
		if (envelope === undefined) return undefined;
		return allowed.find((code) => code === envelope.code);
	}

	private errorEnvelopeOf(response: RawResponse): { code: string; message: string } | undefined {
		const decoded = this.decodeJson(response.body);
		if (!decoded.ok || !fits(errorEnvelope, decoded.value)) return undefined;
		const body = decoded.value.error;
		return { code: this.clip(body.code), message: this.clip(body.message ?? "") };
	}

	/** 404/409/410 whose body is not the documented error (a proxy's page, an unknown code): not trusted. */
	private unexpectedErrorBody(response: RawResponse): ApiFailure {
		const envelope = this.errorEnvelopeOf(response);
		if (envelope !== undefined) {
			return {
				kind: "UnexpectedStatus",
				status: response.status,
				code: envelope.code,
				detail: `undocumented error code for HTTP ${response.status}`,
			};
		}
		return this.malformed(response, "error body is not the documented envelope", this.snippet(response.body));
	}

	/** Statuses every endpoint shares: 400, 401, 429, 5xx; anything else is unexpected. */
	private errorStatus(response: RawResponse): ApiFailure {
		const status = response.status;
		const envelope = this.errorEnvelopeOf(response);
		const message = envelope?.message ?? this.snippet(response.body);
		if (status === 400) return { kind: "BadRequest", status, message };
		if (status === 401 || status === 403) return { kind: "InvalidApiKey", status, message };
		if (status === 429) return { kind: "RateLimited", status };
		if (status >= 500 && status <= 599) return { kind: "ServerError", status, code: envelope?.code };
		return {
			kind: "UnexpectedStatus",
			status,
			code: envelope?.code,
			detail: "a status the API does not document here",
			excerpt: envelope !== undefined ? envelope.message : this.snippet(response.body),
		};
	}

	/** `detail` is the SDK's own description; `excerpt` the server's text, which is printed only masked. */
	private malformed(response: RawResponse, detail: string, excerpt?: string): ApiFailure {
		return { kind: "Malformed", status: response.status, detail: this.redact(detail), excerpt };
	}

	private clip(text: string) {
		const safe = this.redact(text);
		return safe.size() > SNIPPET_LENGTH ? safe.sub(1, SNIPPET_LENGTH) + "…" : safe;
	}

	/** A short, single-line, redacted excerpt of a body for a log line. */
	private snippet(body: string) {
		if (body === "") return "(empty body)";
		return this.clip(body.gsub("%s+", " ")[0]);
	}
}

/**
 * A server value as a warning may show it: a code-like string (capitals, digits, underscores) as is,
 * anything else by its type and length only, since server text might echo the key.
 */
function describeValue(value: unknown): string {
	if (typeIs(value, "string")) {
		if (value.size() <= 40 && value.match("^[%u%d_]+$")[0] !== undefined) return `"${value}"`;
		return `a ${value.size()}-character string`;
	}
	if (typeIs(value, "number")) return value === value ? `the number ${value}` : "NaN";
	if (value === undefined) return "nothing";
	return `a ${typeOf(value)}`;
}
